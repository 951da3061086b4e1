"""Screen one partition of an order file: decisions, error rows, report tally, history lines.

Pure: no database and no files written here. The output pieces are UTF-8 text as bytes (JSON
Lines, CSV without headers, the report tally) so that the runner can store them and concatenate
them in partition order; ``screening.partition_result`` says how they travel from a worker.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import threading
from bisect import insort
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from precursor_watch.domain.findings import Decision
from precursor_watch.domain.json_text import (
    JsonText,
    canonical_json,
    canonical_members,
    joined_members,
)
from precursor_watch.domain.orders import HistoryLine, Order
from precursor_watch.domain.outcomes import OrderOutcome, SubstanceStatus
from precursor_watch.io.order_columns import ColumnMapping
from precursor_watch.io.order_reader import OrderRecord
from precursor_watch.io.order_rows import RowError
from precursor_watch.reports.tally import ReportTally, Structure
from precursor_watch.rules.facts import LineFacts
from precursor_watch.screening.batch_records import DecisionToStore, PreparedDecision
from precursor_watch.screening.context import ScreeningContext
from precursor_watch.screening.order_engine import history_lines, screen_order_with_facts
from precursor_watch.screening.partition_result import PartitionResult
from precursor_watch.screening.partitions import InputPlan, Partition, read_partition

DECISION_COLUMNS = (
    "order_id",
    "first_line",
    "last_line",
    "decision",
    "rule_ids",
    "top_finding",
    "input_hash",
    "knowledge_base",
    "rule_set",
)
ERROR_COLUMNS = ("line", "field", "message", "raw")
_FLAGGED_STATUSES = (SubstanceStatus.CONTROLLED, SubstanceStatus.WATCH)
CLEAR = OrderOutcome.CLEAR


# Screening allocates many small objects that live briefly (rows, facts, findings) among many
# that live long (knowledge base, list index, caches, customer history): with Python's default
# thresholds (700, 10, 10) the cyclic collector walked the long-lived ones so often that it took
# about a fifth of a batch's CPU. Reference counting frees almost everything here (few cycles),
# so the collector runs less often during a batch, and what is alive when the batch (or a
# worker's task) starts is frozen (``gc.freeze``): the older generations' collections no longer
# walk the knowledge base and the indexes. Measured on a worker screening 200,000 lines: 5.0 s
# of collection, 2.4 s frozen (the second- and third-generation passes, 2.4 s, gone). The
# caller's thresholds come back after, and the frozen objects are unfrozen.
BATCH_GC_THRESHOLDS = (50_000, 50, 100)
_depth = 0  # batches in this process between their batch_gc's entry and exit (web jobs: threads)
_depth_lock = threading.Lock()


@contextmanager
def batch_gc() -> Iterator[None]:
    """Relaxed cyclic-GC thresholds and the live objects frozen for the duration of a batch
    (nests; the outermost restores the old thresholds and unfreezes)."""
    global _depth
    before = gc.get_threshold()
    if before[0] == 0:  # automatic collection switched off by the caller: leave it so
        yield
        return
    gc.set_threshold(*(max(a, b) for a, b in zip(BATCH_GC_THRESHOLDS, before, strict=False)))
    with _depth_lock:
        if _depth == 0:
            gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _depth_lock:
            _depth -= 1
            if _depth == 0:
                gc.unfreeze()
        gc.set_threshold(*before)


def csv_header(columns: tuple[str, ...]) -> str:
    return _csv_text([list(columns)])


def _csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class ScreenedOrder:
    """A decision with the order it was made on and where the order sits in the file;
    ``decision_json``: ``decision.to_json()``, made once for the tally and the stored pieces."""

    decision: Decision
    order: Order
    first_line: int
    last_line: int
    position: int
    decision_json: dict[str, Any]


@dataclass
class PartitionOutcome:
    partition: int
    screened: list[ScreenedOrder] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    tally: ReportTally = field(default_factory=ReportTally)
    history: list[HistoryLine] = field(default_factory=list)

    def pieces(self) -> dict[str, str]:
        """The output pieces of this partition, as text."""
        return {name: data.decode("utf-8") for name, data in self.result("").pieces.items()}

    def result(self, run_id: str) -> PartitionResult:
        """This partition as the driver commits it: every decision serialized once, here. Each
        decision's line of decisions.jsonl is its canonical JSON (sorted keys, no spaces) with
        ``input_lines`` added; the audit entry pins the sha256 of the same JSON without it."""
        versions_cache: dict[tuple[Any, ...], str] = {}
        prepared: list[PreparedDecision] = []
        jsonl: list[str] = []
        for s in self.screened:
            d = s.decision
            doc = s.decision_json
            v = d.versions
            key = (v.knowledge_base, v.rule_set, v.matcher, tuple(sorted(v.lists.items())))
            versions_text = versions_cache.get(key)
            if versions_text is None:
                # one object for all: pickle sends it once per partition
                versions_text = versions_cache[key] = JsonText(canonical_json(doc["versions"]))
            findings_text = canonical_json(doc["findings"])
            members = canonical_members(doc, {"findings": findings_text, "versions": versions_text})
            item = PreparedDecision.of(
                DecisionToStore(
                    d,
                    order_data=s.order.to_json() if d.outcome is not CLEAR else None,
                    run_id=run_id,
                    partition=self.partition,
                    position=s.position,
                ),
                doc,
                versions_text,
                findings_text=findings_text,
                canonical=joined_members(members),
            )
            prepared.append(item)
            # the same members with input_lines (the decision's digest leaves it out)
            insort(members, ("input_lines", f"[{s.first_line},{s.last_line}]"))
            jsonl.append(joined_members(members) + "\n")
        errors = [[e.line, e.field or "", e.message, e.raw] for e in self.errors]
        pieces = {
            "decisions.jsonl": "".join(jsonl).encode("utf-8"),
            "decisions.csv": _csv_text([_decision_row(s) for s in self.screened]).encode("utf-8"),
            "errors.csv": _csv_text(errors).encode("utf-8"),
            "tally.json": json.dumps(
                self.tally.to_json(), ensure_ascii=False, sort_keys=True
            ).encode("utf-8"),
        }
        return PartitionResult(self.partition, pieces, prepared, self.history, len(self.errors))


def _decision_row(s: ScreenedOrder) -> list[Any]:
    d = s.decision
    flagged = [f for f in d.findings if f.outcome > OrderOutcome.CLEAR]
    top = d.findings[0].sentence if d.findings else ""
    return [
        d.order_id,
        s.first_line,
        s.last_line,
        d.outcome.value,
        ";".join(dict.fromkeys(f.rule_id for f in flagged)),
        top,
        d.input_hash,
        d.versions.knowledge_base,
        d.versions.rule_set or "",
    ]


def _structures(order: Order, context: ScreeningContext) -> tuple[list[str], list[Structure]]:
    """Names and drawings of the controlled or watch substances in a flagged order (the
    substance screener is cached, so this repeats no work)."""
    names: list[str] = []
    drawings: list[Structure] = []
    for line in order.lines:
        for query in line.queries:
            result = context.substance_screener(query)
            ref = result.substance
            if result.status not in _FLAGGED_STATUSES or ref is None:
                continue
            names.append(ref.name)
            atoms: set[int] = set()
            for control in result.controls:
                atoms.update(control.matched_atoms)
            for hit in result.watch:
                atoms.update(hit.matched_atoms)
            if ref.smiles:
                drawings.append(Structure(ref.name, ref.smiles, tuple(sorted(atoms))))
            break
    return names, drawings


def screen_partition(
    plan: InputPlan,
    part: Partition,
    context: ScreeningContext,
    mapping: ColumnMapping | None = None,
    *,
    on_order: Callable[[int], None] | None = None,
    parsed: Sequence[OrderRecord | RowError] | None = None,
    screened_lines: Sequence[tuple[LineFacts, ...] | None] | None = None,
) -> PartitionOutcome:
    """Screen every order of ``part`` in file order. Each screened order joins the context's
    customer history at once (``record``), so later orders of the partition see it; the lines
    are also returned for the runner to store with the partition. ``parsed``: the partition as
    ``read_partition`` gave it earlier (a cluster worker keeps it from its history pass), and
    ``screened_lines``: each order's ``line_facts`` on this context, item by item (None for a
    row error), when they were made with it."""
    with batch_gc():
        return _screen_partition(plan, part, context, mapping, on_order, parsed, screened_lines)


def _screen_partition(
    plan: InputPlan,
    part: Partition,
    context: ScreeningContext,
    mapping: ColumnMapping | None,
    on_order: Callable[[int], None] | None,
    parsed: Sequence[OrderRecord | RowError] | None,
    screened_lines: Sequence[tuple[LineFacts, ...] | None] | None,
) -> PartitionOutcome:
    out = PartitionOutcome(part.index)
    # one partition: bounded by its bytes
    items = list(parsed) if parsed is not None else list(read_partition(plan, part, mapping))
    prefetch = getattr(context.history, "prefetch", None)
    if prefetch is not None:  # a database history loads the partition's customers in few queries
        prefetch({i.order.customer_key for i in items if isinstance(i, OrderRecord)} - {None})
    if screened_lines is not None and len(screened_lines) != len(items):
        raise ValueError(f"{len(screened_lines)} screened lines for {len(items)} items")
    for at, item in enumerate(items):
        if isinstance(item, RowError):
            out.errors.append(item)
            continue
        _screen_one(item, context, out, screened_lines[at] if screened_lines is not None else None)
        if on_order is not None:
            on_order(len(out.screened))
    out.tally.add_errors(len(out.errors))
    return out


def _screen_one(
    record: OrderRecord,
    context: ScreeningContext,
    out: PartitionOutcome,
    screened_lines: tuple[LineFacts, ...] | None,
) -> None:
    order = record.order
    decision, facts = screen_order_with_facts(order, context, screened_lines)
    lines = history_lines(order, context, facts)
    context.history.record(lines)
    out.history.extend(lines)
    decision_json = decision.to_json()
    out.screened.append(
        ScreenedOrder(
            decision, order, record.first_line, record.last_line, len(out.screened), decision_json
        )
    )
    names: list[str] = []
    drawings: list[Structure] = []
    if decision.outcome is not OrderOutcome.CLEAR:
        names, drawings = _structures(order, context)
    buyer = order.buyer
    out.tally.add_decision(
        decision_json,
        lines=(record.first_line, record.last_line),
        country=order.route.destination or (buyer.country if buyer else None),
        buyer=buyer.name if buyer else None,
        substances=tuple(names),
        structures=tuple(drawings),
    )
