"""Which sourced quantity threshold governs a line, and whether the line reaches it.

A threshold in law (e.g. 21 U.S.C. 802(39), 21 CFR 1310.04) makes a transaction *regulated*
only at or above a quantity, counted cumulatively over a calendar month for one customer. The
checks here read only ``rules/thresholds.csv`` (sourced rows; a substance without a row has no
threshold and counts at any quantity) and never convert between units: a line in litres is not
compared with a threshold in kilograms (no sourced density), and the control then applies.
Concentration is not read: no mixture exemption is applied.

A route that does not establish a domestic sale (origin and destination declared and the same
country) is never taken as one: when origin or destination is missing, a jurisdiction the route
brings in may be reached by a domestic sale or across a border, and a threshold exempts the line
only if thresholds govern every one of those kinds of transaction and it stays below them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from precursor_watch.rules.facts import LineFacts, OrderFacts, jurisdictions_of
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
    kind: str  # "domestic", "import", "export", "transit", or several joined by " or "
    state: str
    quantity: float | None
    earlier: float  # the part of ``quantity`` from earlier orders of the month
    # kinds of transaction the incomplete route leaves possible that this threshold does not
    # govern: there the control counts at any quantity unless another threshold governs them
    ungoverned: tuple[str, ...] = ()

    @property
    def exempts(self) -> bool:
        """The line stays below the threshold: not a regulated transaction of its kind."""
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
        if self.ungoverned:
            return (
                f" {self.quantity:g} {t.unit}{month} is below {where} of {t.quantity:g} {t.unit} "
                f"{cite}, but the route is incomplete: the order may be "
                f"{_a(' or '.join(self.ungoverned))}, which that threshold does not govern."
            )
        return (
            f" {self.quantity:g} {t.unit}{month} is below {where} of {t.quantity:g} {t.unit} "
            f"{cite}: not a regulated transaction there."
        )


def _a(kind: str) -> str:
    """'an export', 'a transit', 'a domestic sale'."""
    text = kind.replace("domestic", "domestic sale")
    return ("an " if text[:1] in "aeiou" else "a ") + text


_ROLE_KIND = {"origin": "export", "destination": "import", "transit": "transit"}


def transaction_kinds(facts: OrderFacts, jurisdiction: str) -> tuple[str, ...]:
    """What the order may be for ``jurisdiction``. ``domestic`` only when the route
    establishes a domestic sale (origin and destination declared and the same country, no
    transit abroad); for a route with origin and destination declared that crosses a border,
    ``export``, ``import`` or ``transit`` by the role that brings the jurisdiction in
    (``international`` for UN, which every border crossing brings in). A route missing its
    origin or destination is never taken as domestic: each declared role of the jurisdiction
    gives its kind, and ``domestic`` stays possible only while no declared border is crossed
    (origin missing, destination US: ``domestic`` or ``import``)."""
    route = facts.order.route
    if route.is_domestic:
        return ("domestic",)
    if route.origin and route.destination:
        role = facts.route_jurisdictions().get(jurisdiction, "")
        return (_ROLE_KIND.get(role, "international"),)
    roles = [r for r, c in route.legs if jurisdiction in jurisdictions_of(c)]
    if not roles:  # UN, brought in by a border crossing the route does not rule out
        return ("international",)
    kinds = [] if route.is_international else ["domestic"]
    return tuple(dict.fromkeys(kinds + [_ROLE_KIND[r] for r in roles]))


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


def check(
    facts: OrderFacts, lf: LineFacts, threshold: Threshold, kinds: tuple[str, ...] | None = None
) -> ThresholdCheck:
    """Compare ``threshold`` with the line, for the ``kinds`` of transaction the order may be
    (default: all the route leaves possible for the threshold's jurisdiction)."""
    if kinds is None:
        kinds = transaction_kinds(facts, threshold.jurisdiction)
    governed = tuple(k for k in kinds if threshold.governs(k))
    ungoverned = tuple(k for k in kinds if k not in governed)
    kind = " or ".join(governed or kinds)
    if threshold.quantity == 0:
        return ThresholdCheck(threshold, kind, EVERY_QUANTITY, None, 0.0, ungoverned)
    total = _month_total(facts, lf, threshold.unit)
    if total is None:
        return ThresholdCheck(threshold, kind, NOT_COMPARABLE, None, 0.0, ungoverned)
    state = AT_OR_ABOVE if total[0] >= threshold.quantity else BELOW
    return ThresholdCheck(threshold, kind, state, total[0], total[1], ungoverned)


def threshold_checks(
    facts: OrderFacts, lf: LineFacts, jurisdictions: set[str]
) -> list[ThresholdCheck]:
    """The sourced thresholds in force on the order's day that govern a kind of transaction
    the order may be for the line's substance in ``jurisdictions``, each compared with the
    line."""
    out = []
    for t in facts.reference.thresholds_for(lf.substance_id, lf.cas or lf.line.cas):
        if t.jurisdiction not in jurisdictions or not t.in_force(facts.day):
            continue
        kinds = transaction_kinds(facts, t.jurisdiction)
        if any(t.governs(k) for k in kinds):
            out.append(check(facts, lf, t, kinds))
    return out


def exempt_jurisdictions(checks: list[ThresholdCheck]) -> set[str]:
    """Jurisdictions where every governing threshold says the line stays below it and, for
    an incomplete route, every kind of transaction the order may be is governed by one of
    them (a kind no threshold governs counts at any quantity)."""
    by_j: dict[str, list[ThresholdCheck]] = {}
    for c in checks:
        by_j.setdefault(c.threshold.jurisdiction, []).append(c)
    out = set()
    for j, cs in by_j.items():
        ungoverned = set(cs[0].ungoverned).intersection(*(c.ungoverned for c in cs[1:]))
        if all(c.exempts for c in cs) and not ungoverned:
            out.add(j)
    return out


def note(checks: list[ThresholdCheck]) -> str:
    return "".join(c.sentence() for c in checks)
