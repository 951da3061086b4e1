"""Small inline SVG charts for the HTML reports (no JavaScript, no chart library).

Every label is escaped here, because the SVG is inserted into the page as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

OUTCOME_COLOURS = {
    "block": "#b3261e",
    "hold": "#e8710a",
    "review": "#f2b705",
    "clear": "#3b8f5a",
}
BAR_COLOUR = "#4a6fa5"


def bar_chart(
    items: Sequence[tuple[str, int]],
    *,
    title: str,
    width: int = 420,
    colours: dict[str, str] | None = None,
    empty_note: str = "nothing to show",
) -> Markup:
    """A horizontal bar chart of ``(label, count)``, largest first as given."""
    row, label_w, pad = 22, 178, 8
    height = max(1, len(items)) * row + 34
    top = max((count for _, count in items), default=0)
    bar_space = width - label_w - 56
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    if not items:
        parts.append(f'<text x="0" y="44" class="chart-empty">{escape(empty_note)}</text>')
    for i, (label, count) in enumerate(items):
        y = 30 + i * row
        length = 0 if top == 0 else max(2, round(bar_space * count / top))
        colour = (colours or {}).get(label, BAR_COLOUR)
        short = label if len(label) <= 21 else label[:20] + "…"
        parts.append(
            f'<text x="{label_w - pad}" y="{y + 15}" text-anchor="end" class="chart-label">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="{row - 7}" rx="3" '
            f'fill="{escape(colour)}"/>'
            f'<text x="{label_w + length + 6}" y="{y + 15}" class="chart-value">{count:,}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def outcome_strip(counts: dict[str, int], order: Sequence[str], *, width: int = 920) -> Markup:
    """One stacked bar of the decisions by outcome, mildest last, with a legend."""
    total = sum(counts.get(o, 0) for o in order)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 54" width="100%" '
        'role="img" aria-label="decisions by outcome" class="chart">'
    ]
    x = 0.0
    for outcome in order:
        n = counts.get(outcome, 0)
        if total == 0 or n == 0:
            continue
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="26" '
            f'fill="{OUTCOME_COLOURS.get(outcome, BAR_COLOUR)}"><title>{escape(outcome)}: '
            f"{n:,}</title></rect>"
        )
        x += w
    lx = 0
    for outcome in order:
        n = counts.get(outcome, 0)
        pct = 0 if total == 0 else 100 * n / total
        parts.append(
            f'<rect x="{lx}" y="36" width="12" height="12" '
            f'fill="{OUTCOME_COLOURS.get(outcome, BAR_COLOUR)}"/>'
            f'<text x="{lx + 17}" y="47" class="chart-label">{escape(outcome)} {n:,} '
            f"({pct:.1f}%)</text>"
        )
        lx += 200
    parts.append("</svg>")
    return Markup("".join(parts))
