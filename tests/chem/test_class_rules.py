from __future__ import annotations

import pytest

from precursor_watch.chem import ClassRuleEngine, InvalidPatternError, standardize_text
from tests.chem.cases_io import read_cases, split_list

RULES = [(r["rule_id"], r["smarts"]) for r in read_cases("class_rule_smarts.csv")]
EXPECTED = read_cases("class_rule_expectations.csv")
ENGINE = ClassRuleEngine(RULES)


@pytest.mark.parametrize("case", EXPECTED, ids=[c["name"] for c in EXPECTED])
def test_rules_reproduce_class_definitions_appendix(case: dict[str, str]) -> None:
    std = standardize_text(case["smiles"])
    hits = ENGINE.match(std)
    assert sorted(hits) == sorted(split_list(case["expected_rules"]))
    assert hits == ENGINE.match(std, prefilter=False)
    for atoms in hits.values():
        assert atoms and all(0 <= i < std.mol.GetNumAtoms() for i in atoms)


def test_prefilter_skips_molecules_lacking_elements() -> None:
    rule = ENGINE.rules[ENGINE.rule_ids.index("US_FRS")]
    assert dict(rule.required)[7] == 2
    assert not rule.possible(dict(standardize_text("c1ccccc1CCN").composition))


def test_invalid_smarts_names_the_rule() -> None:
    with pytest.raises(InvalidPatternError, match=r"^BROKEN_RULE: invalid SMARTS 'C1CC\(':"):
        ClassRuleEngine([("GOOD", "C"), ("BROKEN_RULE", "C1CC(")])


def test_duplicate_rule_id_is_rejected() -> None:
    with pytest.raises(InvalidPatternError, match="duplicate rule id"):
        ClassRuleEngine([("A", "C"), ("A", "N")])
