"""RDKit's log, captured so that its messages become reasons instead of stderr noise.

RDKit reports why a SMILES or InChI is rejected only through its error log. ``capture_rdkit_errors``
wraps ``rdBase.CaptureErrorLog`` (about 2 microseconds) and returns the messages without
timestamps. RDKit's info and warning channels are switched off once, on import of this package:
the chemistry engine reports problems as ``issues`` of its own results instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rdkit import rdBase

rdBase.DisableLog("rdApp.info")
rdBase.DisableLog("rdApp.warning")

_TIMESTAMP = re.compile(r"^\[\d\d:\d\d:\d\d\]\s?")


@dataclass
class CapturedLog:
    """Messages RDKit wrote to its error log while the capture was active."""

    messages: list[str] = field(default_factory=list)

    def first(self, default: str) -> str:
        """The first non-empty message, or ``default`` when RDKit said nothing."""
        return self.messages[0] if self.messages else default


def clean_log_lines(raw: str) -> list[str]:
    """Split RDKit's raw log text into messages, dropping timestamps and empty lines."""
    lines = (_TIMESTAMP.sub("", line).strip() for line in raw.splitlines())
    return [line for line in lines if line and line not in ("ERROR:", "^")]


class capture_rdkit_errors:  # noqa: N801 - used like a function: ``with capture_rdkit_errors()``
    """Collect RDKit error-log messages emitted inside the ``with`` block (cheap: a class, no
    generator)."""

    __slots__ = ("_capture", "log")

    def __init__(self) -> None:
        self.log = CapturedLog()
        self._capture: Any = None

    def __enter__(self) -> CapturedLog:
        self._capture = rdBase.CaptureErrorLog()
        self._capture.__enter__()
        return self.log

    def __exit__(self, *exc: object) -> None:
        raw = self._capture.messages
        self._capture.__exit__(None, None, None)
        if raw:
            self.log.messages.extend(clean_log_lines(raw))
