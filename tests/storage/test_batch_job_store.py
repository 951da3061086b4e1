"""Uploaded batches in the database: progress adds up, and only the jobs of a process that is
certainly gone are marked interrupted (once, audited); an interrupted job is resumed once."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from precursor_watch.storage import batch_job_store as store
from precursor_watch.storage import db
from precursor_watch.storage.audit import read_entries, verify_chain
from precursor_watch.storage.batch_job_store import BatchJob


def _job(job_id: str, owner: str | None, beat: datetime | None, state: str = "running") -> BatchJob:
    return BatchJob(
        id=job_id,
        input_name="orders.csv",
        input_path=Path("/nonexistent/orders.csv"),
        out_dir=Path("/nonexistent/out"),
        uploaded_by="alice",
        created_at=datetime.now(UTC),
        state=state,
        bytes_total=1000,
        owner=owner,
        heartbeat_at=beat,
    )


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], stdout=-1)
    return int(child.stdout)


def test_progress_is_one_row_update_that_adds_counts(database_url: str) -> None:
    engine = db.open_database(database_url)
    owner = store.process_owner()
    store.add_job(engine, _job("j1", owner, datetime.now(UTC), state="queued"))
    store.mark_running(engine, "j1", owner)
    for part, (orders, errors) in enumerate([(10, 1), (7, 0)]):
        store.record_progress(
            engine,
            "j1",
            owner,
            bytes_done=500 * (part + 1),
            bytes_total=1000,
            partitions_done=part + 1,
            partitions=2,
            orders=orders,
            errors=errors,
        )
    job = store.get_job(engine, "j1")
    assert job is not None
    assert (job.state, job.orders, job.errors, job.partitions_done, job.percent) == (
        "running",
        17,
        1,
        2,
        100,
    )
    store.record_progress(  # another process's update: ignored
        engine,
        "j1",
        "x:1:y",
        bytes_done=0,
        bytes_total=1,
        partitions_done=0,
        partitions=1,
        orders=99,
        errors=99,
    )
    assert store.get_job(engine, "j1").orders == 17  # type: ignore[union-attr]
    store.mark_finished(
        engine, "j1", owner, run_id="r1", orders=17, errors=1, flagged=3, partitions=2
    )
    job = store.get_job(engine, "j1")
    assert job is not None and job.state == "finished" and job.finished_at is not None
    assert [j.id for j in store.list_jobs(engine)] == ["j1"]


def test_only_jobs_of_gone_processes_are_interrupted(database_url: str) -> None:
    engine = db.open_database(database_url)
    now = datetime.now(UTC)
    here = socket.gethostname()
    stale = now - timedelta(seconds=store.STALE_AFTER_S + 5)
    store.add_job(engine, _job("dead-pid", f"{here}:{_dead_pid()}:abc", now))
    store.add_job(engine, _job("dead-queued", f"{here}:{_dead_pid()}:abc", now, state="queued"))
    store.add_job(engine, _job("stale-remote", "elsewhere.example:123:abc", stale))
    store.add_job(engine, _job("fresh-remote", "elsewhere.example:123:abc", now))
    store.add_job(engine, _job("alive-here", store.process_owner(), stale + timedelta(seconds=10)))
    store.add_job(engine, _job("finished-dead", f"{here}:{_dead_pid()}:x", now, state="finished"))

    marked = store.interrupt_orphans(engine, now=now)

    assert sorted(marked) == ["dead-pid", "dead-queued", "stale-remote"]
    states = {j.id: j.state for j in store.list_jobs(engine)}
    assert states["fresh-remote"] == "running" and states["alive-here"] == "running"
    assert states["finished-dead"] == "finished"
    dead = store.get_job(engine, "dead-pid")
    assert dead is not None and dead.message and dead.message.startswith("Interrupted:")
    queued = store.get_job(engine, "dead-queued")
    assert queued is not None and queued.message and "before screening began" in queued.message
    assert store.interrupt_orphans(engine, now=now) == []  # once
    with db.session_scope(engine) as session:
        entries = [e for e in read_entries(session) if e.action == "batch.interrupted"]
        assert sorted(e.subject for e in entries) == [
            "batch:dead-pid",
            "batch:dead-queued",
            "batch:stale-remote",
        ]
    assert verify_chain(engine).count == len(entries)


def test_an_interrupted_job_is_claimed_once(database_url: str) -> None:
    engine = db.open_database(database_url)
    here = socket.gethostname()
    store.add_job(engine, _job("j", f"{here}:{_dead_pid()}:abc", datetime.now(UTC)))
    assert store.claim_for_resume(engine, "j", "me:1:a", "bob") is False  # not interrupted yet
    assert store.interrupt_orphans(engine) == ["j"]
    assert store.claim_for_resume(engine, "j", "me:1:a", "bob") is True
    assert store.claim_for_resume(engine, "j", "other:2:b", "carol") is False
    job = store.get_job(engine, "j")
    assert job is not None and (job.state, job.owner) == ("queued", "me:1:a")
    assert job.message and "Resumed by bob" in job.message
