"""A server-rendered bar chart (inline SVG, no script) of the needs figures.

The chart carries a ``<title>`` and ``<desc>`` and is meant to stand beside the table of the
same figures, which is what screen readers and printouts rely on.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 190
BAR_HEIGHT = 22
GAP = 8
VALUE_WIDTH = 60


def bar_chart(bars: Sequence[tuple[str, float]], *, chart_id: str, title: str,
              description: str, number=lambda v: f"{v:.2f}") -> Markup:
    """An SVG of horizontal bars, one per ``(label, value)``, from a zero line; negative
    values point left. ``chart_id`` makes the ids of ``<title>``/``<desc>`` unique on the
    page; ``number`` formats the value printed after each bar (locale's decimal mark).

    Returns:
        Markup safe to insert into a page (labels and texts are escaped).
    """
    values = [v for _, v in bars]
    low = min([0.0, *values])
    high = max([0.0, *values])
    span = (high - low) or 1.0
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    zero = LABEL_WIDTH + plot * (-low / span)
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="needs-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = plot * abs(value) / span
        x = zero if value >= 0 else zero - length
        kind = "bar-pos" if value >= 0 else "bar-neg"
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
            f'font-size="13">{escape(short)}</text>'
            f'<rect class="{kind}" x="{x:.1f}" y="{y}" width="{max(length, 1):.1f}" '
            f'height="{BAR_HEIGHT}" fill="{"#0b5d3b" if value >= 0 else "#b3261e"}"/>'
            f'<text x="{max(zero, x + length) + 4:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" '
            f'font-size="13">{escape(number(value))}</text>')
    parts.append(f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" '
                 f'stroke="#5a6675" stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
