"""The files of a received message: the portal's checks, and the copies kept while it waits."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from inquiries.attachments import MAX_FILES, CheckedFile, check_file, safe_name

from .models import InboundFile, InboundMail
from .parsing import MailFile


def checked_files(files: Sequence[MailFile]) -> tuple[list[CheckedFile], list[str]]:
    """The attachments that pass the portal's checks (at most 5), and why the others did not."""
    checked: list[CheckedFile] = []
    refused: list[str] = []
    for mail_file in files:
        name = safe_name(mail_file.name)
        if len(checked) >= MAX_FILES:
            refused.append(
                _("%(name)s: at most %(max)d files are taken from one message.")
                % {"name": name, "max": MAX_FILES}
            )
            continue
        upload = SimpleUploadedFile(name, mail_file.data, content_type=mail_file.content_type)
        try:
            checked.append(check_file(upload))
        except ValidationError as exc:
            refused.extend(exc.messages)
    return checked, refused


def keep_files(mail: InboundMail, files: Sequence[CheckedFile]) -> None:
    """Keep checked files with a message that waits for a person."""
    for checked in files:
        kept = InboundFile(
            mail=mail,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
        )
        kept.file.save(checked.name, checked.file, save=False)
        kept.save()


def refusals(refused: Sequence[str]) -> str:
    if not refused:
        return ""
    return _("Files not accepted: %(files)s") % {"files": " ".join(refused)}
