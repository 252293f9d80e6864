"""Reading one e-mail: who sent it, to whom, whether a machine sent it, its new text, its files.

Pure functions of the raw bytes: no database, no settings. HTML is reduced to plain text with
nh3 (every tag removed, the contents of scripts and styles dropped); the quoted history below an
answer is cut off with mail-parser-reply, which knows the "On … wrote:" and "From: … Sent: …"
lines of the common mail programs (Finnish added here: "… kirjoitti:", "Lähettäjä: …").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser, HeaderParser
from email.utils import getaddresses, parseaddr
from enum import StrEnum
from typing import Any

import nh3
from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES, QUOTED_MATCH_INCLUDE

# Finnish for mail-parser-reply (it knows sv and en): Gmail's "ma 5.1.2026 klo 10.15 Nimi
# <osoite> kirjoitti:", Apple Mail's "5.1.2026 kello 10.15, Nimi <osoite> kirjoitti:" and
# Outlook's "Lähettäjä: … Lähetetty: … Vastaanottaja: … Aihe: …".
MAIL_LANGUAGES.setdefault(
    "fi",
    {
        "wrote_header": r"^(" + QUOTED_MATCH_INCLUDE + r"[^\n]*\d[^\n]*\n?[^\n]*kirjoitti:)$",
        "from_header": r"((?:(?:^|\n|\n"
        + QUOTED_MATCH_INCLUDE
        + r")[* ]*(?:Lähettäjä|Lähetetty|Vastaanottaja|Aihe|Kopio|Päivämäärä):[ *]*"
        r"(?:\s{,2}).*){2,}(?:\n.*){,1})",
        "disclaimers": [],
        "signatures": ["Ystävällisin terveisin", "Parhain terveisin", "Terveisin"],
        "sent_from": "Lähetetty iPhonesta|Lähetetty iPadista|Lähetetty Outlookista|Hanki Outlook",
    },
)
REPLY_LANGUAGES = ("fi", "sv", "en")
TEXT_LIMIT = 100_000  # characters of text kept from one message


class Automatic(StrEnum):
    NO = ""
    AUTO_REPLY = "auto_reply"  # out of office, autoresponders, lists and bulk mail
    BOUNCE = "bounce"  # a delivery failure report


@dataclass(frozen=True)
class MailFile:
    """An attachment as the message carries it: nothing is checked yet."""

    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Failure:
    """One recipient a delivery failure report is about."""

    recipient: str
    status: str
    diagnostic: str


@dataclass
class ParsedMail:
    from_address: str = ""
    from_name: str = ""
    subject: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    auto_submitted: str = ""
    precedence: str = ""
    content_type: str = ""
    content_language: str = ""
    return_path: str | None = None  # None: no Return-Path header
    # Where it was addressed, most specific first: Delivered-To, X-Original-To, To, Cc.
    addressed_to: list[str] = field(default_factory=list)
    text: str = ""  # the whole text, HTML reduced to text
    new_text: str = ""  # the text above the quoted history
    files: list[MailFile] = field(default_factory=list)
    automatic: Automatic = Automatic.NO
    failures: list[Failure] = field(default_factory=list)  # of a bounce
    bounced_message_id: str = ""  # the Message-ID of our mail that bounced


# -- headers -----------------------------------------------------------------------------------


def _header(message: Message, name: str) -> str:
    """A header as one line of text; "" when missing or too broken to read."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header reads as missing
        return ""
    if value is None:
        return ""
    return " ".join(str(value).split())


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value)


def _addresses(message: Message, *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        try:
            values = [str(v) for v in message.get_all(name, [])]
        except Exception:  # noqa: BLE001
            continue
        for _display, address in getaddresses(values):
            address = address.strip().lower()
            if "@" in address and address not in found:
                found.append(address)
    return found


def _read_headers(message: Message, parsed: ParsedMail) -> None:
    name, address = parseaddr(_header(message, "From"))
    parsed.from_address = address.strip().lower() if "@" in address else ""
    parsed.from_name = " ".join(name.split())[:200]
    parsed.subject = _header(message, "Subject")[:300]
    parsed.message_id = (_ids(_header(message, "Message-ID")) or [""])[0][:255]
    parsed.in_reply_to = (_ids(_header(message, "In-Reply-To")) or [""])[0][:255]
    parsed.references = _ids(_header(message, "References"))
    parsed.auto_submitted = _header(message, "Auto-Submitted")[:100]
    parsed.precedence = _header(message, "Precedence")[:50]
    parsed.content_type = message.get_content_type()[:100]
    parsed.content_language = _header(message, "Content-Language")[:35].lower()
    if "Return-Path" in message:
        parsed.return_path = parseaddr(_header(message, "Return-Path"))[1].strip().lower()
    parsed.addressed_to = _addresses(message, "Delivered-To", "X-Original-To", "To", "Cc")


# -- is it a machine? ---------------------------------------------------------------------------

_BULK_HEADERS = ("List-Id", "List-Unsubscribe", "X-Autoreply", "X-Autorespond", "X-Autoresponder")
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[ -]?(?:reply|response)|autosvar|automatiskt svar|"
    r"automaattinen vastaus|out of (?:the )?office|frånvar|poissa|abwesend|"
    r"vacation|lomalla)\b",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliver(?:ed|able)|delivery status notification|returned mail|"
    r"mail delivery (?:failed|failure|system)|failure notice|non-delivery|"
    r"ei voitu toimittaa|kunde inte levereras|olevererbart)",
    re.IGNORECASE,
)
_DAEMONS = ("mailer-daemon", "postmaster")


def automatic_kind(message: Message, parsed: ParsedMail, envelope_from: str | None) -> Automatic:
    """Tell a delivery failure or an automatic reply from mail a person wrote (RFC 3834)."""
    local = parsed.from_address.partition("@")[0]
    if parsed.content_type == "multipart/report" or local in _DAEMONS:
        return Automatic.BOUNCE
    if _BOUNCE_SUBJECT.match(parsed.subject):
        return Automatic.BOUNCE
    if parsed.auto_submitted and parsed.auto_submitted.lower() != "no":
        return Automatic.AUTO_REPLY
    if parsed.precedence.lower() in ("bulk", "junk", "list", "auto_reply"):
        return Automatic.AUTO_REPLY
    if any(name in message for name in _BULK_HEADERS):
        return Automatic.AUTO_REPLY
    # The null sender "<>" is for mail that must never be answered (RFC 5321 §4.5.5).
    if envelope_from == "" or parsed.return_path == "":
        return Automatic.AUTO_REPLY
    if _AUTO_SUBJECT.match(parsed.subject):
        return Automatic.AUTO_REPLY
    return Automatic.NO


def _read_report(message: Message, parsed: ParsedMail) -> None:
    """The failed recipients of a delivery report and the Message-ID of the mail that failed."""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload() or []:
                if not isinstance(block, Message) or not block.get("Final-Recipient"):
                    continue
                parsed.failures.append(
                    Failure(
                        recipient=_header(block, "Final-Recipient").rpartition(";")[2].strip(),
                        status=_header(block, "Status")[:20],
                        diagnostic=_header(block, "Diagnostic-Code")[:500],
                    )
                )
        elif kind == "text/rfc822-headers" and not parsed.bounced_message_id:
            headers = HeaderParser(policy=policy.default).parsestr(_text_of(part))
            parsed.bounced_message_id = (_ids(_header(headers, "Message-ID")) or [""])[0]
        elif kind == "message/rfc822" and not parsed.bounced_message_id:
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                parsed.bounced_message_id = (_ids(_header(inner, "Message-ID")) or [""])[0]
    if not parsed.bounced_message_id:
        # A report in plain words: the returned headers are somewhere in the text.
        found = re.search(r"^\s*Message-ID:\s*(<[^<>\s]+>)", parsed.text, re.I | re.M)
        parsed.bounced_message_id = found.group(1) if found else ""


# -- text ----------------------------------------------------------------------------------------

_BLOCK = r"(?:p|div|tr|h[1-6]|blockquote|table|ul|ol|pre|section|article|header|footer|dd|dt)"


def html_to_text(markup: str) -> str:
    """Plain text of an HTML body: every tag removed (nh3), paragraphs and lines kept."""
    markup = re.sub(r"\s+", " ", markup)
    markup = re.sub(r"<br\s*/?>", "\n", markup, flags=re.I)
    markup = re.sub(r"<li\b", "\n- <li", markup, flags=re.I)
    markup = re.sub(rf"(</?{_BLOCK}\b)", r"\n\1", markup, flags=re.I)
    cleaned = nh3.clean(
        markup,
        tags=set(),
        clean_content_tags={"script", "style", "head", "title"},
        attributes={},
        strip_comments=True,
    )
    return tidy(html.unescape(cleaned))


def tidy(text: str) -> str:
    """Lines stripped of trailing spaces, at most one empty line in a row, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(line if line.strip() else "" for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - an unknown charset or a broken encoding
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


_CID = re.compile(r"\[cid:[^\]\s]+\]")
_SEPARATOR = re.compile(r"^(?:[_-]{10,}|-+ ?original message ?-+)$", re.I)


def _without_quoted_tail(text: str) -> str:
    """Drop what ends the text but is not new: quoted lines (">"), separators, empty lines."""
    lines = text.split("\n")
    while lines and (
        not lines[-1].strip() or lines[-1].lstrip().startswith(">") or _SEPARATOR.match(lines[-1])
    ):
        lines.pop()
    return "\n".join(lines)


def new_text_of(text: str) -> str:
    """The text above the quoted history: what the sender wrote now."""
    languages = list(REPLY_LANGUAGES)
    replies = EmailReplyParser(languages=languages).read(text).replies
    # The first fragment has no header when something was written above the history; a
    # message that starts with "On … wrote:" has nothing new.
    if not replies or replies[0].headers:
        return ""
    latest = _CID.sub("", replies[0].full_body)  # where Outlook's text had an inline image
    return tidy(_without_quoted_tail(latest))


# -- files ----------------------------------------------------------------------------------------


def _inline_ids(message: Message) -> set[str]:
    """Content-IDs the HTML shows inline (logos in signatures): not attachments."""
    ids: set[str] = set()
    for part in message.walk():
        if part.get_content_type() == "text/html":
            ids.update(m.lower() for m in re.findall(r"cid:([^\"'\s>)]+)", _text_of(part)))
    return ids


def _leaves(part: Message) -> list[Message]:
    """The leaf parts, an attached message counting as one (its own parts are its own)."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        return [part]
    found: list[Message] = []
    for child in part.get_payload():
        found.extend(_leaves(child))
    return found


def _file_of(part: Message, inline: set[str]) -> MailFile | None:
    kind = part.get_content_type()
    disposition = part.get_content_disposition()
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001
        name = ""
    content_id = _header(part, "Content-ID").strip("<>").lower()
    if content_id and content_id in inline:
        return None
    if kind == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        data = inner.as_bytes() if isinstance(inner, Message) else b""
        return MailFile(name or "message.eml", kind, data)
    if disposition != "attachment" and not name:
        return None  # a text or HTML alternative of the body, or a report's machine part
    payload = part.get_payload(decode=True)
    return MailFile(name or "file", kind, payload if isinstance(payload, bytes) else b"")


def _read_body_and_files(message: EmailMessage, parsed: ParsedMail) -> None:
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        body = None
    if body is not None:
        content = _text_of(body)
        if body.get_content_type() == "text/html":
            parsed.text = html_to_text(content)[:TEXT_LIMIT]
        else:
            parsed.text = tidy(content)[:TEXT_LIMIT]
    inline = _inline_ids(message)
    skip = {"message/delivery-status", "text/rfc822-headers"}
    for part in _leaves(message):
        if part is body or part.get_content_type() in skip:
            continue
        if (
            parsed.content_type == "multipart/report"
            and part.get_content_type() == "message/rfc822"
        ):
            continue  # the returned copy of our own mail
        found = _file_of(part, inline)
        if found is not None:
            parsed.files.append(found)


# -- the whole message ---------------------------------------------------------------------------


def parse(raw: bytes, *, envelope_from: str | None = None) -> ParsedMail:
    """Read a whole message."""
    message: Any = BytesParser(policy=policy.default).parsebytes(raw)
    parsed = ParsedMail()
    _read_headers(message, parsed)
    _read_body_and_files(message, parsed)
    parsed.automatic = automatic_kind(message, parsed, envelope_from)
    if parsed.automatic is Automatic.BOUNCE:
        _read_report(message, parsed)
    else:
        parsed.new_text = new_text_of(parsed.text) if parsed.text else ""
    return parsed


def parse_headers(raw: bytes) -> ParsedMail:
    """Read only the headers (of a message too large to read whole)."""
    message: Any = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    parsed = ParsedMail()
    _read_headers(message, parsed)
    return parsed


# -- language ------------------------------------------------------------------------------------

_WORDS = {
    "fi": frozenset(
        "ja on ei että olen olemme meillä meidän haluaisin haluamme tarvitsemme kiitos hei "
        "yritys yrityksen voisitteko tontti tonttia koskien kanssa mutta tai kun jos myös "
        "terveisin mitä miten".split()
    ),
    "sv": frozenset(
        "och är att jag vi det för hej med på som har inte vår vårt våra skulle tack "
        "hälsningar företag gärna om kan".split()
    ),
    "en": frozenset(
        "the and is we to of for hello our would please thank thanks regards you are with "
        "company like could have this".split()
    ),
}


def guess_language(text: str, declared: str = "") -> str:
    """fi, sv or en: a declared Content-Language, else the language most of the words are in."""
    declared = declared.split(",")[0].strip()[:2]
    if declared in _WORDS:
        return declared
    words = re.findall(r"[a-zåäö]+", text.lower())
    scores = {
        language: sum(w in vocabulary for w in words) for language, vocabulary in _WORDS.items()
    }
    best = max(scores, key=lambda language: scores[language])
    return best if scores[best] > scores["fi"] else "fi"
