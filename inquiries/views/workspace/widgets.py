"""Django's form widgets written in Python, character for character, instead of by templates.

A workspace page shows many controls: the request page a form for every action on offer (open
or not, it works without JavaScript), the queue its filter form. Django renders each control,
option and radio button through a template of its own: a third of the request page's time. The
few widget templates these forms use are written here in Python (tests/workspace/test_detail.py
and test_queue.py compare them with Django's); Django still builds every attribute (id,
required, maxlength, aria-describedby, aria-invalid), and any other template is Django's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"


def _attrs(attrs: Mapping[str, Any]) -> str:  # attrs.html
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:  # input.html (text, hidden, radio, ...)
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _input_option(widget: Mapping[str, Any]) -> str:  # radio_option.html, input_option.html
    if not widget["wrap_label"]:
        return _input(widget)
    target = widget["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    return f"<label{label_for}>{_input(widget)}\n {conditional_escape(widget['label'])}</label>"


def _textarea(widget: Mapping[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _option(option: Mapping[str, Any]) -> str:  # select_option.html
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != WIDGETS + "select_option.html":
                return None
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


QUICK_WIDGETS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    WIDGETS + "input.html": _input,
    WIDGETS + "text.html": _input,
    WIDGETS + "hidden.html": _input,
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
    WIDGETS + "date.html": _input,
    WIDGETS + "radio_option.html": _input_option,
    WIDGETS + "checkbox_option.html": _input_option,
}


class QuickWidgetRenderer(BaseRenderer):
    """Django's form renderer, with the widget templates above rendered in Python.

    Values are escaped here as the templates' autoescape would (conditional_escape).
    """

    def get_template(self, template_name: str) -> Any:
        return get_default_renderer().get_template(template_name)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        quick = QUICK_WIDGETS.get(template_name)
        html = quick(context["widget"]) if quick is not None else None
        if html is None:
            return get_default_renderer().render(template_name, context, request=request)
        return html
