"""Knowledge base pages and their JSON twins: substances, listings by jurisdiction, class rules."""

from __future__ import annotations

from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import Console


def test_overview_lists_substances_listings_and_rules(console: Console) -> None:
    body = console.api(Role.VIEWER).get("/api/knowledge-base").json()
    names = {s["name"] for s in body["substances"]}
    assert "N-Phenethyl-4-piperidone" in names
    un = body["listings_by_jurisdiction"]["UN"]
    assert any(x["substance_id"] == "npp" and x["effective"] == "2017-10-18" for x in un)
    assert all(r["legal_text"] and r["examples"] > 0 for r in body["class_rules"])


def test_substance_detail_and_page(console: Console) -> None:
    api = console.api(Role.VIEWER)
    body = api.get("/api/knowledge-base/substances/npp").json()
    assert body["substance"]["cas"] == "39742-60-4"
    assert {x["jurisdiction"] for x in body["listings"]} >= {"UN", "US"}
    assert api.get(body["picture"]).headers["content-type"].startswith("image/svg+xml")
    missing = api.get("/api/knowledge-base/substances/not-a-substance")
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "substance_id"
    client, _ = console.browser(Role.VIEWER)
    page = client.get("/knowledge-base/substances/npp")
    assert page.status_code == 200 and "39742-60-4" in page.text


def test_rule_page_shows_legal_text_and_test_molecules(console: Console) -> None:
    api = console.api(Role.VIEWER)
    overview = api.get("/api/knowledge-base").json()
    rule_id = overview["class_rules"][0]["rule_id"]
    body = api.get(f"/api/knowledge-base/rules/{rule_id}").json()
    assert body["rule"]["legal_text"]
    positives = [e for e in body["examples"] if e["expected"] == "match"]
    negatives = [e for e in body["examples"] if e["expected"] != "match"]
    assert positives and negatives
    drawn = api.get(positives[0]["picture"])
    assert drawn.status_code == 200 and "#FF8C33" in drawn.text
    client, _ = console.browser(Role.VIEWER)
    page = client.get(f"/knowledge-base/rules/{rule_id}")
    assert "Legal text" in page.text and positives[0]["name"] in page.text


def test_bad_structure_names_the_field(console: Console) -> None:
    r = console.api(Role.VIEWER).get("/api/structures/picture.svg", params={"smiles": "C1CC(("})
    assert r.status_code == 422 and r.json()["error"]["field"] == "smiles"
