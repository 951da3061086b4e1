"""Batch runs in the database: the run row, the per-partition commit, the finish.

:class:`DbRunStore` is the database side of ``screening.batch``: each partition's decisions,
cases, audit entries, customer-history lines and its ``run_partitions`` row are written in ONE
transaction, so a partition is either entirely in the database or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.io.order_columns import ColumnMapping
from precursor_watch.screening.batch_records import PreparedDecision, RunInfo
from precursor_watch.screening.partitions import DEFAULT_PARTITION_BYTES
from precursor_watch.storage.audit import append_audit, record_rule_set
from precursor_watch.storage.case_tables import DecisionRow, RunPartition, ScreeningRun
from precursor_watch.storage.customer_history import store_history_lines
from precursor_watch.storage.db import session_scope
from precursor_watch.storage.decisions import record_decisions

if TYPE_CHECKING:
    from precursor_watch.screening.batch import BatchProgress, BatchResult


def _rule_versions(label: str) -> dict[str, str]:
    """Rule id -> version of the bundled rule set, when it is the one with ``label``."""
    from precursor_watch.rules.catalog import load_rule_set

    rule_set = load_rule_set()
    if rule_set.label != label:
        return {}
    return {rule_id: spec.version for rule_id, spec in rule_set.rules.items()}


class DbRunStore:
    """Where a batch run keeps its decisions and its progress."""

    def __init__(self, engine: Engine, *, actor: str = "system") -> None:
        self.engine = engine
        self.actor = actor

    def exists(self, run_id: str) -> bool:
        with Session(self.engine) as session:
            return session.get(ScreeningRun, run_id) is not None

    def begin(self, run: RunInfo) -> None:
        """Create the run row (once) and audit the start."""
        with session_scope(self.engine) as session:
            if session.get(ScreeningRun, run.run_id) is not None:
                return
            session.add(
                ScreeningRun(
                    run_id=run.run_id,
                    input_name=run.input_name,
                    input_sha256=run.input_sha256,
                    input_size=run.input_size,
                    input_format=run.input_format,
                    options=run.options,
                    partitions=run.partitions,
                    status="running",
                    started_at=datetime.now(UTC),
                )
            )
            session.flush()
            append_audit(
                session,
                self.actor,
                "batch.started",
                f"run:{run.run_id}",
                {
                    "input": run.input_name,
                    "sha256": run.input_sha256,
                    "size": run.input_size,
                    "partitions": run.partitions,
                    "options": run.options,
                },
            )

    def committed_partitions(self, run_id: str) -> set[int]:
        with Session(self.engine) as session:
            stmt = select(RunPartition.partition).where(RunPartition.run_id == run_id)
            return set(session.execute(stmt).scalars())

    def commit_partition(
        self,
        run_id: str,
        partition: int,
        decisions: Sequence[PreparedDecision],
        history: Sequence[HistoryLine],
        errors: int,
    ) -> None:
        """Decisions, cases, audit entries, history and the checkpoint row: one transaction."""
        with session_scope(self.engine) as session:
            # The checkpoint row first: it takes the write lock at once and a duplicate commit of
            # the same partition fails here, before anything else is written.
            session.add(
                RunPartition(
                    run_id=run_id,
                    partition=partition,
                    orders=len(decisions),
                    errors=errors,
                    committed_at=datetime.now(UTC),
                )
            )
            session.flush()
            labels = {d.rule_set or "" for d in decisions} - {""}
            for label in sorted(labels):
                record_rule_set(session, label, _rule_versions(label), actor=self.actor)
            record_decisions(session, decisions, actor=self.actor)
            store_history_lines(session, history, run_id)

    def finish(self, run_id: str, summary: dict[str, Any]) -> bool:
        """Mark the run finished and audit it (once); False when it already was."""
        with session_scope(self.engine) as session:
            run = session.get(ScreeningRun, run_id)
            if run is None or run.status == "finished":
                return False
            run.status = "finished"
            run.finished_at = datetime.now(UTC)
            append_audit(session, self.actor, "batch.finished", f"run:{run_id}", summary)
            return True

    def decision_count(self, run_id: str) -> int:
        with Session(self.engine) as session:
            stmt = select(func.count()).select_from(DecisionRow).where(DecisionRow.run_id == run_id)
            return int(session.execute(stmt).scalar_one())

    def flagged_count(self, run_id: str) -> int:
        with Session(self.engine) as session:
            stmt = (
                select(func.count())
                .select_from(DecisionRow)
                .where(
                    DecisionRow.run_id == run_id, DecisionRow.outcome != OrderOutcome.CLEAR.value
                )
            )
            return int(session.execute(stmt).scalar_one())


def run_batch_in_database(
    path: Path,
    out_dir: Path,
    *,
    url: str | None = None,
    actor: str = "system",
    progress: Callable[[BatchProgress], None] | None = None,
    fmt: str | None = None,
    mapping: ColumnMapping | None = None,
    as_of: date | None = None,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    restart: bool = False,
) -> BatchResult:
    """``precursor-watch screen`` as a function (for the web console): the configured database,
    the lists active in it (parties unscreened, and said so, when none is loaded), decisions and
    cases stored, audit entries by ``actor``, ``progress`` called after each partition."""
    from precursor_watch.errors import NotFoundError
    from precursor_watch.parties.active_lists import screener_for_database
    from precursor_watch.screening.batch import BatchOptions, run_batch
    from precursor_watch.screening.context import CustomerHistory, ScreeningContext
    from precursor_watch.screening.partition_screening import batch_gc
    from precursor_watch.settings import database_url
    from precursor_watch.storage.customer_history import DbCustomerHistory
    from precursor_watch.storage.db import open_database

    target = url or database_url()
    engine = open_database(target)
    try:
        screener = screener_for_database(target)
        party_screener: Any = screener.screen
        list_versions = dict(screener.list_versions)
    except NotFoundError:
        party_screener, list_versions = None, {}
    options = BatchOptions(
        out_dir=out_dir,
        fmt=fmt,
        mapping=mapping or ColumnMapping.default(),
        partition_bytes=partition_bytes,
        as_of=as_of,
        restart=restart,
        list_versions=list_versions,
        database=engine.dialect.name,
    )

    def make_context(day: date, history: CustomerHistory) -> ScreeningContext:
        return ScreeningContext.default(as_of=day, party_screener=party_screener, history=history)

    with batch_gc():
        return run_batch(
            path,
            options,
            DbRunStore(engine, actor=actor),
            DbCustomerHistory(engine),
            make_context,
            progress=progress,
        )
