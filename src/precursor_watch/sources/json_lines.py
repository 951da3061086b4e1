"""Read JSON Lines (one JSON value per line) with the line each value stands on, reporting the
lines that are not JSON. Blank lines are passed over; what a record must hold is the reader's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from precursor_watch.sources.parsed_list import LoadIssue


def read_json_lines(path: Path, issues: list[LoadIssue] | None) -> Iterator[tuple[int, object]]:
    """Yield ``(line, value)`` for every non-blank line that parses as JSON.

    A line that does not parse is reported in ``issues`` (``None``: a pass that reports nothing,
    e.g. a first pass over a file read twice) and skipped.
    """
    with path.open("r", encoding="utf-8") as handle:
        for line, text in enumerate(handle, 1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except ValueError as exc:
                if issues is not None:
                    issues.append(LoadIssue(path.name, line, f"not a JSON object: {exc}"))
                continue
            yield line, value
