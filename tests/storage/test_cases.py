"""Decisions are stored immutably; non-clear ones open cases that people work without touching
the machine decision; every step is in the audit chain."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from precursor_watch.domain.findings import Decision, Finding, input_hash
from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.domain.provenance import DataVersions
from precursor_watch.errors import InvalidQueryError, NotFoundError
from precursor_watch.screening.batch_records import DecisionToStore
from precursor_watch.storage import db
from precursor_watch.storage.audit import read_entries, verify_chain
from precursor_watch.storage.case_tables import DecisionRow
from precursor_watch.storage.cases import (
    assign_case,
    comment_case,
    count_cases,
    dispose_case,
    get_case,
    list_cases,
)
from precursor_watch.storage.decisions import record_decisions

VERSIONS = DataVersions(knowledge_base="kb-test", rule_set="orders-test", lists={"ofac": "v1"})


def _decision(order_id: str, outcome: OrderOutcome) -> Decision:
    findings = (
        ()
        if outcome is OrderOutcome.CLEAR
        else (Finding("ORD-TEST", "1", outcome, f"test finding for {order_id}", {"x": 1}),)
    )
    return Decision.from_findings(order_id, findings, VERSIONS, input_hash({"id": order_id}))


def _store(engine: Engine) -> list[int]:
    items = [
        DecisionToStore(_decision("A-1", OrderOutcome.CLEAR)),
        DecisionToStore(_decision("A-2", OrderOutcome.HOLD), order_data={"order_id": "A-2"}),
        DecisionToStore(_decision("A-3", OrderOutcome.BLOCK)),
    ]
    with db.session_scope(engine) as session:
        return record_decisions(session, items)


def test_non_clear_decisions_open_cases(database_url: str) -> None:
    engine = db.open_database(database_url)
    _store(engine)
    with db.session_scope(engine) as session:
        cases = list_cases(session)
        assert [(c.order_id, c.machine_outcome, c.status) for c in cases] == [
            ("A-3", "block", "open"),
            ("A-2", "hold", "open"),
        ]
        detail = get_case(session, cases[1].id)
        assert detail.decision.findings[0]["rule_id"] == "ORD-TEST"
        assert detail.decision.versions["lists"] == {"ofac": "v1"}
        assert detail.decision.order_data == {"order_id": "A-2"}
        actions = [e.action for e in read_entries(session)]
    assert actions == ["decision.recorded"] * 3
    assert verify_chain(engine).count == 3


def test_case_workflow_keeps_the_machine_decision(database_url: str) -> None:
    engine = db.open_database(database_url)
    _store(engine)
    with db.session_scope(engine) as session:
        case_id = list_cases(session, outcome="hold")[0].id
        assert assign_case(session, case_id, "bob", actor="alice").status == "in_review"
        comment_case(session, case_id, "called the buyer", author="bob")
        dispose_case(session, case_id, "false_positive", "known paint maker", user="bob")
        dispose_case(session, case_id, "reported_to_authority", "second look", user="carol")
    with db.session_scope(engine) as session:
        detail = get_case(session, case_id)
        assert detail.case.status == "closed" and detail.case.assignee == "bob"
        assert [c.body for c in detail.comments] == ["called the buyer"]
        assert [d.disposition for d in detail.dispositions] == [
            "false_positive",
            "reported_to_authority",
        ]
        assert detail.disposition is not None and detail.disposition.decided_by == "carol"
        assert detail.decision.outcome == "hold"
        subject_actions = [e.action for e in read_entries(session, subject=f"case:{case_id}")]
        assert count_cases(session, status="closed") == 1
    assert subject_actions == ["case.dispose", "case.dispose", "case.comment", "case.assign"]
    assert verify_chain(engine).count == 3 + 4


def test_decision_rows_refuse_updates(database_url: str) -> None:
    engine = db.open_database(database_url)
    _store(engine)
    for statement in ("UPDATE decisions SET outcome = 'clear'", "DELETE FROM decisions"):
        with pytest.raises(Exception, match=r"immutable|append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        outcomes = conn.execute(select(DecisionRow.outcome).order_by(DecisionRow.id)).scalars()
        assert list(outcomes) == ["clear", "hold", "block"]


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda s, c: dispose_case(s, c, "approved", "why", user="u"), "unknown disposition"),
        (lambda s, c: dispose_case(s, c, "released", "  ", user="u"), "reason must not be empty"),
        (lambda s, c: assign_case(s, c, "", actor="u"), "assignee must not be empty"),
        (lambda s, c: comment_case(s, c, "", author="u"), "comment must not be empty"),
        (lambda s, c: list_cases(s, status="pending"), "unknown case status"),
    ],
)
def test_bad_case_requests_are_named(database_url: str, call: object, error: str) -> None:
    engine = db.open_database(database_url)
    _store(engine)
    with db.session_scope(engine) as session:
        case_id = list_cases(session)[0].id
        with pytest.raises(InvalidQueryError, match=error):
            call(session, case_id)  # type: ignore[operator]


def test_missing_case_is_not_found(database_url: str) -> None:
    engine = db.open_database(database_url)
    with db.session_scope(engine) as session, pytest.raises(NotFoundError, match="case 99"):
        get_case(session, 99)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DecisionRow)).scalar_one() == 0


def test_decision_audit_payloads_are_canonical_and_pin_the_decision(database_url: str) -> None:
    """Single decisions (no run): the payload is canonical JSON without ``run``; its digest is
    the sha256 of the decision's canonical JSON."""
    import hashlib
    import json

    from sqlalchemy import select

    from precursor_watch.domain.json_text import canonical_json
    from precursor_watch.storage.audit_tables import AuditEntryRow

    engine = db.open_database(database_url)
    ids = _store(engine)
    with db.session_scope(engine) as session:
        texts = (
            session.execute(
                select(AuditEntryRow.payload).where(AuditEntryRow.action == "decision.recorded")
            )
            .scalars()
            .all()
        )
    payloads = [json.loads(t) for t in texts][-3:]
    assert all(t == canonical_json(json.loads(t)) for t in texts)
    assert [p["decision_id"] for p in payloads] == ids
    assert ["case_id" in p for p in payloads] == [False, True, True]
    assert all("run" not in p for p in payloads)
    decision = _decision("A-2", OrderOutcome.HOLD)
    digest = hashlib.sha256(canonical_json(decision.to_json()).encode("utf-8")).hexdigest()
    assert payloads[1]["decision_sha256"] == digest
    assert payloads[1]["rule_ids"] == ["ORD-TEST"]
