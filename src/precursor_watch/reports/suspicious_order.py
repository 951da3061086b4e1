"""A suspicious-order report for a case, with the contents 21 CFR 1310.06 asks for.

21 CFR 1310.06(c)(1) says a report required by 1310.05(a) must include the information of
1310.06(a), the basis for making the report and, where obtainable, the registration number of
the other party. 1310.06(a) lists (text as published at
https://www.govregs.com/regulations/title21_chapterII_part1310_section1310.06, checked against
the GPO edition http://edocket.access.gpo.gov/cfr_2005/aprqtr/21cfr1310.06.htm):

    (a)(1) name/business name, address, contact information and, if required, DEA registration
           number of each party to the regulated transaction      -> ``parties``
    (a)(2) the date of the regulated transaction                   -> ``transaction_date``
    (a)(3) the quantity, chemical name and, if applicable, NDC number, else the form of
           packaging of the listed chemical                        -> ``chemicals``
    (a)(4) the method of transfer                                  -> ``method_of_transfer``
    (a)(5) the type of identification used by the purchaser and any unique number on it
                                                                   -> ``purchaser_identification``
    (c)(1) the basis for making the report                         -> ``basis``
           the registration number of the other party, where obtainable
                                                                   -> ``other_party_registration``

A field the order record does not contain is listed in ``missing`` (and printed as "not in the
order record") so that the person filing completes it: nothing is left out silently. This is a
draft for a person to file; it is not itself a filing with DEA.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from precursor_watch.reports.rendering import render
from precursor_watch.storage.cases import CaseDetail

REGULATION = "21 CFR 1310.06"
REGULATION_URL = "https://www.govregs.com/regulations/title21_chapterII_part1310_section1310.06"
REGISTRATION_KINDS = ("dea", "registration", "dea_registration", "licence", "license")
NOT_RECORDED = "not in the order record"


def _party(p: dict[str, Any]) -> dict[str, Any]:
    ids = p.get("identifiers") or []
    registration = [i["value"] for i in ids if str(i.get("kind", "")).lower() in REGISTRATION_KINDS]
    return {
        "role": p.get("role"),
        "name": p.get("name"),
        "address": p.get("address"),
        "country": p.get("country"),
        "contacts": list(p.get("contacts") or []),
        "registration_numbers": registration,
        "identifiers": [f"{i.get('kind')}: {i.get('value')}" for i in ids],
        "customer_id": p.get("customer_id"),
    }


def _chemical(line: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    names = [
        str(f["evidence"]["substance"])
        for f in findings
        if f.get("line") == line.get("line_no") and "substance" in (f.get("evidence") or {})
    ]
    return {
        "line_no": line.get("line_no"),
        "declared_name": line.get("product_name"),
        "identified_as": names[0] if names else None,
        "cas": line.get("cas"),
        "hs_code": line.get("hs_code"),
        "quantity": line.get("quantity"),
        "unit": line.get("unit"),
        "concentration_percent": line.get("concentration"),
        "packaging": line.get("packaging"),
        "ndc_number": None,
    }


def build_suspicious_order_report(
    detail: CaseDetail, *, prepared_by: str, now: datetime | None = None
) -> dict[str, Any]:
    """The report as JSON-ready data. Raises nothing for missing order data: it says what is
    missing instead."""
    decision = detail.decision
    order = decision.order_data or {}
    findings = [f for f in decision.findings if f.get("outcome") != "clear"]
    parties = [_party(p) for p in order.get("parties") or []]
    buyer = next((p for p in parties if p["role"] == "buyer"), None)
    shipping = order.get("shipping") or {}
    route: dict[str, Any] = {
        "origin": None,
        "transit": [],
        "destination": None,
        "port_of_exit": None,
    }
    route.update(order.get("route") or {})
    transfer = {
        "shipping_mode": shipping.get("mode"),
        "urgent": shipping.get("urgent"),
        "labelling_request": shipping.get("labelling"),
        "route": route,
        "payment": order.get("payment") or None,
    }
    report: dict[str, Any] = {
        "regulation": REGULATION,
        "regulation_url": REGULATION_URL,
        "case_id": detail.case.id,
        "order_id": decision.order_id,
        "prepared_by": prepared_by,
        "prepared_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "parties": parties,
        "transaction_date": order.get("date"),
        "chemicals": [_chemical(line, findings) for line in order.get("lines") or []],
        "method_of_transfer": transfer,
        "purchaser_identification": buyer["identifiers"] if buyer else [],
        "other_party_registration": buyer["registration_numbers"] if buyer else [],
        "basis": {
            "machine_decision": decision.outcome,
            "findings": [
                {
                    "rule_id": f.get("rule_id"),
                    "outcome": f.get("outcome"),
                    "sentence": f.get("sentence"),
                    "citation": f.get("citation"),
                }
                for f in findings
            ],
            "human_disposition": (
                {
                    "disposition": detail.disposition.disposition,
                    "reason": detail.disposition.reason,
                    "by": detail.disposition.decided_by,
                    "at": detail.disposition.decided_at.isoformat(timespec="seconds"),
                }
                if detail.disposition
                else None
            ),
            "comments": [
                {
                    "author": c.author,
                    "at": c.created_at.isoformat(timespec="seconds"),
                    "body": c.body,
                }
                for c in detail.comments
            ],
        },
        "provenance": {
            "decision_id": decision.id,
            "input_hash": decision.input_hash,
            "versions": decision.versions,
            "run_id": decision.run_id,
        },
    }
    report["missing"] = missing_fields(report)
    return report


def missing_fields(report: dict[str, Any]) -> list[str]:
    """The 1310.06 contents this order record does not supply."""
    missing: list[str] = []
    if not report["parties"]:
        missing.append("(a)(1) parties to the transaction")
    for p in report["parties"]:
        if not p["address"]:
            missing.append(f"(a)(1) address of the {p['role']}")
        if not p["contacts"]:
            missing.append(f"(a)(1) contact information of the {p['role']}")
    if not report["transaction_date"]:
        missing.append("(a)(2) date of the transaction")
    for c in report["chemicals"]:
        if c["quantity"] is None:
            missing.append(f"(a)(3) quantity of line {c['line_no']}")
        if not c["packaging"]:
            missing.append(f"(a)(3) form of packaging (or NDC number) of line {c['line_no']}")
    if not report["method_of_transfer"]["shipping_mode"]:
        missing.append("(a)(4) method of transfer")
    if not report["purchaser_identification"]:
        missing.append("(a)(5) identification used by the purchaser")
    if not report["other_party_registration"]:
        missing.append("(c)(1) registration number of the other party (where obtainable)")
    return missing


def render_suspicious_order_html(report: dict[str, Any]) -> str:
    """A printable page of the report (A4/Letter, no JavaScript)."""
    return render("suspicious_order.html", r=report, not_recorded=NOT_RECORDED)
