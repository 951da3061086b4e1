"""The Dask adapter of ``PartitionRunner``: partitions screened by the workers of a cluster.

``DaskRunner.connect("tcp://host:8786", url)`` uses a running scheduler; ``DaskRunner.local(n,
url)`` starts a ``LocalCluster`` of ``n`` worker processes (one thread each: screening is
CPU-bound and holds the GIL). Customer history carries from one partition to the next, so the
runner works in two passes over a sliding window of partitions:

1. ``partition_history(k)`` for every partition: the history lines each one adds;
2. ``screen_partition_on_worker(k, c, bound, history(c), ..., history(k-1))``: the partition
   screened with the history the in-process runner would have at that point: the database's
   customer history up to row ``bound`` (this run's partitions before ``c``, committed when the
   task was submitted, and what was stored before the run) and the history results of the
   partitions after them. ``k - c`` is at most the window, so a task's dependencies and the
   history results alive on the cluster stay bounded however long the run.

Dask moves each history result to a worker at most once. The outcomes come back to the driver,
which yields them in partition order; the driver alone writes pieces and commits (so SQLite works
with local workers, and the audit chain and case numbers are those of an in-process run). When a
worker dies, Dask runs its tasks again elsewhere; the tasks write nothing, so nothing is written
twice. See docs/scale-out.md.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Generator, Sequence
from dataclasses import replace
from typing import Any

from precursor_watch.errors import ConfigurationError
from precursor_watch.screening.context import ScreeningContext
from precursor_watch.screening.partition_result import PartitionResult
from precursor_watch.screening.partitions import Partition
from precursor_watch.screening.runners import PartitionJob
from precursor_watch.screening.worker_tasks import (
    PinnedVersions,
    WorkerJob,
    partition_history,
    screen_partition_on_worker,
)

CONNECT_TIMEOUT_S = 30
# Dask settings for the cluster ``--workers N`` starts for one batch and closes after it. By
# default every worker samples its own stack every 10 ms (Dask's profiler, for the dashboard's
# profile page) and reads its process and disk counters from /proc twice a second (the
# dashboard's system monitor): on a 200,000-line run with one worker, 3.6% of the worker's CPU
# went to these periodic callbacks, which also take the GIL from the screening thread. The
# memory monitor (pausing a worker near its memory limit) keeps its default. A cluster given by
# ``--cluster`` keeps its own configuration (docs/scale-out.md says how to set the same there).
LOCAL_CLUSTER_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
}


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigurationError(
            "--cluster and --workers need Dask: pip install 'precursor-watch[dask]'",
            field="--cluster",
        ) from None
    return distributed


def _client(address: str) -> Any:
    Client = _distributed().Client  # noqa: N806 (the class)

    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot reach the Dask scheduler at {address}: {exc}", field="--cluster"
        ) from exc


class DaskRunner:
    """Screens partitions on a Dask cluster; ``window`` partitions in flight per worker thread."""

    name = "dask"

    def __init__(
        self, client: Any, database_url: str, *, cluster: Any = None, window: int = 2
    ) -> None:
        self.client = client
        self.database_url = database_url
        self._cluster = cluster
        self._window = window
        self._addresses: list[str] = []
        self._db: Any = None  # the driver's engine, to read the customer-history bound

    @classmethod
    def connect(cls, address: str, database_url: str) -> DaskRunner:
        """Use the scheduler at ``address`` (the workers must see the input file and the
        database; see docs/scale-out.md)."""
        return cls(_client(address), database_url)

    @classmethod
    def local(cls, workers: int, database_url: str) -> DaskRunner:
        """Start a cluster of ``workers`` processes on this machine (closed by ``close``)."""
        distributed = _distributed()
        if workers < 1:
            raise ConfigurationError("--workers must be at least 1", field="--workers")
        import dask

        with dask.config.set(LOCAL_CLUSTER_CONFIG):  # the nannies hand it to their workers
            cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,  # start/stop chatter of the cluster this command owns
                scheduler_port=0,
            )
        client = distributed.Client(cluster)
        return cls(client, database_url, cluster=cluster)

    def threads(self) -> int:
        info = self.client.scheduler_info()
        total = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())
        return max(1, total)

    def outcomes(
        self, job: PartitionJob, todo: Sequence[Partition], context: ScreeningContext
    ) -> Generator[PartitionResult, None, None]:
        parts = job.plan.partitions
        if not todo:
            return
        wjob = WorkerJob(
            plan=replace(job.plan, partitions=()),  # each task names its own: keep messages small
            mapping=job.mapping,
            run_id=job.run_id,
            as_of=job.as_of,
            database_url=self.database_url,
            pinned=PinnedVersions.resolve(context.rule_set.label, job.list_versions),
        )
        from precursor_watch.storage.prior_history import history_bound

        indices = [p.index for p in todo]
        if indices != list(range(indices[0], indices[-1] + 1)) or indices[-1] != parts[-1].index:
            # what the driver commits is a prefix of the partitions, so what is left is the rest
            raise ValueError(f"partitions to screen must be the run's last ones, got {indices}")
        last = indices[-1]
        histories: dict[int, Any] = {}  # futures of partition_history, by partition index
        screens: dict[int, Any] = {}
        window = self._window * self.threads()
        submitted = indices[0]  # partitions before it are committed; from it on, submitted
        token = f"{job.run_id}-{uuid.uuid4().hex[:8]}"  # task keys unique to this call
        self._addresses = sorted(self.client.scheduler_info().get("workers", {}))
        try:
            for part in todo:
                # every partition before this one is committed now (the caller commits each
                # outcome before asking for the next): their history is in the database
                for index in [i for i in histories if i < part.index]:
                    histories.pop(index).release()
                stop = min(last + 1, part.index + window)  # submit partitions up to this one
                if submitted < stop:
                    bound = history_bound(self._engine())
                    for index in range(submitted, stop):
                        self._submit(
                            wjob, token, parts[index], last, part.index, bound, histories, screens
                        )
                    submitted = stop
                future = screens.pop(part.index)
                outcome: PartitionResult = future.result()
                future.release()
                yield outcome
        finally:
            self.client.cancel([*screens.values(), *histories.values()])

    def _engine(self) -> Any:
        if self._db is None:
            from precursor_watch.storage.db import open_database

            self._db = open_database(self.database_url)
        return self._db

    def _submit(
        self,
        wjob: WorkerJob,
        token: str,
        part: Partition,
        last: int,
        first: int,
        bound: int,
        histories: dict[int, Any],
        screens: dict[int, Any],
    ) -> None:
        index = part.index
        # Both tasks of a partition go to the same worker when it is there, so that the screening
        # task finds the partition already read by the history task (loose: any worker will do).
        home: dict[str, Any] = {}
        if self._addresses:
            home = {"workers": [self._addresses[index % len(self._addresses)]]}
            home["allow_other_workers"] = True
        screens[index] = self.client.submit(
            screen_partition_on_worker,
            wjob,
            part,
            first,
            bound,
            *(histories[i] for i in range(first, index)),
            key=f"pw-screen-{token}-{index}",
            pure=False,
            priority=-2 * index,
            **home,
        )
        if index < last:  # the last partition's history is needed by no one
            histories[index] = self.client.submit(
                partition_history,
                wjob,
                part,
                key=f"pw-history-{token}-{index}",
                pure=False,
                priority=-2 * index + 1,
                **home,
            )

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
