"""What a cluster worker ships to the committing process survives pickling whole: every field of
a prepared decision and of a history line (named tuples)."""

from __future__ import annotations

import pickle
from datetime import date
from typing import Any

import pytest

from precursor_watch.domain.json_text import JsonText
from precursor_watch.domain.orders import HistoryLine
from precursor_watch.screening.batch_records import PreparedDecision


def _distinct_values(cls: type[Any]) -> dict[str, Any]:
    """A value for every field, none equal to its default, so a field left out or shifted
    changes the object."""
    samples: dict[str, Any] = {
        "date": date(2026, 2, 3),
        "quantity": 12.5,
        "unit_price": 3.25,
        "partition": 7,
        "position": 11,
        "rule_ids": ("ORD-A", "ORD-B"),
        "flagging_rules": ("ORD-A",),
        "countries": ("CN", "MX"),
        "findings": JsonText('[{"rule_id":"ORD-A"}]'),
        "versions": JsonText('{"knowledge_base":"kb-1"}'),
        "order_data": JsonText('{"order_id":"O-1"}'),
    }
    return {f: samples.get(f, f"{f}-value") for f in cls._fields}


@pytest.mark.parametrize("cls", [PreparedDecision, HistoryLine])
def test_every_field_survives_pickling(cls: type[Any]) -> None:
    values = _distinct_values(cls)
    original = cls(**values)
    copy = pickle.loads(pickle.dumps(original, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == original
    assert {name: getattr(copy, name) for name in values} == values


def test_json_columns_stay_json_text() -> None:
    original = PreparedDecision(**_distinct_values(PreparedDecision))
    copy = pickle.loads(pickle.dumps(original))
    assert isinstance(copy.findings, JsonText)
    assert isinstance(copy.versions, JsonText)
    assert isinstance(copy.order_data, JsonText)
