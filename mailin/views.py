"""The workspace's received-mail pages: what waits for a person, one message, and its decisions.

Held answers are decided by the handlers of their request's unit; triage by the members of a
triage unit; service managers may decide both. Anyone else gets a 404 (never a hint that the
message exists). A message's text is shown as text: nothing from an e-mail is rendered as HTML.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from crm.models import Language, User
from inquiries.forms import RequestTypeField, catalogue
from inquiries.models import Inquiry
from inquiries.views.downloads import attachment_download
from inquiries.views.form_errors import error_summary
from inquiries.views.workspace.queue import workspace_view
from routing.models import RequestType

from . import parsing, review
from .models import InboundMail

Outcome = InboundMail.Outcome
RECENT = 20  # decided messages listed under the waiting ones


class MakeRequestForm(forms.Form):
    request_type = RequestTypeField(
        queryset=RequestType.objects.none(),
        to_field_name="code",
        label=gettext_lazy("What is the request about?"),
        empty_label=gettext_lazy("Choose a request type"),
        error_messages={"required": gettext_lazy("Choose what the request is about.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Requester's language"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the language of service.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["request_type"].queryset = catalogue()


class AttachForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference of the request"),
        max_length=20,
        help_text=gettext_lazy("For example BP-2026-000123."),
        error_messages={"required": gettext_lazy("Give the reference of the request.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class EmptyForm(forms.Form):
    pass


FORMS: dict[str, type[forms.Form]] = {
    "confirm": EmptyForm,
    "request": MakeRequestForm,
    "attach": AttachForm,
    "discard": EmptyForm,
}


def offered(mail: InboundMail) -> list[str]:
    """The decisions open on a message now, in the order of the page."""
    if not mail.is_pending:
        return []
    if mail.outcome == Outcome.HELD:
        confirm = ["confirm"] if mail.inquiry is not None and mail.inquiry.is_open else []
        return [*confirm, "request", "discard"]
    return ["attach", "request", "discard"]


def mail_for(user: User, pk: int) -> InboundMail:
    """The message if this user may decide about it, else 404."""
    mail = (
        InboundMail.objects.reviewable_by(user)
        .select_related("inquiry__unit", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if mail is None:
        raise Http404
    return mail


def initial_for(mail: InboundMail, action: str) -> dict[str, Any]:
    if action == "request":
        language = parsing.guess_language(mail.body)
        return {"request_type": "other", "language": language}
    if action == "attach":
        return {"reference": mail.claimed_reference}
    return {}


def render_detail(
    request: HttpRequest,
    mail: InboundMail,
    *,
    failed: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = offered(mail)
    page_forms = {
        action: FORMS[action](prefix=action, initial=initial_for(mail, action))
        for action in actions
    }
    if failed is not None and failed[0] in page_forms:
        page_forms[failed[0]] = failed[1]
    visible = mail.inquiry is not None and (
        Inquiry.objects.visible_to(request.user).filter(pk=mail.inquiry.pk).exists()
    )
    context = {
        "nav": "mail",
        "mail": mail,
        "forms": page_forms,
        "failed": failed[0] if failed else "",
        "error_summary": error_summary(failed[1]) if failed else [],
        "inquiry_visible": visible,
        "files": list(mail.files.all()),
    }
    return render(request, "mailin/detail.html", context, status=status)


@require_safe
@workspace_view
def mail_list(request: HttpRequest) -> HttpResponse:
    """The messages waiting for this user's decision, oldest first; the latest decided below."""
    mine = InboundMail.objects.reviewable_by(request.user).select_related("inquiry")
    waiting = mine.pending().order_by("received_at", "pk")
    decided = mine.exclude(review__in=["", InboundMail.Review.PENDING]).select_related(
        "reviewed_by"
    )
    context = {
        "nav": "mail",
        "waiting": list(waiting),
        "decided": list(decided.order_by("-reviewed_at", "-pk")[:RECENT]),
    }
    return render(request, "mailin/list.html", context)


@require_safe
@workspace_view
def mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One message: who sent it, where, why it waits, its text and files, and the decisions."""
    return render_detail(request, mail_for(request.user, pk))


def _perform(action: str, mail: InboundMail, user: User, data: dict[str, Any]) -> str:
    """Take the decision; return what to tell the user."""
    if action == "confirm":
        review.confirm_mail(mail_id=mail.pk, user=user)
        return _("The message was added to request %(reference)s.") % {
            "reference": mail.inquiry.reference if mail.inquiry else ""
        }
    if action == "request":
        submitted = review.make_request_from_mail(
            mail_id=mail.pk, user=user, request_type=data["request_type"], language=data["language"]
        )
        return _("Request %(reference)s was made of the message; it went to %(unit)s.") % {
            "reference": submitted.inquiry.reference,
            "unit": submitted.inquiry.unit.name,
        }
    if action == "attach":
        done = review.attach_mail_to(mail_id=mail.pk, user=user, reference=data["reference"])
        if done.is_pending:
            return _("The message was passed to the handlers of request %(reference)s.") % {
                "reference": done.claimed_reference
            }
        return _("The message was added to request %(reference)s.") % {
            "reference": done.claimed_reference or (done.inquiry.reference if done.inquiry else "")
        }
    review.discard_mail(mail_id=mail.pk, user=user)
    return _("The message was discarded.")


@require_POST
@workspace_view
def mail_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take one decision about a message and go back to the list (or say why not)."""
    if action not in FORMS:
        raise Http404
    mail = mail_for(request.user, pk)
    if not mail.is_pending:
        messages.warning(
            request,
            _("This message was already handled: %(review)s.")
            % {"review": mail.get_review_display()},
        )
        return redirect("mailin:detail", pk=mail.pk)
    if action not in offered(mail):
        raise Http404
    form = FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return render_detail(request, mail, failed=(action, form), status=400)
    try:
        done = _perform(action, mail, request.user, form.cleaned_data)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return render_detail(request, mail, failed=(action, form), status=400)
    except (TransitionNotAllowed, ConcurrentTransition) as exc:
        messages.warning(request, str(exc) or _("The request changed meanwhile; try again."))
        return redirect("mailin:detail", pk=mail.pk)
    messages.success(request, done)
    return redirect("mailin:list")


@require_safe
@workspace_view
def mail_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    """A file kept with a waiting message, as a download (never shown in the browser)."""
    mail = mail_for(request.user, pk)
    return attachment_download(mail.files.filter(pk=file_id).first())


app_name = "mailin"

urlpatterns: list[URLPattern] = [
    path("", mail_list, name="list"),
    path("<int:pk>/", mail_detail, name="detail"),
    path("<int:pk>/files/<int:file_id>/", mail_file, name="file"),
    path("<int:pk>/<slug:action>/", mail_action, name="action"),
]
