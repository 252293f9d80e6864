"""The Finnish and Swedish catalogues: complete, true to their placeholders, and compiled."""

from __future__ import annotations

import ast
import re
import struct
from dataclasses import dataclass, field
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from crm.models import normalize_business_id
from inquiries.models import Inquiry

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["fi", "sv"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def parse_po(path: Path) -> list[Entry]:
    """A compact .po reader: flags, msgctxt, multi-line strings, plurals; skips obsolete (#~)."""
    entries: list[Entry] = []
    entry, target = Entry(), ("msgid", 0)
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        keyword, _, rest = line.partition(" ")
        if entry.msgstr and (not line or line[0] == "#" or keyword in {"msgctxt", "msgid"}):
            entries.append(entry)
            entry = Entry()
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, (getattr(entry, name) or "") + text)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = ast.literal_eval(rest)
            target = ("msgstr", index)
        elif keyword in {"msgctxt", "msgid", "msgid_plural"}:
            setattr(entry, keyword, ast.literal_eval(rest))
            target = (keyword, 0)
    return entries


def po_entries(language: str) -> list[Entry]:
    return parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")


def catalogue(language: str) -> tuple[dict[str, str], list[Entry]]:
    """The .po's header fields and its translatable entries."""
    entries = po_entries(language)
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    return fields, [e for e in entries if e is not header]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_declares_language_charset_and_plurals(language):
    # Given the catalogue's header
    fields, _ = catalogue(language)
    # Then it names the language, UTF-8 and the plural rule of fi and sv
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    # Given every entry of the catalogue, header included
    entries = po_entries(language)
    assert len(entries) > 1
    # When looking for a missing translation (both forms of a plural) or a fuzzy flag
    untranslated = [
        e.msgid
        for e in entries
        if e.msgid and not all(e.msgstr.get(i) for i in ((0, 1) if e.msgid_plural else (0,)))
    ]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    # Then there is none
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    # Given every translated entry
    _, entries = catalogue(language)
    # When comparing each form's placeholders with its source's
    wrong = [
        (e.msgid, text)
        for e in entries
        for index, text in e.msgstr.items()
        if placeholders(text)
        != placeholders(e.msgid_plural if index and e.msgid_plural else e.msgid)
    ]
    # Then they are the same: no %(name)s, %s or {pattern} lost, added or renamed
    assert wrong == []


def lookup(compiled: GNUTranslations, entry: Entry) -> dict[int, str]:
    # fi and sv: form 0 for n == 1, form 1 otherwise (the header test holds the rule).
    if entry.msgid_plural is None:
        if entry.msgctxt is None:
            return {0: compiled.gettext(entry.msgid)}
        return {0: compiled.pgettext(entry.msgctxt, entry.msgid)}
    if entry.msgctxt is None:
        return {i: compiled.ngettext(entry.msgid, entry.msgid_plural, i + 1) for i in (0, 1)}
    return {
        i: compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, i + 1) for i in (0, 1)
    }


def mo_size(path: Path) -> int:
    """The number of strings in a .mo file, header included."""
    data = path.read_bytes()
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    return struct.unpack(f"{order}I", data[8:12])[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_holds_exactly_the_po(language):
    # Given the .po and the committed .mo beside it
    _, entries = catalogue(language)
    mo_path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    with mo_path.open("rb") as mo:
        compiled = GNUTranslations(mo)
    # When every msgid is looked up in the .mo
    stale = [e.msgid for e in entries if lookup(compiled, e) != e.msgstr]
    # Then each gives the .po's translation, and the .mo has nothing more (else: make messages)
    assert stale == [], "the .mo is stale: run `make messages`"
    assert mo_size(mo_path) == len(entries) + 1


@pytest.mark.parametrize(
    ("language", "status", "business_id", "skip_link"),
    [
        ("fi", "Odottaa", "Y-tunnus", "Siirry sisältöön"),
        ("sv", "Väntar", "FO-nummer", "Hoppa till innehållet"),
        ("en", "Awaiting the requester", "business ID", "Skip to content"),
    ],
)
def test_django_serves_the_translations(language, status, business_id, skip_link):
    # Given the language is active
    with translation.override(language):
        # When real strings of the project are rendered
        status_label = str(Inquiry.Status.AWAITING_CUSTOMER.label)
        with pytest.raises(ValidationError) as error:
            normalize_business_id("123")
        message = error.value.messages[0]
        skip = gettext("Skip to content")
    # Then they come out in that language
    assert status_label.startswith(status)
    assert business_id in message
    assert skip == skip_link
