"""Screen one order over HTTP with the real engine; stored decisions open cases."""

from __future__ import annotations

from typing import Any

from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import Console


def npp_order(order_id: str) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "date": "2026-03-02",
        "parties": [
            {"role": "seller", "name": "Ningbo Example Chemicals Co., Ltd.", "country": "CN"},
            {"role": "buyer", "name": "Comercializadora Ejemplo S.A. de C.V.", "country": "MX"},
        ],
        "route": {"origin": "CN", "destination": "MX"},
        "payment": {"method": "bitcoin", "currency": "USD", "amount": 9000},
        "lines": [
            {
                "product_name": "N-Phenethyl-4-piperidone",
                "cas": "39742-60-4",
                "hs_code": "2933.39",
                "quantity": 25,
                "unit": "kg",
            }
        ],
    }


def test_controlled_precursor_order_is_stored_with_a_case(console: Console) -> None:
    api = console.api(Role.ANALYST)
    body = api.post("/api/orders/screen", json=npp_order("API-1")).json()
    assert body["decision"] in {"block", "hold"}
    assert any(f["rule_id"].startswith("ORD-SUB") for f in body["findings"])
    assert body["versions"]["knowledge_base"]
    assert body["case_id"] is not None
    case = console.api(Role.VIEWER).get(f"/api/cases/{body['case_id']}").json()
    assert case["case"]["order_id"] == "API-1"
    assert case["history"][0]["actor"] == "analyst"


def test_record_false_stores_nothing(console: Console) -> None:
    api = console.api(Role.ANALYST)
    body = api.post("/api/orders/screen", params={"record": "false"}, json=npp_order("API-2"))
    assert body.status_code == 200 and body.json()["case_id"] is None
    queue = console.api(Role.VIEWER).get("/api/cases").json()["cases"]
    assert all(c["order_id"] != "API-2" for c in queue)


def test_bad_order_fields_are_named(console: Console) -> None:
    api = console.api(Role.ANALYST)
    no_lines = dict(npp_order("API-3"), lines=[])
    r = api.post("/api/orders/screen", json=no_lines)
    assert r.status_code == 422 and r.json()["error"]["field"] == "lines"
    bad_qty = npp_order("API-4")
    bad_qty["lines"][0]["quantity"] = "lots"
    r = api.post("/api/orders/screen", json=bad_qty)
    assert r.status_code == 422 and r.json()["error"]["field"] == "lines.0.quantity"
    assert (
        console.api(Role.VIEWER).post("/api/orders/screen", json=npp_order("x")).status_code == 403
    )
