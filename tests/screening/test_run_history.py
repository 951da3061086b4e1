"""A cluster worker's run history reads what the in-process history would: the database up to
the row bound the driver gave, then the history results of the partitions in flight, then what
the partition records; whether its views were kept, advanced, or dropped and rebuilt."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.screening.worker_tasks import HistoryByCustomer, RunHistory
from precursor_watch.storage import db
from precursor_watch.storage.customer_history import store_history_lines
from precursor_watch.storage.prior_history import PriorHistory, history_bound

CUSTOMERS = [f"id:C{i}" for i in range(6)]
DAY0 = date(2026, 1, 1)


def _lines(rng: random.Random, tag: str, n: int) -> list[HistoryLine]:
    return [
        HistoryLine(
            f"{tag}-{rng.randrange(n // 2 + 1)}",
            DAY0 + timedelta(days=rng.randrange(40)),
            rng.choice(CUSTOMERS),
            f"site{rng.randrange(3)}",
            rng.choice(["KB-NPP", "KB-4AP"]),
            float(rng.randrange(1, 50)),
            "kg",
        )
        for _ in range(n)
    ]


def _by_customer(lines: list[HistoryLine]) -> HistoryByCustomer:
    out: HistoryByCustomer = {}
    for ln in lines:
        out.setdefault(ln.customer_key, []).append(ln)
    return out


def _reads(history: RunHistory, rng: random.Random) -> list[object]:
    out: list[object] = []
    for key in rng.sample(CUSTOMERS, len(CUSTOMERS)) * 2:
        day = DAY0 + timedelta(days=rng.randrange(45))
        out.append(list(history.lines_for(key, day)))
        out.append(list(history.substance_lines(key, "KB-NPP", day)))
        out.append(history.quantity_baseline(key, "KB-4AP", "kg", day))
    return out


def test_views_dropped_past_the_limit_read_as_views_kept(tmp_path: Path) -> None:
    engine = db.open_database(f"sqlite:///{tmp_path / 'h.db'}")
    rng = random.Random(3)
    committed = _lines(rng, "P", 60)  # other runs and this run's committed partitions
    with db.session_scope(engine) as session:
        store_history_lines(session, committed, "run")
    bound = history_bound(engine)
    with db.session_scope(engine) as session:  # stored after the bound: must not be read
        store_history_lines(session, _lines(rng, "LATE", 10), "other")
    earlier = [_by_customer(_lines(rng, f"F{k}", 15)) for k in range(3)]
    recorded = _lines(rng, "NOW", 8)

    def make(max_lines: int) -> RunHistory:
        history = RunHistory(PriorHistory(engine, bound), earlier, max_lines=max_lines)
        history.record(recorded)
        return history

    kept, dropped = make(10**6), make(7)
    assert _reads(kept, random.Random(1)) == _reads(dropped, random.Random(1))
    assert len(dropped._views) < len(CUSTOMERS) == len(kept._views)  # some were dropped
    assert dropped._lines <= 7 + max(len(v.lines) for v in dropped._views.values())
    everything = sorted(
        (ln.order_id for ln in kept.lines_for(CUSTOMERS[0], None)),
    )
    assert not any(o.startswith("LATE") for o in everything)
    assert any(o.startswith("F") for o in everything) and any(o.startswith("P") for o in everything)


def test_an_advanced_history_reads_as_one_built_afresh(tmp_path: Path) -> None:
    engine = db.open_database(f"sqlite:///{tmp_path / 'h.db'}")
    rng = random.Random(5)
    parts = [_lines(rng, f"Q{k}", 12) for k in range(6)]
    with db.session_scope(engine) as session:
        store_history_lines(session, parts[0] + parts[1], "run")  # partitions 0, 1 committed
    bound_at_2 = history_bound(engine)
    # partition 3 screened when 0 and 1 were committed: history results of 2
    history = RunHistory(PriorHistory(engine, bound_at_2), [_by_customer(parts[2])])
    _reads(history, random.Random(2))  # builds views
    history.record(parts[3])
    # then partition 5, submitted when 0..3 were committed: results of 4
    with db.session_scope(engine) as session:
        store_history_lines(session, parts[2] + parts[3], "run")
    bound_at_4 = history_bound(engine)
    results_4 = [_by_customer(parts[4])]
    history.advance(4, PriorHistory(engine, bound_at_4), 4, results_4)
    fresh = RunHistory(PriorHistory(engine, bound_at_4), results_4)
    assert _reads(history, random.Random(9)) == _reads(fresh, random.Random(9))
