"""Batches uploaded in the console: screened one at a time per server process in a background
thread by the batch runner (``screening.batch.run_batch``), with progress the page polls.

The jobs live in the database (``storage.batch_job_store``): every server process lists them,
and a restart keeps them. Progress is one row update per partition. A job left queued or running
by a server process that has died is marked ``interrupted`` when a console starts (and whenever
the list is read, at most every few seconds); :meth:`BatchJobs.resume` screens it again from its
output folder, where the runner skips the partitions already committed.

A job's files live in ``<work_dir>/batches/<job id>/``: the upload and ``out/`` with
decisions.jsonl, decisions.csv, errors.csv and report.html. Decisions, cases and audit entries
go to the database through ``storage.runs.DbRunStore`` with the uploader as actor.
"""

from __future__ import annotations

import functools
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from precursor_watch.errors import InputError, NotFoundError, PrecursorWatchError
from precursor_watch.storage import batch_job_store as store
from precursor_watch.storage.batch_job_store import BatchJob

OUTPUT_FILES = ("decisions.jsonl", "decisions.csv", "errors.csv", "report.html")
MIN_PARTITION = 16 * 1024
MAX_PARTITION = 8 * 1024 * 1024

__all__ = ["OUTPUT_FILES", "BatchJob", "BatchJobs", "batch_json", "partition_size"]


def batch_json(job: BatchJob) -> dict[str, Any]:
    done = job.state == "finished"
    return {
        "id": job.id,
        "input": job.input_name,
        "uploaded_by": job.uploaded_by,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "state": job.state,
        "percent": job.percent,
        "bytes_done": job.bytes_done,
        "bytes_total": job.bytes_total,
        "partitions_done": job.partitions_done,
        "partitions": job.partitions,
        "orders": job.orders,
        "errors": job.errors,
        "flagged": job.flagged,
        "run_id": job.run_id,
        "message": job.message,
        "resumable": job.state == "interrupted",
        "files": {name: f"/api/batches/{job.id}/files/{name}" for name in OUTPUT_FILES if done},
    }


def partition_size(size: int) -> int:
    """About twenty partitions, so that the progress bar moves, within sane bounds."""
    return max(MIN_PARTITION, min(MAX_PARTITION, size // 20 or MIN_PARTITION))


@dataclass
class BatchJobs:
    """This process's batch queue over the jobs table: one worker thread, so that batches do
    not fight over the database, and a heartbeat thread while it has jobs."""

    engine: Engine
    database_url: str
    folder: Path
    owner: str = field(default_factory=store.process_owner)
    _pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="batch")
    )
    _active: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _beating: threading.Event = field(default_factory=threading.Event)
    _stopped: threading.Event = field(default_factory=threading.Event)
    _last_sweep: float = 0.0

    def sweep(self, *, force: bool = True) -> list[str]:
        """Mark jobs of dead server processes interrupted (see ``storage.batch_job_store``);
        unless ``force``, at most once every heartbeat interval."""
        now = time.monotonic()
        if not force and now - self._last_sweep < store.HEARTBEAT_S:
            return []
        self._last_sweep = now
        return store.interrupt_orphans(self.engine)

    def new_folder(self) -> tuple[str, Path]:
        job_id = uuid.uuid4().hex[:16]
        folder = self.folder / job_id
        folder.mkdir(parents=True)
        return job_id, folder

    def submit(
        self, job_id: str, path: Path, user: str, *, as_of: date | None, fmt: str | None
    ) -> BatchJob:
        now = datetime.now(UTC)
        job = BatchJob(
            id=job_id,
            input_name=path.name,
            input_path=path,
            out_dir=path.parent / "out",
            uploaded_by=user,
            created_at=now,
            as_of=as_of,
            fmt=fmt,
            bytes_total=path.stat().st_size,
            owner=self.owner,
            heartbeat_at=now,
        )
        store.add_job(self.engine, job)
        self._enqueue(job_id)
        return job

    def resume(self, job_id: str, user: str) -> BatchJob:
        """Screen an interrupted job again in this process (its committed partitions are kept)."""
        job = self.get(job_id)
        if not store.claim_for_resume(self.engine, job_id, self.owner, user):
            raise InputError(
                f"batch {job_id} is {self.get(job_id).state}: only an interrupted batch can be "
                "resumed",
                field="batch_id",
            )
        if not job.input_path.is_file():
            store.mark_failed(
                self.engine,
                job_id,
                self.owner,
                f"the uploaded file {job.input_path} is gone; upload it again",
            )
        else:
            self._enqueue(job_id)
        return self.get(job_id)

    def get(self, job_id: str) -> BatchJob:
        self.sweep(force=False)
        job = store.get_job(self.engine, job_id)
        if job is None:
            raise NotFoundError(f"no batch {job_id!r}", field="batch_id")
        return job

    def all(self) -> list[BatchJob]:
        self.sweep(force=False)
        return store.list_jobs(self.engine)

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
        self._stopped.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _enqueue(self, job_id: str) -> None:
        with self._lock:
            self._active += 1
            if not self._beating.is_set():
                self._beating.set()
                threading.Thread(target=self._beat, name="batch-heartbeat", daemon=True).start()
        self._pool.submit(self._run, job_id)

    def _beat(self) -> None:
        """Tell other processes this one is alive while it has queued or running jobs."""
        while not self._stopped.wait(store.HEARTBEAT_S):
            with self._lock:
                if self._active == 0:
                    self._beating.clear()
                    return
            try:
                store.heartbeat(self.engine, self.owner)
            except Exception:  # a busy database must not end the heartbeat; try again later
                continue

    def _run(self, job_id: str) -> None:
        try:
            self._run_job(job_id)
        finally:
            with self._lock:
                self._active -= 1

    def _run_job(self, job_id: str) -> None:
        job = store.get_job(self.engine, job_id)
        if job is None or job.owner != self.owner or job.state != "queued":
            return  # claimed by another process, or no longer ours
        store.mark_running(self.engine, job_id, self.owner)
        try:
            result = self._screen(job)
        except PrecursorWatchError as exc:
            store.mark_failed(self.engine, job_id, self.owner, exc.message)
            return
        except Exception as exc:  # the thread must report every failure, never die silently
            store.mark_failed(self.engine, job_id, self.owner, f"{type(exc).__name__}: {exc}")
            return
        store.mark_finished(
            self.engine,
            job_id,
            self.owner,
            run_id=result.run_id,
            orders=result.orders,
            errors=result.errors,
            flagged=result.flagged,
            partitions=result.partitions,
        )

    def _screen(self, job: BatchJob) -> Any:
        def progress(p: Any) -> None:
            store.record_progress(
                self.engine,
                job.id,
                self.owner,
                bytes_done=p.bytes_done,
                bytes_total=p.bytes_total,
                partitions_done=p.partition + 1,
                partitions=p.partitions,
                orders=p.orders,
                errors=p.errors,
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
    first, with their order and bad-row counts (runs of the CLI and the demo too)."""
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
