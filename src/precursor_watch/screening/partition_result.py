"""A screened partition as the driver writes and commits it, and how it travels from a worker.

A partition of 18,500 order lines comes to about 13,000 decisions. Pickled field by field, its
result was about 50 MB: the output pieces as ``str`` (UTF-8 encoded by the worker's pickler,
decoded again by the driver's, encoded a third time when the driver wrote them), and every
decision's findings twice, once inside its line of ``decisions.jsonl`` and once for the
``findings`` column of the database. Here the pieces are UTF-8 ``bytes`` from the start (the
driver writes them as they are), and a pickled :class:`PartitionResult` carries the decisions as
columns without their findings: each decision's findings are found again in the
``decisions.jsonl`` piece by their byte span. The span is searched with the findings' own text,
so what is sliced out on the other side is that text, byte for byte, wherever it was found.
The decisions and the history lines are named tuples, sent as columns and rebuilt in C on the
other side (``screening.named_columns``): unpickling a partition's decisions and history lines
took 0.11 s as frozen dataclasses.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from precursor_watch.domain.json_text import JsonText
from precursor_watch.domain.orders import HistoryLine
from precursor_watch.screening.batch_records import PreparedDecision
from precursor_watch.screening.named_columns import as_columns, from_columns

JSONL_PIECE = "decisions.jsonl"
_FINDINGS = PreparedDecision._fields.index("findings")


@dataclass(frozen=True, slots=True)
class PartitionResult:
    """A screened partition reduced to what the driver writes and commits: the output pieces as
    UTF-8 bytes, the decisions serialized (``PreparedDecision``), the customer-history lines.
    Built where the partition was screened, so that a cluster sends bytes and strings and the
    one process that commits does little more than write them."""

    partition: int
    pieces: dict[str, bytes]
    decisions: list[PreparedDecision]
    history: list[HistoryLine]
    errors: int

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (
            _unpickled,
            (
                self.partition,
                self.pieces,
                *_decision_columns(self.decisions, self.pieces[JSONL_PIECE]),
                as_columns(self.history),
                self.errors,
            ),
        )


def _decision_columns(
    decisions: Sequence[PreparedDecision], jsonl: bytes
) -> tuple[list[tuple[Any, ...]], array[int]]:
    """The decisions' fields as columns, the findings column empty, and the byte spans
    (start, end, start, end, ...) of each decision's findings in ``jsonl``."""
    spans: array[int] = array("q")
    at = 0
    for decision in decisions:
        text = decision.findings.encode("utf-8")
        start = jsonl.index(text, at)  # ValueError if absent: then the pieces are not its own
        at = start + len(text)
        spans.append(start)
        spans.append(at)
    columns = as_columns(decisions)
    if columns:
        columns[_FINDINGS] = ()
    return columns, spans


def _unpickled(
    partition: int,
    pieces: dict[str, bytes],
    columns: list[tuple[Any, ...]],
    spans: array[int],
    history_columns: list[tuple[Any, ...]],
    errors: int,
) -> PartitionResult:
    history = from_columns(HistoryLine, history_columns, "history")
    decisions: list[PreparedDecision] = []
    if columns:
        jsonl = pieces[JSONL_PIECE]
        bounds = iter(spans)
        columns[_FINDINGS] = tuple(
            JsonText(jsonl[start:end].decode("utf-8"))
            for start, end in zip(bounds, bounds, strict=True)
        )
        decisions = from_columns(PreparedDecision, columns, "decision")
    return PartitionResult(partition, pieces, decisions, history, errors)
