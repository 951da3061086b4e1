"""The suspicious-order report carries the contents of 21 CFR 1310.06 and says what is missing."""

from __future__ import annotations

from datetime import date

from precursor_watch.domain.findings import Decision, Finding, input_hash
from precursor_watch.domain.orders import Order, OrderLine, OrderParty, PartyRole, Route, Shipping
from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.domain.parties import Identifier
from precursor_watch.domain.provenance import DataVersions
from precursor_watch.reports.suspicious_order import (
    build_suspicious_order_report,
    render_suspicious_order_html,
)
from precursor_watch.screening.batch_records import DecisionToStore
from precursor_watch.storage import db
from precursor_watch.storage.cases import dispose_case, get_case, list_cases
from precursor_watch.storage.decisions import record_decisions

ORDER = Order(
    order_id="SO-9",
    date=date(2026, 3, 2),
    lines=(
        OrderLine(1, "4-piperidone HCl", cas="40064-34-4", quantity=25, unit="kg"),
        OrderLine(2, "acetone <b>", quantity=5, unit="L", packaging="5 L can"),
    ),
    parties=(
        OrderParty(
            PartyRole.SELLER, "Seller GmbH", "DE", "Hauptstr. 1, Berlin", contacts=("+49 30 1",)
        ),
        OrderParty(
            PartyRole.BUYER,
            "Buyer S.A. <script>",
            "MX",
            None,
            identifiers=(Identifier("dea", "RB1234563", "MX"), Identifier("tax", "XAXX010101000")),
        ),
    ),
    route=Route("DE", (), "MX"),
    shipping=Shipping(urgent=True, mode="courier"),
)
FINDING = Finding(
    "ORD-SUB-CONTROLLED",
    "1",
    OrderOutcome.HOLD,
    "Line 1: 4-Piperidone is controlled in US.",
    {"substance": "4-Piperidone"},
    citation="21 CFR 1310.02",
    line=1,
)


def test_report_fields_follow_1310_06(database_url: str) -> None:
    engine = db.open_database(database_url)
    decision = Decision.from_findings(
        "SO-9", (FINDING,), DataVersions("kb-1", "rs-1"), input_hash(ORDER.to_json())
    )
    with db.session_scope(engine) as session:
        record_decisions(session, [DecisionToStore(decision, order_data=ORDER.to_json())])
        case_id = list_cases(session)[0].id
        dispose_case(session, case_id, "reported_to_authority", "first order, courier", user="ann")
    with db.session_scope(engine) as session:
        report = build_suspicious_order_report(get_case(session, case_id), prepared_by="ann")
    assert report["regulation"] == "21 CFR 1310.06"
    assert [p["role"] for p in report["parties"]] == ["seller", "buyer"]
    assert report["parties"][1]["registration_numbers"] == ["RB1234563"]
    assert report["transaction_date"] == "2026-03-02"
    assert report["chemicals"][0]["identified_as"] == "4-Piperidone"
    assert report["chemicals"][0]["quantity"] == 25
    assert report["method_of_transfer"]["shipping_mode"] == "courier"
    assert report["purchaser_identification"] == ["dea: RB1234563", "tax: XAXX010101000"]
    assert report["basis"]["findings"][0]["rule_id"] == "ORD-SUB-CONTROLLED"
    assert report["basis"]["human_disposition"]["disposition"] == "reported_to_authority"
    assert set(report["missing"]) == {
        "(a)(1) address of the buyer",
        "(a)(1) contact information of the buyer",
        "(a)(3) form of packaging (or NDC number) of line 1",
    }
    html = render_suspicious_order_html(report)
    assert "<script>" not in html and "Buyer S.A. &lt;script&gt;" in html
    assert "not in the order record" in html and "1310.06(a)(5)" in html
