"""Versioned, atomic list loads against real snapshots, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from precursor_watch.errors import ListLoadError
from precursor_watch.sources.un_xml import read_un_xml
from precursor_watch.storage import db
from precursor_watch.storage.list_store import (
    active_versions,
    iter_active_entities,
    iter_version_entities,
    list_status,
    load_errors,
    load_list,
)
from precursor_watch.storage.list_tables import ListEntityRow, ListIdentifierRow, ListVersion

UN = "un_sc_consolidated_2026-02-27/consolidated.xml"
SDN_2022 = "ofac_sdn_2022-01-31"
SNAPSHOT_DATES = [
    ("ofac_sdn_2022-01-31", "us_ofac_sdn", date(2022, 1, 31), 9043),
    (UN, "un_sc_consolidated", date(2026, 2, 27), 1003),
    ("us_csl_2023-11-30_partial/csl.csv", "us_trade_csl", date(2023, 11, 30), 4226),
    ("us_bis_dpl_2023-11-30/dpl.txt", "us_bis_dpl", date(2023, 11, 30), 663),
    ("opensanctions_ftm/yente_t1_entities.ftm.json", "ftm_yente_t1_entities", date(2024, 3, 28), 6),
    ("opensanctions_ftm/yente_zala_entities.ftm.json", "ftm_yente_zala_entities", None, 17),
    ("ofac_sdn_2025-01-06", "us_ofac_sdn_aliases", date(2025, 1, 6), 8191),
    ("ofac_sdn_2026-06-02", "us_ofac_sdn_aliases", date(2026, 6, 2), 8766),
    (
        "ofac_sdn_names_2025-11-26/sdn_entities.jsonl",
        "us_ofac_sdn_names",
        date(2025, 11, 26),
        17815,
    ),
]


def _sdn_slice(sanctions_data: Path, folder: Path, lines: int = 1500, extra: bytes = b"") -> Path:
    """The first ``lines`` records of the real 2022 sdn.csv (a smaller real list), plus ``extra``."""
    folder.mkdir(parents=True)
    rows = (sanctions_data / SDN_2022 / "sdn.csv").read_bytes().split(b"\n")[:lines]
    (folder / "sdn.csv").write_bytes(b"\n".join(rows) + b"\n" + extra)
    return folder


def _count(engine: object, model: type) -> int:
    with db.session_scope(engine) as session:  # type: ignore[arg-type]
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(("relative", "name", "day", "count"), SNAPSHOT_DATES)
def test_snapshot_loads_and_status_shows_its_date(
    database_url: str, sanctions_data: Path, relative: str, name: str, day: date | None, count: int
) -> None:
    engine = db.open_database(database_url)
    report = load_list(engine, sanctions_data / relative)
    assert (report.list_name, report.status, report.active, report.entity_count) == (
        name,
        "loaded",
        True,
        count,
    )
    (status,) = list_status(engine)
    assert status.list_name == name and status.active and status.entity_count == count
    if day is not None:
        assert status.publish_date == day
        assert status.version.startswith(day.isoformat())
    assert active_versions(engine) == {name: report.version}


def test_reload_same_file_is_a_no_op(database_url: str, sanctions_data: Path) -> None:
    engine = db.open_database(database_url)
    first = load_list(engine, sanctions_data / UN)
    entities = _count(engine, ListEntityRow)
    again = load_list(engine, sanctions_data / UN)
    assert again.status == "unchanged" and again.version == first.version and again.active
    assert _count(engine, ListVersion) == 1 and _count(engine, ListEntityRow) == entities


def test_newer_version_replaces_and_old_one_is_kept(
    database_url: str, tmp_path: Path, sanctions_data: Path
) -> None:
    engine = db.open_database(database_url)
    old = load_list(engine, _sdn_slice(sanctions_data, tmp_path / "ofac_sdn_2022-01-31"))
    extra = b'99999901,"FORMAT TEST ENTRY",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    newer_dir = _sdn_slice(sanctions_data, tmp_path / "ofac_sdn_2022-02-01", extra=extra)
    new = load_list(engine, newer_dir)
    assert new.status == "loaded" and new.entity_count == old.entity_count + 1 == 1501
    assert active_versions(engine) == {"us_ofac_sdn": new.version}
    statuses = list_status(engine, all_versions=True)
    assert [(s.version, s.active) for s in statuses] == [(new.version, True), (old.version, False)]
    kept = list(iter_version_entities(engine, "us_ofac_sdn", old.version))
    assert len(kept) == old.entity_count
    active_ids = {e.entity_id for e in iter_active_entities(engine)}
    assert "99999901" in active_ids and len(active_ids) == new.entity_count


def test_repeated_ids_are_reported_and_stored(database_url: str, sanctions_data: Path) -> None:
    engine = db.open_database(database_url)
    report = load_list(engine, sanctions_data / SDN_2022)
    messages = {(i.file, i.line): i.message for i in report.issues}
    assert "entity id 2677 repeated (first at line 57)" in messages[("sdn.csv", 9044)]
    assert ("add.csv", 13625) in messages
    stored = load_errors(engine, "us_ofac_sdn", report.version)
    assert [(i.file, i.line) for i in stored] == [(i.file, i.line) for i in report.issues]


def test_truncated_xml_never_half_replaces(
    database_url: str, tmp_path: Path, sanctions_data: Path
) -> None:
    engine = db.open_database(database_url)
    good = load_list(engine, sanctions_data / UN)
    data = (sanctions_data / UN).read_bytes()
    cut = tmp_path / "un_sc_consolidated_2026-03-01" / "consolidated.xml"
    cut.parent.mkdir()
    cut.write_bytes(
        data.replace(b'dateGenerated="2026-02-27', b'dateGenerated="2026-03-01')[
            : int(len(data) * 0.7)
        ]
    )
    with pytest.raises(ListLoadError, match=r"consolidated.xml:\d+: not well-formed XML"):
        load_list(engine, cut)
    assert active_versions(engine) == {"un_sc_consolidated": good.version}
    assert _count(engine, ListVersion) == 1
    assert _count(engine, ListEntityRow) == good.entity_count


def test_truncated_csv_is_held_not_activated(
    database_url: str, tmp_path: Path, sanctions_data: Path
) -> None:
    engine = db.open_database(database_url)
    good = load_list(engine, _sdn_slice(sanctions_data, tmp_path / "ofac_sdn_2022-01-31"))
    data = (tmp_path / "ofac_sdn_2022-01-31" / "sdn.csv").read_bytes()
    cut_dir = tmp_path / "ofac_sdn_2022-02-02"
    cut_dir.mkdir()
    (cut_dir / "sdn.csv").write_bytes(data[: len(data) // 3])  # cut mid-record
    held = load_list(engine, cut_dir / "sdn.csv")
    assert held.status == "held" and not held.active
    assert held.note is not None and "truncated file?" in held.note
    assert any("cut off" in i.message for i in held.issues)
    assert active_versions(engine) == {"us_ofac_sdn": good.version}
    forced = load_list(engine, cut_dir / "sdn.csv", force=True)
    assert (forced.status, forced.active, forced.version) == ("activated", True, held.version)
    assert [str(i) for i in forced.issues] == [str(i) for i in held.issues]
    (now_active,) = list_status(engine)
    assert now_active.note is not None and now_active.note.startswith("activated with --force")
    assert active_versions(engine) == {"us_ofac_sdn": held.version}
    assert _count(engine, ListVersion) == 2


def test_older_file_does_not_replace_newer(
    database_url: str, tmp_path: Path, sanctions_data: Path
) -> None:
    engine = db.open_database(database_url)
    newer = load_list(engine, _sdn_slice(sanctions_data, tmp_path / "ofac_sdn_2022-03-01", 1501))
    older = load_list(engine, _sdn_slice(sanctions_data, tmp_path / "ofac_sdn_2022-01-31"))
    assert older.status == "held" and "older" in (older.note or "")
    assert active_versions(engine) == {"us_ofac_sdn": newer.version}


def test_entities_read_back_equal_parsed(database_url: str, sanctions_data: Path) -> None:
    engine = db.open_database(database_url)
    load_list(engine, sanctions_data / UN)
    parsed = list(read_un_xml(sanctions_data / UN).entities)
    assert list(iter_active_entities(engine, ["un_sc_consolidated"])) == parsed
    assert list(iter_active_entities(engine, ["no_such_list"])) == []


def test_identifiers_are_searchable_normalized(database_url: str, sanctions_data: Path) -> None:
    engine = db.open_database(database_url)
    load_list(engine, sanctions_data / "us_csl_2023-11-30_partial" / "csl.csv")
    with db.session_scope(engine) as session:
        rows = session.execute(
            select(ListIdentifierRow.entity_id, ListIdentifierRow.kind).where(
                ListIdentifierRow.normalized == "9111000071093019X7"
            )
        ).all()
    assert ("CMIC:30882", "tax") in [tuple(r) for r in rows]


def test_empty_file_is_refused_and_nothing_stored(database_url: str, tmp_path: Path) -> None:
    engine = db.open_database(database_url)
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"\x1a")
    with pytest.raises(ListLoadError, match="no entries could be loaded"):
        load_list(engine, path)
    assert _count(engine, ListVersion) == 0


def test_concurrent_loads_of_one_file_store_it_once(
    database_url: str, sanctions_data: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from precursor_watch.errors import PrecursorWatchError

    engine = db.open_database(database_url)

    def attempt() -> str:
        try:
            return load_list(engine, sanctions_data / UN).status
        except PrecursorWatchError as exc:  # ListLoadError or StorageError, never a traceback
            return type(exc).__name__

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(lambda _: attempt(), range(2)))
    assert "loaded" in outcomes
    assert set(outcomes) <= {"loaded", "unchanged", "ListLoadError", "StorageError"}
    assert _count(engine, ListVersion) == 1
    assert len(active_versions(engine)) == 1
