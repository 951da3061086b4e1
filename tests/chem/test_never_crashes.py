"""Property tests: any text and any molecule either works or raises StructureError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from precursor_watch.chem import (
    ClassRuleEngine,
    DesignerWatch,
    StandardStructure,
    StructureError,
    WatchParent,
    detect_structure_kind,
    draw_svg,
    standardize_text,
)
from tests.chem.cases_io import read_cases, split_list

ENGINE = ClassRuleEngine([(r["rule_id"], r["smarts"]) for r in read_cases("class_rule_smarts.csv")])
WATCH = DesignerWatch(
    [
        WatchParent(r["substance_id"], r["name"], r["smiles"], tuple(split_list(r["families"])))
        for r in read_cases("watch_parents.csv")
    ]
)

PIECES = [
    "C",
    "CC",
    "N",
    "O",
    "S",
    "F",
    "Cl",
    "Br",
    "I",
    "P",
    "B",
    "c1ccccc1",
    "c1ccncc1",
    "C1CCNCC1",
    "C(=O)",
    "C(=O)O",
    "OC(C)(C)C",
    "C#N",
    "[N+](=O)[O-]",
    "[O-]",
    "[NH3+]",
    "[Na+]",
    "[K+]",
    "[Mn]",
    "[Fe+3]",
    "[C@H](O)",
    "[C@@H](N)",
    "/C=C/",
    "OCCO",
    "C1OCCO1",
    "[2H]",
    "[13CH3]",
    "*",
    ".",
    "(",
    ")",
    "=",
    "#",
    "1",
    "2",
    "[nH]",
    "n",
    "c",
    "[Si]",
    "[Se]",
    "[Pt]",
    "[H]",
    "C(F)(F)F",
]
VALID_PIECES = [
    "C",
    "CC",
    "N",
    "O",
    "C(=O)",
    "c1ccccc1",
    "C1CCNCC1",
    "C(Cl)",
    "C(F)(F)F",
    "OC",
    "S(=O)(=O)",
    "C(=O)OC(C)(C)C",
    "[N+](C)(C)C",
    "C(=O)[O-]",
    "c1ccc(F)cc1",
    "C1(OCCO1)",
    "N(C)",
]
SALTS = ["", ".Cl", ".Cl.Cl", ".O", ".[Na+]", ".OC(=O)C(=O)O", ".[K+].[O-][Mn](=O)(=O)=O"]

random_texts = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(PIECES), max_size=25).map("".join),
    st.sampled_from(
        ["InChI=1S/", "InChI=1S/C2H6O/c1-2-3", "M  END", "AAAAAAAAAAAAAA-BBBBBBBBSA-N"]
    ),
)
valid_molecules = st.builds(
    lambda parts, salt: "".join(parts) + salt,
    st.lists(st.sampled_from(VALID_PIECES), min_size=1, max_size=12),
    st.sampled_from(SALTS),
)


def _screen(text: str) -> StandardStructure | None:
    detect_structure_kind(text)
    try:
        std = standardize_text(text)
        key = std.inchikey  # computed lazily: may raise StructureError too
    except StructureError as exc:
        assert str(exc)
        return None
    assert ENGINE.match(std) == ENGINE.match(std, prefilter=False)
    WATCH.find(std)
    assert len(std.connectivity) == 14 and len(key) == 27 and std.smiles
    return std


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_texts)
def test_random_text_never_raises_anything_but_structure_error(text: str) -> None:
    _screen(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_molecules)
def test_random_molecules_screen_and_draw(smiles: str) -> None:
    std = _screen(smiles)
    if std is not None:
        assert "</svg>" in draw_svg(std.mol, highlight_atoms=range(std.mol.GetNumAtoms()))


def test_huge_smiles_is_refused_quickly() -> None:
    for text in ("C" * 19_000, "c1ccccc1" * 2000, "(" * 10_000, "C" + "1" * 5000):
        try:
            standardize_text(text)
        except StructureError as exc:
            assert str(exc)
