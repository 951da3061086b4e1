"""A run that stops between appending a partition to its outputs and committing it resumes exactly;
resuming with other list versions is refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.errors import ConfigurationError
from precursor_watch.samples.generator import write_sample
from precursor_watch.screening.batch import BatchOptions, engine_versions, run_batch
from precursor_watch.screening.batch_records import PreparedDecision
from precursor_watch.screening.context import CustomerHistory, ScreeningContext
from precursor_watch.storage import db
from precursor_watch.storage.customer_history import DbCustomerHistory
from precursor_watch.storage.runs import DbRunStore

AS_OF = date(2026, 6, 1)
OUTPUTS = ("decisions.jsonl", "decisions.csv", "errors.csv", "report.html")


class PowerCutError(Exception):
    pass


class StoreThatLosesPower(DbRunStore):
    """The real store, except that the machine "loses power" before partition ``cut`` commits
    (its output is already appended and recorded)."""

    def __init__(self, engine: object, cut: int) -> None:
        super().__init__(engine)  # type: ignore[arg-type]
        self.cut = cut

    def commit_partition(
        self,
        run_id: str,
        partition: int,
        decisions: Sequence[PreparedDecision],
        history: Sequence[HistoryLine],
        errors: int,
    ) -> None:
        if partition == self.cut:
            raise PowerCutError(partition)
        super().commit_partition(run_id, partition, decisions, history, errors)


def _context(day: date, history: CustomerHistory) -> ScreeningContext:
    return ScreeningContext.default(as_of=day, history=history)


def test_a_partition_appended_but_not_committed_is_screened_again(tmp_path: Path) -> None:
    source = tmp_path / "orders.csv"
    write_sample(source, 300, seed=9)
    opts = {"partition_bytes": 30_000, "as_of": AS_OF}

    whole_engine = db.open_database(f"sqlite:///{tmp_path / 'whole.db'}")
    whole = run_batch(
        source,
        BatchOptions(out_dir=tmp_path / "whole", **opts),  # type: ignore[arg-type]
        DbRunStore(whole_engine),
        DbCustomerHistory(whole_engine),
        _context,
    )
    assert whole.partitions >= 4

    engine = db.open_database(f"sqlite:///{tmp_path / 'cut.db'}")
    options = BatchOptions(out_dir=tmp_path / "cut", **opts)  # type: ignore[arg-type]
    with pytest.raises(PowerCutError):
        run_batch(
            source, options, StoreThatLosesPower(engine, 2), DbCustomerHistory(engine), _context
        )
    state = tmp_path / "cut" / ".precursor-watch-run"
    assert (state / "part-00002.json").exists()  # appended and recorded, never committed
    assert DbRunStore(engine).committed_partitions(whole.run_id) == {0, 1}

    changed = BatchOptions(out_dir=tmp_path / "cut", list_versions={"un_sc": "2026-03-01"}, **opts)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="lists changed"):
        run_batch(source, changed, DbRunStore(engine), DbCustomerHistory(engine), _context)
    pinned = engine_versions()
    for what, other in (
        ("opsin", "on" if pinned["opsin"] == "off" else "off"),
        ("rule_set", "x@1"),
    ):
        switched = BatchOptions(out_dir=tmp_path / "cut", engine={**pinned, what: other}, **opts)  # type: ignore[arg-type]
        with pytest.raises(ConfigurationError, match=f"engine changed.*{what}"):
            run_batch(source, switched, DbRunStore(engine), DbCustomerHistory(engine), _context)

    resumed = run_batch(source, options, DbRunStore(engine), DbCustomerHistory(engine), _context)
    assert resumed.resumed_partitions == 2 and resumed.orders == whole.orders
    for name in OUTPUTS:
        assert (tmp_path / "cut" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
    assert DbRunStore(engine).decision_count(resumed.run_id) == whole.orders
