"""The rule table: it loads, it is complete, and a broken table says exactly what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.errors import DataError
from precursor_watch.rules.catalog import RULE_COLUMNS, load_rule_set, parse_rule_set
from precursor_watch.rules.describe import rules_markdown
from precursor_watch.rules.registry import REGISTRY, check_rule_set

HEADER = ",".join(RULE_COLUMNS)
GOOD = "ORD-X,1,review,Title,Some law,http://x,Line {line}: {what},factor=3"


def test_bundled_rules_are_complete_and_cited() -> None:
    rules = load_rule_set()
    check_rule_set(rules)
    assert rules.name == "precursor-watch-orders"
    assert rules.label == f"precursor-watch-orders@{rules.version}"
    for spec in rules.rules.values():
        assert spec.id.startswith("ORD-")
        assert spec.citation and spec.sentence and spec.title
        assert spec.outcome in OrderOutcome
    # every registered function has a docstring: it is the rule's explanation in docs/rules.md
    assert all(fn.__doc__ for fn in REGISTRY.values())


def test_version_follows_content() -> None:
    a = parse_rule_set(f"{HEADER}\n{GOOD}\n", "t")
    b = parse_rule_set(f"{HEADER}\n{GOOD.replace('factor=3', 'factor=4')}\n", "t")
    assert a.version != b.version
    assert a.rules["ORD-X"].param("factor") == 3.0
    assert a.rules["ORD-X"].render(line=2, what="x") == "Line 2: x"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("id,version\nORD-X,1\n", "columns must be"),
        (f"{HEADER}\n{GOOD}\n{GOOD}\n", "line 3: duplicate rule id ORD-X"),
        (f"{HEADER}\n{GOOD.replace('review', 'maybe')}\n", "line 2: bad outcome 'maybe'"),
        (f"{HEADER}\n{GOOD.replace('Some law', '')}\n", "rule ORD-X has no citation"),
        (f"{HEADER}\n{GOOD.replace('factor=3', 'factor')}\n", "parameter 'factor' is not"),
    ],
)
def test_broken_tables(table: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_rule_set(table, "t")


def test_missing_parameter_and_template_key() -> None:
    spec = parse_rule_set(f"{HEADER}\n{GOOD}\n", "t").rules["ORD-X"]
    with pytest.raises(DataError, match="parameter 'window' missing"):
        spec.param("window")
    with pytest.raises(DataError, match="sentence template needs"):
        spec.render(line=1)


def test_a_user_rule_table_with_an_unknown_rule_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n")
    with pytest.raises(DataError, match="no function for \\['ORD-X'\\]"):
        check_rule_set(load_rule_set(path))


def test_docs_are_generated_from_the_rules() -> None:
    docs = Path(__file__).parents[2] / "docs" / "rules.md"
    text = docs.read_text(encoding="utf-8")
    assert text == rules_markdown(), "run: python -m precursor_watch.rules.describe > docs/rules.md"
    for rule_id in load_rule_set().rules:
        assert f"`{rule_id}`" in text
