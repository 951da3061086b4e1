"""Rows written by ``insert_tuples`` read back exactly as rows written through SQLAlchemy's
``insert()``: same values, same types, same stored text (SQLite keeps dates as text)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from precursor_watch.storage import db
from precursor_watch.storage.bulk_insert import driver_value, insert_tuples
from precursor_watch.storage.case_tables import CaseRow, CustomerHistoryRow, DecisionRow
from precursor_watch.storage.customer_history import HISTORY_COLUMNS

AT = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
HISTORY_ROW = (
    "id:C1",
    "O-1",
    date(2026, 2, 28),
    "Calle 5|MX",
    "KB-NPP",
    12.5,
    "kg",
    None,
    "USD",
    None,
)


@pytest.mark.parametrize(
    "row",
    [HISTORY_ROW, (*HISTORY_ROW[:2], None, None, "KB-4AP", None, None, 3.25, None, None)],
    ids=["full", "nulls"],
)
def test_history_row_reads_back_like_an_orm_insert(database_url: str, row: tuple[Any, ...]) -> None:
    engine = db.open_database(database_url)
    table = cast(Table, CustomerHistoryRow.__table__)
    with db.session_scope(engine) as session:
        session.execute(insert(table), [dict(zip(HISTORY_COLUMNS, row, strict=True))])
        day = driver_value(session, table.c.order_date, row[2])
        insert_tuples(session, table, HISTORY_COLUMNS, [(*row[:2], day, *row[3:])])
    columns = [table.c[name] for name in HISTORY_COLUMNS]
    with Session(engine) as session:
        got = session.execute(select(*columns).order_by(table.c.id)).all()
        stored = session.execute(
            text("SELECT CAST(order_date AS VARCHAR(40)) FROM customer_history ORDER BY id")
        ).scalars()
        stored_dates = list(stored)
    assert len(got) == 2
    assert tuple(got[0]) == tuple(got[1]) == row
    assert stored_dates[0] == stored_dates[1]


def test_datetimes_and_json_read_back_like_an_orm_insert(database_url: str) -> None:
    engine = db.open_database(database_url)
    decisions = cast(Table, DecisionRow.__table__)
    cases = cast(Table, CaseRow.__table__)
    base = {
        "run_id": None,
        "partition": None,
        "position": None,
        "input_hash": "0" * 64,
        "outcome": "review",
        "findings": [{"rule_id": "R1", "evidence": {"é": 1.5}}],
        "versions": {"kb": "1"},
        "rule_set_version": "rules@1",
        "knowledge_base_version": "kb-1",
        "order_data": None,
        "decided_at": AT,
    }
    names = tuple(base)
    with db.session_scope(engine) as session:
        session.execute(insert(decisions), [{**base, "order_id": "ORM"}])
        at = driver_value(session, decisions.c.decided_at, AT)
        raw = {
            **base,
            "findings": '[{"evidence":{"é":1.5},"rule_id":"R1"}]',
            "versions": '{"kb":"1"}',
            "decided_at": at,
        }
        insert_tuples(
            session,
            decisions,
            ("order_id", *names),
            [("RAW", *(raw[n] for n in names))],
        )
        ids = {o: i for o, i in session.execute(select(decisions.c.order_id, decisions.c.id))}
        insert_tuples(
            session,
            cases,
            ("decision_id", "order_id", "machine_outcome", "status", "opened_at", "updated_at"),
            [(ids["RAW"], "RAW", "review", "open", at, at)],
        )
    with Session(engine) as session:
        rows = {
            r.order_id: r for r in session.execute(select(decisions).order_by(decisions.c.id)).all()
        }
        case = session.execute(select(cases)).one()
    orm, raw_row = rows["ORM"], rows["RAW"]
    for name in names:
        assert getattr(raw_row, name) == getattr(orm, name), name
    assert case.opened_at == case.updated_at == orm.decided_at


def test_unsupported_paramstyle_is_named(database_url: str) -> None:
    engine = db.open_database(database_url)
    with Session(engine) as session:
        dialect = session.connection().dialect
        saved = dialect.paramstyle
        dialect.paramstyle = "named"
        try:
            with pytest.raises(NotImplementedError, match="paramstyle 'named'"):
                insert_tuples(
                    session,
                    cast(Table, CaseRow.__table__),
                    ("order_id",),
                    [("X",)],
                )
        finally:
            dialect.paramstyle = saved
