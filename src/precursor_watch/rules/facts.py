"""What the order rules look at: the order plus everything the engine found out about it.

The engine (``screening.order_engine``) gathers these facts by calling the substance and party
screeners and reading customer history; the rules are then pure functions of the facts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import Protocol

from precursor_watch.domain.orders import HistoryLine, Order, OrderLine, OrderParty
from precursor_watch.domain.outcomes import SubstanceStatus
from precursor_watch.domain.parties import PartyScreening
from precursor_watch.domain.substances import Control, SubstanceScreening
from precursor_watch.rules.reference import ReferenceData

# EU member states (ISO 3166-1 alpha-2; Greece is "GR"): an EU listing applies in each of them.
EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


# A control at this level (UN Table II, US List II, EU Category 3, Canada Class B, China
# Category III) concerns an essential chemical: no pre-export notification unless requested.
_ESSENTIAL = re.compile(
    r"\bTable II\b|\bList II\b|\bCat(?:egory|\.)?\s*(?:3|III)\b|\bClass B\b|第三类", re.I
)


@lru_cache(maxsize=4096)
def is_essential_text(list_and_entry: str) -> bool:
    """True when a listing's list name or entry text places it at essential-chemical level."""
    return bool(_ESSENTIAL.search(list_and_entry))


def is_essential_level(control: Control) -> bool:
    """True for a control at essential-chemical (Table II) level."""
    return is_essential_text(f"{control.list} {control.entry}")


def jurisdictions_of(country: str) -> tuple[str, ...]:
    """The control jurisdictions a country is in: itself, and ``EU`` for a member state."""
    return (country, "EU") if country in EU_MEMBERS else (country,)


def _day_of(line: HistoryLine) -> date:
    """The sort key of an oldest-first history: undated lines first."""
    return line.date or date.min


def baseline_of(lines: Sequence[HistoryLine], unit: str) -> tuple[int, float]:
    """(distinct orders, largest quantity or 0.0) of the ``lines`` in ``unit`` with a quantity:
    the definition ``SortedLines.quantity_baseline`` keeps running totals of."""
    orders: set[str] = set()
    largest = 0.0
    for ln in lines:
        if ln.unit == unit and ln.quantity is not None:
            orders.add(ln.order_id)
            largest = max(largest, ln.quantity)
    return len(orders), largest


@dataclass(frozen=True, slots=True)
class PriceReference:
    """A market reference price for one substance, and where it comes from."""

    substance_key: str
    unit: str
    currency: str
    median_price: float
    observations: int
    source: str


class PriceReferences(Protocol):
    def reference(self, substance_key: str, unit: str, currency: str) -> PriceReference | None: ...


@dataclass(frozen=True, slots=True)
class LineFacts:
    """One order line with its screenings: ``screenings`` has one result per query (CAS, then
    product name); ``best`` is the one the rules rely on (the most severe resolved status)."""

    line: OrderLine
    screenings: tuple[SubstanceScreening, ...]
    best: SubstanceScreening | None
    substance_key: str
    quantity: tuple[float, str] | None

    @property
    def status(self) -> SubstanceStatus:
        return self.best.status if self.best else SubstanceStatus.UNKNOWN

    @property
    def name(self) -> str:
        if self.best is not None and self.best.substance is not None:
            return self.best.substance.name
        return self.line.product_name

    @property
    def substance_id(self) -> str | None:
        if self.best is None or self.best.substance is None:
            return None
        return self.best.substance.substance_id

    @property
    def cas(self) -> str | None:
        if self.best is None or self.best.substance is None:
            return None
        return self.best.substance.cas

    @property
    def is_of_concern(self) -> bool:
        return self.status in (SubstanceStatus.CONTROLLED, SubstanceStatus.WATCH)


@dataclass(frozen=True, slots=True)
class PartyFacts:
    party: OrderParty
    screening: PartyScreening


@dataclass(frozen=True)
class OrderFacts:
    order: Order
    lines: tuple[LineFacts, ...]
    parties: tuple[PartyFacts, ...]
    parties_screened: bool
    # the customer's earlier lines, oldest first; () when ``history_source`` serves them per
    # substance, and then ``has_history`` says whether there are any
    history: tuple[HistoryLine, ...]
    prices: PriceReferences | None
    reference: ReferenceData
    as_of: date | None
    # The customer's earlier lines of one substance, as ``history`` filtered by substance would
    # give them, from a history store that keeps them apart (None: filter ``history``).
    history_source: Callable[[str], Sequence[HistoryLine]] | None = None
    has_history: bool | None = None
    # ``quantity_baseline`` from a history store's running totals (None: from ``history_of``)
    baseline_source: Callable[[str, str], tuple[int, float]] | None = None

    @property
    def any_history(self) -> bool:
        """Whether the customer has any earlier line."""
        return self.has_history if self.has_history is not None else bool(self.history)

    @property
    def day(self) -> date | None:
        """The date the order is judged at: its own date, else the as-of date."""
        return self.order.date or self.as_of

    @cached_property
    def _route_jurisdictions(self) -> dict[str, str]:
        return self._compute_route_jurisdictions()

    def route_jurisdictions(self) -> dict[str, str]:
        """Control jurisdiction -> the route role that brings it in (cached per order)."""
        return self._route_jurisdictions

    def _compute_route_jurisdictions(self) -> dict[str, str]:
        """Control jurisdiction -> the route role that brings it in (origin/transit/destination,
        or ``domestic`` for a sale that stays in one declared country). ``UN`` applies to every
        international shipment (1988 Convention, art. 12), and so to every route that does not
        establish a domestic sale: one missing its origin or destination may cross a border."""
        route = self.order.route
        out: dict[str, str] = {}
        if route.is_domestic:
            return {j: "domestic" for j in jurisdictions_of(route.origin or "")}
        for role, country in route.legs:
            for j in jurisdictions_of(country):
                out.setdefault(j, role)
        out.setdefault("UN", "international trade")  # crosses a border, or may (incomplete)
        return out

    def precursor_on_route(self, lf: LineFacts) -> bool:
        """The line's substance is controlled above the essential-chemical level in a route
        jurisdiction (essential chemicals such as acetone alone make no order suspicious)."""
        if lf.status is not SubstanceStatus.CONTROLLED or lf.best is None:
            return False
        roles = self.route_jurisdictions()
        return any(c.jurisdiction in roles and not is_essential_level(c) for c in lf.best.controls)

    @cached_property
    def _watched(self) -> dict[int, bool]:
        return {
            id(lf): lf.status is SubstanceStatus.WATCH or self.precursor_on_route(lf)
            for lf in self.lines
        }

    def watched(self, lf: LineFacts) -> bool:
        """A precursor on the route or a designer-precursor ``watch`` substance: the lines the
        red-flag and history rules look at."""
        found = self._watched.get(id(lf))
        if found is None:
            return lf.status is SubstanceStatus.WATCH or self.precursor_on_route(lf)
        return found

    def watched_or_unidentified(self, lf: LineFacts) -> bool:
        return self.watched(lf) or lf.status in (SubstanceStatus.UNKNOWN, SubstanceStatus.INVALID)

    def families(self, lf: LineFacts) -> frozenset[str]:
        """Drug families of the line's substance, or of the listed precursor a watch substance
        resembles (empty when the knowledge base does not say)."""
        fams = self.reference.families
        ids = [lf.substance_id] + [w.resembles_id for w in (lf.best.watch if lf.best else ())]
        out: frozenset[str] = frozenset()
        for sid in ids:
            if sid and sid in fams:
                out |= fams[sid]
        return out

    @cached_property
    def _history_by_substance(self) -> dict[str, list[HistoryLine]]:
        return {}  # filled per substance asked for: an order asks for one or two of many

    def quantity_baseline(self, substance_key: str, unit: str) -> tuple[int, float]:
        """Of the customer's earlier lines of the substance in ``unit`` with a quantity: how many
        distinct orders, and the largest quantity (0.0 when none)."""
        if self.baseline_source is not None:
            return self.baseline_source(substance_key, unit)
        return baseline_of(self.history_of(substance_key), unit)

    def history_of(self, substance_key: str) -> list[HistoryLine]:
        """The customer's earlier lines of one substance, oldest first."""
        memo = self._history_by_substance
        found = memo.get(substance_key)
        if found is None:
            if self.history_source is not None:
                lines = self.history_source(substance_key)
                found = memo[substance_key] = lines if isinstance(lines, list) else list(lines)
            else:  # a stable sort: the history is oldest first already
                found = memo[substance_key] = sorted(
                    (h for h in self.history if h.substance_key == substance_key), key=_day_of
                )
        return found

    def history_dated(self, substance_key: str, start: date, end: date) -> list[HistoryLine]:
        """``history_of`` restricted to the lines dated ``start`` to ``end`` (both included),
        found by binary search in that oldest-first list, not by a pass over it."""
        lines = self.history_of(substance_key)
        return lines[bisect_left(lines, start, key=_day_of) : bisect_right(lines, end, key=_day_of)]

    @cached_property
    def route_controls_memo(self) -> dict[int, list[tuple[Control, str]]]:
        """``substance_rules.route_controls`` per line (by ``id`` of its ``LineFacts``): several
        rules ask for the same line's controls."""
        return {}
