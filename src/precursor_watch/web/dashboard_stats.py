"""Figures for the dashboard, read from the decisions and cases tables (read-only)."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precursor_watch.storage.case_tables import CaseRow, DecisionRow

OUTCOMES = ("block", "hold", "review", "clear")
RECENT_DECISIONS = 20_000  # the charts of rules, countries and substances read at most these
TOP = 8

_cache: dict[tuple[str, int | None], dict[str, Any]] = {}
_cache_lock = threading.Lock()


def order_day(order: dict[str, Any] | None) -> str | None:
    """The order's own date (``YYYY-MM-DD``) when it has one."""
    day = (order or {}).get("date")
    return str(day)[:10] if day else None


def destination_of(order: dict[str, Any] | None) -> str | None:
    """The destination country of an order as stored, else its buyer's country."""
    if not order:
        return None
    route = order.get("route") or {}
    if route.get("destination"):
        return str(route["destination"])
    for party in order.get("parties") or ():
        if party.get("role") == "buyer" and party.get("country"):
            return str(party["country"])
    return None


def _top(counter: Counter[str]) -> list[dict[str, Any]]:
    return [{"label": label, "count": count} for label, count in counter.most_common(TOP)]


def _scan(session: Session) -> dict[str, Any]:
    recent = session.execute(
        select(DecisionRow.outcome, DecisionRow.findings, DecisionRow.order_data)
        .order_by(DecisionRow.id.desc())
        .limit(RECENT_DECISIONS)
    ).all()
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    rules: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    substances: Counter[str] = Counter()
    undated = 0
    for outcome, findings, order in recent:
        day = order_day(order)
        if day is None:  # the batch runner stores the order only for flagged decisions
            undated += 1
        else:
            per_day[day][outcome] += 1
        if outcome == "clear":
            continue
        country = destination_of(order)
        if country:
            countries[country] += 1
        seen: set[str] = set()
        for finding in findings or ():
            if finding.get("outcome") == "clear":
                continue
            rules[str(finding.get("rule_id"))] += 1
            substance = (finding.get("evidence") or {}).get("substance")
            if substance and str(substance) not in seen:
                seen.add(str(substance))
                substances[str(substance)] += 1
    return {
        "decisions_by_day": [
            {"day": day, **{o: per_day[day].get(o, 0) for o in OUTCOMES}} for day in sorted(per_day)
        ],
        "top_rules": _top(rules),
        "top_countries": _top(countries),
        "top_substances": _top(substances),
        "window": min(len(recent), RECENT_DECISIONS),
        "undated": undated,
    }


def recent_figures(session: Session) -> dict[str, Any]:
    """The charts over the latest decisions. Decisions are immutable, so the figures are kept
    until a newer decision is stored (key: the database and its newest decision id)."""
    newest = session.execute(select(func.max(DecisionRow.id))).scalar_one_or_none()
    key = (str(session.get_bind().engine.url), newest)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    figures = _scan(session)
    with _cache_lock:
        _cache.clear()
        _cache[key] = figures
    return figures


def dashboard_stats(session: Session) -> dict[str, Any]:
    by_outcome = dict(
        session.execute(
            select(DecisionRow.outcome, func.count()).group_by(DecisionRow.outcome)
        ).all()
    )
    cases_by_status = dict(
        session.execute(select(CaseRow.status, func.count()).group_by(CaseRow.status)).all()
    )
    return {
        "decisions": {o: int(by_outcome.get(o, 0)) for o in OUTCOMES},
        "total_decisions": int(sum(by_outcome.values())),
        "cases": {str(k): int(v) for k, v in cases_by_status.items()},
        **recent_figures(session),
    }
