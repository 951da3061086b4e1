"""The batch's relaxed garbage-collector thresholds never leak out of the batch."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from precursor_watch.screening.partition_screening import BATCH_GC_THRESHOLDS, batch_gc


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_relaxed_inside_restored_after_even_on_error(thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), batch_gc():
        assert gc.get_threshold() == BATCH_GC_THRESHOLDS
        with batch_gc():
            assert gc.get_threshold() == BATCH_GC_THRESHOLDS
        assert gc.get_threshold() == BATCH_GC_THRESHOLDS
        raise RuntimeError("boom")
    assert gc.get_threshold() == thresholds


def test_collection_switched_off_stays_off(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(0, 10, 10)
    with batch_gc():
        assert gc.get_threshold() == (0, 10, 10)
    assert gc.get_threshold() == (0, 10, 10)


def test_what_lives_at_the_start_is_frozen_for_the_batch_only(
    thresholds: tuple[int, int, int],
) -> None:
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), batch_gc():
        frozen = gc.get_freeze_count()
        assert frozen > 0  # the long-lived objects: not walked by the batch's collections
        with batch_gc():
            assert gc.get_freeze_count() == frozen  # nested: frozen once
        raise RuntimeError("boom")
    assert gc.get_freeze_count() == 0


def test_a_cycle_made_during_the_batch_is_still_collected(
    thresholds: tuple[int, int, int],
) -> None:
    class Node:
        pass

    with batch_gc():
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        del node
        assert gc.collect() >= 1
