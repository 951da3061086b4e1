"""Dates as lists write them ("10 Dec 1948", "Dec 1948", "circa 1965", "1960 to 1962",
"1971-01-22", "22/01/1971") -> ISO partial dates ("1948-12-10", "1948-12", "1965")."""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_RANGE = re.compile(r"^(\d{4}) to (\d{4})$")


def _checked(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        if day is not None and month is not None:
            return date(year, month, day).isoformat()
        if month is not None:
            date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"
    except ValueError:
        return None


def partial_dates(text: str, *, day_first: bool = False) -> tuple[str, ...]:
    """All ISO dates (possibly partial) found in one date expression; () when none parses.

    ``day_first`` reads "01/02/1970" as 1 Feb (else US order, 2 Jan).
    """
    value = re.sub(
        r"^(circa|approximately|about|between)\s+", "", text.strip().rstrip("."), flags=re.I
    )
    value = value.strip()
    if match := _RANGE.match(value):
        return tuple(y for y in (_checked(int(match[1])), _checked(int(match[2]))) if y)
    parsed: str | None = None
    if match := _DAY_MONTH_YEAR.match(value):
        month = MONTHS.get(match[2].lower())
        parsed = _checked(int(match[3]), month, int(match[1])) if month else None
    elif match := _MONTH_YEAR.match(value):
        month = MONTHS.get(match[1].lower())
        parsed = _checked(int(match[2]), month) if month else None
    elif match := _YEAR.match(value):
        parsed = _checked(int(match[1]))
    elif match := _ISO.match(value):
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
        parsed = _checked(int(match[1]), month, day)
    elif match := _US.match(value):
        first, second = int(match[1]), int(match[2])
        month, day = (second, first) if day_first else (first, second)
        parsed = _checked(int(match[3]), month, day)
    return (parsed,) if parsed else ()


def full_day(text: str) -> date | None:
    """The calendar day ``text`` names in full, in any form :func:`partial_dates` reads; None for
    a year or a month alone, a range, or no date."""
    found = partial_dates(text)
    return date.fromisoformat(found[0]) if len(found) == 1 and len(found[0]) == 10 else None


def us_date(text: str) -> date | None:
    """MM/DD/YYYY (BIS, trade.gov) -> date."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None
