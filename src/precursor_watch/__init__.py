"""precursor-watch: keep drug precursors, above all fentanyl's, from leaking out of legitimate trade.

The public API is small and stable (locked by ``tests/test_public_api.py``)::

    from precursor_watch import screen_substance
    screen_substance("1-boc-4-piperidone").status   # SubstanceStatus.CONTROLLED

Heavy dependencies (RDKit, SQLAlchemy) load on first use, not on import.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from precursor_watch.domain import (
    OrderOutcome,
    PartyStatus,
    SubstanceScreening,
    SubstanceStatus,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from precursor_watch.domain.findings import Decision
    from precursor_watch.domain.orders import Order
    from precursor_watch.domain.parties import EntityType, Identifier, PartyScreening
    from precursor_watch.screening.context import ScreeningContext

__version__ = "0.1.0"


def screen_substance(
    query: str,
    as_of: date | str | None = None,
    jurisdictions: Iterable[str] | None = None,
) -> SubstanceScreening:
    """Resolve one chemical identifier and say where, since when and why it is controlled."""
    from precursor_watch.substances.screening import default_screener

    return default_screener().screen(query, as_of=as_of, jurisdictions=jurisdictions)


def screen_substances(
    queries: Iterable[str],
    as_of: date | str | None = None,
    jurisdictions: Iterable[str] | None = None,
) -> list[SubstanceScreening]:
    """Screen many queries at once (systematic names go to OPSIN in one batch)."""
    from precursor_watch.substances.screening import default_screener

    return default_screener().screen_many(list(queries), as_of=as_of, jurisdictions=jurisdictions)


def screen_order(order: Order, context: ScreeningContext | None = None) -> Decision:
    """Screen one order or export declaration: one explainable decision (block, hold, review or
    clear) from its substances, parties, route and red flags. ``context`` defaults to the
    bundled knowledge base with no sanctions list loaded (parties then get a review finding)."""
    from precursor_watch.screening.order_engine import screen_order as _screen_order

    return _screen_order(order, context)


def screen_party(
    name: str,
    country: str | None = None,
    entity_type: str | EntityType | None = None,
    identifiers: Iterable[str | Identifier] = (),
    birth_date: date | None = None,
    *,
    database_url: str | None = None,
    limit: int = 10,
) -> PartyScreening:
    """Screen one party (buyer, consignee, forwarder, payer) against the sanctions and watch
    lists loaded in the database (``PRECURSOR_WATCH_DB``, or ``database_url``)."""
    from precursor_watch.parties.active_lists import build_query, screen_party_in_database

    query = build_query(name, country, entity_type, identifiers, birth_date)
    return screen_party_in_database(query, url=database_url, limit=limit)


__all__ = [
    "OrderOutcome",
    "PartyStatus",
    "SubstanceScreening",
    "SubstanceStatus",
    "__version__",
    "screen_order",
    "screen_party",
    "screen_substance",
    "screen_substances",
]
