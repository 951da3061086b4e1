"""Read the table-driven chemistry test cases in tests/chem/cases/."""

from __future__ import annotations

import csv
from pathlib import Path

CASES = Path(__file__).with_name("cases")


def read_cases(name: str) -> list[dict[str, str]]:
    """Rows of ``tests/chem/cases/<name>`` as dicts (empty cells are empty strings)."""
    with (CASES / name).open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "") for k, v in row.items()} for row in csv.DictReader(handle)]


def split_list(cell: str) -> list[str]:
    return [part for part in cell.split(";") if part]
