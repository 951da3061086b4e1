"""Scale-out on Dask (issue 6): a local cluster of two worker processes gives exactly the
in-process output (files and database), even when a worker is killed mid-run; runs stopped part
way resume on either runner; workers refuse versions the run did not pin.

The contract tests at the top run against every ``PartitionRunner`` implementation.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from precursor_watch.cli.screen_command import screen
from precursor_watch.errors import ConfigurationError
from precursor_watch.io.order_columns import ColumnMapping
from precursor_watch.rules.catalog import load_rule_set
from precursor_watch.screening.batch import BatchProgress
from precursor_watch.screening.context import InMemoryCustomerHistory, ScreeningContext
from precursor_watch.screening.dask_runner import DaskRunner
from precursor_watch.screening.partition_screening import screen_partition
from precursor_watch.screening.partitions import plan_input
from precursor_watch.screening.runners import InProcessRunner, PartitionRunner
from precursor_watch.screening.worker_tasks import (
    PinnedVersions,
    WorkerJob,
    contexts_built,
    partition_history,
    worker_context,
)
from precursor_watch.storage.db import open_database
from precursor_watch.storage.list_store import load_list
from tests.conftest import _create_pg_database
from tests.screening.cluster_support import (
    AS_OF,
    PARTITION_BYTES,
    UN_LIST,
    Sample,
    assert_same_run,
    batch,
    cli_screen,
    client_of,
    cluster,
    database_rows,
    fresh_database,
    opsin_off,
    sample,
    url_of,
    worker_pids,
)

pytestmark = [pytest.mark.xdist_group("dask"), pytest.mark.slow]
__all__ = ["cluster", "opsin_off", "sample"]  # module fixtures used below

RunnerFactory = Callable[[Path], PartitionRunner]


@pytest.fixture(params=["in-process", "dask"])
def make_runner(request: pytest.FixtureRequest, cluster: Any) -> Iterator[RunnerFactory]:
    """Every PartitionRunner implementation, built for a given database."""
    made: list[PartitionRunner] = []

    def build(database: Path) -> PartitionRunner:
        runner: PartitionRunner
        if request.param == "in-process":
            runner = InProcessRunner()
        else:
            runner = DaskRunner(client_of(cluster), url_of(database))
        made.append(runner)
        return runner

    yield build
    for runner in made:
        runner.close()


# -- the contract: every runner ---------------------------------------------------------------------
def test_runner_gives_the_in_process_output(
    make_runner: RunnerFactory, sample: Sample, tmp_path: Path
) -> None:
    database = fresh_database(sample, tmp_path / "db")
    result = batch(sample.source, tmp_path / "out", database, make_runner(database))
    assert result.partitions >= 10 and result.errors >= 3 and result.resumed_partitions == 0
    assert_same_run(tmp_path / "out", database, sample)


class StopRunError(Exception):
    pass


def test_run_stopped_part_way_resumes_where_it_stopped(
    make_runner: RunnerFactory, sample: Sample, tmp_path: Path
) -> None:
    database, out = fresh_database(sample, tmp_path / "db"), tmp_path / "out"

    def stop_after_three(p: BatchProgress) -> None:
        if p.partition == 2:
            raise StopRunError

    with pytest.raises(StopRunError):
        batch(sample.source, out, database, make_runner(database), progress=stop_after_three)
    seen: list[BatchProgress] = []
    result = batch(sample.source, out, database, make_runner(database), progress=seen.append)
    assert result.resumed_partitions == 3
    assert [p.resumed for p in seen[:4]] == [True, True, True, False]
    assert [p.partition for p in seen] == list(range(result.partitions))
    assert_same_run(out, database, sample)


# -- Dask specifics ---------------------------------------------------------------------------------
def test_an_in_process_run_stopped_part_way_resumes_on_the_cluster(
    sample: Sample, cluster: Any, tmp_path: Path
) -> None:
    database, out = fresh_database(sample, tmp_path / "db"), tmp_path / "out"

    def stop_after_four(p: BatchProgress) -> None:
        if p.partition == 3:
            raise StopRunError

    with pytest.raises(StopRunError):
        batch(sample.source, out, database, InProcessRunner(), progress=stop_after_four)
    with DaskRunner(client_of(cluster), url_of(database)) as runner:
        result = batch(sample.source, out, database, runner)
    assert result.resumed_partitions == 4
    assert_same_run(out, database, sample)


def test_history_crosses_partitions_so_the_comparison_can_fail(sample: Sample) -> None:
    """Screening each partition with only its own history changes decisions: the equality
    tests above would catch a runner that lost the history of earlier partitions."""
    plan = plan_input(sample.source, target_bytes=PARTITION_BYTES)
    isolated = []
    for part in plan.partitions:
        context = ScreeningContext.default(as_of=AS_OF, history=InMemoryCustomerHistory())
        isolated.append(screen_partition(plan, part, context).pieces()["decisions.csv"])
    sequential = []
    context = ScreeningContext.default(as_of=AS_OF, history=InMemoryCustomerHistory())
    for part in plan.partitions:
        sequential.append(screen_partition(plan, part, context).pieces()["decisions.csv"])
    assert isolated[0] == sequential[0]
    assert isolated != sequential


def test_cli_on_a_two_worker_cluster_equals_the_in_process_run(
    sample: Sample, cluster: Any, tmp_path: Path
) -> None:
    database = fresh_database(sample, tmp_path / "db")
    with client_of(cluster) as client:
        before = client.run(contexts_built)
    summary = cli_screen(
        sample.source, tmp_path / "out", database, "--cluster", cluster.scheduler_address
    )
    assert summary["error_rows"] >= 3 and summary["flagged"] > 0
    assert_same_run(tmp_path / "out", database, sample)
    decisions = (tmp_path / "out" / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    lists = {json.dumps(json.loads(line)["versions"]["lists"]) for line in decisions}
    assert len(lists) == 1 and "un_sc_consolidated" in lists.pop()  # one list version, everywhere
    with client_of(cluster) as client:
        after = client.run(contexts_built)
    built = [after[w] - before.get(w, 0) for w in after]
    assert sum(built) <= len(after)  # once per worker process for the run, not per partition
    assert int(summary["partitions"]) > 2 * len(after)


class ScreenDependencies:
    """A scheduler plugin: how many tasks each screening task depends on, as submitted."""

    name = "pw-screen-dependencies"

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def update_graph(self, scheduler: Any, *, keys: Any, **_: Any) -> None:
        for key in keys:
            task = scheduler.tasks.get(key)
            if str(key).startswith("pw-screen-") and task is not None:
                self.counts[str(key)] = len(task.dependencies)


def test_a_screening_task_depends_on_a_window_of_partitions_not_on_all_before_it(
    sample: Sample, cluster: Any, tmp_path: Path
) -> None:
    """The partitions already committed are read from the database: a task waits for the
    history of at most the runner's window of partitions, however long the run."""
    from distributed.diagnostics.plugin import SchedulerPlugin

    plugin = type("Plugin", (ScreenDependencies, SchedulerPlugin), {})()
    database = fresh_database(sample, tmp_path / "db")
    with client_of(cluster) as client:
        client.register_plugin(plugin)
        try:
            runner = DaskRunner(client, url_of(database), window=1)
            result = batch(sample.source, tmp_path / "out", database, runner)
            counts = client.run_on_scheduler(
                lambda dask_scheduler: dict(dask_scheduler.plugins[plugin.name].counts)
            )
        finally:
            client.run_on_scheduler(
                lambda dask_scheduler: dask_scheduler.remove_plugin(plugin.name)
            )
    assert result.partitions >= 10 and len(counts) == result.partitions
    window = runner.threads()  # window=1 partition per worker thread
    assert max(counts.values()) <= window < result.partitions - 1
    assert_same_run(tmp_path / "out", database, sample)


def test_cli_workers_starts_a_local_cluster(sample: Sample, tmp_path: Path) -> None:
    database = fresh_database(sample, tmp_path / "db")
    cli_screen(sample.source, tmp_path / "out", database, "--workers", "1")
    assert_same_run(tmp_path / "out", database, sample)


def test_a_worker_killed_mid_run_changes_nothing(
    sample: Sample, cluster: Any, tmp_path: Path
) -> None:
    database, out = fresh_database(sample, tmp_path / "db"), tmp_path / "out"
    killed: list[int] = []
    with client_of(cluster) as client:
        before = worker_pids(client)

        def kill_a_busy_worker() -> None:
            deadline = time.monotonic() + 120
            state = out / ".precursor-watch-run"
            while len(list(state.glob("part-*.json"))) < 2:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.02)
            busy = [a for a, keys in client.processing().items() if keys and a in before]
            victim = before[busy[0] if busy else next(iter(before))]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

        killer = threading.Thread(target=kill_a_busy_worker)
        killer.start()
        summary = cli_screen(sample.source, out, database, "--cluster", cluster.scheduler_address)
        killer.join()
        assert killed, "the run ended before a worker could be killed"
        client.wait_for_workers(2, timeout=60)
        assert killed[0] not in worker_pids(client).values()
    assert summary["resumed_partitions"] == 0
    assert_same_run(out, database, sample)


def _job(sample: Sample, database: Path, **pinned: Any) -> WorkerJob:
    plan = plan_input(sample.source, target_bytes=PARTITION_BYTES)
    versions = PinnedVersions.resolve(load_rule_set().label, {})
    return WorkerJob(
        plan,
        ColumnMapping.default(),
        "test-run",
        AS_OF,
        url_of(database),
        replace(versions, **pinned),
    )


def test_a_worker_refuses_a_list_version_the_run_did_not_pin(
    sample: Sample, cluster: Any, tmp_path: Path
) -> None:
    database = fresh_database(sample, tmp_path / "db")
    job = _job(sample, database, lists=(("un_sc_consolidated", "2020-01-01+00000000"),))
    with client_of(cluster) as client:
        future = client.submit(partition_history, job, job.plan.partitions[0], pure=False)
        with pytest.raises(ConfigurationError, match=r"un_sc_consolidated.*pinned"):
            future.result()


def test_a_worker_checks_the_lists_once_per_run(
    sample: Sample, cluster: Any, tmp_path: Path, sanctions_data: Path
) -> None:
    """A worker keeps the lists it checked for the rest of the run, as the in-process runner
    keeps the screener it started with; a list loaded meanwhile is refused by the next run."""
    from precursor_watch.storage.list_store import active_versions

    database = fresh_database(sample, tmp_path / "db")
    engine = open_database(url_of(database))
    job = _job(sample, database, lists=tuple(sorted(active_versions(engine).items())))
    parts = job.plan.partitions
    with client_of(cluster) as client:
        worker = sorted(client.scheduler_info()["workers"])[0]

        def history_on_worker(run: WorkerJob, index: int) -> Any:
            return client.submit(
                partition_history, run, parts[index], pure=False, workers=[worker]
            ).result()

        history_on_worker(job, 0)
        load_list(engine, sanctions_data / "us_bis_dpl_2023-11-30" / "dpl.txt")
        history_on_worker(job, 1)  # the same run: the lists it checked, not the new one
        with pytest.raises(ConfigurationError, match=r"us_bis_dpl.*pinned"):
            history_on_worker(replace(job, run_id="next-run"), 0)
    engine.dispose()


def test_the_local_cluster_runs_without_dasks_profiler(tmp_path: Path, opsin_off: None) -> None:
    """``--workers N`` starts workers that do not sample their own stacks every 10 ms."""
    with DaskRunner.local(1, f"sqlite:///{tmp_path / 'unused.db'}") as runner:
        callbacks = runner.client.run(lambda dask_worker: sorted(dask_worker.periodic_callbacks))
    [names] = callbacks.values()
    assert "heartbeat" in names and "profile" not in names


@pytest.mark.parametrize(
    "change, message",
    [
        ({"knowledge_base": "kb-1999.01.01-00000000"}, "knowledge base"),
        ({"rule_set": "precursor-watch-orders@000000000000"}, "rule set"),
    ],
)
def test_a_worker_refuses_other_versions(
    sample: Sample, cluster: Any, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    job = _job(sample, fresh_database(sample, tmp_path / "db"), **change)
    with client_of(cluster) as client:
        future = client.submit(partition_history, job, job.plan.partitions[0], pure=False)
        with pytest.raises(ConfigurationError, match=message):
            future.result()


@pytest.mark.parametrize("opsin, resolved_by", [(True, "systematic name (OPSIN)"), (False, None)])
def test_workers_apply_the_drivers_opsin_setting(
    sample: Sample, cluster: Any, tmp_path: Path, opsin: bool, resolved_by: str | None
) -> None:
    """The workers run with PRECURSOR_WATCH_OPSIN=off here; the driver's setting wins."""
    job = _job(sample, fresh_database(sample, tmp_path / "db"), opsin=opsin)

    def resolve_on_worker() -> str | None:
        return worker_context(job).substance_screener("3-methylbutan-2-one").resolved_by

    with client_of(cluster) as client:
        assert client.submit(resolve_on_worker, pure=False).result() == resolved_by


def test_a_worker_that_cannot_see_the_database_says_so(
    sample: Sample, cluster: Any, tmp_path: Path
) -> None:
    job = _job(sample, tmp_path / "elsewhere" / "missing.db")
    job = replace(job, pinned=replace(job.pinned, lists=(("un_sc_consolidated", "x"),)))
    with client_of(cluster) as client:
        future = client.submit(partition_history, job, job.plan.partitions[0], pure=False)
        with pytest.raises(ConfigurationError, match="cannot see the SQLite database"):
            future.result()
    assert not (tmp_path / "elsewhere").exists()


def test_a_cluster_run_killed_with_sigkill_continues_where_it_stopped(
    sample: Sample, cluster: Any, tmp_path: Path
) -> None:
    """The driver of a cluster run is killed (SIGKILL) part way; the same command again
    screens only what was not committed and gives the in-process output."""
    database, out = fresh_database(sample, tmp_path / "db"), tmp_path / "out"
    env = {**os.environ, "PRECURSOR_WATCH_DB": url_of(database)}
    args = [str(sample.source), "--out", str(out), "--as-of", AS_OF.isoformat(), "--quiet"]
    args += ["--partition-mb", str(PARTITION_BYTES / 1024 / 1024)]
    args += ["--cluster", cluster.scheduler_address]
    code = "from precursor_watch.cli.main import main; main()"
    driver = subprocess.Popen(
        [sys.executable, "-c", code, "screen", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        state, deadline = out / ".precursor-watch-run", time.monotonic() + 120
        while len(list(state.glob("part-*.json"))) < 3:
            assert driver.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        driver.send_signal(signal.SIGKILL)
    finally:
        driver.wait(timeout=60)
    summary = cli_screen(sample.source, out, database, "--cluster", cluster.scheduler_address)
    # the third partition's record is written just before its commit: 2 or 3 are committed
    assert 2 <= int(summary["resumed_partitions"]) < int(summary["partitions"])
    assert_same_run(out, database, sample)


@pytest.mark.postgres
def test_cluster_run_on_postgresql_gives_the_same_decisions_and_cases(
    sample: Sample, cluster: Any, postgres_server: Any, tmp_path: Path, sanctions_data: Path
) -> None:
    """Workers read the lists and the prior history from PostgreSQL; the driver writes."""

    url = _create_pg_database(postgres_server)
    load_list(open_database(url), sanctions_data / UN_LIST)
    out = tmp_path / "out"
    args = [str(sample.source), "--out", str(out), "--as-of", AS_OF.isoformat(), "--quiet"]
    args += ["--partition-mb", str(PARTITION_BYTES / 1024 / 1024)]
    args += ["--cluster", cluster.scheduler_address]
    result = CliRunner().invoke(screen, args, env={"PRECURSOR_WATCH_DB": url})
    assert result.exit_code == 0, result.output
    for name in ("decisions.jsonl", "decisions.csv", "errors.csv"):
        assert (out / name).read_bytes() == (sample.reference / name).read_bytes(), name
    reference = database_rows(sample.reference_db)
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        decisions = conn.execute(
            "SELECT order_id, run_id, partition, position, input_hash, outcome "
            "FROM decisions ORDER BY 1, 2"
        ).fetchall()
        cases = conn.execute(
            "SELECT id, decision_id, order_id, machine_outcome, status FROM cases ORDER BY 1"
        ).fetchall()
    assert decisions == [row[:6] for row in reference["decisions"]]
    assert cases == [row[:5] for row in reference["cases"]]
