"""The error summary at the top of a form, shared by the portal and the workspace."""

from __future__ import annotations

from django import forms


def error_summary(form: forms.Form | None) -> list[tuple[str, str]]:
    """The form's errors as (anchor, message): the summary links to each field."""
    if form is None:
        return []
    summary = [("", str(error)) for error in form.non_field_errors()]
    for bound in form:
        # A radio group has no element with its own id: link to its first choice.
        anchor = bound.auto_id + ("_0" if bound.use_fieldset else "")
        summary += [(anchor, str(error)) for error in bound.errors]
    return summary
