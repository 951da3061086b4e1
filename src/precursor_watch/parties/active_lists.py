"""The screener over the lists loaded in the database, cached by their active versions.

This is the one module of ``parties`` that reaches the database, and only when called: the
storage package is imported inside the functions, so importing ``precursor_watch.parties``
never loads SQLAlchemy. Everything else in ``parties`` takes entities and knows no database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date

from precursor_watch.domain.parties import EntityType, Identifier, PartyQuery, PartyScreening
from precursor_watch.errors import InputError, NotFoundError
from precursor_watch.parties.screener import PartyScreener

NO_LIST = (
    "no sanctions or watch list is loaded in the database {where}; "
    "load one with `precursor-watch lists load PATH`"
)

_cache: dict[tuple[str, tuple[tuple[str, str], ...]], PartyScreener] = {}
_lock = threading.Lock()


def active_list_versions(url: str | None = None) -> dict[str, str]:
    """The versions of the lists active in the database at ``url`` (default: configured), as
    ``screener_for_database(url).list_versions`` would give them, without building the
    screener; ``NotFoundError`` when no list is loaded."""
    from precursor_watch.settings import database_url
    from precursor_watch.storage.db import open_database
    from precursor_watch.storage.list_store import active_versions

    engine = open_database(url or database_url())
    versions = active_versions(engine)
    if not versions:
        raise NotFoundError(NO_LIST.format(where=engine.url.render_as_string(hide_password=True)))
    return dict(versions)


def screener_for_database(url: str | None = None) -> PartyScreener:
    """A screener over every active list of the database at ``url`` (default: configured).

    Rebuilt only when the set of active list versions changes (a new load, an update).
    """
    from precursor_watch.settings import database_url
    from precursor_watch.storage.db import open_database
    from precursor_watch.storage.list_store import iter_active_entities

    target = url or database_url()
    engine = open_database(target)
    versions = active_list_versions(target)
    key = (target, tuple(sorted(versions.items())))
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = PartyScreener(iter_active_entities(engine), versions)
            _cache.clear()
            _cache[key] = cached
        return cached


def _entity_type(value: str | EntityType | None) -> EntityType | None:
    if value is None or isinstance(value, EntityType):
        return value
    try:
        return EntityType(value.strip().lower())
    except ValueError:
        allowed = ", ".join(t.value for t in EntityType)
        raise InputError(
            f"unknown entity type {value!r} (one of {allowed})", field="entity_type"
        ) from None


def build_query(
    name: str,
    country: str | None = None,
    entity_type: str | EntityType | None = None,
    identifiers: Iterable[str | Identifier] = (),
    birth_date: date | None = None,
) -> PartyQuery:
    """A ``PartyQuery`` from loose arguments; untyped identifiers are typed by their shape."""
    ids = tuple(i if isinstance(i, Identifier) else Identifier("", i) for i in identifiers)
    if not name.strip() and not ids:
        raise InputError("a party query needs a name or an identifier", field="name")
    if country is not None and len(country.strip()) != 2:
        raise InputError(
            f"country must be an ISO 3166-1 alpha-2 code, not {country!r}", field="country"
        )
    return PartyQuery(
        name=name,
        country=country.strip().upper() if country else None,
        entity_type=_entity_type(entity_type),
        identifiers=ids,
        birth_date=birth_date,
    )


def screen_party_in_database(
    query: PartyQuery, *, url: str | None = None, limit: int = 10
) -> PartyScreening:
    return screener_for_database(url).screen(query, limit=limit)
