"""Who screens the partitions of a batch: the port, and the in-process adapter.

``run_batch`` plans the input, opens (or resumes) the run, and hands the partitions still to do
to a :class:`PartitionRunner`. The runner yields one ``PartitionResult`` per partition, **in
partition order**; the driver writes each one's pieces and commits it to the database before it
asks for the next, then assembles the final files. So a runner only decides where partitions are
screened; the screening (``screen_partition``), the commit and the merge are the same whatever
the runner.

* :class:`InProcessRunner`: this process, one partition after the other (the default).
* ``screening.dask_runner.DaskRunner``: the workers of a Dask cluster, several at a time.

One contract test (``tests/screening/test_runner_contract.py``) runs against both.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from precursor_watch.io.order_columns import ColumnMapping
from precursor_watch.screening.context import ScreeningContext
from precursor_watch.screening.partition_result import PartitionResult
from precursor_watch.screening.partition_screening import screen_partition
from precursor_watch.screening.partitions import InputPlan, Partition


@dataclass(frozen=True)
class PartitionJob:
    """What every partition of one run is screened with (small and picklable)."""

    plan: InputPlan
    run_id: str
    as_of: date
    mapping: ColumnMapping = field(default_factory=ColumnMapping.default)
    list_versions: Mapping[str, str] = field(default_factory=dict)  # pinned for the whole run


class PartitionRunner(Protocol):
    """Screens partitions and yields their outcomes in partition order."""

    def outcomes(
        self, job: PartitionJob, todo: Sequence[Partition], context: ScreeningContext
    ) -> Generator[PartitionResult, None, None]:
        """Screen ``todo`` (ascending, a subset of ``job.plan.partitions`` when a run resumes).

        ``context`` is the driver's context; its ``history`` already holds every partition the
        database has committed and takes each yielded partition's lines once the driver commits
        it. A runner that screens elsewhere must reproduce exactly that history for each
        partition. The driver may stop iterating at any time (``close()``): the runner then
        abandons the partitions it has not yielded.
        """
        ...

    def close(self) -> None:
        """Release what the runner started (cluster, connections)."""
        ...


class InProcessRunner:
    """One partition after the other in this process, on the driver's context: the next
    partition is read only after the driver has committed the previous one."""

    name = "in-process"

    def outcomes(
        self, job: PartitionJob, todo: Sequence[Partition], context: ScreeningContext
    ) -> Generator[PartitionResult, None, None]:
        for part in todo:
            yield screen_partition(job.plan, part, context, job.mapping).result(job.run_id)

    def close(self) -> None:
        return None

    def __enter__(self) -> InProcessRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
