"""Look up substance names exactly, through obfuscation, and (carefully) through a typo.

Chemical names that differ by one letter can be different compounds (methyl/ethyl, amino/anilino),
so approximate matching is the last resort of the resolver, is bounded by a small edit distance
that grows with the name's length, refuses short names and abbreviations, and refuses ties between
two substances. Every approximate hit says which name it was taken for and how far it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from precursor_watch.substances.names import deobfuscated_keys, name_key


@dataclass(frozen=True, slots=True)
class NameHit:
    substance_id: str
    matched_name: str
    how: str  # "exact", "deobfuscated", "approximate"
    distance: int = 0


def max_typo_distance(key_length: int) -> int:
    """Edits tolerated for a key of this length: none below 8 characters, 1 up to 15, then 2."""
    if key_length < 8:
        return 0
    if key_length < 16:
        return 1
    return 2


class NameIndex:
    """Names and synonyms of the knowledge base, keyed by :func:`name_key`."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        """``entries`` are (name, substance_id) pairs."""
        self._by_key: dict[str, tuple[str, str]] = {}
        for name, substance_id in entries:
            key = name_key(name)
            if key and key not in self._by_key:
                self._by_key[key] = (substance_id, name)
        self._keys = list(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def exact(self, query: str) -> NameHit | None:
        """The substance whose name has the same key as ``query``, or whose name it imitates."""
        key = name_key(query)
        found = self._by_key.get(key)
        if found:
            return NameHit(found[0], found[1], "exact")
        for variant in deobfuscated_keys(query):
            found = self._by_key.get(variant)
            if found:
                return NameHit(found[0], found[1], "deobfuscated")
        return None

    def approximate(self, query: str) -> NameHit | None:
        """The one substance within the tolerated edit distance of ``query``; None if none or a tie."""
        keys = [name_key(query), *deobfuscated_keys(query)]
        best: NameHit | None = None
        for key in keys:
            limit = max_typo_distance(len(key))
            if limit == 0:
                continue
            hits = process.extract(
                key, self._keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=5
            )
            if not hits:
                continue
            nearest = min(h[1] for h in hits)
            ids = {self._by_key[h[0]][0] for h in hits if h[1] == nearest}
            if len(ids) != 1:
                continue  # two substances equally near: refuse to guess
            top = next(h for h in hits if h[1] == nearest)
            substance_id, name = self._by_key[top[0]]
            candidate = NameHit(substance_id, name, "approximate", int(nearest))
            if best is None or candidate.distance < best.distance:
                best = candidate
        return best

    def suggestions(self, query: str, limit: int = 3) -> list[str]:
        """Names close to ``query``, for an explanation when nothing resolved."""
        hits = process.extract(name_key(query), self._keys, limit=limit, score_cutoff=80)
        return [self._by_key[h[0]][1] for h in hits]
