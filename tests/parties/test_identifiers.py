"""Identifiers match exactly after normalization of their family, typed or not."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from precursor_watch.domain.parties import Identifier
from precursor_watch.parties.identifiers import identifier_keys, phone_suffix_keys

CASES = Path(__file__).resolve().parents[1] / "cases" / "party_identifiers.csv"
ROWS = list(csv.DictReader(CASES.open(encoding="utf-8")))


@pytest.mark.parametrize("row", ROWS, ids=[r["why"] for r in ROWS])
def test_identifier_matching(row: dict[str, str]) -> None:
    listed = identifier_keys([Identifier(row["kind"], row["value"])])
    listed |= phone_suffix_keys(listed)
    typed = identifier_keys([Identifier("", row["query"])], guess=True)
    typed |= phone_suffix_keys(typed)
    assert bool(listed & typed) == (row["matches"] == "yes")


def test_the_matcher_imports_no_database_web_or_cli() -> None:
    code = (
        "import sys, precursor_watch.parties, precursor_watch.parties.active_lists; "
        "print(','.join(m for m in ('sqlalchemy', 'fastapi', 'click', 'rdkit') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
