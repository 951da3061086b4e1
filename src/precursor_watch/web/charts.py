"""Inline SVG charts for the dashboard: plain SVG text, every label escaped, no JavaScript."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

OUTCOME_COLOURS: dict[str, str] = {
    "block": "#b3261e",
    "hold": "#9a6700",
    "review": "#8250df",
    "clear": "#1a7f37",
}
BAR_COLOUR = "#0b5fa5"


def _empty(message: str, width: int = 480, height: int = 80) -> Markup:
    return Markup(
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(message)}">'
        f'<text x="10" y="40" fill="#5c6773" font-size="14">{escape(message)}</text></svg>'
    )


def bars(rows: Sequence[Mapping[str, Any]], what: str, width: int = 480) -> Markup:
    """Horizontal bars, one per row (``label``, ``count``), longest first."""
    if not rows:
        return _empty(f"No flagged decisions by {what} yet.")
    row_h, label_w, pad = 26, 190, 8
    height = row_h * len(rows) + pad * 2
    peak = max(int(r["count"]) for r in rows) or 1
    span = width - label_w - 60
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="flagged decisions by {escape(what)}" class="bars">'
    ]
    for i, row in enumerate(rows):
        y = pad + i * row_h
        length = max(2, round(span * int(row["count"]) / peak))
        label = str(row["label"])
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="12" fill="#1d2530">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{length}" height="{row_h - 8}" rx="3" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{label_w + length + 6}" y="{y + 17}" font-size="12" fill="#5c6773">'
            f"{int(row['count'])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_days(
    days: Sequence[Mapping[str, Any]], colours: Mapping[str, str], width: int = 720
) -> Markup:
    """One stacked column per day, one colour per outcome, with a legend and a y-axis maximum."""
    if not days:
        return _empty("No decisions yet.", width)
    height, left, bottom, top = 240, 40, 40, 28
    plot_w, plot_h = width - left - 10, height - top - bottom
    totals = [sum(int(d.get(o, 0)) for o in colours) for d in days]
    peak = max(totals) or 1
    step = plot_w / len(days)
    col_w = max(2.0, step * 0.7)
    axis = 'font-size="11" fill="#5c6773" text-anchor="end"'
    base = top + plot_h
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        'aria-label="decisions per day by outcome">',
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#d9dee4"/>',
        f'<text x="{left - 4}" y="{top + 4}" {axis}>{peak}</text>',
        f'<text x="{left - 4}" y="{base}" {axis}>0</text>',
    ]
    for i, day in enumerate(days):
        x = left + i * step + (step - col_w) / 2
        y: float = top + plot_h
        for outcome in reversed(list(colours)):  # clear at the bottom, block on top
            count = int(day.get(outcome, 0))
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" '
                f'fill="{colours[outcome]}"><title>{escape(str(day["day"]))}: {count} '
                f"{escape(outcome)}</title></rect>"
            )
        if len(days) <= 12 or i % max(1, len(days) // 8) == 0:
            parts.append(
                f'<text x="{x + col_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                f'font-size="10" fill="#5c6773">{escape(str(day["day"])[5:])}</text>'
            )
    for j, (outcome, colour) in enumerate(colours.items()):
        lx = left + j * 90
        parts.append(
            f'<rect x="{lx}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="16" font-size="12" fill="#1d2530">{escape(outcome)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
