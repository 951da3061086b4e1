"""Batches uploaded in the console: screened one at a time in a background thread by the batch
runner (``screening.batch.run_batch``), with progress the page polls.

A job's files live in ``<work_dir>/batches/<job id>/``: the upload and ``out/`` with
decisions.jsonl, decisions.csv, errors.csv and report.html. Decisions, cases and audit entries
go to the database through ``storage.runs.DbRunStore`` with the uploader as actor.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from precursor_watch.errors import NotFoundError, PrecursorWatchError

OUTPUT_FILES = ("decisions.jsonl", "decisions.csv", "errors.csv", "report.html")
MIN_PARTITION = 16 * 1024
MAX_PARTITION = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class BatchJob:
    id: str
    input_name: str
    input_path: Path
    out_dir: Path
    uploaded_by: str
    created_at: datetime
    as_of: date | None = None
    fmt: str | None = None
    state: str = "queued"  # queued, running, finished, failed
    bytes_done: int = 0
    bytes_total: int = 0
    partitions_done: int = 0
    partitions: int = 0
    orders: int = 0
    errors: int = 0
    flagged: int = 0
    run_id: str | None = None
    message: str | None = None
    finished_at: datetime | None = None

    @property
    def percent(self) -> int:
        if self.state == "finished":
            return 100
        return int(100 * self.bytes_done / self.bytes_total) if self.bytes_total else 0

    def to_json(self) -> dict[str, Any]:
        done = self.state == "finished"
        return {
            "id": self.id,
            "input": self.input_name,
            "uploaded_by": self.uploaded_by,
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "state": self.state,
            "percent": self.percent,
            "bytes_done": self.bytes_done,
            "bytes_total": self.bytes_total,
            "partitions_done": self.partitions_done,
            "partitions": self.partitions,
            "orders": self.orders,
            "errors": self.errors,
            "flagged": self.flagged,
            "run_id": self.run_id,
            "message": self.message,
            "files": {
                name: f"/api/batches/{self.id}/files/{name}" for name in OUTPUT_FILES if done
            },
        }


def partition_size(size: int) -> int:
    """About twenty partitions, so that the progress bar moves, within sane bounds."""
    return max(MIN_PARTITION, min(MAX_PARTITION, size // 20 or MIN_PARTITION))


@dataclass
class BatchJobs:
    """The console's batch queue: one worker, so batches do not fight over the database."""

    engine: Engine
    database_url: str
    folder: Path
    _jobs: dict[str, BatchJob] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="batch")
    )

    def new_folder(self) -> tuple[str, Path]:
        job_id = uuid.uuid4().hex[:16]
        folder = self.folder / job_id
        folder.mkdir(parents=True)
        return job_id, folder

    def submit(
        self, job_id: str, path: Path, user: str, *, as_of: date | None, fmt: str | None
    ) -> BatchJob:
        job = BatchJob(
            id=job_id,
            input_name=path.name,
            input_path=path,
            out_dir=path.parent / "out",
            uploaded_by=user,
            created_at=datetime.now(UTC),
            as_of=as_of,
            fmt=fmt,
            bytes_total=path.stat().st_size,
        )
        self._set(job)
        self._pool.submit(self._run, job_id)
        return job

    def get(self, job_id: str) -> BatchJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no batch {job_id!r}", field="batch_id")
        return job

    def all(self) -> list[BatchJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created_at, reverse=True)

    def output(self, job_id: str, name: str) -> Path:
        job = self.get(job_id)
        if name not in OUTPUT_FILES:
            raise NotFoundError(
                f"no output file {name!r} (one of {', '.join(OUTPUT_FILES)})", field="name"
            )
        path = job.out_dir / name
        if job.state != "finished" or not path.exists():
            raise NotFoundError(f"batch {job_id} has not finished yet", field="batch_id")
        return path

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _set(self, job: BatchJob) -> None:
        with self._lock:
            self._jobs[job.id] = job

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _run(self, job_id: str) -> None:
        job = self.get(job_id)
        self._update(job_id, state="running")
        try:
            result = self._screen(job)
        except PrecursorWatchError as exc:
            self._update(job_id, state="failed", message=exc.message, finished_at=datetime.now(UTC))
            return
        except Exception as exc:  # the thread must report every failure, never die silently
            self._update(
                job_id,
                state="failed",
                message=f"{type(exc).__name__}: {exc}",
                finished_at=datetime.now(UTC),
            )
            return
        self._update(
            job_id,
            state="finished",
            bytes_done=job.bytes_total,
            orders=result.orders,
            errors=result.errors,
            flagged=result.flagged,
            run_id=result.run_id,
            partitions=result.partitions,
            partitions_done=result.partitions,
            finished_at=datetime.now(UTC),
        )

    def _screen(self, job: BatchJob) -> Any:
        def progress(p: Any) -> None:
            current = self.get(job.id)
            self._update(
                job.id,
                bytes_done=p.bytes_done,
                bytes_total=p.bytes_total,
                partitions_done=p.partition + 1,
                partitions=p.partitions,
                orders=current.orders + p.orders,
                errors=current.errors + p.errors,
            )

        return screen_file(
            self.database_url,
            job.input_path,
            job.out_dir,
            actor=job.uploaded_by,
            as_of=job.as_of,
            fmt=job.fmt,
            progress=progress,
        )


def screen_file(
    database_url: str,
    path: Path,
    out_dir: Path,
    *,
    actor: str,
    as_of: date | None = None,
    fmt: str | None = None,
    progress: Callable[[Any], None] | None = None,
) -> Any:
    """Screen one order file into ``out_dir`` with the decisions, cases and audit entries (by
    ``actor``) stored in the database: ``storage.runs.run_batch_in_database``, the function
    behind ``precursor-watch screen``, with partitions sized for a moving progress bar."""
    from precursor_watch.storage.runs import run_batch_in_database

    return run_batch_in_database(
        path,
        out_dir,
        url=database_url,
        actor=actor,
        progress=progress,
        fmt=fmt,
        as_of=as_of,
        partition_bytes=partition_size(path.stat().st_size),
    )


def party_screener_for(database_url: str) -> tuple[Any, dict[str, str]]:
    """The screener over the active lists (cached per query), or (None, {}) without any list:
    every decision then says its parties were not screened."""
    from precursor_watch.parties.active_lists import screener_for_database

    try:
        screener = screener_for_database(database_url)
    except NotFoundError:
        return None, {}
    return functools.lru_cache(maxsize=200_000)(screener.screen), dict(screener.list_versions)


def recent_runs(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """Batch runs recorded in the database (from the console, the CLI or the demo), newest
    first, with their order and bad-row counts: they outlive the console's in-memory queue."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from precursor_watch.storage.case_tables import RunPartition, ScreeningRun

    totals = (
        select(
            RunPartition.run_id,
            func.sum(RunPartition.orders).label("orders"),
            func.sum(RunPartition.errors).label("errors"),
        )
        .group_by(RunPartition.run_id)
        .subquery()
    )
    stmt = (
        select(ScreeningRun, totals.c.orders, totals.c.errors)
        .outerjoin(totals, totals.c.run_id == ScreeningRun.run_id)
        .order_by(ScreeningRun.started_at.desc())
        .limit(limit)
    )
    with Session(engine) as session:
        return [
            {
                "run_id": run.run_id,
                "input": run.input_name,
                "input_sha256": run.input_sha256,
                "status": run.status,
                "partitions": run.partitions,
                "orders": int(orders or 0),
                "errors": int(errors or 0),
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            }
            for run, orders, errors in session.execute(stmt).all()
        ]
