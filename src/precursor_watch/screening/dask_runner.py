"""The Dask adapter of ``PartitionRunner``: partitions screened by the workers of a cluster.

``DaskRunner.connect("tcp://host:8786", url)`` uses a running scheduler; ``DaskRunner.local(n,
url)`` starts a ``LocalCluster`` of ``n`` worker processes (one thread each: screening is
CPU-bound and holds the GIL). Customer history carries from one partition to the next, so the
runner works in two passes over a sliding window of partitions:

1. ``partition_history(k)`` for every partition: the history lines each one adds;
2. ``screen_partition_on_worker(k, history(0), ..., history(k-1))``: the partition screened with
   the history the in-process runner would have at that point.

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
from precursor_watch.screening.partition_screening import PartitionResult
from precursor_watch.screening.partitions import Partition
from precursor_watch.screening.runners import PartitionJob
from precursor_watch.screening.worker_tasks import (
    PinnedVersions,
    WorkerJob,
    partition_history,
    screen_partition_on_worker,
)

CONNECT_TIMEOUT_S = 30


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
        wanted = {p.index for p in todo}
        last = todo[-1].index
        histories: list[Any] = []  # futures of partition_history, by partition index
        screens: dict[int, Any] = {}
        window = self._window * self.threads()
        submitted = 0  # partitions 0..submitted-1 have their tasks submitted
        token = f"{job.run_id}-{uuid.uuid4().hex[:8]}"  # task keys unique to this call
        self._addresses = sorted(self.client.scheduler_info().get("workers", {}))
        try:
            for part in todo:
                while submitted <= last and submitted < part.index + window:
                    self._submit(wjob, token, parts[submitted], last, wanted, histories, screens)
                    submitted += 1
                future = screens.pop(part.index)
                outcome: PartitionResult = future.result()
                future.release()
                yield outcome
        finally:
            self.client.cancel([*screens.values(), *histories])

    def _submit(
        self,
        wjob: WorkerJob,
        token: str,
        part: Partition,
        last: int,
        wanted: set[int],
        histories: list[Any],
        screens: dict[int, Any],
    ) -> None:
        index = part.index
        # Both tasks of a partition go to the same worker when it is there, so that the screening
        # task finds the partition already read by the history task (loose: any worker will do).
        home: dict[str, Any] = {}
        if self._addresses:
            home = {"workers": [self._addresses[index % len(self._addresses)]]}
            home["allow_other_workers"] = True
        if index in wanted:
            screens[index] = self.client.submit(
                screen_partition_on_worker,
                wjob,
                part,
                *histories[:index],
                key=f"pw-screen-{token}-{index}",
                pure=False,
                priority=-2 * index,
                **home,
            )
        if index < last:  # the last partition's history is needed by no one
            histories.append(
                self.client.submit(
                    partition_history,
                    wjob,
                    part,
                    key=f"pw-history-{token}-{index}",
                    pure=False,
                    priority=-2 * index + 1,
                    **home,
                )
            )

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
