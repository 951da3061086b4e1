"""Uploaded batches in the database: create, read, progress, finish, and the truth about jobs
whose server process died.

Every server process that runs jobs has an ``owner`` name (host, process id, a random token) and
refreshes ``heartbeat_at`` of its queued and running jobs every :data:`HEARTBEAT_S` seconds. A
queued or running job is *orphaned* when its owner ran on this host and that process is gone,
or when its heartbeat is older than :data:`STALE_AFTER_S` (an owner on another host).
:func:`interrupt_orphans` marks such jobs ``interrupted``, with a message and an audit entry;
:func:`claim_for_resume` hands one back to a live process, atomically, so that two processes
never resume the same job.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from precursor_watch.storage.audit import append_audit
from precursor_watch.storage.batch_job_tables import BatchJobRow
from precursor_watch.storage.db import session_scope

HEARTBEAT_S = 10.0
STALE_AFTER_S = 60.0
ACTIVE = ("queued", "running")
STATES = ("queued", "running", "finished", "failed", "interrupted")
SYSTEM_ACTOR = "system"


@dataclass(frozen=True, slots=True)
class BatchJob:
    """One uploaded order file and how far its screening got."""

    id: str
    input_name: str
    input_path: Path
    out_dir: Path
    uploaded_by: str
    created_at: datetime
    as_of: date | None = None
    fmt: str | None = None
    state: str = "queued"  # one of STATES
    bytes_done: int = 0
    bytes_total: int = 0
    partitions_done: int = 0
    partitions: int = 0
    orders: int = 0
    errors: int = 0
    flagged: int = 0
    run_id: str | None = None
    message: str | None = None
    owner: str | None = None
    heartbeat_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def percent(self) -> int:
        if self.state == "finished":
            return 100
        return int(100 * self.bytes_done / self.bytes_total) if self.bytes_total else 0


def process_owner() -> str:
    """A name for the calling job runner: ``host:pid:token`` (the token tells two runners of
    one process apart, e.g. an app created again in the same process)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _job(row: BatchJobRow) -> BatchJob:
    return BatchJob(
        id=row.id,
        input_name=row.input_name,
        input_path=Path(row.input_path),
        out_dir=Path(row.out_dir),
        uploaded_by=row.uploaded_by,
        created_at=_aware(row.created_at) or row.created_at,
        as_of=row.as_of,
        fmt=row.input_format,
        state=row.state,
        bytes_done=row.bytes_done,
        bytes_total=row.bytes_total,
        partitions_done=row.partitions_done,
        partitions=row.partitions,
        orders=row.orders,
        errors=row.errors,
        flagged=row.flagged,
        run_id=row.run_id,
        message=row.message,
        owner=row.owner,
        heartbeat_at=_aware(row.heartbeat_at),
        started_at=_aware(row.started_at),
        finished_at=_aware(row.finished_at),
    )


def add_job(engine: Engine, job: BatchJob) -> None:
    with session_scope(engine) as session:
        session.add(
            BatchJobRow(
                id=job.id,
                input_name=job.input_name,
                input_path=str(job.input_path),
                out_dir=str(job.out_dir),
                uploaded_by=job.uploaded_by,
                created_at=job.created_at,
                as_of=job.as_of,
                input_format=job.fmt,
                state=job.state,
                bytes_done=job.bytes_done,
                bytes_total=job.bytes_total,
                partitions_done=job.partitions_done,
                partitions=job.partitions,
                orders=job.orders,
                errors=job.errors,
                flagged=job.flagged,
                run_id=job.run_id,
                message=job.message,
                owner=job.owner,
                heartbeat_at=job.heartbeat_at,
            )
        )


def get_job(engine: Engine, job_id: str) -> BatchJob | None:
    with Session(engine) as session:
        row = session.get(BatchJobRow, job_id)
        return _job(row) if row is not None else None


def list_jobs(engine: Engine, limit: int = 100) -> list[BatchJob]:
    """The newest jobs first."""
    stmt = select(BatchJobRow).order_by(BatchJobRow.created_at.desc()).limit(limit)
    with Session(engine) as session:
        return [_job(row) for row in session.execute(stmt).scalars()]


def _update(engine: Engine, job_id: str, owner: str, **values: object) -> int:
    """Change ``owner``'s job; a job taken from it meanwhile (marked interrupted, resumed by
    another process) is left alone. Returns how many rows changed (0 or 1)."""
    with session_scope(engine) as session:
        result = session.execute(
            update(BatchJobRow)
            .where(BatchJobRow.id == job_id, BatchJobRow.owner == owner)
            .values(**values)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def mark_running(engine: Engine, job_id: str, owner: str) -> None:
    """The runner starts (or restarts) the job: progress counts again from the first partition
    (resumed partitions report their committed counts)."""
    now = datetime.now(UTC)
    _update(
        engine,
        job_id,
        owner,
        state="running",
        heartbeat_at=now,
        started_at=now,
        bytes_done=0,
        partitions_done=0,
        orders=0,
        errors=0,
    )


def record_progress(
    engine: Engine,
    job_id: str,
    owner: str,
    *,
    bytes_done: int,
    bytes_total: int,
    partitions_done: int,
    partitions: int,
    orders: int,
    errors: int,
) -> None:
    """After one partition: one UPDATE of one row (order and bad-row counts are added)."""
    _update(
        engine,
        job_id,
        owner,
        bytes_done=bytes_done,
        bytes_total=bytes_total,
        partitions_done=partitions_done,
        partitions=partitions,
        orders=BatchJobRow.orders + orders,
        errors=BatchJobRow.errors + errors,
        heartbeat_at=datetime.now(UTC),
    )


def mark_finished(
    engine: Engine,
    job_id: str,
    owner: str,
    *,
    run_id: str,
    orders: int,
    errors: int,
    flagged: int,
    partitions: int,
) -> None:
    job = get_job(engine, job_id)
    _update(
        engine,
        job_id,
        owner,
        state="finished",
        bytes_done=job.bytes_total if job else 0,
        run_id=run_id,
        orders=orders,
        errors=errors,
        flagged=flagged,
        partitions=partitions,
        partitions_done=partitions,
        finished_at=datetime.now(UTC),
    )


def mark_failed(engine: Engine, job_id: str, owner: str, message: str) -> None:
    _update(engine, job_id, owner, state="failed", message=message, finished_at=datetime.now(UTC))


def heartbeat(engine: Engine, owner: str) -> int:
    """Refresh the heartbeat of ``owner``'s queued and running jobs; returns how many."""
    with session_scope(engine) as session:
        result = session.execute(
            update(BatchJobRow)
            .where(BatchJobRow.owner == owner, BatchJobRow.state.in_(ACTIVE))
            .values(heartbeat_at=datetime.now(UTC))
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def owner_is_gone(owner: str | None, heartbeat_at: datetime | None, now: datetime) -> bool:
    """True when the process named ``owner`` is certainly not running the job any more: it
    ran on this host and its process has ended, or it has not sent a heartbeat for
    :data:`STALE_AFTER_S` seconds."""
    if not owner:
        return True
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid)):
        return True
    beat = _aware(heartbeat_at)
    return beat is None or now - beat > timedelta(seconds=STALE_AFTER_S)


def _interrupted_message(row: BatchJobRow, now: datetime) -> str:
    when = now.strftime("%Y-%m-%d %H:%M UTC")
    if row.state == "queued":
        return (
            f"Interrupted: the server process holding this batch in its queue stopped before "
            f"screening began (noticed {when}). Nothing of it is in the database; resume it to "
            "screen it."
        )
    return (
        f"Interrupted: the server process screening this batch stopped after "
        f"{row.partitions_done} of {row.partitions or '?'} partitions ({row.orders} orders "
        f"committed; noticed {when}). Resume it to screen the rest: committed partitions are "
        "kept, and the result files are those of an uninterrupted run."
    )


def interrupt_orphans(engine: Engine, *, now: datetime | None = None) -> list[str]:
    """Mark every queued or running job whose owner is gone ``interrupted`` (with a message and
    a ``batch.interrupted`` audit entry by ``system``); returns their ids. Each update is
    guarded by the state and owner read, so a job claimed meanwhile is left alone."""
    now = now or datetime.now(UTC)
    marked: list[str] = []
    with session_scope(engine) as session:
        rows = session.execute(select(BatchJobRow).where(BatchJobRow.state.in_(ACTIVE))).scalars()
        for row in list(rows):
            if not owner_is_gone(row.owner, row.heartbeat_at, now):
                continue
            message = _interrupted_message(row, now)
            changed = session.execute(
                update(BatchJobRow)
                .where(
                    BatchJobRow.id == row.id,
                    BatchJobRow.state == row.state,
                    BatchJobRow.owner == row.owner
                    if row.owner is not None
                    else BatchJobRow.owner.is_(None),
                )
                .values(state="interrupted", message=message, owner=None)
                .execution_options(synchronize_session=False)
            )
            if not getattr(changed, "rowcount", 0):
                continue
            append_audit(
                session,
                SYSTEM_ACTOR,
                "batch.interrupted",
                f"batch:{row.id}",
                {
                    "was": row.state,
                    "owner": row.owner,
                    "partitions_done": row.partitions_done,
                    "partitions": row.partitions,
                    "orders": row.orders,
                    "run_id": row.run_id,
                },
            )
            marked.append(row.id)
    return marked


def claim_for_resume(engine: Engine, job_id: str, owner: str, actor: str) -> bool:
    """Hand an interrupted job to ``owner`` (queued again) and audit ``batch.resumed`` by
    ``actor``; False when the job is not interrupted (finished, running, or claimed by another
    process a moment ago)."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        changed = session.execute(
            update(BatchJobRow)
            .where(BatchJobRow.id == job_id, BatchJobRow.state == "interrupted")
            .values(
                state="queued",
                owner=owner,
                heartbeat_at=now,
                finished_at=None,
                message=f"Resumed by {actor} at {now.strftime('%Y-%m-%d %H:%M UTC')} after an "
                "interruption.",
            )
            .execution_options(synchronize_session=False)
        )
        if not getattr(changed, "rowcount", 0):
            return False
        append_audit(session, actor, "batch.resumed", f"batch:{job_id}", {"owner": owner})
        return True
