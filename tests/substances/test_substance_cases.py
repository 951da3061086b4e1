"""The acceptance table: every case in tests/cases/substance_cases.csv screened with the real
knowledge base, real RDKit and real OPSIN (one batch for the whole table)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from precursor_watch import SubstanceScreening, screen_substances

CASES_FILE = Path(__file__).parents[1] / "cases" / "substance_cases.csv"


@dataclass(frozen=True)
class Case:
    line: int
    query: str
    status: str
    substance_id: str
    jurisdictions: tuple[str, ...]
    basis: str
    as_of: str
    filter: tuple[str, ...]
    watch_resembles: str
    category: str
    note: str

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.category}-{self.note[:40]}"


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split(";") if v)


def load_cases() -> list[Case]:
    with CASES_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Case(
            line=i + 2,
            query=row["query"],
            status=row["status"],
            substance_id=row["substance_id"],
            jurisdictions=_split(row["jurisdictions"]),
            basis=row["basis"],
            as_of=row["as_of"],
            filter=_split(row["filter"]),
            watch_resembles=row["watch_resembles"],
            category=row["category"],
            note=row["note"],
        )
        for i, row in enumerate(rows)
    ]


CASES = load_cases()


@pytest.fixture(scope="module")
def results() -> dict[int, SubstanceScreening]:
    """Screen the table in groups sharing (as_of, filter), so OPSIN starts once per group."""
    groups: dict[tuple[str, tuple[str, ...]], list[Case]] = {}
    for case in CASES:
        groups.setdefault((case.as_of, case.filter), []).append(case)
    out: dict[int, SubstanceScreening] = {}
    for (as_of, codes), cases in groups.items():
        screened = screen_substances(
            [c.query for c in cases], as_of=as_of or None, jurisdictions=codes or None
        )
        out.update({c.line: r for c, r in zip(cases, screened, strict=True)})
    return out


def test_table_is_large_and_covers_every_category() -> None:
    assert len(CASES) >= 150
    needed = {"salt", "isomer", "class", "designer", "decoy", "malformed", "asof", "opsin"}
    assert needed <= {c.category for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(case: Case, results: dict[int, SubstanceScreening]) -> None:
    result = results[case.line]
    detail = f"{case.query!r}: {result.to_json()}"
    assert result.status.value == case.status, detail
    if case.substance_id:
        assert result.substance is not None and result.substance.name, detail
        assert result.substance.substance_id == case.substance_id, detail
    found = {c.jurisdiction for c in result.controls}
    assert set(case.jurisdictions) <= found, detail
    if case.basis:
        assert case.basis in {c.basis.value for c in result.controls}, detail
    if case.watch_resembles:
        assert any(case.watch_resembles in w.resembles for w in result.watch), detail
    if case.filter:
        assert found <= set(case.filter), detail
    if case.status == "invalid":
        assert result.error, detail
    assert result.explanation, detail
    for control in result.controls:
        assert control.source and control.effective, detail
