"""``precursor_watch.screen_party`` and ``precursor-watch party`` over lists loaded in a real
database (SQLite and PostgreSQL), from a small real extract of the 2024-05-03 SDN."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from precursor_watch import screen_party
from precursor_watch.cli.main import cli
from precursor_watch.domain.outcomes import PartyStatus
from precursor_watch.errors import InputError, NotFoundError
from precursor_watch.storage.db import open_database
from precursor_watch.storage.list_store import load_list
from tests.parties.acceptance import SDN_2024

# Real narcotics-program entries: HUBEI VAST CHEMICAL, ZHANG Lei, GUZMAN LOERA, YOULI (weak aka).
ENTRIES = ("45393", "16318", "6861", "41376", "45380", "45396")


@pytest.fixture
def sdn_extract(tmp_path: Path) -> Path:
    """A few real rows of sdn.csv, copied byte for byte into a dated folder."""
    folder = tmp_path / "ofac_sdn_2024-05-03"
    folder.mkdir()
    raw = (SDN_2024 / "sdn.csv").read_bytes().split(b"\r\n")
    rows = [r for r in raw if r.split(b",", 1)[0] in {e.encode() for e in ENTRIES}]
    assert len(rows) == len(ENTRIES)
    (folder / "sdn.csv").write_bytes(b"\r\n".join(rows) + b"\r\n")
    return folder


@pytest.fixture
def loaded(database_url: str, sdn_extract: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    load_list(open_database(database_url), sdn_extract)
    monkeypatch.setenv("PRECURSOR_WATCH_DB", database_url)
    return database_url


def test_screen_party_uses_the_loaded_list(loaded: str) -> None:
    result = screen_party("Vast Chemical (Hubei)", country="HK", entity_type="organization")
    assert result.status is PartyStatus.MATCH
    top = result.matches[0]
    assert (top.list, top.entity_id, top.name) == (
        "us_ofac_sdn",
        "45393",
        "HUBEI VAST CHEMICAL CO., LIMITED",
    )
    assert top.list_version.startswith("2024-05-03")
    assert result.list_versions["us_ofac_sdn"] == top.list_version
    assert result.matcher == "pw-party-v1"


def test_identifier_alone_matches(loaded: str) -> None:
    result = screen_party("", identifiers=["http://www.vast-chem.com/contact"])
    assert result.status is PartyStatus.MATCH
    assert result.matches[0].entity_id == "45393"


def test_a_weak_alias_is_at_most_possible(loaded: str) -> None:
    result = screen_party("Yoli Machine")
    assert result.status is PartyStatus.POSSIBLE
    assert result.matches[0].entity_id == "41376"


def test_cli_json_lines_in_input_order(loaded: str) -> None:
    stdin = "Hubei Jiuzhou Pharmaceutical Co Ltd\n张磊\n"
    out = CliRunner().invoke(
        cli, ["party", "--json", "Joaquin Guzman Loera", "-"], input=stdin, catch_exceptions=False
    )
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.output.splitlines()]
    assert [line["query"] for line in lines] == [
        "Joaquin Guzman Loera",
        "Hubei Jiuzhou Pharmaceutical Co Ltd",
        "张磊",
    ]
    assert [line["status"] for line in lines] == ["match", "clear", "match"]
    first = lines[0]["matches"][0]
    assert first["entity_id"] == "6861" and first["programs"] == ["SDNTK"]
    assert {"list", "list_version", "name", "matched_name", "score", "countries"} <= set(first)
    assert all(f["explanation"] for f in first["features"])
    assert lines[1]["matches"] == []


def test_cli_table_and_options(loaded: str) -> None:
    out = CliRunner().invoke(
        cli, ["party", "--country", "CN", "--type", "person", "Lei Zhang"], catch_exceptions=False
    )
    assert out.exit_code == 0
    assert "MATCH" in out.output and "ZHANG, Lei" in out.output and "#16318" in out.output


def test_no_list_loaded_is_said_clearly(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECURSOR_WATCH_DB", database_url)
    with pytest.raises(NotFoundError, match="no sanctions or watch list is loaded"):
        screen_party("Hubei Vast Chemical")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x", "country": "China"}, "country"),
        ({"name": "x", "entity_type": "ship"}, "entity_type"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(InputError) as caught:
        screen_party(**kwargs)
    assert caught.value.field == field


def test_cli_without_a_name_says_what_is_missing() -> None:
    from precursor_watch.cli.main import main

    with pytest.raises(SystemExit) as caught:
        main(["party"])
    assert caught.value.code == InputError.exit_code
