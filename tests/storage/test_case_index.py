"""Cases are indexed by the rules that flagged them and the countries of their order when they
open, and migration 0005 indexes the cases that were already open the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from alembic import command
from sqlalchemy import Engine, Table, insert, select

from precursor_watch import screen_order
from precursor_watch.domain.findings import Decision, Finding, input_hash
from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.domain.provenance import DataVersions
from precursor_watch.samples.generator import generate
from precursor_watch.screening.batch_records import DecisionToStore
from precursor_watch.storage import db
from precursor_watch.storage.case_fact_tables import CaseCountryRow, CaseRuleRow
from precursor_watch.storage.case_index import fact_rows
from precursor_watch.storage.case_tables import CaseRow, DecisionRow
from precursor_watch.storage.decisions import record_decisions

VERSIONS = DataVersions(knowledge_base="kb-test", rule_set="orders-test", lists={})
ORDER = {
    "order_id": "A-1",
    "route": {"origin": "in", "transit": ["AE", "NL"], "destination": "MX", "port_of_exit": None},
    "parties": [
        {"role": "buyer", "name": "Buyer SA", "country": "MX", "identifiers": []},
        {"role": "forwarder", "name": "Fwd", "country": "NL", "identifiers": [{"country": "CN"}]},
        {"role": "payer", "name": "Nobody", "country": None},
    ],
}


def _decision(order_id: str, *findings: tuple[str, OrderOutcome]) -> Decision:
    return Decision.from_findings(
        order_id,
        tuple(Finding(rule, "1", outcome, f"{rule} on {order_id}") for rule, outcome in findings),
        VERSIONS,
        input_hash({"id": order_id}),
    )


def _facts(engine: Engine) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    with db.session_scope(engine) as session:
        rules = {(r.rule_id, r.case_id) for r in session.execute(select(CaseRuleRow)).scalars()}
        countries = {
            (c.country, c.case_id) for c in session.execute(select(CaseCountryRow)).scalars()
        }
    return rules, countries


def test_a_case_is_indexed_by_its_flagging_rules_and_countries(database_url: str) -> None:
    engine = db.open_database(database_url)
    items = [
        DecisionToStore(
            _decision("A-1", ("ORD-X", OrderOutcome.HOLD), ("ORD-Y", OrderOutcome.CLEAR)),
            order_data=ORDER,
        ),
        DecisionToStore(_decision("A-2", ("ORD-X2", OrderOutcome.REVIEW))),
        DecisionToStore(_decision("A-3", ("ORD-X", OrderOutcome.CLEAR)), order_data=ORDER),
    ]
    with db.session_scope(engine) as session:
        ids = record_decisions(session, items)
        cases = dict(
            session.execute(
                select(CaseRow.decision_id, CaseRow.id).where(CaseRow.decision_id.in_(ids))
            ).all()
        )
    first, second = cases[ids[0]], cases[ids[1]]
    assert ids[2] not in cases  # clear: no case, nothing indexed
    rules, countries = _facts(engine)
    assert rules == {("ORD-X", first), ("ORD-X2", second)}  # ORD-Y was clear: not a flagging rule
    # origin, transit, destination and party countries, once each; not an identifier's country
    assert countries == {("IN", first), ("AE", first), ("NL", first), ("MX", first)}


def _sample_items(n: int = 80) -> list[DecisionToStore]:
    return [
        DecisionToStore(screen_order(s.order), order_data=s.order.to_json())
        for s in generate(n, seed=4, planted_rate=0.4)
    ]


def _insert_at_0004(engine: Engine, items: list[DecisionToStore]) -> int:
    """Decisions and cases written the way the code before 0005 wrote them (no index)."""
    opened = 0
    with engine.begin() as connection:
        for n, item in enumerate(items):
            d = item.decision.to_json()
            decision_id = connection.execute(
                insert(cast(Table, DecisionRow.__table__))
                .values(
                    order_id=item.decision.order_id,
                    input_hash=item.decision.input_hash,
                    outcome=item.decision.outcome.value,
                    findings=d["findings"],
                    versions=d["versions"],
                    knowledge_base_version="kb",
                    order_data=item.order_data,
                    decided_at=datetime.now(UTC),
                    run_id=None,
                    partition=None,
                    position=n,
                )
                .returning(DecisionRow.id)
            ).scalar_one()
            if item.decision.outcome is not OrderOutcome.CLEAR:
                connection.execute(
                    insert(cast(Table, CaseRow.__table__)).values(
                        decision_id=decision_id,
                        order_id=item.decision.order_id,
                        machine_outcome=item.decision.outcome.value,
                        status="open",
                        opened_at=datetime.now(UTC),
                        updated_at=datetime.now(UTC),
                    )
                )
                opened += 1
    return opened


def test_migration_0005_backfills_the_open_cases(database_url: str, tmp_path: Any) -> None:
    engine = db.engine_for(database_url)
    config = db._alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    items = _sample_items()
    opened = _insert_at_0004(engine, items)
    assert opened >= 10
    db.migrate(engine)
    assert db.current_revision(engine) == db.head_revision()
    backfilled = _facts(engine)

    expected_rules: set[tuple[str, int]] = set()
    expected_countries: set[tuple[str, int]] = set()
    with db.session_scope(engine) as session:
        stored = session.execute(
            select(CaseRow.id, DecisionRow.findings, DecisionRow.order_data).join(
                DecisionRow, DecisionRow.id == CaseRow.decision_id
            )
        ).all()
    assert len(stored) == opened
    for case_id, findings, order_data in stored:
        rules, countries = fact_rows(case_id, findings, order_data)
        expected_rules |= {(r["rule_id"], r["case_id"]) for r in rules}
        expected_countries |= {(c["country"], c["case_id"]) for c in countries}
    assert backfilled == (expected_rules, expected_countries)
    assert len({case for _, case in backfilled[0]}) == opened  # every case has a flagging rule
    engine.dispose()

    # the same decisions recorded by the current code on a fresh database: the same index
    fresh = db.open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    with db.session_scope(fresh) as session:
        record_decisions(session, items)
    assert _facts(fresh) == backfilled
