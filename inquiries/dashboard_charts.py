"""The dashboard's charts: server-side SVG drawn with pygal. Pure: data in, an SVG string out.

Each builder returns one `<svg>` element to inline in a page: no script, no stylesheet or font
from elsewhere, no URL at all (pygal's CDN tooltip script is off with `js=[]`; its inline config
script, its credit comments and the namespace attribute, which inline SVG in HTML does not need,
are removed). The SVG is `role="img"`, named by its own `<title>`; the page puts the same numbers
in a data table beside it, the chart being only a picture of that table.

The caller formats the numbers (`format_value`), so the builders know nothing of languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

import pygal
from pygal.style import Style

Formatter = Callable[[float], str]

# The workspace's colours (site.css): ink on white, the accent for the data, a soft rule.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#c9d3dc",
    opacity="1",
    opacity_hover="1",
    transition="none",
    colors=("#005a8c", "#b35c00", "#1e6b34", "#6b3fa0"),
    font_family='system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    value_label_font_size=15,
    tooltip_font_size=15,
    title_font_size=18,
    legend_font_size=15,
    no_data_font_size=18,
)

# Narrow enough that the text stays legible when a phone scales the chart down to ~360 px.
WIDTH = 520
# The value just after the end of its bar, not half over it (pygal centres it there).
HORIZONTAL_VALUES_CSS = ".dash-horizontal .text-overlay text.value{text-anchor:start !important}"
ROW_HEIGHT = 44  # of one bar in a horizontal bar chart

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_NAMESPACE = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def _config(**options: object) -> dict[str, object]:
    return {
        "js": [],  # never pygal's tooltip script from its CDN
        "disable_xml_declaration": True,
        "style": STYLE,
        "width": WIDTH,
        "show_legend": False,
        "margin": 12,
        "spacing": 12,
        "truncate_label": -1,  # never cut a label; long ones wrap in the data table anyway
        **options,
    }


def _finish(svg: str, chart_id: str, title: str) -> str:
    """Strip scripts, comments and URLs; name the chart for assistive technology."""
    svg = _SCRIPT.sub("", svg)
    svg = _COMMENT.sub("", svg)
    match = _SVG_OPEN.search(svg)
    if match is None:  # pragma: no cover - pygal always draws an <svg>
        raise ValueError("pygal drew no <svg> element")
    attributes = _NAMESPACE.sub("", match.group(1))
    title_id = f"{chart_id}-title"
    opening = (
        f'<svg{attributes} role="img" aria-labelledby="{title_id}" focusable="false">'
        f'<title id="{title_id}">{escape(title)}</title>'
    )
    return svg[: match.start()] + opening + svg[match.end() :]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    format_value: Formatter,
    horizontal: bool = False,
) -> str:
    """Bars of one series, each value printed by its bar; horizontal for long labels.

    Horizontal bars are listed top down in the given order, as in the table beside them.
    """
    options: dict[str, object] = {"height": 340}
    if horizontal:
        # pygal draws the first bar at the bottom; its values straddle the bar's end.
        labels, values = labels[::-1], values[::-1]
        options = {
            "height": 60 + ROW_HEIGHT * max(len(labels), 2),
            "classes": ["pygal-chart", "dash-horizontal"],
            "css": ["file://style.css", "file://graph.css", f"inline:{HORIZONTAL_VALUES_CSS}"],
        }
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_class(
        **_config(
            **options,
            print_values=True,
            print_values_position="top",
            value_formatter=format_value,
            x_label_rotation=0 if horizontal or len(labels) <= 6 else 35,
            min_scale=2,
            max_scale=6,
        )
    )
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    return _finish(chart.render(is_unicode=True), chart_id, title)


def line_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    format_value: Formatter,
) -> str:
    """One line over time; a missing value (None) leaves a gap, never a false zero."""
    chart = pygal.Line(
        **_config(
            height=340,
            value_formatter=format_value,
            x_label_rotation=0 if len(labels) <= 6 else 35,
            dots_size=4,
            stroke_style={"width": 3},
            include_x_axis=True,
            allow_interruptions=True,
            min_scale=2,
            max_scale=6,
        )
    )
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    return _finish(chart.render(is_unicode=True), chart_id, title)
