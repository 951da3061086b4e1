"""Index the cases that open: the rules that flagged each and the countries of its order, so
that the case queue filters by rule and country with an exact, indexed match.

:func:`index_cases` runs in the transaction of ``storage.decisions.record_decisions`` (one line
there) with the decisions as that function prepared them; it reads only the flagged ones (clear
decisions open no case) and writes each table with one multi-row insert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from precursor_watch.screening.case_facts import flagging_rules, order_countries
from precursor_watch.storage.bulk_insert import insert_tuples
from precursor_watch.storage.case_fact_tables import CaseCountryRow, CaseRuleRow


class StoredFacts(Protocol):
    """What :func:`index_cases` reads of a prepared decision: the rules that flagged it and the
    countries of its order (``screening.case_facts``), computed where it was made."""

    @property
    def flagging_rules(self) -> tuple[str, ...]: ...
    @property
    def countries(self) -> tuple[str, ...]: ...


def fact_rows(
    case_id: int, findings: Any, order_data: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The case_rules and case_countries rows of one case from its stored findings and order
    (JSON text or value), as the backfill reads them."""
    return _rows(case_id, flagging_rules(findings), order_countries(order_data))


def _rows(
    case_id: int, rules: Iterable[str], countries: Iterable[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        [{"rule_id": r, "case_id": case_id} for r in sorted(rules)],
        [{"country": c, "case_id": case_id} for c in sorted(countries)],
    )


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
    rules: list[tuple[str, int]] = []
    countries: list[tuple[str, int]] = []
    for decision_id, decision in zip(decision_ids, decisions, strict=True):
        case_id = case_ids.get(decision_id)
        if case_id is None:
            continue
        rules.extend((r, case_id) for r in sorted(decision.flagging_rules))
        countries.extend((c, case_id) for c in sorted(decision.countries))
    insert_tuples(session, cast(Table, CaseRuleRow.__table__), ("rule_id", "case_id"), rules)
    insert_tuples(session, cast(Table, CaseCountryRow.__table__), ("country", "case_id"), countries)
