"""The HTML report of a batch run: totals, charts and every flagged order with its findings and
the structure drawings of what was found in it.

``render_batch_report(tally, run)`` returns one self-contained HTML page (inline CSS and SVG, no
JavaScript, nothing fetched from the network). All text from the input goes through Jinja2
autoescaping; structure drawings come from :func:`precursor_watch.chem.draw_svg` and are
checked to be plain SVG before they are inlined.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from precursor_watch.reports.charts import OUTCOME_COLOURS, bar_chart, outcome_strip
from precursor_watch.reports.rendering import render
from precursor_watch.reports.tally import ReportTally

OUTCOMES = ("block", "hold", "review", "clear")
CHART_ROWS = 12
Drawer = Callable[[str, tuple[int, ...]], str]
_UNSAFE_SVG = re.compile(r"<\s*(script|foreignObject|iframe)|\son\w+\s*=|javascript:", re.I)


@dataclass(frozen=True, slots=True)
class RunFacts:
    """Where the numbers come from, printed at the top of the report."""

    input_name: str
    input_sha256: str
    input_size: int
    run_id: str
    as_of: str
    partitions: int
    database: str


def default_drawer() -> Drawer | None:
    """``chem.draw_svg`` when the chemistry package provides it (None otherwise)."""
    try:
        from precursor_watch.chem import draw_svg
    except ImportError:
        return None

    def draw(smiles: str, atoms: tuple[int, ...]) -> str:
        return str(draw_svg(smiles, highlight_atoms=atoms))

    return draw


def safe_svg(svg: str) -> Markup | None:
    """The drawing as markup if it is plain SVG without scripts or event handlers."""
    start = svg.find("<svg")
    if start < 0 or _UNSAFE_SVG.search(svg):
        return None
    return Markup(svg[start:])


def _top(counter: dict[str, int], n: int = CHART_ROWS) -> list[tuple[str, int]]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(items) <= n:
        return items
    rest = sum(count for _, count in items[n - 1 :])
    return [*items[: n - 1], (f"{len(items) - n + 1} others", rest)]


def _drawings(flagged: list[dict[str, Any]], draw: Drawer | None) -> dict[str, Markup | None]:
    """One drawing per distinct (SMILES, atoms), shared by every order that shows it."""
    out: dict[str, Markup | None] = {}
    for order in flagged:
        for s in order["structures"]:
            key = f"{s['smiles']}|{','.join(map(str, s['atoms']))}"
            if key in out:
                continue
            try:
                out[key] = safe_svg(draw(s["smiles"], tuple(s["atoms"]))) if draw else None
            except Exception:  # a drawing must never cost the report
                out[key] = None
            s["key"] = key
    for order in flagged:
        for s in order["structures"]:
            s["key"] = f"{s['smiles']}|{','.join(map(str, s['atoms']))}"
    return out


def render_batch_report(
    tally: ReportTally, run: RunFacts, *, draw: Drawer | bool | None = True
) -> str:
    """The report page. ``draw=True`` uses the chemistry drawer when available."""
    drawer = default_drawer() if draw is True else (draw or None)
    severity = {outcome: rank for rank, outcome in enumerate(OUTCOMES)}
    flagged = [
        dict(o, structures=[dict(s) for s in o["structures"]])
        for o in sorted(tally.flagged, key=lambda o: severity.get(str(o["outcome"]), 9))
    ]
    drawings = _drawings(flagged, drawer if callable(drawer) else None)
    charts = {
        "outcomes": outcome_strip(dict(tally.by_outcome), OUTCOMES),
        "rules": bar_chart(
            _top(dict(tally.by_rule)),
            title="Flagged orders by rule",
            empty_note="no rule flagged any order",
        ),
        "countries": bar_chart(
            _top(dict(tally.by_country)),
            title="Flagged orders by destination (the buyer's country when none is declared)",
            empty_note="no flagged orders",
        ),
        "substances": bar_chart(
            _top(dict(tally.by_substance)),
            title="Flagged orders by substance",
            empty_note="no flagged orders",
        ),
    }
    return render(
        "batch_report.html",
        run=run,
        tally=tally,
        outcomes=OUTCOMES,
        colours=OUTCOME_COLOURS,
        charts=charts,
        flagged=flagged,
        drawings=drawings,
        drawing_available=drawer is not None,
    )
