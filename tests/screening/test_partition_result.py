"""A partition's result travels from a cluster worker to the driver whole, without carrying each
decision's findings twice: they are cut back out of ``decisions.jsonl`` by byte span."""

from __future__ import annotations

import pickle

import pytest

from precursor_watch.domain.json_text import JsonText
from precursor_watch.samples.generator import write_sample
from precursor_watch.screening.batch_records import PreparedDecision
from precursor_watch.screening.context import InMemoryCustomerHistory, ScreeningContext
from precursor_watch.screening.partition_result import PartitionResult
from precursor_watch.screening.partition_screening import screen_partition
from precursor_watch.screening.partitions import plan_input
from tests.screening.cluster_support import AS_OF, opsin_off

__all__ = ["opsin_off"]  # the module fixture used below


def _roundtrip(result: PartitionResult) -> PartitionResult:
    copy = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert isinstance(copy, PartitionResult)
    return copy


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory, opsin_off: None) -> PartitionResult:
    source = tmp_path_factory.mktemp("result") / "orders.csv"
    write_sample(source, 400, seed=5)
    plan = plan_input(source)
    context = ScreeningContext.default(as_of=AS_OF, history=InMemoryCustomerHistory())
    return screen_partition(plan, plan.partitions[0], context).result("run-1")


def test_a_screened_partition_survives_pickling_whole(screened: PartitionResult) -> None:
    assert len(screened.decisions) > 100
    assert any(not d.is_clear for d in screened.decisions)
    copy = _roundtrip(screened)
    assert copy == screened
    assert all(isinstance(d.findings, JsonText) for d in copy.decisions)
    assert all(isinstance(d.versions, JsonText) for d in copy.decisions)


def test_findings_are_not_carried_twice(screened: PartitionResult) -> None:
    findings = sum(len(d.findings.encode()) for d in screened.decisions)
    apart = len(pickle.dumps(screened.pieces)) + len(pickle.dumps(screened.decisions))
    together = len(pickle.dumps(screened))
    assert together < apart - 0.75 * findings  # the spans and columns cost a little


def _decision(order_id: str, findings: str) -> PreparedDecision:
    return PreparedDecision(
        order_id=order_id,
        outcome="review",
        input_hash="h" * 64,
        findings=JsonText(findings),
        versions=JsonText('{"knowledge_base":"kb-1"}'),
        rule_set="rules-1",
        knowledge_base="kb-1",
        order_data=JsonText(f'{{"order_id":"{order_id}"}}'),
        digest="d" * 64,
        rule_ids=("ORD-A",),
        run_id="run-1",
        partition=0,
        position=int(order_id[-1]),
    )


def _result(decisions: list[PreparedDecision], jsonl: str) -> PartitionResult:
    pieces = {"decisions.jsonl": jsonl.encode(), "decisions.csv": b"", "errors.csv": b""}
    return PartitionResult(0, pieces, decisions, [], 0)


def test_spans_are_bytes_of_non_ascii_text_and_repeated_findings() -> None:
    same = '[{"evidence":"上海 trading \U0001f9ea","rule_id":"ORD-A"}]'
    other = '[{"evidence":"Zürich","rule_id":"ORD-B"}]'
    decisions = [_decision("O-1", same), _decision("O-2", same), _decision("O-3", other)]
    jsonl = "".join(f'{{"findings":{d.findings},"order_id":"{d.order_id}"}}\n' for d in decisions)
    result = _result(decisions, jsonl)
    copy = _roundtrip(result)
    assert [d.findings for d in copy.decisions] == [same, same, other]
    assert copy == result


def test_a_result_whose_pieces_lack_a_decisions_findings_is_refused() -> None:
    decisions = [_decision("O-1", '[{"rule_id":"ORD-A"}]')]
    with pytest.raises(ValueError):
        pickle.dumps(_result(decisions, '{"findings":[],"order_id":"O-1"}\n'))


def test_an_empty_partition_round_trips() -> None:
    result = _result([], "")
    assert _roundtrip(result) == result


def test_every_decision_field_is_carried() -> None:
    """A field added to ``PreparedDecision`` travels without another change."""
    decision = _decision("O-7", '[{"rule_id":"ORD-A"}]')
    result = _result([decision], f'{{"findings":{decision.findings}}}\n')
    (copy,) = _roundtrip(result).decisions
    assert copy._asdict() == decision._asdict()


def test_columns_of_another_width_are_refused() -> None:
    """Rebuilt in C without a constructor, a decision of a result pickled by another version
    (more or fewer fields) must not pass as one of ours."""
    from precursor_watch.screening.partition_result import _unpickled

    decision = _decision("O-8", '[{"rule_id":"ORD-B"}]')
    result = _result([decision], f'{{"findings":{decision.findings}}}\n')
    _, args = result.__reduce__()
    partition, pieces, columns, spans, history, errors = args
    with pytest.raises(ValueError, match="decision columns"):
        _unpickled(partition, pieces, columns[:-1], spans, history, errors)
    with pytest.raises(ValueError, match="history columns"):
        _unpickled(partition, pieces, columns, spans, [("O-8",)], errors)
