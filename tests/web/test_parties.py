"""Party screening over HTTP against the real 2024-05-03 SDN loaded in the console database."""

from __future__ import annotations

from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import Console


def test_variant_name_matches_with_features(console: Console, sdn_loaded: str) -> None:
    body = (
        console.api(Role.ANALYST)
        .get(
            "/api/parties/screen",
            params={"name": "Hubei Vast Chemical Company Ltd", "country": "CN"},
        )
        .json()
    )
    assert body["status"] == "match"
    best = body["matches"][0]
    assert best["entity_id"] == "45393" and best["list"] == sdn_loaded
    assert best["features"] and all(f["explanation"] for f in best["features"])
    assert body["list_versions"][sdn_loaded]
    entry = best["entry"]  # the stored list entry, side by side with the query
    assert "www.vast-chem.com" in " ".join(entry["identifiers"]).lower()
    assert entry["source_line"]


def test_identifier_alone_matches(console: Console, sdn_loaded: str) -> None:
    body = (
        console.api(Role.ANALYST)
        .post("/api/parties/screen", json={"identifiers": ["www.vast-chem.com"]})
        .json()
    )
    assert body["matches"] and body["matches"][0]["entity_id"] == "45393"


def test_bad_party_fields_are_named(console: Console, sdn_loaded: str) -> None:
    api = console.api(Role.ANALYST)
    empty = api.post("/api/parties/screen", json={"name": " "})
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "name"
    country = api.post("/api/parties/screen", json={"name": "x", "country": "China"})
    assert country.status_code == 422 and country.json()["error"]["field"] == "country"
    kind = api.get("/api/parties/screen", params={"name": "x", "type": "robot"})
    assert kind.status_code == 422 and kind.json()["error"]["field"] == "type"


def test_page_shows_matches_side_by_side(console: Console, sdn_loaded: str) -> None:
    client, _ = console.browser(Role.ANALYST)
    page = client.get("/parties", params={"name": "HUBEI VAST CHEMICAL", "country": "CN"})
    assert page.status_code == 200
    assert 'data-status="match"' in page.text or 'data-status="possible"' in page.text
    assert "Your query" in page.text and 'class="features"' in page.text
    bad = client.get("/parties", params={"name": "x", "type": "robot"})
    assert bad.status_code == 422 and "type" in bad.text
