"""The two tasks a cluster worker runs for a batch, and what it keeps between them.

1. :func:`partition_history`: read a partition and return the customer-history lines its orders
   add (per customer). Cheap: the substance screener is cached and no rule runs.
2. :func:`screen_partition_on_worker`: screen a partition with ``screen_partition``, the very
   function the in-process runner calls, on a context whose customer history is what the
   database held when the task was submitted (``storage.prior_history``: other runs, and this
   run's partitions already committed) followed by the lines of the partitions screened but not
   yet committed then (the results of task 1 for them: a few, the runner's window). That is
   exactly the history the in-process runner has at that partition, so the decisions are the
   same; and neither a task's dependencies nor a worker's memory grow with the run.

A worker process builds its screening context (knowledge base, rule set, reference data, the
party screener over the lists) ONCE and keeps it in a module-level cache keyed by the pinned
versions; every task first checks that what this worker sees is what the driver pinned
(knowledge-base version, rule-set version; the active list versions at the run's first task on
this worker, whose screener it then keeps for the run as the in-process runner does) and raises
``ConfigurationError`` naming the difference otherwise; the driver's OPSIN setting is applied.
A worker never falls back to another version of a list. Tasks are pure: they write nothing, so
Dask may run one again after a worker dies without any order being written twice (the driver
alone writes).
"""

from __future__ import annotations

import functools
import os
import socket
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, cast

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.errors import ConfigurationError, InputError
from precursor_watch.io.order_columns import ColumnMapping
from precursor_watch.io.order_reader import OrderRecord
from precursor_watch.io.order_rows import RowError
from precursor_watch.rules.facts import LineFacts
from precursor_watch.screening.context import (
    PartyScreener,
    ScreeningContext,
    SubstanceScreener,
    cached,
    default_substance_screener,
)
from precursor_watch.screening.history_by_customer import HistoryByCustomer
from precursor_watch.screening.history_views import SortedHistory, SortedLines
from precursor_watch.screening.order_engine import history_lines, line_facts
from precursor_watch.screening.partition_result import PartitionResult
from precursor_watch.screening.partition_screening import batch_gc, screen_partition
from precursor_watch.screening.partitions import InputPlan, Partition, read_partition


@dataclass(frozen=True)
class PinnedVersions:
    """The versions the driver resolved once for the whole run."""

    knowledge_base: str
    rule_set: str
    opsin: bool
    lists: tuple[tuple[str, str], ...] = ()

    @classmethod
    def resolve(cls, rule_set: str, lists: Mapping[str, str]) -> PinnedVersions:
        """The versions of the driver's own substance screener (the one ``screen_substance``
        uses, hence the CLI's context), its rule set and the run's lists."""
        from precursor_watch.substances.screening import default_screener

        engine = default_screener()
        return cls(engine.kb.version, rule_set, engine.use_opsin, tuple(sorted(lists.items())))


@dataclass(frozen=True)
class WorkerJob:
    """Everything a worker needs for the partitions of one run (pickled with every task)."""

    plan: InputPlan
    mapping: ColumnMapping
    run_id: str
    as_of: date
    database_url: str
    pinned: PinnedVersions


_lock = threading.Lock()
_contexts: dict[tuple[Any, ...], ScreeningContext] = {}
_built = [0]  # how many contexts this process has built (see ``contexts_built``)
_prior: dict[tuple[str, str, int], Any] = {}
# (database, run) -> (partitions screened so far, the history that screened the last of them)
_last_history: dict[tuple[str, str], tuple[int, RunHistory]] = {}
# Partitions read by task 1 and not yet screened by task 2 on this worker (the runner sends both
# tasks of a partition to the same worker when it can), with each order's screened lines: task 2
# then neither reads them nor screens their lines again.
ParsedPartition = tuple[list[OrderRecord | RowError], list[tuple[LineFacts, ...] | None]]
_parsed: OrderedDict[tuple[str, int, int, int], ParsedPartition] = OrderedDict()
MAX_PARSED = 4


def _where() -> str:
    return f"worker {socket.gethostname()} pid {os.getpid()}"


def _mismatch(what: str, seen: object, pinned: object) -> ConfigurationError:
    return ConfigurationError(
        f"{_where()} sees {what} {seen!r} but the run pinned {pinned!r}; refusing to screen "
        "with another version (install the same precursor-watch on every worker and do not "
        "load or update lists during a run)",
        field=what,
    )


# (run, database, pinned lists) -> the screener checked for them: a worker checks the database's
# active lists once per run, then keeps that screener for the run, as the in-process runner keeps
# the one it started with (a list loaded during the run changes neither); a restarted worker
# process checks again.
_run_screeners: dict[tuple[str, str, tuple[tuple[str, str], ...]], PartyScreener] = {}


def _party_screener(job: WorkerJob) -> PartyScreener | None:
    """The screener over the pinned lists, or None when the run pinned none."""
    if not job.pinned.lists:
        return None
    key = (job.run_id, job.database_url, job.pinned.lists)
    with _lock:
        found = _run_screeners.get(key)
    if found is not None:
        return found
    checked = _checked_party_screener(job)
    with _lock:
        _run_screeners.clear()  # one run at a time per worker
        _run_screeners[key] = checked
    return checked


def _checked_party_screener(job: WorkerJob) -> PartyScreener:
    from precursor_watch.parties.active_lists import screener_for_database
    from precursor_watch.storage.prior_history import open_existing_database

    open_existing_database(job.database_url)  # fails loudly when this worker cannot see it
    screener = screener_for_database(job.database_url)  # cached per process by active versions
    seen = tuple(sorted(screener.list_versions.items()))
    if seen != job.pinned.lists:
        raise _mismatch("lists", dict(seen), dict(job.pinned.lists))
    return _cached_screen(screener)


@functools.lru_cache(maxsize=4)
def _cached_screen(screener: Any) -> PartyScreener:
    """One query cache per screener, as the CLI wraps it (``screen_command``)."""
    wrapped: PartyScreener = functools.lru_cache(maxsize=200_000)(screener.screen)
    return wrapped


@functools.lru_cache(maxsize=2)
def _engine_with_opsin(use_opsin: bool) -> Any:
    """A substance screener over the bundled knowledge base with the driver's OPSIN setting,
    for a worker whose own setting differs (one per process and setting)."""
    from precursor_watch.settings import CACHE_SIZE
    from precursor_watch.substances.knowledge_base import load_knowledge_base
    from precursor_watch.substances.screening import SubstanceScreener as Engine

    return Engine(load_knowledge_base(), use_opsin=use_opsin, cache_size=int(CACHE_SIZE.value()))


def _substance_screener(job: WorkerJob) -> SubstanceScreener:
    """The CLI's substance screener, with the OPSIN setting the driver pinned (applied, not
    merely checked: it decides which systematic names resolve)."""
    from precursor_watch.substances.screening import default_screener

    engine = default_screener()
    if engine.use_opsin != job.pinned.opsin:
        engine = _engine_with_opsin(job.pinned.opsin)
    if engine.kb.version != job.pinned.knowledge_base:
        raise _mismatch("knowledge base", engine.kb.version, job.pinned.knowledge_base)
    if engine is default_screener():
        return default_substance_screener(job.as_of)
    as_of = job.as_of
    return cached(lambda query: engine.screen(query, as_of=as_of))


def worker_context(job: WorkerJob) -> ScreeningContext:
    """This process's context for ``job`` (built once per pinned versions), after checking that
    this worker sees the versions the driver pinned and the same input file."""
    pinned = job.pinned
    _check_input(job.plan)
    party = _party_screener(job)
    key = (job.as_of, job.database_url, pinned)
    with _lock:
        context = _contexts.get(key)
        if context is None:
            context = ScreeningContext(
                substance_screener=_substance_screener(job), party_screener=party, as_of=job.as_of
            )
            if context.rule_set.label != pinned.rule_set:
                raise _mismatch("rule set", context.rule_set.label, pinned.rule_set)
            _contexts.clear()  # one run at a time per worker keeps memory bounded
            _contexts[key] = context
            _built[0] += 1
    return context


def contexts_built() -> int:
    """How many screening contexts this process has built: one per set of pinned versions."""
    return _built[0]


def _check_input(plan: InputPlan) -> None:
    try:
        size = plan.path.stat().st_size
    except OSError:
        raise InputError(
            f"{_where()} cannot read {plan.path}: the input file must be at the same path on "
            "every worker (a shared folder), see docs/scale-out.md"
        ) from None
    if size != plan.size:
        raise InputError(f"{plan.path} on {_where()} has {size} bytes, the driver saw {plan.size}")


def _prior_history(job: WorkerJob, bound: int) -> Any:
    from precursor_watch.storage.prior_history import PriorHistory, open_existing_database

    key = (job.database_url, job.run_id, bound)
    with _lock:
        found = _prior.get(key)
    if found is None:
        engine = next((p.engine for p in _prior.values() if p.url == job.database_url), None)
        found = PriorHistory(
            engine or open_existing_database(job.database_url), bound, url=job.database_url
        )
        with _lock:
            _prior.clear()
            _prior[key] = found
    return found


# Lines a worker's run history keeps in its per-customer views; a customer evicted is read again
# from the database and the in-flight history results when next needed.
MAX_VIEW_LINES = 1_500_000


class RunHistory(SortedHistory):
    """``CustomerHistory`` for one partition of a distributed run: what the database held when
    the task was submitted (``prior``: other runs, this run's committed partitions), then the
    lines of this run's partitions screened but not yet committed then (``earlier``, in order),
    then what this partition records; sorted views per customer and substance as ``storage.customer_history`` keeps them,
    so the rules read the same lines in the same order. Views are dropped, least recently used
    first, past ``max_lines`` lines, and rebuilt from the same sources when needed again."""

    def __init__(
        self,
        prior: Any,
        earlier: Sequence[HistoryByCustomer],
        *,
        max_lines: int = MAX_VIEW_LINES,
    ) -> None:
        super().__init__()
        self._views = OrderedDict()
        self._prior = prior
        self._earlier = earlier
        self._max_lines = max_lines
        self._lines = 0

    def _view(self, key: str) -> SortedLines:
        views = cast(OrderedDict[str, SortedLines], self._views)
        view = views.get(key)
        if view is not None:
            views.move_to_end(key)
            return view
        found = list(self._prior.lines(key))
        for part in self._earlier:
            found.extend(part.get(key, ()))
        found.extend(self._pending.get(key, ()))
        view = views[key] = SortedLines.of(found)
        self._lines += len(found)
        while self._lines > self._max_lines and len(views) > 1:
            _, dropped = views.popitem(last=False)
            self._lines -= len(dropped.lines)
        return view

    def record(self, lines: Iterable[HistoryLine]) -> None:
        lines = list(lines)
        self._lines += sum(1 for ln in lines if ln.customer_key in self._views)
        super().record(lines)

    def advance(
        self, screened: int, prior: Any, first: int, earlier: Sequence[HistoryByCustomer]
    ) -> None:
        """Reuse this history, which served partition ``screened - 1`` and recorded its lines,
        for a later partition whose task was given ``prior`` and the history results
        ``earlier`` of partitions ``first`` .. N-1 (``first <= screened``): the lines recorded
        are those of partition ``screened - 1`` (the same ``history_lines`` in the same order),
        so only the partitions from ``screened`` on are added to the views kept."""
        if not first <= screened <= first + len(earlier):
            raise ValueError(f"cannot advance a history of {screened} partitions from {first}")
        for part in earlier[screened - first :]:
            for key, lines in part.items():
                view = self._views.get(key)
                if view is not None:
                    for ln in lines:
                        view.add(ln)
                    self._lines += len(lines)
        self._prior, self._earlier = prior, earlier
        self._pending = defaultdict(list)

    def prefetch(self, customer_keys: Iterable[str]) -> None:
        """Load the stored history of the partition's customers not in view, in a few queries."""
        self._prior.prefetch(k for k in customer_keys if k not in self._views)


def _parsed_key(job: WorkerJob, part: Partition) -> tuple[str, int, int, int]:
    return (job.run_id, part.index, part.start, part.end)


def partition_history(job: WorkerJob, part: Partition) -> HistoryByCustomer:
    """Task 1: the history lines the orders of ``part`` add, per customer, in file order."""
    context = worker_context(job)
    out = HistoryByCustomer()
    screened: list[tuple[LineFacts, ...] | None] = []
    with batch_gc():
        items = list(read_partition(job.plan, part, job.mapping))
        for item in items:
            if isinstance(item, OrderRecord):
                lines = line_facts(item.order, context)
                screened.append(lines)
                for line in history_lines(item.order, context, lines=lines):
                    out.setdefault(line.customer_key, []).append(line)
            else:
                screened.append(None)
    with _lock:
        _parsed[_parsed_key(job, part)] = (items, screened)
        while len(_parsed) > MAX_PARSED:
            _parsed.popitem(last=False)
    return out


def screen_partition_on_worker(
    job: WorkerJob, part: Partition, first: int, bound: int, *earlier: HistoryByCustomer
) -> PartitionResult:
    """Task 2: ``screen_partition`` with the history of everything before ``part``: the
    database's customer history up to row ``bound`` (which holds this run's partitions before
    ``first``, committed when the task was submitted) and ``earlier``, task 1's results for
    partitions ``first`` .. ``part.index - 1``, in order."""
    if len(earlier) != part.index - first:
        raise ValueError(
            f"partition {part.index} needs the histories of partitions {first} to "
            f"{part.index - 1}, got {len(earlier)}"
        )
    history = _run_history(job, part.index, _prior_history(job, bound), first, earlier)
    context = replace(worker_context(job), history=history)
    with _lock:
        parsed, screened = _parsed.pop(_parsed_key(job, part), (None, None))
    with batch_gc():
        outcome = screen_partition(
            job.plan, part, context, job.mapping, parsed=parsed, screened_lines=screened
        )
        result = outcome.result(job.run_id)
    with _lock:
        _last_history.clear()  # one run's history per worker
        _last_history[(job.database_url, job.run_id)] = (part.index + 1, history)
    return result


def _run_history(
    job: WorkerJob, index: int, prior: Any, first: int, earlier: Sequence[HistoryByCustomer]
) -> RunHistory:
    """The history partition ``index`` is screened with: the one this worker's previous
    partition of the run used, advanced, when the lines it lacks are all among ``earlier``;
    else built afresh (from the database and ``earlier``)."""
    with _lock:
        found = _last_history.pop((job.database_url, job.run_id), None)
    if found is not None and first <= found[0] <= index:
        screened, history = found
        history.advance(screened, prior, first, earlier)
        return history
    return RunHistory(prior, earlier)
