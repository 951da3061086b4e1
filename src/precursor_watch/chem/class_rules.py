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
   query: the same ring with element (and, where the query demands it, aromatic/aliphatic) atoms
   and any bonds (``[#7;A]1~[#6;A]~[#6;A]~...~1``). Any
   match of the rule maps that ring onto such a ring, so a molecule without it cannot match.
   Gates are shared between rules and evaluated at most once per molecule; the piperidine gate
   alone dismisses most drug-like molecules for all the fentanyl rules.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

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


_ATOM_TYPE: Final = re.compile(r"^AtomType (\d+) = val$")


def gate_atom(atom: Any) -> str:
    """The weakest SMARTS atom implied by a query atom: element and aromaticity when the query
    requires them through AND only (``[CX4]`` -> ``[#6;A]``, ``c`` -> ``[#6;a]``), else ``*``."""
    description = atom.DescribeQuery()
    if description.startswith("AtomOr"):
        return _recursive_alternatives_atom(atom, description)
    path: list[str] = []
    for line in description.splitlines():
        text = line.strip()
        if not text:
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        del path[depth:]
        found = _ATOM_TYPE.match(text)
        if found and all(node == "AtomAnd" for node in path):
            code = int(found.group(1))
            return f"[#{code - 1000};a]" if code >= 1000 else f"[#{code};A]"
        path.append(text.split()[0])
    number = atom.GetAtomicNum()
    return f"[#{number}]" if number > 0 else "*"


def _recursive_alternatives_atom(atom: Any, description: str) -> str:
    """For ``[$(C=O),$(C(O)O)]``: the atom all recursive alternatives start with, else ``*``."""
    nodes = [line.strip() for line in description.splitlines() if line.strip()]
    if any(node != "AtomOr" and not node.startswith("RecursiveStructure") for node in nodes):
        return "*"
    body = atom.GetSmarts()
    if not (body.startswith("[") and body.endswith("]")):
        return "*"
    tokens = set()
    for part in _split_top_level(body[1:-1]):
        if not (part.startswith("$(") and part.endswith(")")):
            return "*"
        inner = Chem.MolFromSmarts(part[2:-1])
        if inner is None or inner.GetNumAtoms() == 0:
            return "*"
        tokens.add(gate_atom(inner.GetAtomWithIdx(0)))
    return tokens.pop() if len(tokens) == 1 else "*"


def _split_top_level(text: str) -> list[str]:
    """Split a SMARTS atom body at commas that are not inside parentheses or brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def ring_gates(query: Any) -> tuple[str, ...]:
    """Element-only, any-bond SMARTS of each query ring that holds a heteroatom (see module doc)."""
    Chem.FastFindRings(query)
    gates = set()
    for ring in query.GetRingInfo().AtomRings():
        numbers = [query.GetAtomWithIdx(i).GetAtomicNum() for i in ring]
        if not any(n > 6 for n in numbers):
            continue
        atoms = [gate_atom(query.GetAtomWithIdx(i)) for i in ring]
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
    def digest(self) -> str:
        """SHA-256 (16 hex digits) of the rule ids and SMARTS, in order: the rule set's version."""
        text = "\n".join(f"{rule.rule_id}\t{rule.smarts}" for rule in self.rules)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

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
