"""Index the cases that open: the rules that flagged each and the countries of its order, so
that the case queue filters by rule and country with an exact, indexed match.

:func:`index_cases` runs in the transaction of ``storage.decisions.record_decisions`` (one line
there) with the decisions as that function prepared them; it reads only the flagged ones (clear
decisions open no case) and writes each table with one multi-row insert.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from precursor_watch.storage.case_fact_tables import CaseCountryRow, CaseRuleRow

COUNTRY_MAX = 100  # longer values are not country codes; they are left out of the index


class StoredFacts(Protocol):
    """What :func:`index_cases` reads of a prepared decision: its findings and order as the
    JSON columns store them (text already serialized, or the value)."""

    @property
    def findings(self) -> Any: ...
    @property
    def order_data(self) -> Any: ...


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def flagging_rules(findings: Any) -> set[str]:
    """The rule ids of the findings above clear (a flagged decision also carries clear
    findings, e.g. that a substance is listed but the quantity is small: those did not open
    the case)."""
    return {
        str(f["rule_id"])
        for f in _loaded(findings) or ()
        if f.get("rule_id") and f.get("outcome", "clear") != "clear"
    }


def order_countries(order_data: Any) -> set[str]:
    """The countries an order as stored touches: route origin, each transit country and the
    destination, and every party's country (an identifier's issuing country is not one)."""
    order = _loaded(order_data)
    if not isinstance(order, Mapping):
        return set()
    route = order.get("route") or {}
    codes = [route.get("origin"), route.get("destination"), *(route.get("transit") or ())]
    codes.extend(p.get("country") for p in order.get("parties") or () if isinstance(p, Mapping))
    found = {str(code).strip().upper() for code in codes if code}
    return {code for code in found if code and len(code) <= COUNTRY_MAX}


def fact_rows(
    case_id: int, findings: Any, order_data: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The case_rules and case_countries rows of one case."""
    rules = [{"rule_id": r, "case_id": case_id} for r in sorted(flagging_rules(findings))]
    countries = [{"country": c, "case_id": case_id} for c in sorted(order_countries(order_data))]
    return rules, countries


def insert_fact_rows(
    session: Session, rules: Sequence[dict[str, Any]], countries: Sequence[dict[str, Any]]
) -> None:
    if rules:
        session.execute(insert(cast(Table, CaseRuleRow.__table__)), list(rules))
    if countries:
        session.execute(insert(cast(Table, CaseCountryRow.__table__)), list(countries))


def index_cases(
    session: Session,
    decision_ids: Iterable[int],
    decisions: Iterable[StoredFacts],
    case_ids: Mapping[int, int],
) -> None:
    """Write the index rows of the cases just opened: ``case_ids`` maps decision id -> case id
    (``decision_ids`` and ``decisions`` side by side, as ``record_decisions`` has them)."""
    if not case_ids:
        return
    rules: list[dict[str, Any]] = []
    countries: list[dict[str, Any]] = []
    for decision_id, decision in zip(decision_ids, decisions, strict=True):
        case_id = case_ids.get(decision_id)
        if case_id is None:
            continue
        case_rules, case_countries = fact_rows(case_id, decision.findings, decision.order_data)
        rules.extend(case_rules)
        countries.extend(case_countries)
    insert_fact_rows(session, rules, countries)
