"""Batch screening of an order file of any size: partitioned, resumable, bounded in memory.

    plan = plan_input(path)                       # one pass: partitions + sha256
    for each partition not yet committed:         # in file order
        outcome = screen_partition(...)            # pure screening
        assembly.add(...)                          # appended to the output files, on disk
        store.commit_partition(...)                # DB: decisions, cases, audit, history: 1 txn
    move the output files into place; tally -> report

A run killed at any point and started again with the same input and output folder finds its
manifest, takes up the output files up to its last committed partition (``screening.assembly``)
and screens the rest, so the final files are byte for byte those of an uninterrupted run. The
runner holds one partition at a time (``partition_bytes`` of input). Partitions are screened in
order because customer history (baselines, split orders) carries from one partition to the next;
see docs/batch.md for what a distributed runner must keep.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.errors import ConfigurationError, StorageError
from precursor_watch.io.order_columns import ColumnMapping
from precursor_watch.reports.batch_report import RunFacts, render_batch_report
from precursor_watch.screening.assembly import OutputAssembly
from precursor_watch.screening.batch_records import PreparedDecision, RunInfo
from precursor_watch.screening.context import CustomerHistory, ScreeningContext
from precursor_watch.screening.partition_result import PartitionResult
from precursor_watch.screening.partition_screening import (
    DECISION_COLUMNS,
    ERROR_COLUMNS,
    batch_gc,
    csv_header,
)
from precursor_watch.screening.partitions import DEFAULT_PARTITION_BYTES, InputPlan, plan_input
from precursor_watch.screening.resume import RunState, write_atomically
from precursor_watch.screening.runners import InProcessRunner, PartitionJob, PartitionRunner

OUTPUTS = ("decisions.jsonl", "decisions.csv", "errors.csv", "report.html")
# the outputs assembled from the partitions' pieces, with their headers
ASSEMBLED = (
    ("decisions.jsonl", ""),
    ("decisions.csv", csv_header(DECISION_COLUMNS)),
    ("errors.csv", csv_header(ERROR_COLUMNS)),
)


class RunStore(Protocol):
    """Where a run keeps decisions and checkpoints (``storage.runs.DbRunStore``)."""

    def exists(self, run_id: str) -> bool: ...
    def begin(self, run: RunInfo) -> None: ...
    def committed_partitions(self, run_id: str) -> set[int]: ...
    def commit_partition(
        self,
        run_id: str,
        partition: int,
        decisions: Sequence[PreparedDecision],
        history: Sequence[HistoryLine],
        errors: int,
    ) -> None: ...
    def finish(self, run_id: str, summary: dict[str, Any]) -> bool: ...


ContextFactory = Callable[[date, CustomerHistory], ScreeningContext]


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    fmt: str | None = None
    mapping: ColumnMapping = field(default_factory=ColumnMapping.default)
    partition_bytes: int = DEFAULT_PARTITION_BYTES
    as_of: date | None = None  # default: today, for a new run; a resumed run keeps its own
    restart: bool = False  # forget an unfinished run in out_dir and start a new one
    list_versions: Mapping[str, str] = field(default_factory=dict)
    database: str = ""
    # knowledge base, rule set and OPSIN setting the run screens with (default: those of the
    # bundled engine, ``engine_versions()``); pinned in the manifest like the lists
    engine: Mapping[str, str] | None = None


def engine_versions() -> dict[str, str]:
    """The versions of what ``ScreeningContext.default`` screens with: the knowledge base and
    OPSIN setting of the default substance screener and the bundled rule set."""
    from precursor_watch.rules.catalog import load_rule_set
    from precursor_watch.substances.screening import default_screener

    screener = default_screener()
    return {
        "knowledge_base": screener.kb.version,
        "opsin": "on" if screener.use_opsin else "off",
        "rule_set": load_rule_set().label,
    }


@dataclass(frozen=True, slots=True)
class BatchProgress:
    partition: int
    partitions: int
    bytes_done: int
    bytes_total: int
    orders: int
    errors: int
    resumed: bool  # True when the partition was committed by an earlier, interrupted run


@dataclass(frozen=True, slots=True)
class BatchResult:
    run_id: str
    orders: int
    errors: int
    flagged: int
    partitions: int
    resumed_partitions: int
    files: dict[str, Path]


def _options_json(plan: InputPlan, options: BatchOptions, as_of: date) -> dict[str, Any]:
    return {
        "format": plan.fmt,
        "mapping": dict(sorted(options.mapping.columns.items())),
        "partition_bytes": options.partition_bytes,
        "as_of": as_of.isoformat(),
    }


def _run_id(plan: InputPlan, opts: dict[str, Any], store: RunStore) -> str:
    blob = json.dumps({"sha256": plan.sha256, "size": plan.size, **opts}, sort_keys=True)
    base = hashlib.sha256(blob.encode()).hexdigest()[:24]
    run_id, n = base, 1
    while store.exists(run_id):  # the same file screened again into another folder: a new run
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def _file_sha256(path: Path) -> str:
    """sha256 of a file read in chunks (decisions.jsonl of a million lines is over a gigabyte)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _check_pinned(
    manifest: Mapping[str, Any], what: str, then: Mapping[str, str], now: Mapping[str, str]
) -> None:
    if dict(then) != dict(now):
        changed = sorted(k for k in {*then, *now} if then.get(k) != now.get(k))
        raise ConfigurationError(
            f"the {what} changed since run {manifest['run_id']} started "
            f"({', '.join(f'{k}: {then.get(k)} then, {now.get(k)} now' for k in changed)}); "
            f"resuming would mix versions in one run: rerun with --restart",
            field=what,
        )


def _open_run(plan: InputPlan, options: BatchOptions, store: RunStore) -> tuple[str, date, bool]:
    """Resume the run recorded in ``out_dir`` if it is this input and the same versions; else
    start a new one."""
    engine = dict(options.engine) if options.engine is not None else engine_versions()
    state = RunState(options.out_dir)
    manifest = state.manifest()
    if manifest is not None and not options.restart:
        as_of = date.fromisoformat(manifest["options"]["as_of"])
        same = (
            manifest["input"] == {"sha256": plan.sha256, "size": plan.size}
            and manifest["options"] == _options_json(plan, options, as_of)
            and manifest["partitions"] == [p.to_json() for p in plan.partitions]
        )
        if same and store.exists(manifest["run_id"]):
            _check_pinned(manifest, "lists", manifest["list_versions"], options.list_versions)
            if "engine" in manifest:  # runs started before 0.x recorded only the lists
                _check_pinned(manifest, "engine", manifest["engine"], engine)
            return str(manifest["run_id"]), as_of, True
    as_of = options.as_of or date.today()
    opts = _options_json(plan, options, as_of)
    run_id = _run_id(plan, opts, store)
    state.start(
        {
            "run_id": run_id,
            "input": {"sha256": plan.sha256, "size": plan.size},
            "input_name": plan.path.name,
            "options": opts,
            "list_versions": dict(options.list_versions),
            "engine": dict(engine),
            "partitions": [p.to_json() for p in plan.partitions],
        }
    )
    store.begin(
        RunInfo(
            run_id, str(plan.path), plan.sha256, plan.size, plan.fmt, opts, len(plan.partitions)
        )
    )
    return run_id, as_of, False


def run_batch(
    path: Path,
    options: BatchOptions,
    store: RunStore,
    history: CustomerHistory,
    context_factory: ContextFactory,
    *,
    progress: Callable[[BatchProgress], None] | None = None,
    runner: PartitionRunner | None = None,
) -> BatchResult:
    """Screen ``path`` into ``options.out_dir`` (see the module docstring). ``runner`` decides
    where partitions are screened (default: in this process; see ``screening.runners``)."""
    plan = plan_input(path, options.fmt, options.mapping, options.partition_bytes)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    folder_lock = RunState(options.out_dir).lock()  # noqa: F841  (held until we return)
    run_id, as_of, _ = _open_run(plan, options, store)
    state = RunState(options.out_dir)
    committed = store.committed_partitions(run_id)
    if committed != set(range(len(committed))):
        raise StorageError(
            f"run {run_id}: the database has partitions {sorted(committed)[:8]} committed, not "
            "the first ones in order as a run commits them; rerun with --restart"
        )
    if committed:
        assembly = OutputAssembly.resume(state, dict(ASSEMBLED), len(committed))
    else:
        assembly = OutputAssembly.start(state, dict(ASSEMBLED))
    try:
        context = context_factory(as_of, history)
        job = PartitionJob(plan, run_id, as_of, options.mapping, dict(options.list_versions))
        todo = [p for p in plan.partitions if p.index not in committed]
        screened = (runner or InProcessRunner()).outcomes(job, todo, context)
        with batch_gc():  # the driver's part too: receiving, writing and committing partitions
            try:
                _commit_all(plan, store, history, run_id, screened, progress, assembly)
            finally:
                screened.close()
        return _finish(plan, options, store, run_id, as_of, len(committed), assembly)
    finally:
        assembly.close()  # nothing left to close once the files are in place


def _commit_all(
    plan: InputPlan,
    store: RunStore,
    history: CustomerHistory,
    run_id: str,
    screened: Iterator[PartitionResult],
    progress: Callable[[BatchProgress], None] | None,
    assembly: OutputAssembly,
) -> None:
    """Append each screened partition to the output files and commit it, in partition order;
    report progress (the partitions an earlier run committed first)."""
    done_bytes = 0
    for part in plan.partitions:
        resumed = part.index < len(assembly.resumed)
        if resumed:
            tally = assembly.resumed[part.index]
        else:
            outcome = next(screened)
            if outcome.partition != part.index:
                raise StorageError(
                    f"run {run_id}: the runner returned partition {outcome.partition} "
                    f"where partition {part.index} was due"
                )
            tally = assembly.add(part.index, outcome.pieces)
            try:
                store.commit_partition(
                    run_id, part.index, outcome.decisions, outcome.history, outcome.errors
                )
            except BaseException:
                getattr(history, "discard_pending", lambda: None)()
                raise
            getattr(history, "committed", lambda: None)()
        done_bytes += (
            part.end - part.start
            if plan.fmt in ("csv", "jsonl")
            else plan.size // len(plan.partitions)
        )
        if progress is not None:
            progress(
                BatchProgress(
                    part.index,
                    len(plan.partitions),
                    min(done_bytes, plan.size),
                    plan.size,
                    tally.orders,
                    tally.error_rows,
                    resumed,
                )
            )


def _finish(
    plan: InputPlan,
    options: BatchOptions,
    store: RunStore,
    run_id: str,
    as_of: date,
    resumed: int,
    assembly: OutputAssembly,
) -> BatchResult:
    out = options.out_dir
    digests = assembly.finish()
    tally = assembly.tally
    facts = RunFacts(
        input_name=plan.path.name,
        input_sha256=plan.sha256,
        input_size=plan.size,
        run_id=run_id,
        as_of=as_of.isoformat(),
        partitions=len(plan.partitions),
        database=options.database,
    )
    write_atomically(out / "report.html", render_batch_report(tally, facts))
    digests["report.html"] = _file_sha256(out / "report.html")
    files = {name: out / name for name in OUTPUTS}
    flagged = tally.flagged_total
    store.finish(
        run_id,
        {
            "orders": tally.orders,
            "error_rows": tally.error_rows,
            "flagged": flagged,
            "outputs": {name: digests[name] for name in files},
        },
    )
    return BatchResult(
        run_id, tally.orders, tally.error_rows, flagged, len(plan.partitions), resumed, files
    )
