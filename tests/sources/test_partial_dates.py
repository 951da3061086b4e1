"""full_day: the publish date a list file states, only when it names a whole calendar day."""

from __future__ import annotations

from datetime import date

import pytest

from precursor_watch.sources.partial_dates import full_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-03", date(2024, 5, 3)),
        ("2024-05-03T10:11:12", date(2024, 5, 3)),
        ("3 May 2024", date(2024, 5, 3)),
        ("05/03/2024", date(2024, 5, 3)),  # US order, as OFAC writes it
        ("2024-05", None),
        ("2024", None),
        ("1960 to 1962", None),
        ("2024-02-30", None),
        ("June", None),
        ("", None),
    ],
)
def test_full_day(text: str, expected: date | None) -> None:
    assert full_day(text) == expected
