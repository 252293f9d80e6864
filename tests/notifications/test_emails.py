"""The e-mails: every kind in its reader's language, with the facts and links it promises."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from crm.models import Membership, Unit, User
from inquiries import services
from inquiries.models import Inquiry, Message
from notifications import outbox
from notifications.models import Notification

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
HEL = ZoneInfo("Europe/Helsinki")
Kind = Notification.Kind
LANGUAGES = ["fi", "sv", "en"]
REQUESTER_KINDS = frozenset(
    {Kind.RECEIPT, Kind.REPLY, Kind.QUESTION, Kind.REMINDER, Kind.RESOLUTION, Kind.CLOSURE}
)

# The greeting and the footer of every mail, and the receipt's subject, in each language.
GREETING = {"fi": "Hei ", "sv": "Hej ", "en": "Hello "}
AUTOMATIC = {
    "fi": "Tämä on automaattinen viesti.",
    "sv": "Detta är ett automatiskt meddelande.",
    "en": "This is an automatic message.",
}
ANSWERABLE = (
    "This is an automatic message, but you can answer it: your answer is added to your request."
)
RECEIPT_SUBJECT = {
    "fi": "Olemme vastaanottaneet yhteydenottosi",
    "sv": "Vi har tagit emot ditt ärende",
    "en": "We have received your request",
}
# A request sent on Monday 7.9.2026 at 08:00 gets its first response by Tuesday 16:00, as
# DATETIME_FORMAT writes it in each language (Helsinki time).
FIRST_RESPONSE_DUE = {
    "fi": "8. syyskuuta 2026 kello 16.00",
    "sv": "8 september 2026 16:00",
    "en": "Sept. 8, 2026, 4 p.m.",
}
UNIT_NAME = {"fi": "Kaupunkikehitys", "sv": "Stadsutveckling", "en": "Urban development"}

# Text a requester or a member of staff types, with characters HTML would escape.
COMPANY = "Smith & Sons' Oy"
SUBJECT = 'Tontti & halli "A" <5000 m²>'
DESCRIPTION = "Etsimme noin 5000 m² tonttia uudelle varastohallille. SISÄINEN-KUVAUS-42"
NOTE = "SALAINEN-MUISTIINPANO: asiakas on velkaa kaupungille"
TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HEL)


@dataclass
class Staff:
    handler: User
    manager: User
    receiver: User  # a handler of the unit a request is transferred to


def member(unit: Unit, role: str, username: str, language: str) -> User:
    user = UserFactory(
        username=username, first_name=username.title(), last_name="Porvoo", language=language
    )
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def staff_speaking(unit, other_unit):
    """Staff of urban development (and one of employment services) using one language."""

    def make(language: str) -> Staff:
        return Staff(
            handler=member(unit, Membership.Role.HANDLER, f"hanna{language}", language),
            manager=member(unit, Membership.Role.MANAGER, f"maija{language}", language),
            receiver=member(other_unit, Membership.Role.HANDLER, f"ulla{language}", language),
        )

    return make


def mails(*inquiries: Inquiry, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(inquiry__in=inquiries).order_by("pk")
    return list(found.filter(kind=kind) if kind else found)


def flat(text: str) -> str:
    """The text with its line breaks and runs of spaces as single spaces (text mail wraps)."""
    return " ".join(text.split())


def assert_clean_text(text: str) -> None:
    assert "&amp;" not in text and "&#x27;" not in text and "&quot;" not in text
    assert "&lt;" not in text and not TAG.search(text)
    # lines fit a plain-text reader; only a lone long word (a link) may be longer
    assert all(len(line) <= 78 or " " not in line for line in text.splitlines())


def assert_clean_html(html: str, language: str) -> None:
    assert html.startswith("<!doctype html>")
    assert f'<html lang="{language}">' in html and "<title>" in html
    assert 'src="http' not in html and "<script" not in html and "<link" not in html
    # what people typed is escaped, never markup
    assert SUBJECT not in html


def run_through_every_kind(submit, staff: Staff, language: str) -> tuple[Inquiry, Inquiry]:
    """Drive two requests through every service that writes a mail; return them."""
    fields = {"language": language, "company_name": COMPANY, "subject": SUBJECT}
    a = submit(now=at(2026, 9, 7, 8), description=DESCRIPTION, **fields).inquiry
    b = submit(now=at(2026, 9, 7, 8), **fields).inquiry
    handler, manager = staff.handler, staff.manager
    # b is taken and answered at once; a waits until its first response is at risk, then late
    services.assign_inquiry(
        inquiry_id=b.pk, manager=manager, assignee=handler, now=at(2026, 9, 7, 9)
    )
    services.reply_to_inquiry(
        inquiry_id=b.pk, handler=handler, body="Hei!", now=at(2026, 9, 7, 9, 30)
    )
    services.scan_service_levels(now=at(2026, 9, 8, 12, 30))
    services.scan_service_levels(now=at(2026, 9, 9, 9))
    services.assign_inquiry(
        inquiry_id=a.pk, manager=manager, assignee=handler, now=at(2026, 9, 9, 9, 30)
    )
    services.add_internal_note(
        inquiry_id=a.pk, handler=handler, body=NOTE, now=at(2026, 9, 9, 9, 40)
    )
    services.reply_to_inquiry(
        inquiry_id=a.pk,
        handler=handler,
        body="Meillä on kolme tonttia & lisää.",
        now=at(2026, 9, 9, 10),
    )
    services.ask_customer(
        inquiry_id=a.pk,
        handler=handler,
        question="Kuinka suuri halli on?",
        now=at(2026, 9, 9, 10, 30),
    )
    services.remind_requesters(now=at(2026, 9, 16, 11))
    services.add_customer_message(
        inquiry_id=a.pk, contact=a.contact, body="Noin 2000 m².", now=at(2026, 9, 16, 12)
    )
    services.resolve_inquiry(
        inquiry_id=a.pk, handler=handler, outcome="Varasimme tontin 12.", now=at(2026, 9, 16, 13)
    )
    # b's resolution comes at risk, then late
    services.scan_service_levels(now=at(2026, 9, 17, 13))
    services.scan_service_levels(now=at(2026, 9, 18, 16, 30))
    services.reopen_inquiry(
        inquiry_id=a.pk, contact=a.contact, reason="Entä sähköliittymä?", now=at(2026, 9, 18, 17)
    )
    services.resolve_inquiry(
        inquiry_id=a.pk, handler=handler, outcome="Liittymä on valmis.", now=at(2026, 9, 18, 17, 30)
    )
    services.transfer_inquiry(
        inquiry_id=b.pk,
        actor=handler,
        unit=staff.receiver.units.get(),
        reason="Kyse on rekrytoinnista.",
        now=at(2026, 9, 21, 9),
    )
    services.close_inquiry_unactioned(
        inquiry_id=b.pk,
        handler=staff.receiver,
        reason=Inquiry.CloseReason.OUT_OF_SCOPE,
        message="Ota yhteyttä TE-palveluihin.",
        now=at(2026, 9, 21, 10),
    )
    services.close_resolved_inquiries(now=at(2026, 10, 3, 12))
    a.refresh_from_db()
    b.refresh_from_db()
    return a, b


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_renders_in_the_readers_language(submit, staff_speaking, language):
    # given a requester and staff who all use one language
    staff = staff_speaking(language)
    # when two requests go through every step that sends mail
    a, b = run_through_every_kind(submit, staff, language)
    sent = mails(a, b)
    # then every kind was written, at-risk and breached for both promises
    assert {m.kind for m in sent} == set(Kind.values) - {Kind.SIGN_IN}  # not about a request
    # (a's first response, b's resolution: each alarm's subject names its promise)
    for alarm in (Kind.AT_RISK, Kind.BREACHED):
        assert len({m.subject.split("] ")[1] for m in sent if m.kind == alarm}) == 2
    for mail in sent:
        reference = (a if mail.inquiry_id == a.pk else b).reference
        # in the reader's language, with the reference first in the subject
        assert mail.language == language
        assert mail.subject.startswith(f"[{reference}] ")
        assert mail.body_text.startswith(GREETING[language])
        if mail.kind in REQUESTER_KINDS:
            # the requester may answer by e-mail (mailin): the footer says so, in their language
            # once translated (gettext gives the English until then)
            with translation.override(language):
                answerable = gettext(ANSWERABLE)
            assert answerable in flat(mail.body_text)
            assert answerable in mail.body_html
        else:
            assert AUTOMATIC[language] in flat(mail.body_text)
            assert AUTOMATIC[language] in mail.body_html
        assert reference in mail.body_text and reference in mail.body_html
        assert_clean_text(mail.body_text)
        assert_clean_html(mail.body_html, language)
        # requesters get their private link; staff the staff page, never the other way round
        if mail.kind in REQUESTER_KINDS:
            assert f"{settings.SITE_URL}/" in mail.body_text
            assert "/admin/" not in mail.body_text and "/staff/" not in mail.body_text
            assert mail.recipient_email == a.contact.email
        else:
            assert f"{settings.SITE_URL}/staff/requests/{reference}/" in mail.body_text
            assert mail.recipient_user.language == language


def test_no_internal_note_or_description_reaches_the_requester(submit, staff_speaking):
    # given requests that went through every step, with an internal note on one
    a, b = run_through_every_kind(submit, staff_speaking("fi"), "fi")
    # when reading what the requester got
    to_requester = [m for m in mails(a, b) if m.recipient_contact_id]
    assert {m.kind for m in to_requester} == REQUESTER_KINDS
    # then the note is nowhere, nor the description (the receipt quotes only the subject)
    for mail in to_requester:
        for body in (mail.subject, mail.body_text, mail.body_html):
            assert "SALAINEN-MUISTIINPANO" not in body
            assert "SISÄINEN-KUVAUS" not in body
    # while the staff who were told of the new request saw its start
    assert "SISÄINEN-KUVAUS-42" in mails(a, kind=Kind.NEW_IN_UNIT)[0].body_text


@pytest.mark.parametrize("language", LANGUAGES)
def test_receipt_gives_reference_unit_due_time_and_private_link(submit, language):
    # given a request sent on Monday at 08:00 in one language
    submitted = submit(
        now=at(2026, 9, 7, 8), language=language, company_name=COMPANY, subject=SUBJECT
    )
    reference = submitted.inquiry.reference
    # when the receipt is written
    receipt = mails(submitted.inquiry, kind=Kind.RECEIPT)[0]
    # then it is in that language, names the unit and the first-response time
    assert receipt.subject == f"[{reference}] {RECEIPT_SUBJECT[language]}"
    link = services.tracking_url(submitted.tracking_token)
    assert link.startswith("https://business.example.test/")
    for body in (flat(receipt.body_text), receipt.body_html):
        assert reference in body
        assert link in body
        assert FIRST_RESPONSE_DUE[language] in body
        assert UNIT_NAME[language] in body
    # the subject the requester gave is quoted as typed in text, escaped in HTML
    assert SUBJECT in receipt.body_text
    assert "Tontti &amp; halli &quot;A&quot; &lt;5000 m²&gt;" in receipt.body_html
    assert_clean_text(receipt.body_text)
    assert_clean_html(receipt.body_html, language)


def test_receipt_in_finnish_asks_to_keep_the_link_private(submit):
    receipt = mails(submit(now=at(2026, 9, 7, 8), language="fi").inquiry, kind=Kind.RECEIPT)[0]
    assert "Linkki on henkilökohtainen" in flat(receipt.body_text)
    assert "Yhteydenottoasi käsittelee Kaupunkikehitys" in flat(receipt.body_text)


def test_staff_read_their_own_language_whatever_the_requester_writes(submit, unit):
    # given a Finnish handler and an English manager in the unit
    handler = member(unit, Membership.Role.HANDLER, "hanna", "fi")
    manager = member(unit, Membership.Role.MANAGER, "mike", "en")
    # when a Swedish-speaking requester sends a request
    inquiry = submit(now=at(2026, 9, 7, 8), language="sv").inquiry
    # then the requester's receipt is Swedish and each member of staff reads their own language
    by_email = {m.recipient_email: m for m in mails(inquiry)}
    assert by_email[inquiry.contact.email].language == "sv"
    assert "Uusi yhteydenotto yksikössä Kaupunkikehitys" in by_email[handler.email].subject
    assert "New request in Urban development" in by_email[manager.email].subject
    assert FIRST_RESPONSE_DUE["fi"] in flat(by_email[handler.email].body_text)
    assert FIRST_RESPONSE_DUE["en"] in flat(by_email[manager.email].body_text)


def test_new_request_mail_quotes_only_the_start_of_a_long_description(submit, handler):
    inquiry = submit(now=at(2026, 9, 7, 8), description="tontti " * 300 + "LOPPU").inquiry
    mail = mails(inquiry, kind=Kind.NEW_IN_UNIT)[0]
    assert "LOPPU" not in mail.body_text and "LOPPU" not in mail.body_html
    assert "tontti tontti" in mail.body_text and "…" in mail.body_text


def test_transfer_tells_the_new_unit_where_from_and_why(claimed_inquiry, handler, other_unit):
    receiver = member(other_unit, Membership.Role.HANDLER, "tyyne", "fi")
    services.transfer_inquiry(
        inquiry_id=claimed_inquiry.pk,
        actor=handler,
        unit=other_unit,
        reason="Kyse on palkkatuesta.",
        now=at(2026, 9, 7, 10),
    )
    [mail] = [m for m in mails(claimed_inquiry) if m.recipient_email == receiver.email]
    assert "siirretty yksikköön Työllisyyspalvelut" in mail.subject
    assert "Kaupunkikehitys siirsi tämän yhteydenoton" in flat(mail.body_text)
    assert "Kyse on palkkatuesta." in flat(mail.body_text)


def test_alarms_name_the_promise_and_its_due_time(queued_inquiry, handler, manager):
    # given the queued request nobody has answered (due Tue 8.9. 16:00, 16 business hours)
    services.scan_service_levels(now=at(2026, 9, 8, 12, 30))
    services.scan_service_levels(now=at(2026, 9, 8, 16, 30))
    at_risk = mails(queued_inquiry, kind=Kind.AT_RISK)[0]
    breached = mails(queued_inquiry, kind=Kind.BREACHED)[0]
    # then both say which promise, in words and hours, and when it was due
    assert at_risk.subject.endswith(f"ensimmäinen vastaus viimeistään {FIRST_RESPONSE_DUE['fi']}")
    assert "ensimmäisen vastauksen 16 virka-ajan tunnin kuluessa" in flat(at_risk.body_text)
    assert "75 %" in flat(at_risk.body_text)
    assert breached.recipient_email == manager.email
    assert FIRST_RESPONSE_DUE["fi"] in breached.subject
    assert "ensimmäisen vastauksen 16 virka-ajan tunnin kuluessa" in flat(breached.body_text)


def test_resolution_links_to_the_rating_and_says_until_when_to_reopen(claimed_inquiry, handler):
    services.resolve_inquiry(
        inquiry_id=claimed_inquiry.pk,
        handler=handler,
        outcome="Tontti on varattu.",
        now=at(2026, 9, 7, 10),
    )
    mail = mails(claimed_inquiry, kind=Kind.RESOLUTION)[0]
    assert re.search(r"https://business\.example\.test/\S+#rate", mail.body_text)
    assert '#rate"' in mail.body_html
    assert "Tontti on varattu." in flat(mail.body_text)
    assert "21. syyskuuta 2026 kello 10.00 asti" in flat(mail.body_text)  # 14 days on


def test_closure_by_a_handler_carries_the_referral_and_automatic_closure_thanks(
    claimed_inquiry, handler, submit
):
    services.close_inquiry_unactioned(
        inquiry_id=claimed_inquiry.pk,
        handler=handler,
        reason=Inquiry.CloseReason.OUT_OF_SCOPE,
        message="Käänny Verohallinnon puoleen.",
        now=at(2026, 9, 7, 10),
    )
    referral = mails(claimed_inquiry, kind=Kind.CLOSURE)[0]
    assert "ei kuulu Business Porvoon palveluihin" in flat(referral.body_text)
    assert "Käänny Verohallinnon puoleen." in flat(referral.body_text)
    # and a resolved request closed after the reopening period
    other = submit(now=at(2026, 9, 7, 8)).inquiry
    services.claim_inquiry(inquiry_id=other.pk, handler=handler, now=at(2026, 9, 7, 9))
    services.resolve_inquiry(
        inquiry_id=other.pk, handler=handler, outcome="OK", now=at(2026, 9, 7, 10)
    )
    services.close_resolved_inquiries(now=at(2026, 9, 7, 10) + timedelta(days=15))
    automatic = mails(other, kind=Kind.CLOSURE)[0]
    assert f"Ratkaisimme yhteydenottosi {other.reference} 7. syyskuuta" in flat(automatic.body_text)
    assert "Kiitos" in flat(automatic.body_text)


def test_duplicate_closure_names_the_request_it_repeats(claimed_inquiry, handler, submit):
    original = submit(now=at(2026, 9, 7, 8, 30), language="sv").inquiry
    services.close_inquiry_unactioned(
        inquiry_id=claimed_inquiry.pk,
        handler=handler,
        reason=Inquiry.CloseReason.DUPLICATE,
        duplicate_of=original.reference,
        message="Jatketaan toisessa yhteydenotossa.",
        now=at(2026, 9, 7, 10),
    )
    closure = mails(claimed_inquiry, kind=Kind.CLOSURE)[0]
    assert f"koskee samaa asiaa kuin yhteydenotto {original.reference}" in flat(closure.body_text)
    assert "Jatketaan toisessa yhteydenotossa." in closure.body_html


# -- a notice to several members of staff is rendered once per language --------------------------

# Names as people and the admin type them: markup characters, runs of spaces, a tab, and one
# so long that its greeting line is wrapped in the text mail.
READER_NAMES = [
    "Hanna Handler",
    'Örjan "Ö" <Ölund> & Söner',
    "Anna  Maria   Spaced",
    "Tab\tName",
    "Bartholomew Alexander Montgomery-Featherstonehaugh Wolfeschlegelsteinhausen Junior",
]
STAFF_KINDS = [
    (Kind.NEW_IN_UNIT, {}),
    (Kind.NEW_IN_UNIT, {"transfer_reason": "Kyse on rekrytoinnista & muusta.", "from_unit": True}),
    (Kind.ASSIGNED, {}),
    (Kind.REQUESTER_REPLIED, {"reopened": True}),
    (Kind.AT_RISK, {"clock": "first_response"}),
    (Kind.BREACHED, {"clock": "resolution"}),
]


def test_the_text_templates_wrap_at_the_width_the_outbox_expects():
    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    for path in folder.glob("[!_]*.txt"):
        if path.name.endswith(".subject.txt"):
            continue
        assert f"wordwrap:{outbox.TEXT_WIDTH}" in path.read_text(), path.name


@pytest.mark.parametrize(("kind", "context"), STAFF_KINDS)
def test_a_notice_rendered_once_per_language_is_the_mail_each_would_get_alone(
    queued_inquiry, handler, other_unit, kind, context
):
    # given readers in every language, with awkward names
    context = dict(context)
    if context.get("from_unit"):
        context["from_unit"] = other_unit
    message = Message(
        inquiry=queued_inquiry, kind=Message.Kind.CUSTOMER, body="Entä <sähkö> & vesi?"
    )
    readers = [
        outbox.Recipient(f"reader{i}.{language}@porvoo.example", language, name, user=handler)
        for language in LANGUAGES
        for i, name in enumerate(READER_NAMES)
    ]
    now = timezone.now()
    # when the notice goes to all of them at once
    together = outbox.notify_staff(
        queued_inquiry, kind, readers, now=now, message=message, context=context
    )
    # then each mail is the one a rendering of its own gives, greeting and all
    for reader, mail in zip(readers, together, strict=True):
        alone = outbox.enqueue(
            kind, queued_inquiry, reader, now=now, context={"message": message} | context
        )
        assert (mail.recipient_email, mail.language) == (reader.email, reader.language)
        assert mail.subject == alone.subject
        assert mail.body_text == alone.body_text
        assert mail.body_html == alone.body_html
        assert flat(reader.name) in flat(mail.body_text)
        assert mail.message_id != alone.message_id


def test_a_notice_to_a_unit_is_rendered_once_per_language(queued_inquiry, handler, monkeypatch):
    renderings = []
    render = outbox._render

    def counted(kind, ctx, language):
        renderings.append(language)
        return render(kind, ctx, language)

    monkeypatch.setattr(outbox, "_render", counted)
    readers = [
        outbox.Recipient(f"r{i}@porvoo.example", language, f"Reader {i}", user=handler)
        for i, language in enumerate(["fi", "fi", "sv", "fi", "sv", "fi", "en"])
    ]
    written = outbox.notify_staff(queued_inquiry, Kind.NEW_IN_UNIT, readers, now=timezone.now())
    assert sorted(renderings) == ["en", "fi", "sv"]
    assert [n.recipient_email for n in written] == [r.email for r in readers]
    assert all(n.pk for n in written)
    greetings = [n.body_text.splitlines()[0] for n in written]
    assert greetings[:3] == ["Hei Reader 0,", "Hei Reader 1,", "Hej Reader 2,"]
