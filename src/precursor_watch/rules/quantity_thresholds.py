"""Which sourced quantity threshold governs a line, and whether the line reaches it.

A threshold in law (e.g. 21 U.S.C. 802(39), 21 CFR 1310.04) makes a transaction *regulated*
only at or above a quantity, counted cumulatively over a calendar month for one customer. The
checks here read only ``rules/thresholds.csv`` (sourced rows; a substance without a row has no
threshold and counts at any quantity) and never convert between units: a line in litres is not
compared with a threshold in kilograms (no sourced density), and the control then applies.
Concentration is not read: no mixture exemption is applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from precursor_watch.rules.facts import LineFacts, OrderFacts
from precursor_watch.rules.reference import Threshold

EVERY_QUANTITY = "every-quantity"
AT_OR_ABOVE = "at-or-above"
BELOW = "below"
NOT_COMPARABLE = "not-comparable"


@dataclass(frozen=True, slots=True)
class ThresholdCheck:
    """One threshold compared with a line: ``state`` is one of ``every-quantity``,
    ``at-or-above``, ``below`` or ``not-comparable``; ``quantity`` is the month's cumulative
    quantity compared (this line plus the customer's earlier lines of the same calendar month),
    in the threshold's unit."""

    threshold: Threshold
    kind: str  # "domestic", "import", "export" or "transit"
    state: str
    quantity: float | None
    earlier: float  # the part of ``quantity`` from earlier orders of the month

    @property
    def exempts(self) -> bool:
        """The line stays below the threshold: not a regulated transaction there."""
        return self.state == BELOW

    def sentence(self) -> str:
        t = self.threshold
        where = f"the {t.jurisdiction} {self.kind} threshold"
        cite = f"({t.citation} <{t.url}>)"
        if self.state == EVERY_QUANTITY:
            return f" In {t.jurisdiction} every quantity is regulated {cite}."
        if self.state == NOT_COMPARABLE:
            return (
                f" {where.capitalize()} of {t.quantity:g} {t.unit} {cite} was not applied: "
                f"the line's quantity is not in {t.unit} (no sourced conversion), so the control "
                "counts at any quantity."
            )
        month = f" ({self.earlier:g} {t.unit} earlier this month)" if self.earlier else ""
        if self.state == AT_OR_ABOVE:
            return (
                f" {self.quantity:g} {t.unit}{month} is at or above {where} of "
                f"{t.quantity:g} {t.unit} {cite}: a regulated transaction."
            )
        return (
            f" {self.quantity:g} {t.unit}{month} is below {where} of {t.quantity:g} {t.unit} "
            f"{cite}: not a regulated transaction there."
        )


_ROLE_KIND = {"origin": "export", "destination": "import", "transit": "transit"}


def transaction_kind(facts: OrderFacts, jurisdiction: str) -> str:
    """What the order is for ``jurisdiction``: ``domestic`` when the route stays in one
    country, else ``export``, ``import`` or ``transit`` by the role that brings the
    jurisdiction in (``international`` for UN, which every border crossing brings in)."""
    if not facts.order.route.is_international:
        return "domestic"
    role = facts.route_jurisdictions().get(jurisdiction, "")
    return _ROLE_KIND.get(role, "international")


def _month_total(facts: OrderFacts, lf: LineFacts, unit: str) -> tuple[float, float] | None:
    """(this line plus earlier lines of the same calendar month, earlier part) in ``unit``."""
    if lf.quantity is None or lf.quantity[1] != unit:
        return None
    earlier = 0.0
    day = facts.day
    if day is not None:
        for h in facts.history_dated(lf.substance_key, day.replace(day=1), day):
            if h.order_id == facts.order.order_id or h.date is None or h.quantity is None:
                continue
            if (h.date.year, h.date.month) == (day.year, day.month) and h.date <= day:
                if h.unit != unit:
                    return None  # a month mixing units cannot be totalled without a density
                earlier += h.quantity
    return lf.quantity[0] + earlier, earlier


def check(facts: OrderFacts, lf: LineFacts, threshold: Threshold) -> ThresholdCheck:
    kind = transaction_kind(facts, threshold.jurisdiction)
    if threshold.quantity == 0:
        return ThresholdCheck(threshold, kind, EVERY_QUANTITY, None, 0.0)
    total = _month_total(facts, lf, threshold.unit)
    if total is None:
        return ThresholdCheck(threshold, kind, NOT_COMPARABLE, None, 0.0)
    state = AT_OR_ABOVE if total[0] >= threshold.quantity else BELOW
    return ThresholdCheck(threshold, kind, state, total[0], total[1])


def threshold_checks(
    facts: OrderFacts, lf: LineFacts, jurisdictions: set[str]
) -> list[ThresholdCheck]:
    """The sourced thresholds in force on the order's day that govern this kind of
    transaction for the line's substance in ``jurisdictions``, each compared with the line."""
    out = []
    for t in facts.reference.thresholds_for(lf.substance_id, lf.cas or lf.line.cas):
        if t.jurisdiction not in jurisdictions or not t.in_force(facts.day):
            continue
        if t.governs(transaction_kind(facts, t.jurisdiction)):
            out.append(check(facts, lf, t))
    return out


def exempt_jurisdictions(checks: list[ThresholdCheck]) -> set[str]:
    """Jurisdictions where every governing threshold says the line stays below it."""
    by_j: dict[str, list[ThresholdCheck]] = {}
    for c in checks:
        by_j.setdefault(c.threshold.jurisdiction, []).append(c)
    return {j for j, cs in by_j.items() if all(c.exempts for c in cs)}


def note(checks: list[ThresholdCheck]) -> str:
    return "".join(c.sentence() for c in checks)
