"""Load list files into the database and read the active lists back.

    report = load_list(engine, "/data/ofac_sdn_2024-05-03")   # LoadReport
    active_versions(engine)          # {"us_ofac_sdn": "2024-05-03+210ca6b4", ...}
    for entity in iter_active_entities(engine): ...            # ListEntity, for the matcher

Every load is one transaction: the new version's entities are inserted, then the list's active
pointer is flipped; if anything fails, nothing of the new version remains and the previous version
stays active. Older versions are kept so that a past decision can be explained against the list
it used. Reloading a file with the same checksum does nothing. A version that is older than the
active one, or has fewer than ``MIN_SHRINK_RATIO`` of its entries (a truncated download?), is
stored but not activated unless ``force=True`` (loading the same file again with ``force=True``
activates the held version).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Engine, Table, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from precursor_watch.domain.parties import ListEntity
from precursor_watch.errors import ListLoadError, StorageError
from precursor_watch.sources.detect import open_list
from precursor_watch.sources.parsed_list import LoadIssue, ParsedList
from precursor_watch.storage.entity_json import (
    entity_from_json,
    entity_to_json,
    normalize_identifier,
)
from precursor_watch.storage.list_reports import ListStatus, LoadReport
from precursor_watch.storage.list_tables import (
    ListActive,
    ListEntityRow,
    ListIdentifierRow,
    ListLoadErrorRow,
    ListVersion,
)

BATCH = 2000
MIN_SHRINK_RATIO = 0.9

versions_t = cast(Table, ListVersion.__table__)
active_t = cast(Table, ListActive.__table__)
entities_t = cast(Table, ListEntityRow.__table__)
identifiers_t = cast(Table, ListIdentifierRow.__table__)
errors_t = cast(Table, ListLoadErrorRow.__table__)


def _version_label(parsed: ParsedList) -> str:
    day = parsed.publish_date.day
    return f"{day.isoformat()}+{parsed.sha256[:8]}" if day else parsed.sha256[:12]


def _insert_entities(conn: Connection, version_id: int, parsed: ParsedList) -> tuple[int, int]:
    seen: dict[str, int | None] = {}
    entity_rows: list[dict[str, object]] = []
    identifier_rows: list[dict[str, object]] = []
    entities = names = 0

    def flush() -> None:
        if entity_rows:
            conn.execute(insert(entities_t), entity_rows)
            entity_rows.clear()
        if identifier_rows:
            conn.execute(insert(identifiers_t), identifier_rows)
            identifier_rows.clear()

    for entity in parsed.entities:
        if entity.entity_id in seen:
            first = seen[entity.entity_id]
            parsed.issues.append(
                LoadIssue(
                    parsed.files[0].path.name,
                    entity.source_line,
                    f"entity id {entity.entity_id} repeated (first at line {first}): "
                    "second record not loaded",
                    "entity_id",
                )
            )
            continue
        seen[entity.entity_id] = entity.source_line
        entities += 1
        names += len(entity.names)
        entity_rows.append(
            {
                "version_id": version_id,
                "entity_id": entity.entity_id,
                "entity_type": entity.entity_type.value,
                "primary_name": entity.primary_name,
                "source_line": entity.source_line,
                "data": entity_to_json(entity),
            }
        )
        for ident in entity.identifiers:
            normalized = normalize_identifier(ident.kind, ident.value)
            if normalized:
                identifier_rows.append(
                    {
                        "version_id": version_id,
                        "entity_id": entity.entity_id,
                        "kind": ident.kind,
                        "value": ident.value,
                        "normalized": normalized[:400],
                        "country": ident.country,
                    }
                )
        if len(entity_rows) >= BATCH:
            flush()
    flush()
    return entities, names


def _activation_refusal(
    conn: Connection, list_name: str, publish: object, count: int
) -> str | None:
    row = conn.execute(
        select(versions_t.c.version, versions_t.c.publish_date, versions_t.c.entity_count)
        .join(active_t, active_t.c.version_id == versions_t.c.id)
        .where(active_t.c.list_name == list_name)
    ).first()
    if row is None:
        return None
    if publish is not None and row.publish_date is not None and publish < row.publish_date:
        return f"not activated: older ({publish}) than the active version {row.version}"
    if count < MIN_SHRINK_RATIO * row.entity_count:
        return (
            f"not activated: {count} entries, fewer than {MIN_SHRINK_RATIO:.0%} of the "
            f"{row.entity_count} in the active version {row.version} (truncated file?); "
            "use --force to activate it anyway"
        )
    return None


def _activate(conn: Connection, list_name: str, version_id: int, now: datetime) -> None:
    current = conn.execute(
        select(active_t.c.list_name).where(active_t.c.list_name == list_name).with_for_update()
    ).first()
    values = {"version_id": version_id, "activated_at": now}
    if current is None:
        conn.execute(insert(active_t).values(list_name=list_name, **values))
    else:
        conn.execute(update(active_t).where(active_t.c.list_name == list_name).values(**values))


def _unchanged(
    conn: Connection, parsed: ParsedList, started: float, force: bool, actor: str
) -> LoadReport | None:
    """The report for a file already stored; with ``force`` a held version is activated."""
    row = conn.execute(
        select(versions_t, active_t.c.version_id.is_not(None).label("is_active"))
        .outerjoin(active_t, active_t.c.version_id == versions_t.c.id)
        .where(versions_t.c.list_name == parsed.list_name, versions_t.c.sha256 == parsed.sha256)
    ).first()
    if row is None:
        return None
    activate = force and not row.is_active
    note = f"same checksum as the version loaded at {row.loaded_at}"
    if activate:
        now = datetime.now(UTC)
        _activate(conn, parsed.list_name, row.id, now)
        note = f"activated with --force by {actor} at {now:%Y-%m-%d %H:%M} UTC (was held: {row.activation_note})"
        conn.execute(
            update(versions_t).where(versions_t.c.id == row.id).values(activation_note=note)
        )
        _audit(
            conn,
            actor,
            "list.activate",
            parsed,
            row.version,
            row.entity_count,
            row.error_count,
            None,
        )
    return LoadReport(
        list_name=parsed.list_name,
        version=row.version,
        status="activated" if activate else "unchanged",
        active=bool(row.is_active) or activate,
        publish_date=row.publish_date,
        date_source=row.date_source,
        sha256=row.sha256,
        format=row.format,
        files=tuple(f.path.name for f in parsed.files),
        entity_count=row.entity_count,
        name_count=row.name_count,
        issues=tuple(_stored_issues(conn, row.id)),
        note=note,
        seconds=time.perf_counter() - started,
    )


def _stored_issues(conn: Connection, version_id: int) -> list[LoadIssue]:
    query = (
        select(errors_t.c.file, errors_t.c.line, errors_t.c.message, errors_t.c.field)
        .where(errors_t.c.version_id == version_id)
        .order_by(errors_t.c.id)
    )
    return [LoadIssue(r.file, r.line, r.message, r.field) for r in conn.execute(query)]


def _audit(
    conn: Connection,
    actor: str,
    action: str,
    parsed: ParsedList,
    version: str,
    entities: int,
    errors: int,
    refusal: str | None,
) -> None:
    """Record the load in the hash-chained audit trail, in the load's own transaction."""
    from sqlalchemy.orm import Session

    from precursor_watch.storage.audit import append_audit

    session = Session(bind=conn)
    try:
        append_audit(
            session,
            actor=actor,
            action=action,
            subject=f"list:{parsed.list_name}",
            payload={
                "version": version,
                "sha256": parsed.sha256,
                "format": parsed.format,
                "files": [f.as_dict() for f in parsed.files],
                "publish_date": parsed.publish_date.day.isoformat()
                if parsed.publish_date.day
                else None,
                "date_source": parsed.publish_date.source,
                "entities": entities,
                "errors": errors,
                "activated": refusal is None,
                "note": refusal,
            },
        )
        session.flush()
    finally:
        session.close()


def load_list(
    engine: Engine,
    path: str | Path,
    fmt: str | None = None,
    *,
    force: bool = False,
    actor: str = "system",
) -> LoadReport:
    """Load one list file (or OFAC CSV folder) as a new version, atomically. See module doc.

    The load (or a held version) is recorded in the audit trail as ``list.load`` /
    ``list.load_held`` by ``actor``, in the same transaction.
    """
    try:
        return _load_file(engine, Path(path), fmt, force=force, actor=actor)
    except IntegrityError as exc:
        raise ListLoadError(
            f"{path}: another load of this list changed the database at the same time "
            f"({exc.orig}); nothing of this load was kept: run it again"
        ) from exc
    except SQLAlchemyError as exc:
        raise StorageError(
            f"{path}: database error while loading, nothing was kept: {exc}"
        ) from exc


def _load_file(
    engine: Engine, path: Path, fmt: str | None, *, force: bool, actor: str
) -> LoadReport:
    started = time.perf_counter()
    parsed = open_list(Path(path), fmt)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        same = _unchanged(conn, parsed, started, force, actor)
        if same is not None:
            return same
        version_id = conn.execute(
            insert(versions_t)
            .values(
                list_name=parsed.list_name,
                version="loading",
                publish_date=None,
                date_source=parsed.publish_date.source,
                sha256=parsed.sha256,
                format=parsed.format,
                source_path=str(Path(path).resolve()),
                files=[f.as_dict() for f in parsed.files],
                entity_count=0,
                name_count=0,
                error_count=0,
                loaded_at=now,
            )
            .returning(versions_t.c.id)
        ).scalar_one()
        try:
            entities, names = _insert_entities(conn, version_id, parsed)
        except ListLoadError:
            raise
        except (ValueError, OSError, UnicodeError, SyntaxError) as exc:
            raise ListLoadError(f"{path}: could not be read: {exc}; nothing was changed") from exc
        if entities == 0:
            first = "; ".join(str(i) for i in parsed.issues[:3]) or "the file has no entries"
            raise ListLoadError(
                f"{path}: no entries could be loaded ({first}); nothing was changed"
            )
        if parsed.issues:
            conn.execute(
                insert(errors_t),
                [
                    {
                        "version_id": version_id,
                        "file": i.file,
                        "line": i.line,
                        "field": i.field,
                        "message": i.message,
                    }
                    for i in parsed.issues
                ],
            )
        publish = parsed.publish_date.day
        label = _version_label(parsed)
        refusal = None if force else _activation_refusal(conn, parsed.list_name, publish, entities)
        conn.execute(
            update(versions_t)
            .where(versions_t.c.id == version_id)
            .values(
                version=label,
                publish_date=publish,
                date_source=parsed.publish_date.source,
                entity_count=entities,
                name_count=names,
                error_count=len(parsed.issues),
                activation_note=refusal,
            )
        )
        if refusal is None:
            _activate(conn, parsed.list_name, version_id, now)
        action = "list.load" if refusal is None else "list.load_held"
        _audit(conn, actor, action, parsed, label, entities, len(parsed.issues), refusal)
    return LoadReport(
        list_name=parsed.list_name,
        version=label,
        status="held" if refusal else "loaded",
        active=refusal is None,
        publish_date=publish,
        date_source=parsed.publish_date.source,
        sha256=parsed.sha256,
        format=parsed.format,
        files=tuple(f.path.name for f in parsed.files),
        entity_count=entities,
        name_count=names,
        issues=tuple(parsed.issues),
        note=refusal,
        seconds=time.perf_counter() - started,
    )


def list_status(engine: Engine, *, all_versions: bool = False) -> list[ListStatus]:
    """One row per list (its active version), or per stored version with ``all_versions``."""
    query = (
        select(versions_t, active_t.c.version_id.is_not(None).label("is_active"))
        .outerjoin(active_t, active_t.c.version_id == versions_t.c.id)
        .order_by(versions_t.c.list_name, versions_t.c.loaded_at.desc(), versions_t.c.id.desc())
    )
    if not all_versions:
        query = query.where(active_t.c.version_id.is_not(None))
    with engine.connect() as conn:
        return [ListStatus.from_row(row) for row in conn.execute(query)]


def active_versions(engine: Engine) -> dict[str, str]:
    """List name -> active version label, e.g. ``{"us_ofac_sdn": "2024-05-03+210ca6b4"}``."""
    query = select(active_t.c.list_name, versions_t.c.version).join(
        versions_t, versions_t.c.id == active_t.c.version_id
    )
    with engine.connect() as conn:
        return {row.list_name: row.version for row in conn.execute(query)}


def _iter_entities(engine: Engine, where: object) -> Iterator[ListEntity]:
    query = (
        select(
            versions_t.c.list_name,
            entities_t.c.entity_id,
            entities_t.c.entity_type,
            entities_t.c.source_line,
            entities_t.c.data,
        )
        .join(versions_t, versions_t.c.id == entities_t.c.version_id)
        .where(where)  # type: ignore[arg-type]
        .order_by(entities_t.c.id)
    )
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=5000).execute(query)
        for row in result:
            yield entity_from_json(row[0], row[1], row[2], row[3], row[4])


def iter_active_entities(
    engine: Engine, lists: Iterable[str] | None = None
) -> Iterator[ListEntity]:
    """Every entity of the active version of each list (or of ``lists`` only), in file order."""
    active = select(active_t.c.version_id)
    if lists is not None:
        active = active.where(active_t.c.list_name.in_(list(lists)))
    return _iter_entities(engine, entities_t.c.version_id.in_(active))


def iter_version_entities(engine: Engine, list_name: str, version: str) -> Iterator[ListEntity]:
    """The entities of one stored version (active or not): to explain a past decision."""
    return _iter_entities(
        engine, (versions_t.c.list_name == list_name) & (versions_t.c.version == version)
    )


def load_errors(engine: Engine, list_name: str, version: str) -> list[LoadIssue]:
    """The records a stored version could not load, in file order."""
    with engine.connect() as conn:
        version_id = conn.execute(
            select(versions_t.c.id).where(
                versions_t.c.list_name == list_name, versions_t.c.version == version
            )
        ).scalar()
        return [] if version_id is None else _stored_issues(conn, version_id)
