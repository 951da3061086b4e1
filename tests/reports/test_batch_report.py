"""The batch report escapes everything from the input, draws structures and adds up."""

from __future__ import annotations

from precursor_watch.reports.batch_report import RunFacts, render_batch_report, safe_svg
from precursor_watch.reports.charts import bar_chart
from precursor_watch.reports.tally import ReportTally, Structure

EVIL = '<script>alert("x")</script>'
RUN = RunFacts("orders.csv", "ab" * 32, 1234, "run-1", "2026-06-01", 2, "sqlite")


def _decision(order_id: str, outcome: str, sentence: str = "fine") -> dict[str, object]:
    return {
        "order_id": order_id,
        "decision": outcome,
        "findings": [
            {"rule_id": "ORD-TEST", "rule_version": "1", "outcome": outcome, "sentence": sentence}
        ],
        "versions": {"knowledge_base": "kb-1", "rule_set": "rs-1", "matcher": None, "lists": {}},
        "input_hash": "0" * 64,
    }


def _tally() -> ReportTally:
    first, second = ReportTally(flagged_limit=2), ReportTally(flagged_limit=2)
    first.add_decision(_decision("A-1", "clear"), country="DE")
    first.add_decision(
        _decision(EVIL, "block", sentence=EVIL),
        lines=(2, 3),
        country="MX",
        buyer=EVIL,
        substances=("N-Phenethyl-4-piperidone",),
        structures=(Structure("NPP", "O=C1CCN(CCc2ccccc2)CC1", (0, 1, 2)),),
    )
    for n in range(3):
        second.add_decision(_decision(f"R-{n}", "review"), country="CN")
    second.add_errors(4)
    first.merge(ReportTally.from_json(second.to_json()))
    return first


def test_tally_merges_partitions() -> None:
    tally = _tally()
    assert tally.orders == 5 and tally.error_rows == 4 and tally.flagged_total == 4
    assert dict(tally.by_outcome) == {"clear": 1, "block": 1, "review": 3}
    assert dict(tally.by_country) == {"MX": 1, "CN": 3}
    assert [o["order_id"] for o in tally.flagged] == [EVIL, "R-0", "R-1"]  # 2 per outcome


def test_report_escapes_input_and_draws_structures() -> None:
    html = render_batch_report(_tally(), RUN)
    assert EVIL not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert html.count("<svg") >= 5  # outcome strip, three charts, the NPP drawing
    assert "NPP" in html and "matched atoms highlighted" in html
    assert ">4<" in html  # error rows card
    assert html.index(EVIL.replace("<", "&lt;").replace(">", "&gt;")[:10]) < html.index("R-0")


def test_report_without_drawer_shows_smiles() -> None:
    html = render_batch_report(_tally(), RUN, draw=False)
    assert "O=C1CCN(CCc2ccccc2)CC1" in html
    assert "Structure drawings are not available" in html


def test_unsafe_svg_is_not_inlined() -> None:
    assert safe_svg('<svg onload="x()"></svg>') is None
    assert safe_svg("<svg><script>x()</script></svg>") is None
    assert safe_svg("<?xml version='1.0'?><svg><rect/></svg>") == "<svg><rect/></svg>"


def test_chart_labels_are_escaped() -> None:
    svg = str(bar_chart([(EVIL, 3)], title="t"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
