"""What order screening needs besides the order: screeners, customer history, date, versions.

The engine stays free of databases: customer history and market prices sit behind the small
protocols here. This module ships the in-memory implementations; ``storage`` adds the database
ones (same protocol, same contract tests).
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Protocol

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.domain.parties import PartyQuery, PartyScreening
from precursor_watch.domain.provenance import DataVersions
from precursor_watch.domain.substances import SubstanceScreening
from precursor_watch.rules.catalog import RuleSet, load_rule_set
from precursor_watch.rules.facts import PriceReference, PriceReferences
from precursor_watch.rules.reference import ReferenceData, load_reference_data

SubstanceScreener = Callable[[str], SubstanceScreening]
PartyScreener = Callable[[PartyQuery], PartyScreening]


class CustomerHistory(Protocol):
    """Earlier order lines per customer: baselines and split-order detection."""

    def lines_for(
        self, customer_key: str, until: date | None, exclude_order: str | None = None
    ) -> Sequence[HistoryLine]:
        """The customer's recorded lines dated on or before ``until`` (all when None), oldest
        first, without those of ``exclude_order``."""
        ...

    def record(self, lines: Iterable[HistoryLine]) -> None:
        """Add the lines of a screened order."""
        ...


class InMemoryCustomerHistory:
    """Customer history held in memory, each customer's lines kept sorted by date; for tests,
    single runs and the scenario table."""

    def __init__(self, lines: Iterable[HistoryLine] = ()) -> None:
        self._by_customer: dict[str, list[HistoryLine]] = defaultdict(list)
        self._keys: dict[str, list[tuple[date, str]]] = defaultdict(list)
        self._orders: dict[str, set[str]] = defaultdict(set)
        self.record(lines)

    def lines_for(
        self, customer_key: str, until: date | None, exclude_order: str | None = None
    ) -> Sequence[HistoryLine]:
        lines = self._by_customer.get(customer_key)
        if not lines:
            return []
        end = (
            len(lines)
            if until is None
            else bisect_right(self._keys[customer_key], (until, "\uffff"))
        )
        out = lines[:end]
        if exclude_order is not None and exclude_order in self._orders[customer_key]:
            out = [ln for ln in out if ln.order_id != exclude_order]
        return out

    def record(self, lines: Iterable[HistoryLine]) -> None:
        for ln in lines:
            key = (ln.date or date.min, ln.order_id)
            keys = self._keys[ln.customer_key]
            at = bisect_right(keys, key)
            keys.insert(at, key)
            self._by_customer[ln.customer_key].insert(at, ln)
            self._orders[ln.customer_key].add(ln.order_id)


class PopulationPrices:
    """Median unit prices derived from an order population (for example a batch file or the
    customer history), per substance, unit and currency. Needs ``min_observations`` prices."""

    def __init__(
        self, lines: Iterable[HistoryLine], source: str, min_observations: int = 5
    ) -> None:
        prices: dict[tuple[str, str, str], list[float]] = defaultdict(list)
        for ln in lines:
            if ln.unit_price is not None and ln.unit and ln.currency and ln.unit_price > 0:
                prices[(ln.substance_key, ln.unit, ln.currency.upper())].append(ln.unit_price)
        self._refs = {
            key: PriceReference(key[0], key[1], key[2], statistics.median(vals), len(vals), source)
            for key, vals in prices.items()
            if len(vals) >= min_observations
        }

    def reference(self, substance_key: str, unit: str, currency: str) -> PriceReference | None:
        return self._refs.get((substance_key, unit, currency.upper()))


def cached(screener: SubstanceScreener, size: int = 100_000) -> SubstanceScreener:
    """The same screener with a bounded cache: orders repeat the same products many times."""
    return lru_cache(maxsize=size)(screener)


def cached_party_screener(screener: PartyScreener, size: int = 100_000) -> PartyScreener:
    """The same party screener with a bounded cache: the same customers recur in every file."""
    return lru_cache(maxsize=size)(screener)


def default_substance_screener(as_of: date | None) -> SubstanceScreener:
    """``precursor_watch.screen_substance`` for the context's date, cached."""
    from precursor_watch import screen_substance

    def screen(query: str) -> SubstanceScreening:
        return screen_substance(query, as_of=as_of)

    return cached(screen)


@dataclass(frozen=True)
class ScreeningContext:
    """Everything ``screen_order`` uses besides the order.

    ``party_screener`` None means no list is loaded: every order then gets an explicit
    ``ORD-PARTY-UNSCREENED`` finding instead of a silent pass. ``versions`` names the knowledge
    base, matcher and lists the caller loaded; the engine adds the versions it observes.
    """

    substance_screener: SubstanceScreener
    party_screener: PartyScreener | None = None
    history: CustomerHistory = field(default_factory=InMemoryCustomerHistory)
    prices: PriceReferences | None = None
    as_of: date | None = None
    versions: DataVersions = field(default_factory=lambda: DataVersions(knowledge_base="unknown"))
    rule_set: RuleSet = field(default_factory=load_rule_set)
    reference: ReferenceData = field(default_factory=load_reference_data)

    @classmethod
    def default(
        cls,
        *,
        as_of: date | None = None,
        party_screener: PartyScreener | None = None,
        history: CustomerHistory | None = None,
    ) -> ScreeningContext:
        """Production context: the bundled knowledge base through ``screen_substance``."""
        return cls(
            substance_screener=default_substance_screener(as_of),
            party_screener=cached_party_screener(party_screener) if party_screener else None,
            history=history if history is not None else InMemoryCustomerHistory(),
            as_of=as_of,
        )
