"""What the case queue filters a case on: the rules that flagged it and the countries its order
touches. Pure: ``screening.batch_records.PreparedDecision`` computes them where a decision is
made (from the objects), ``storage.case_index`` writes them, migration 0005 backfills them from
the stored JSON (text or value).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

COUNTRY_MAX = 100  # longer values are not country codes; they are left out of the index


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
