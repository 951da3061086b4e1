"""Values from HTML forms, where an empty field means "not given"."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query

from precursor_watch.errors import InputError


def optional_date(value: str | None, field: str) -> date | None:
    """``""`` or None -> None; ``YYYY-MM-DD`` -> the date; anything else names ``field``."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{field} {text!r} is not a date (expected YYYY-MM-DD)", field=field
        ) from None


ROW_ID_MAX = 2**63 - 1  # BIGINT: larger ids cannot exist, and SQLite cannot even compare them

RowIdPath = Annotated[int, Path(ge=1, le=ROW_ID_MAX, description="row id")]
SeqQuery = Annotated[int | None, Query(ge=1, le=ROW_ID_MAX, description="entries before this seq")]
