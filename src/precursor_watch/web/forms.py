"""Values from HTML forms, where an empty field means "not given"."""

from __future__ import annotations

from datetime import date

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
