"""Substance screening over HTTP: the JSON object, the picture with highlighted atoms, the page."""

from __future__ import annotations

from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import Console

HIGHLIGHT = "#FF8C33"  # precursor_watch.chem.drawing.HIGHLIGHT_RGB


def test_controlled_precursor_by_name(console: Console) -> None:
    body = (
        console.api(Role.ANALYST)
        .get("/api/substances/screen", params={"q": "1-boc-4-piperidone"})
        .json()
    )
    assert body["status"] == "controlled"
    assert body["substance"]["cas"] == "79099-07-3"
    assert {"UN", "US"} <= {c["jurisdiction"] for c in body["controls"]}
    assert body["picture"].startswith("/api/substances/picture.svg?q=")
    assert any(row["jurisdiction"] == "UN" for row in body["listing_history"])


def test_post_with_date_and_jurisdictions(console: Console) -> None:
    api = console.api(Role.ANALYST)
    before = api.post(
        "/api/substances/screen",
        json={"query": "4-piperidone", "as_of": "2024-12-02", "jurisdictions": ["UN"]},
    ).json()
    after = api.post(
        "/api/substances/screen",
        json={"query": "4-piperidone", "as_of": "2024-12-03", "jurisdictions": ["UN"]},
    ).json()
    assert [c["jurisdiction"] for c in before["controls"]] == []
    assert [c["jurisdiction"] for c in after["controls"]] == ["UN"]


def test_class_member_picture_highlights_the_matched_atoms(console: Console) -> None:
    api = console.api(Role.ANALYST)
    cbz = (
        "O=C1CCN(C(=O)OCc2ccccc2)CC1"  # Cbz-4-piperidone: covered by class rules, no list names it
    )
    body = api.get("/api/substances/screen", params={"q": cbz}).json()
    assert body["status"] == "controlled"
    assert {c["basis"] for c in body["controls"]} == {"class"}
    picture = api.get(body["picture"])
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert HIGHLIGHT in picture.text


def test_malformed_query_is_a_result_not_an_error(console: Console) -> None:
    body = console.api(Role.ANALYST).get("/api/substances/screen", params={"q": "C1CC(("}).json()
    assert body["status"] in {"invalid", "unknown"}
    assert body["picture"] is None


def test_bad_fields_are_named(console: Console) -> None:
    api = console.api(Role.ANALYST)
    bad_date = api.get("/api/substances/screen", params={"q": "NPP", "as_of": "yesterday"})
    assert bad_date.status_code == 422
    assert bad_date.json()["error"] == {
        "code": "bad_input",
        "message": bad_date.json()["error"]["message"],
        "field": "as_of",
    }
    bad_code = api.get("/api/substances/screen", params={"q": "NPP", "jurisdiction": "XX"})
    assert bad_code.status_code == 422
    assert bad_code.json()["error"]["field"] == "jurisdiction"
    assert "XX" in bad_code.json()["error"]["message"]
    missing = api.post("/api/substances/screen", json={"as_of": "2024-01-01"})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "query"


def test_unresolved_picture_is_404(console: Console) -> None:
    r = console.api(Role.VIEWER).get(
        "/api/substances/picture.svg", params={"q": "zzzz-not-a-thing"}
    )
    assert r.status_code == 404 and r.json()["error"]["field"] == "q"


def test_page_shows_status_structure_and_controls(console: Console) -> None:
    client, _ = console.browser(Role.ANALYST)
    page = client.get("/substances", params={"q": "NPP", "as_of": "", "jurisdiction": ["US", "UN"]})
    assert page.status_code == 200
    html = page.text
    assert 'data-status="controlled"' in html
    assert 'id="structure"' in html and "/api/substances/picture.svg" in html
    assert "<strong>UN</strong>" in html and "<strong>US</strong>" in html
    assert "Listing history" in html


def test_viewer_may_not_screen(console: Console) -> None:
    r = console.api(Role.VIEWER).get("/api/substances/screen", params={"q": "NPP"})
    assert r.status_code == 403
