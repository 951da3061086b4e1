"""Class rules: generic legal definitions as SMARTS, compiled once and matched fast.

``ClassRuleEngine`` takes plain ``(rule_id, smarts)`` pairs (the knowledge base owns the rule
table). Each SMARTS is compiled once; invalid SMARTS raise ``InvalidPatternError`` naming the rule.

Two prefilters, both only ever skipping impossible matches (tests compare with the unfiltered
search):

1. **Element counts.** From every query atom that requires one element (``[CX3]``, ``[NH1]``,
   ``c``; not ``[C,N]``, ``[!#1]`` or recursive-only atoms) the engine derives the minimum count
   of each element the rule needs; a molecule whose composition (computed once by
   ``standardize``) lacks them cannot match.
2. **Ring gates.** Every ring of a rule's query that contains a heteroatom becomes a cheap gate
   query: the same ring with element-only atoms and any bonds (``[#7]1~[#6]~[#6]~...~1``). Any
   match of the rule maps that ring onto such a ring, so a molecule without it cannot match.
   Gates are shared between rules and evaluated at most once per molecule; the piperidine gate
   alone dismisses most drug-like molecules for all the fentanyl rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdkit import Chem

from precursor_watch.chem.errors import InvalidPatternError
from precursor_watch.chem.identity import Composition
from precursor_watch.chem.rdkit_log import capture_rdkit_errors
from precursor_watch.chem.standardize import StandardStructure


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One rule: its id, SMARTS, compiled query and minimum element counts."""

    rule_id: str
    smarts: str
    query: Any
    required: tuple[tuple[int, int], ...]
    gates: tuple[str, ...] = ()

    def possible(self, counts: dict[int, int]) -> bool:
        """False when the molecule lacks an element the rule needs (cannot match)."""
        return all(counts.get(element, 0) >= n for element, n in self.required)


def compile_smarts(pattern_id: str, smarts: str) -> Any:
    """Compile a SMARTS; raise ``InvalidPatternError`` naming ``pattern_id`` with RDKit's reason."""
    if not isinstance(smarts, str) or not smarts.strip():
        raise InvalidPatternError(pattern_id, "empty SMARTS")
    with capture_rdkit_errors() as log:
        try:
            query = Chem.MolFromSmarts(smarts.strip())
        except Exception as exc:
            raise InvalidPatternError(pattern_id, f"invalid SMARTS: {exc}") from exc
    if query is None:
        detail = log.first("RDKit could not parse it").replace("SMARTS Parse Error: ", "")
        raise InvalidPatternError(pattern_id, f"invalid SMARTS {smarts!r}: {detail}")
    return query


def required_elements(query: Any) -> tuple[tuple[int, int], ...]:
    """Minimum element counts implied by query atoms that each demand a single element."""
    counts = Counter(a.GetAtomicNum() for a in query.GetAtoms() if a.GetAtomicNum() > 1)
    return tuple(sorted(counts.items()))


def ring_gates(query: Any) -> tuple[str, ...]:
    """Element-only, any-bond SMARTS of each query ring that holds a heteroatom (see module doc)."""
    Chem.FastFindRings(query)
    gates = set()
    for ring in query.GetRingInfo().AtomRings():
        numbers = [query.GetAtomWithIdx(i).GetAtomicNum() for i in ring]
        if not any(n > 6 for n in numbers):
            continue
        atoms = [f"[#{n}]" if n > 0 else "*" for n in numbers]
        turns = [atoms[k:] + atoms[:k] for k in range(len(atoms))]
        canonical = min(turns + [list(reversed(t)) for t in turns])  # same ring, same gate
        gates.add(canonical[0] + "1~" + "~".join(canonical[1:]) + "~1")
    return tuple(sorted(gates))


class ClassRuleEngine:
    """Match a set of named SMARTS rules against standardized structures.

    >>> engine = ClassRuleEngine([("PIPERIDONE", "O=C1CCNCC1")])
    """

    def __init__(self, rules: Sequence[tuple[str, str]]) -> None:
        compiled: list[CompiledRule] = []
        seen: set[str] = set()
        for rule_id, smarts in rules:
            if rule_id in seen:
                raise InvalidPatternError(rule_id, "duplicate rule id")
            seen.add(rule_id)
            query = compile_smarts(rule_id, smarts)
            rule = CompiledRule(rule_id, smarts, query, required_elements(query), ring_gates(query))
            compiled.append(rule)
        self.rules: tuple[CompiledRule, ...] = tuple(compiled)
        gate_smarts = sorted({gate for rule in compiled for gate in rule.gates})
        self._gates = {g: compile_smarts(f"gate {g}", g) for g in gate_smarts}

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.rule_id for rule in self.rules)

    def match(
        self, std: StandardStructure, *, prefilter: bool = True
    ) -> dict[str, tuple[int, ...]]:
        """Rule id -> atom indices of the first match in ``std.mol``, for every rule that matches.

        ``prefilter=False`` runs every substructure search (used by tests and baselines).
        """
        counts = _counts(std.composition)
        hits: dict[str, tuple[int, ...]] = {}
        mol = std.mol
        gate_open: dict[str, bool] = {}
        for rule in self.rules:
            if prefilter:
                if not rule.possible(counts):
                    continue
                if not all(self._gate(mol, g, gate_open) for g in rule.gates):
                    continue
            found = mol.GetSubstructMatch(rule.query)
            if found:
                hits[rule.rule_id] = tuple(found)
        return hits

    def _gate(self, mol: Any, gate: str, memo: dict[str, bool]) -> bool:
        if gate not in memo:
            memo[gate] = bool(mol.HasSubstructMatch(self._gates[gate]))
        return memo[gate]


def _counts(comp: Composition) -> dict[int, int]:
    return dict(comp)
