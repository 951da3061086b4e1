"""The order scenario table with the DATABASE customer history, on SQLite and on PostgreSQL.

Each scenario's earlier orders are written to the database and committed (the batch path:
record, flush in a transaction, committed) and the scenario order then reads them back through
a fresh :class:`DbCustomerHistory` whose cache is empty, so every baseline comes from the
database. One database per backend serves the whole table; the history table is emptied
between scenarios, so each scenario sees only its own history (as with the in-memory run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from sqlalchemy import Engine, delete

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.domain.parties import PartyQuery, PartyScreening
from precursor_watch.storage import db
from precursor_watch.storage.case_tables import CustomerHistoryRow
from precursor_watch.storage.customer_history import DbCustomerHistory
from tests.cases.order_scenarios import SDN_2024, build_party_screener, load_scenarios, run_scenario
from tests.screening.test_order_engine import check_history_contract

SCENARIOS = load_scenarios()
Screener = Callable[[PartyQuery], PartyScreening]


class CommittedHistory(DbCustomerHistory):
    """Database history whose every ``record`` is flushed and committed at once, and whose
    reads never see lines this instance recorded unless they came back from the database."""

    def record(self, lines: Iterable[HistoryLine]) -> None:
        super().record(lines)
        with db.session_scope(self._engine) as session:
            self.flush(session, run_id="scenario")
        self.committed()
        self.clear_cache()


@pytest.fixture(scope="module")
def party_screener() -> Screener:
    if not SDN_2024.is_file():
        pytest.skip("shared sanctions data not available")
    return build_party_screener()


def _clear_history(engine: Engine) -> None:
    with db.session_scope(engine) as session:
        session.execute(delete(CustomerHistoryRow))


def _mismatch(scenario: dict[str, Any], engine: Engine, screener: Screener) -> str | None:
    _clear_history(engine)
    decision = run_scenario(scenario, screener, history=CommittedHistory(engine))
    got = (decision.outcome.value, sorted({f.rule_id for f in decision.findings}))
    want = (scenario["expected"]["decision"], scenario["expected"]["rules"])
    if got == want:
        return None
    return f"{scenario['id']}: expected {want}, got {got}"


def test_every_scenario_passes_with_database_history(
    database_url: str, party_screener: Screener
) -> None:
    engine = db.open_database(database_url)
    with_history = [s for s in SCENARIOS if s["history"]]
    assert len(SCENARIOS) >= 60 and len(with_history) >= 10
    failures = [m for s in SCENARIOS if (m := _mismatch(s, engine, party_screener))]
    assert failures == [], "\n".join(failures)


def test_scenario_history_really_comes_from_the_database(
    database_url: str, party_screener: Screener
) -> None:
    # Without its recorded history a history-dependent scenario decides differently: proof that
    # the table run above depends on what the database returned.
    engine = db.open_database(database_url)
    scenario = next(s for s in SCENARIOS if "ORD-RF-ABOVE-HISTORY" in s["expected"]["rules"])
    assert _mismatch(scenario, engine, party_screener) is None
    with db.session_scope(engine) as session:
        stored = session.query(CustomerHistoryRow).count()
    assert stored >= len(scenario["history"])
    no_history = {**scenario, "history": []}
    assert _mismatch(no_history, engine, party_screener) is not None


def test_database_history_contract(database_url: str) -> None:
    check_history_contract(DbCustomerHistory(db.open_database(database_url)))


def test_database_history_contract_after_commit(database_url: str) -> None:
    check_history_contract(CommittedHistory(db.open_database(database_url), max_cached_lines=1))
