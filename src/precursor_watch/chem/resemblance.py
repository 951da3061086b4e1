"""Designer-precursor watch: is a query one well-known modification away from a listed parent?

Recognition is purely structural. For each modification allowed for a parent (by family), the
modification is undone in the query, one place at a time; the connectivity block of the result
is compared with the parent's. A query is reported only when that exact identity holds, so a
building block that merely shares a fragment with a parent (1-Boc-piperazine, 4-aminopiperidine,
N-phenylpiperazine, EMPG) is not flagged.

Fast path: the heavy-atom composition a query must have to be "parent + modification" is known
in advance for every (parent, modification) pair, so most queries are dismissed by one dict
lookup on ``StandardStructure.composition`` and no reaction is ever run for them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from precursor_watch.chem.errors import InvalidPatternError, StructureError
from precursor_watch.chem.identity import (
    Composition,
    connectivity_key,
    morgan_fingerprint,
    tanimoto,
)
from precursor_watch.chem.modifications import FAMILIES, Modification, bundled_modifications
from precursor_watch.chem.standardize import StandardStructure, standardize_text


@dataclass(frozen=True, slots=True)
class WatchParent:
    """A listed substance whose one-step modified forms are watched, and which families apply."""

    substance_id: str
    name: str
    smiles: str
    families: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Resemblance:
    """The query is a parent carrying one modification; ``atoms`` are the query atoms of it."""

    parent_id: str
    parent_name: str
    modification_id: str
    family: str
    modification: str
    similarity: float
    atoms: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Parent:
    spec: WatchParent
    connectivity: str
    fingerprint: Any


def _query_composition(parent: Composition, delta: Composition) -> Composition | None:
    counts = Counter(dict(parent))
    for element, n in delta:
        counts[element] += n
    if any(n < 0 for n in counts.values()):
        return None
    return tuple(sorted((z, n) for z, n in counts.items() if n))


class DesignerWatch:
    """Find listed parents that a query resembles by exactly one known modification."""

    def __init__(
        self,
        parents: Sequence[WatchParent],
        modifications: Sequence[Modification] | None = None,
    ) -> None:
        self.modifications = tuple(modifications or bundled_modifications())
        self._index: dict[Composition, dict[Modification, dict[str, list[_Parent]]]] = {}
        index: defaultdict[Composition, defaultdict[Modification, defaultdict[str, list[_Parent]]]]
        index = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for spec in parents:
            parent, comp = self._prepare(spec)
            for mod in self.modifications:
                if mod.family not in spec.families:
                    continue
                query_comp = _query_composition(comp, mod.delta)
                if query_comp is not None:
                    index[query_comp][mod][parent.connectivity].append(parent)
        self._index = {c: {m: dict(p) for m, p in by_mod.items()} for c, by_mod in index.items()}
        self.parent_count = len(parents)

    @staticmethod
    def _prepare(spec: WatchParent) -> tuple[_Parent, Composition]:
        unknown = [f for f in spec.families if f not in FAMILIES]
        if unknown:
            raise InvalidPatternError(spec.substance_id, f"unknown families {unknown}")
        try:
            std = standardize_text(spec.smiles)
        except StructureError as exc:
            raise InvalidPatternError(spec.substance_id, f"parent SMILES: {exc}") from exc
        parent = _Parent(spec, std.connectivity, morgan_fingerprint(std.mol))
        return parent, std.composition

    def could_resemble(self, std: StandardStructure) -> bool:
        """Cheap test: False means ``find`` would certainly return nothing."""
        return std.composition in self._index

    def find(self, std: StandardStructure) -> tuple[Resemblance, ...]:
        """Every (parent, modification, place) that explains the query; most similar first."""
        candidates = self._index.get(std.composition)
        if not candidates:
            return ()
        found: dict[tuple[str, str, tuple[int, ...]], Resemblance] = {}
        query_fp: Any = None
        for mod, parents_by_key in candidates.items():
            for product, atoms in mod.strip(std.mol):
                try:
                    key = connectivity_key(product)
                except StructureError:
                    continue
                for parent in parents_by_key.get(key, ()):
                    if query_fp is None:
                        query_fp = morgan_fingerprint(std.mol)
                    spec = parent.spec
                    found[(spec.substance_id, mod.modification_id, atoms)] = Resemblance(
                        parent_id=spec.substance_id,
                        parent_name=spec.name,
                        modification_id=mod.modification_id,
                        family=mod.family,
                        modification=mod.label,
                        similarity=round(tanimoto(query_fp, parent.fingerprint), 3),
                        atoms=atoms,
                    )
        return tuple(
            sorted(found.values(), key=lambda r: (-r.similarity, r.parent_id, r.modification_id))
        )
