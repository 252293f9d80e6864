"""Files from requesters: checked by their content, never trusted by their name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
# What a requester may send, by the type the content shows (not the name).
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
}
ALLOWED_HELP = gettext_lazy(
    "Up to 5 files, 10 MB each: PDF, PNG, JPG, Word (docx), Excel (xlsx), OpenDocument text "
    "(odt) or plain text."
)
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with the name and type to store."""

    file: UploadedFile
    name: str
    content_type: str
    size: int


def safe_name(name: str) -> str:
    """Return the file's own name without folders or odd characters, at most 120 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .") or "file"
    stem, dot, ext = base.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[: 120 - len(ext) - 1]}.{ext}"
    return base[:120]


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return controls == 0


def sniff(upload: UploadedFile) -> str | None:
    """Return the allowed content type the file's bytes show, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    return "text/plain" if _looks_like_text(head) else None


def check_file(upload: UploadedFile) -> CheckedFile:
    """Check one file's size and type; raise ValidationError with a message that names it."""
    name = safe_name(upload.name or "")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s); the limit is 10 MB.")
            % {"name": name, "size": filesizeformat(upload.size)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    content_type = sniff(upload)
    if content_type is None:
        raise ValidationError(
            _("%(name)s is not a PDF, image, Word, Excel, OpenDocument or text file.")
            % {"name": name},
            code="type",
        )
    return CheckedFile(upload, name, content_type, upload.size)


def check_files(uploads: Iterable[UploadedFile]) -> list[CheckedFile]:
    """Check every file; raise one ValidationError listing each problem."""
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            _("Attach at most %(max)d files.") % {"max": MAX_FILES}, code="too_many"
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return checked
