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


@pytest.mark.parametrize(
    ("smarts", "gate"),
    [
        ("[CX4]", "[#6;A]"),
        ("c", "[#6;a]"),
        ("[#6]", "[#6]"),
        ("[C,N]", "*"),
        ("[!C]", "*"),
        ("[N;!H0]", "[#7;A]"),
        ("[$([CX3]=[OX1]),$([CX4](O[#6])O[#6])]", "[#6;A]"),
        ("[$(C=O),$(N)]", "*"),
        ("[cH1,$(c-[F,Cl,Br,I])]", "*"),
    ],
)
def test_gate_atom_is_never_stricter_than_the_query_atom(smarts: str, gate: str) -> None:
    from rdkit import Chem

    from precursor_watch.chem.class_rules import gate_atom

    assert gate_atom(Chem.MolFromSmarts(smarts).GetAtomWithIdx(0)) == gate


def test_ring_gates_are_shared_between_rules() -> None:
    gates = {rule.rule_id: rule.gates for rule in ENGINE.rules}
    assert gates["US_FRS"] == gates["US_4AP_FAMILY"] == gates["US_4PIPERIDONE_FAMILY"]
    assert gates["US_PHENYLACETIC_ACID_ESTERS_SALTS"] == ()  # carbon-only ring: no gate
