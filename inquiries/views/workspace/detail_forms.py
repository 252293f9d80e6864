"""The request page's actions: a form each, the one service it calls, and when it is offered.

Field names match the services' ValidationError keys (assignee, unit, reason, body, question,
outcome, duplicate_of, message), so an error raised by a service lands beside its field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.models import Language, Unit, User

from ... import services
from ...models import CannedResponse, Inquiry
from .widgets import QuickWidgetRenderer

# Said beside every text that goes to the requester: the mail around it is in their language,
# the text is sent as typed. Whole sentences, so each language can inflect the name.
READS: dict[str, Promise] = {
    Language.FI: _("The requester reads Finnish."),
    Language.SV: _("The requester reads Swedish."),
    Language.EN: _("The requester reads English."),
}


def reads_notice(inquiry: Inquiry) -> Promise | str:
    reads = READS.get(inquiry.language, READS[Language.FI])
    if inquiry.contact.email:
        return reads
    # Recorded by staff with a phone number only: nothing goes out by e-mail.
    return " ".join(
        (
            str(reads),
            _("They gave no e-mail address and are not told by e-mail: call %(phone)s.")
            % {"phone": inquiry.contact.phone or "–"},
        )
    )


def text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ListedChoices(ModelChoiceIterator):
    """The choices from the queryset's own result cache: one plain query however often the
    page asks (Django's iterator() opens a server-side cursor, three round trips, each time)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.queryset) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.queryset)


class ListedChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


# -- the forms ----------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """A form about one inquiry; the typed text is kept if the inquiry changed meanwhile."""

    default_renderer = QuickWidgetRenderer()
    text_field = ""

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels read as they are, with no colon
        super().__init__(*args, **kwargs)
        self.inquiry = inquiry

    def typed_text(self) -> str:
        """What the person typed into the form's text box (empty for an unbound form)."""
        if not self.text_field or not self.is_bound:
            return ""
        return str(self.data.get(self.add_prefix(self.text_field), "")).strip()


class ClaimForm(ActionForm):
    pass


class AssignForm(ActionForm):
    assignee = ListedChoiceField(
        label=_("Handler"),
        queryset=User.objects.none(),
        empty_label=_("Choose a handler"),
        error_messages={
            "required": _("Choose the handler to assign the request to."),
            "invalid_choice": _("Choose a handler of the request's unit."),
        },
    )

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, inquiry=inquiry, **kwargs)
        handlers = User.objects.filter(memberships__unit=inquiry.unit_id, is_active=True)
        if inquiry.assignee_id:
            handlers = handlers.exclude(pk=inquiry.assignee_id)
        self.fields["assignee"].queryset = handlers.order_by("first_name", "last_name", "pk")


class TransferForm(ActionForm):
    text_field = "reason"

    unit = ListedChoiceField(
        label=_("Move to unit"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose a unit"),
        error_messages={
            "required": _("Choose the unit the request belongs to."),
            "invalid_choice": _("Choose another unit than the current one."),
        },
    )
    reason = forms.CharField(
        label=_("Why does it belong there?"),
        help_text=_(
            "Counted as a routing miss. The receiving unit reads this; the requester does not."
        ),
        max_length=2000,
        widget=text_area(3),
        error_messages={"required": _("Say why the request belongs to another unit.")},
    )

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, inquiry=inquiry, **kwargs)
        self.fields["unit"].queryset = Unit.objects.exclude(pk=inquiry.unit_id)


class CannedSelect(forms.Select):
    """Each option carries its text in the requester's language (data-text)."""

    language = Language.FI

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        response = getattr(option["value"], "instance", None)
        if isinstance(response, CannedResponse):
            option["attrs"]["data-text"] = response.body_in(self.language)
        return option


class ReplyForm(ActionForm):
    """A public reply; "insert" adds the chosen canned response to the text (works without JS)."""

    text_field = "body"

    canned = ListedChoiceField(
        label=_("Canned response"),
        queryset=CannedResponse.objects.none(),
        required=False,
        empty_label=_("None"),
        widget=CannedSelect,
        error_messages={
            "required": _("Choose the canned response to insert."),
            "invalid_choice": _("Choose one of the unit's canned responses."),
        },
    )
    body = forms.CharField(
        label=_("Your reply"),
        max_length=10_000,
        widget=text_area(8),
        error_messages={"required": _("Write the reply.")},
    )

    def __init__(
        self, *args: Any, inquiry: Inquiry, inserting: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, inquiry=inquiry, **kwargs)
        canned = self.fields["canned"]
        canned.queryset = CannedResponse.objects.filter(unit=inquiry.unit_id, is_active=True)
        canned.widget.language = inquiry.language
        canned.help_text = _(
            "Choose one and press “Insert” to add its text in the requester's language."
        )
        # Inserting needs a canned response and no text yet; sending needs the text.
        canned.required, self.fields["body"].required = inserting, not inserting
        self.fields["body"].help_text = reads_notice(inquiry)

    def with_canned_text(self) -> ReplyForm:
        """The same form with the chosen canned response added to the end of the text."""
        data = self.data.copy()
        text = self.cleaned_data["canned"].body_in(self.inquiry.language)
        typed = self.typed_text()
        data[self.add_prefix("body")] = f"{typed}\n\n{text}" if typed else text
        return ReplyForm(data, prefix=self.prefix, inquiry=self.inquiry)


class NoteForm(ActionForm):
    text_field = "body"

    body = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only staff read internal notes; the requester never sees them."),
        max_length=10_000,
        widget=text_area(4),
        error_messages={"required": _("Write the note.")},
    )


class AskForm(ActionForm):
    text_field = "question"

    question = forms.CharField(
        label=_("Question to the requester"),
        max_length=10_000,
        widget=text_area(5),
        error_messages={"required": _("Write the question.")},
    )

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, inquiry=inquiry, **kwargs)
        self.fields["question"].help_text = _(
            "%(reads)s Sent by e-mail; the service-level clock pauses until they answer."
        ) % {"reads": reads_notice(inquiry)}


class ResolveForm(ActionForm):
    text_field = "outcome"

    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=10_000,
        widget=text_area(5),
        error_messages={"required": _("Tell the requester the outcome.")},
    )

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, inquiry=inquiry, **kwargs)
        self.fields["outcome"].help_text = _(
            "%(reads)s Sent by e-mail with a request to rate the service."
        ) % {"reads": reads_notice(inquiry)}


class CloseForm(ActionForm):
    text_field = "message"
    Reason = Inquiry.CloseReason

    reason = forms.ChoiceField(
        label=_("Why is it closed without handling?"),
        choices=Inquiry.CloseReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose duplicate, spam or out of scope."),
            "invalid_choice": _("Choose duplicate, spam or out of scope."),
        },
    )
    duplicate_of = forms.CharField(
        label=_("Reference of the original request"),
        help_text=_("For a duplicate, for example BP-2026-000123."),
        max_length=20,
        required=False,
    )
    message = forms.CharField(
        label=_("Message to the requester"),
        max_length=10_000,
        required=False,
        widget=text_area(4),
    )

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, inquiry=inquiry, **kwargs)
        self.fields["message"].help_text = _(
            "Out of scope: required, tell them where to turn instead. Duplicate: optional. "
            "Spam: nothing is sent. %(reads)s"
        ) % {"reads": reads_notice(inquiry)}

    def clean_duplicate_of(self) -> str:
        return self.cleaned_data["duplicate_of"].strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        reason = cleaned.get("reason")
        if reason == self.Reason.DUPLICATE and not cleaned.get("duplicate_of"):
            self.add_error("duplicate_of", _("Give the reference of the request this one repeats."))
        if reason == self.Reason.OUT_OF_SCOPE and not cleaned.get("message", "").strip():
            self.add_error("message", _("Tell the requester where to turn instead (a referral)."))
        return cleaned


Perform = Callable[[Inquiry, User, dict[str, Any]], object]


@dataclass(frozen=True)
class Action:
    form: type[ActionForm]
    perform: Perform
    done: Promise  # may name %(name)s (the assignee) or %(unit)s (the new unit)
    permission: str
    # The FSM transition it takes; such actions are refused if the status changed meanwhile.
    transition: str | None = None
    # Only the assignee may: refused with "changed meanwhile" once someone else has it.
    assignee_only: bool = False


ACTIONS: dict[str, Action] = {
    "claim": Action(
        ClaimForm,
        lambda inquiry, user, data: services.claim_inquiry(inquiry_id=inquiry.pk, handler=user),
        _("You took the request into your work."),
        "inquiries.claim_inquiry",
        "claim",
    ),
    "assign": Action(
        AssignForm,
        lambda inquiry, user, data: services.assign_inquiry(
            inquiry_id=inquiry.pk, manager=user, assignee=data["assignee"]
        ),
        _("The request is now assigned to %(name)s."),
        "inquiries.assign_inquiry",
        "assign",
    ),
    "transfer": Action(
        TransferForm,
        lambda inquiry, user, data: services.transfer_inquiry(
            inquiry_id=inquiry.pk, actor=user, unit=data["unit"], reason=data["reason"]
        ),
        _("The request was moved to %(unit)s."),
        "inquiries.transfer_inquiry",
        "transfer",
    ),
    "reply": Action(
        ReplyForm,
        lambda inquiry, user, data: services.reply_to_inquiry(
            inquiry_id=inquiry.pk, handler=user, body=data["body"]
        ),
        _("Your reply was sent to the requester."),
        "inquiries.reply_inquiry",
    ),
    "note": Action(
        NoteForm,
        lambda inquiry, user, data: services.add_internal_note(
            inquiry_id=inquiry.pk, handler=user, body=data["body"]
        ),
        _("The internal note was added."),
        "inquiries.note_inquiry",
    ),
    "ask": Action(
        AskForm,
        lambda inquiry, user, data: services.ask_customer(
            inquiry_id=inquiry.pk, handler=user, question=data["question"]
        ),
        _("Your question was sent to the requester. The clock is paused until they answer."),
        "inquiries.ask_customer",
        "ask_customer",
        assignee_only=True,
    ),
    "resolve": Action(
        ResolveForm,
        lambda inquiry, user, data: services.resolve_inquiry(
            inquiry_id=inquiry.pk, handler=user, outcome=data["outcome"]
        ),
        _("The request is resolved and the requester was told the outcome."),
        "inquiries.resolve_inquiry",
        "resolve",
        assignee_only=True,
    ),
    "close": Action(
        CloseForm,
        lambda inquiry, user, data: services.close_inquiry_unactioned(
            inquiry_id=inquiry.pk,
            handler=user,
            reason=data["reason"],
            message=data["message"],
            duplicate_of=data["duplicate_of"],
        ),
        _("The request was closed without handling."),
        "inquiries.close_inquiry_unactioned",
        "close_unactioned",
    ),
}


def may_take(permission: Any, inquiry: Inquiry, user: User) -> bool:
    if not permission:
        return True
    if callable(permission):
        return bool(permission(inquiry, user))
    return user.has_perm(permission, inquiry)


def offered_actions(inquiry: Inquiry, user: User) -> list[str]:
    """The actions this user may take on the inquiry now, in the order the page shows them.

    A transition is offered as get_available_user_status_transitions() would, but its
    permission is asked for this inquiry only: django-fsm asks it again without the inquiry when
    refused, which costs two queries of the model backend's permission tables and can grant
    nothing more (these permissions are rules, with no Permission rows; a superuser has all).
    """
    transitions = {t.name: t for t in inquiry.get_available_status_transitions()}
    offered = []
    for name, action in ACTIONS.items():
        if action.transition is not None:
            transition = transitions.get(action.transition)
            possible = transition is not None and may_take(transition.permission, inquiry, user)
        elif name == "reply":
            # Only an open request can be answered; a note can be added to any request.
            possible = inquiry.is_open and user.has_perm(action.permission, inquiry)
        else:
            possible = user.has_perm(action.permission, inquiry)
        if possible:
            offered.append(name)
    return offered
