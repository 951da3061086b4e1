"""The database history's sorted per-customer (and per-substance) views give exactly what the
in-memory history gives, through records, commits, discarded transactions and cache evictions."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.screening.context import InMemoryCustomerHistory
from precursor_watch.storage import db
from precursor_watch.storage.customer_history import DbCustomerHistory

CUSTOMERS = ["id:A", "id:B", "id:C", "id:D"]


def _order(rng: random.Random, n: int) -> list[HistoryLine]:
    customer = rng.choice(CUSTOMERS)
    day = None if rng.random() < 0.1 else date(2026, 1, 1) + timedelta(days=rng.randrange(20))
    order_id = f"O{rng.randrange(40):02d}-{n}" if rng.random() < 0.8 else f"O{rng.randrange(5)}"
    return [
        HistoryLine(
            order_id, day, customer, f"site{k}", rng.choice(["npp", "acetone"]), k + 1.0, "kg"
        )
        for k in range(rng.randrange(1, 3))
    ]


@pytest.mark.parametrize("max_cached", [2, 500_000])
def test_views_match_the_in_memory_history(database_url: str, max_cached: int) -> None:
    rng = random.Random(7)
    engine = db.open_database(database_url)
    history = DbCustomerHistory(engine, max_cached_lines=max_cached)
    expected = InMemoryCustomerHistory()
    kept: list[HistoryLine] = []  # what the in-memory side holds after discards
    batch: list[HistoryLine] = []
    for n in range(300):
        customer = rng.choice(CUSTOMERS)
        until = None if rng.random() < 0.3 else date(2026, 1, 1) + timedelta(days=rng.randrange(22))
        exclude = rng.choice([None, f"O{rng.randrange(5)}", f"O{rng.randrange(40):02d}-{n - 1}"])
        got = list(history.lines_for(customer, until, exclude))
        want = list(expected.lines_for(customer, until, exclude))
        assert got == want, n
        for substance in ("npp", "acetone", "unknown"):
            by_substance = list(history.substance_lines(customer, substance, until, exclude))
            assert by_substance == [h for h in want if h.substance_key == substance], n
        lines = _order(rng, n)
        history.record(lines)
        batch.extend(lines)
        if rng.random() < 0.15:
            if rng.random() < 0.25:
                history.discard_pending()
            else:
                with db.session_scope(engine) as session:
                    history.flush(session, run_id="t")
                history.committed()
                kept.extend(batch)
            batch = []
            expected = InMemoryCustomerHistory(kept)
        else:
            expected.record(lines)
    # A new process reads back the same committed history.
    fresh = DbCustomerHistory(engine)
    committed = InMemoryCustomerHistory(kept)
    for customer in CUSTOMERS:
        assert list(fresh.lines_for(customer, None)) == list(committed.lines_for(customer, None))
