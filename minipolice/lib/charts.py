"""Bar charts drawn on the server as SVG, so a page needs no JavaScript to show them.

Each chart is an image with a title and a description for screen readers; the page puts a
caption and a data table beside it, which carry every figure (a chart is never the only place
a number is). Colours are from GOV.UK Frontend's palette and each series also has a legend
entry, so no figure depends on telling colours apart.
"""

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# GOV.UK Frontend colours with at least 3:1 contrast against white (WCAG 1.4.11).
PALETTE = ["#1d70b8", "#00703c", "#f47738", "#4c2c92", "#d4351c", "#505a5f"]
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 56


@dataclass
class Series:
    label: str
    values: list[float | int | None]  # None: not shown (hidden or no figure)


def _nice_max(value: float) -> float:
    """The top of the axis: four equal steps of 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 4
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)
    return step * 4


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    stacked: bool = False,
    percent: bool = False,
) -> SafeString:
    """A bar chart (grouped, or stacked when `stacked`) of `series` over `categories`."""
    count = max(len(categories), 1)
    if stacked:
        totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    else:
        totals = [max((s.values[i] or 0) for s in series) for i in range(len(categories))]
    top = 100 if percent else _nice_max(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / count
    bar_w = slot * 0.7 if stacked else slot * 0.8 / max(len(series), 1)

    def y(value):
        return TOP + plot_h - plot_h * (value / top)

    parts = []
    for tick in range(5):
        value = top * tick / 4
        label = f"{value:.0f}%" if percent else f"{value:,.0f}"
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#b1b4b6" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#0b0c0c">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                round(y(value), 1),
                round(y(value), 1),
                LEFT - 6,
                round(y(value) + 4, 1),
                label,
            )
        )
    for i, category in enumerate(categories):
        x0 = LEFT + slot * i + (slot - (bar_w if stacked else bar_w * len(series))) / 2
        base = 0.0
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            shown = value * 100 if percent else value
            if stacked:
                x, y1, y2 = x0, y(base + shown), y(base)
                base += shown
            else:
                x, y1, y2 = x0 + bar_w * j, y(shown), y(0)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                    round(x, 1),
                    round(y1, 1),
                    round(bar_w - 1, 1),
                    round(max(y2 - y1, 0), 1),
                    PALETTE[j % len(PALETTE)],
                    f"{category}, {s.label}",
                    f"{round(shown)}%" if percent else f"{value:,}",
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#0b0c0c">{}</text>',
                round(LEFT + slot * i + slot / 2, 1),
                TOP + plot_h + 16,
                category,
            )
        )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12" fill="#0b0c0c">{}</text>',
        (
            (
                LEFT + 130 * j,
                HEIGHT - 20,
                PALETTE[j % len(PALETTE)],
                LEFT + 130 * j + 16,
                HEIGHT - 10,
                s.label,
            )
            for j, s in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="mp-chart" id="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>',
        chart_id,
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        mark_safe("".join(parts)),  # noqa: S308 - each part was built by format_html # nosec B308 B703
        legend,
    )
