"""The full 2024-05-03 SDN (14,965 entries) loads and reads back; one database is enough."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from precursor_watch.storage import db
from precursor_watch.storage.list_store import iter_active_entities, list_status, load_list


def test_full_sdn_2024(tmp_path: Path, sanctions_data: Path) -> None:
    engine = db.open_database(f"sqlite:///{tmp_path / 'sdn.db'}")
    report = load_list(engine, sanctions_data / "ofac_sdn_2024-05-03")
    assert report.entity_count == 14965 and report.issues == ()
    assert report.date_source == "folder_name"
    (status,) = list_status(engine)
    assert status.version.startswith("2024-05-03+")
    entities = list(iter_active_entities(engine))
    assert len(entities) == 14965
    programs = Counter(p for e in entities for p in e.programs)
    assert programs["SDNTK"] == 1439 and programs["ILLICIT-DRUGS-EO14059"] == 293
    db.close_databases()
