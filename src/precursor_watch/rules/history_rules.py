"""Rules that compare the order with the customer's own history: first orders, quantities far
above the baseline, deliveries split across sites, orders of unusual frequency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from precursor_watch.domain.findings import Finding
from precursor_watch.domain.orders import HistoryLine
from precursor_watch.rules.catalog import RuleSpec
from precursor_watch.rules.facts import LineFacts, OrderFacts
from precursor_watch.rules.registry import evaluates, finding


def _fmt(qty: float, unit: str) -> str:
    return f"{qty:g} {unit}"


def is_new_customer(facts: OrderFacts) -> bool:
    """The seller's own flag when the input gives it; otherwise no recorded earlier order."""
    buyer = facts.order.buyer
    if buyer is not None and buyer.is_new_customer is not None:
        return buyer.is_new_customer
    return not facts.any_history


@evaluates("ORD-RF-NEW-LARGE")
def new_customer_large_first_order(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """A new customer's order asks for ``min_kg`` kg or ``min_l`` L or more of a controlled,
    watch or unidentified substance, or a line worth ``min_value`` or more. The limits are tool
    defaults, not legal thresholds: set them in ``order_rules.csv``."""
    if not is_new_customer(facts):
        return
    for lf in facts.lines:
        if not facts.watched(lf):
            continue
        limit = None
        if lf.quantity is not None:
            qty, unit = lf.quantity
            lim = spec.param("min_kg") if unit == "kg" else spec.param("min_l")
            if qty >= lim:
                limit = _fmt(lim, unit)
        value = (lf.line.unit_price or 0) * (lf.line.quantity or 0)
        if limit is None and value >= spec.param("min_value"):
            limit = f"value {spec.param('min_value'):g}"
        if limit is not None:
            yield finding(
                spec,
                facts,
                line=lf.line.line_no,
                substance=lf.name,
                quantity=_fmt(*lf.quantity) if lf.quantity else f"value {value:g}",
                limit=limit,
            )


@evaluates("ORD-RF-ABOVE-HISTORY")
def quantity_above_history(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """The quantity is ``factor`` times or more the largest quantity of the same substance in
    at least ``min_orders`` earlier orders of the customer."""
    for lf in facts.lines:
        if lf.quantity is None:
            continue
        qty, unit = lf.quantity
        count, largest = facts.quantity_baseline(lf.substance_key, unit)
        if count < spec.param("min_orders"):
            continue
        if largest > 0 and qty >= spec.param("factor") * largest:
            yield finding(
                spec,
                facts,
                line=lf.line.line_no,
                substance=lf.name,
                quantity=_fmt(qty, unit),
                ratio=round(qty / largest, 1),
                count=count,
                largest=_fmt(largest, unit),
            )


def _window(facts: OrderFacts, lf: LineFacts, days: float) -> list[HistoryLine]:
    """The customer's lines of the substance dated within ``days`` before the order's day."""
    day = facts.day
    if day is None:
        return []
    return facts.history_dated(lf.substance_key, day - timedelta(days=days), day)


def _total(lf: LineFacts, recent: list[HistoryLine]) -> str:
    if lf.quantity is None:
        return "quantity unknown"
    unit = lf.quantity[1]
    qty = lf.quantity[0] + sum(h.quantity or 0.0 for h in recent if h.unit == unit)
    return _fmt(qty, unit)


@evaluates("ORD-RF-SPLIT-SITES")
def split_across_sites(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """Within ``window_days``, the customer's orders of one controlled, watch or unidentified
    substance (this one included) go to ``min_sites`` or more different delivery sites."""
    days = spec.param("window_days")
    for lf in facts.lines:
        if not facts.watched(lf):
            continue
        recent = _window(facts, lf, days)
        sites = {h.ship_to for h in recent if h.ship_to} | {facts.order.ship_to or ""}
        sites.discard("")
        if len(sites) >= spec.param("min_sites"):
            yield finding(
                spec,
                facts,
                line=lf.line.line_no,
                substance=lf.name,
                sites=len(sites),
                days=int(days),
                orders=len({h.order_id for h in recent}) + 1,
                total=_total(lf, recent),
            )


def _baseline(facts: OrderFacts, lf: LineFacts, days: float) -> float | None:
    """The customer's usual number of orders of this substance per window, from its history
    before the window (None without such history)."""
    day = facts.day
    if day is None:
        return None
    start = day - timedelta(days=days)
    earlier = [
        h for h in facts.history_of(lf.substance_key) if h.date is not None and h.date < start
    ]
    if not earlier:
        return None
    first = min(h.date for h in earlier if h.date is not None)
    span = max((start - first).days, days)
    return len({h.order_id for h in earlier}) * days / span


@evaluates("ORD-RF-FREQUENCY")
def unusual_frequency(spec: RuleSpec, facts: OrderFacts) -> Iterator[Finding]:
    """Within ``window_days`` this is the customer's ``min_orders``-th order or more of a
    precursor or watch substance, and at least ``factor`` times its usual number of orders per
    window (when its earlier history gives one)."""
    days = spec.param("window_days")
    for lf in facts.lines:
        if not facts.watched(lf):
            continue
        recent = _window(facts, lf, days)
        count = len({h.order_id for h in recent}) + 1
        usual = _baseline(facts, lf, days)
        if count < spec.param("min_orders"):
            continue
        if usual is not None and count < spec.param("factor") * usual:
            continue
        yield finding(
            spec,
            facts,
            line=lf.line.line_no,
            substance=lf.name,
            orders=count,
            days=int(days),
            usual="no earlier history" if usual is None else f"usually {usual:.1f}",
            total=_total(lf, recent),
        )
