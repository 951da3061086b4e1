"""precursor-watch: keep drug precursors, above all fentanyl's, from leaking out of legitimate trade.

The public API is small and stable (locked by ``tests/test_public_api.py``)::

    from precursor_watch import screen_substance
    screen_substance("1-boc-4-piperidone").status   # SubstanceStatus.CONTROLLED

Heavy dependencies (RDKit, SQLAlchemy) load on first use, not on import.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from precursor_watch.domain import (
    OrderOutcome,
    PartyStatus,
    SubstanceScreening,
    SubstanceStatus,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

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


def __getattr__(name: str) -> Any:
    # screen_party / screen_order are added by their packages; see __all__.
    raise AttributeError(name)


__all__ = [
    "OrderOutcome",
    "PartyStatus",
    "SubstanceScreening",
    "SubstanceStatus",
    "__version__",
    "screen_substance",
    "screen_substances",
]
