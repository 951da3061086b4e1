"""No input crashes the screener: random text, random bytes-as-text and random valid molecules."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from precursor_watch.domain import SubstanceStatus
from precursor_watch.substances.knowledge_base import load_knowledge_base
from precursor_watch.substances.screening import SubstanceScreener

FRAGMENTS = [
    "C", "N", "O", "c1ccccc1", "C(=O)", "Cl", "Br", "F", "S", "C1CCNCC1", "CC", "[Na+]", "[O-]",
    "C#N", "OC", "N(C)", "c1ccncc1", "C1CC1", "[nH]", "P", "I", ".", "=O", "(", ")", "1", "@",
]  # fmt: skip


@cache
def screener() -> SubstanceScreener:
    return SubstanceScreener(load_knowledge_base(), use_opsin=False, cache_size=10)


def _check(query: str) -> None:
    result = screener().screen(query)
    assert result.status in set(SubstanceStatus)
    assert result.explanation
    if result.status is SubstanceStatus.INVALID:
        assert result.error
    assert result.to_json()["query"] == query


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_random_text(query: str) -> None:
    _check(query)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14).map("".join))
def test_random_smiles_like_strings(query: str) -> None:
    _check(query)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([f for f in FRAGMENTS if f not in {"(", ")", "1", "@", "=O", "."}]),
        min_size=1,
        max_size=10,
    )
)
def test_random_valid_molecules(parts: list[str]) -> None:
    from rdkit import Chem

    mol = Chem.MolFromSmiles("".join(parts))
    if mol is None:
        return
    _check(Chem.MolToSmiles(mol))
