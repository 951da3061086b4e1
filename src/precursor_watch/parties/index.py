"""Candidate generation: an inverted index of name keys weighted by IDF.

A query is compared only with the names that share its rarest keys, never with the whole list.
Keys of a name (see ``name_keys``):

* every word (``vast``, ``hubei``, ``zhang``) and every two adjacent words joined
  (``hubei`` from "hu bei", ``yuancheng`` from "yuan cheng"), so spacing does not matter;
* the metaphone code of each word of 3+ letters (``~KNLNK``), for typos and spellings;
* the sorted letters of each word of 5+ letters (``#aeillrsy``), for two swapped letters;
* the whole distinctive part, sorted and joined (``=vast``), so that an exact name always
  surfaces.

Keys held by more than ``max_df`` names (``co``, ``ltd``, ``chemical``) are skipped unless
nothing else is left, then only their shortest postings are read.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections.abc import Iterable

import numpy as np
from rigour.text.phonetics import metaphone

from precursor_watch.parties.normalization import NormalizedName

PHONETIC_FACTOR = 0.5
ANAGRAM_MIN = 5
MIN_DF_CAP = 500
DF_CAP_SHARE = 0.01


def name_keys(name: NormalizedName) -> set[str]:
    words = name.words
    keys = set(words)
    keys.update(a + b for a, b in itertools.pairwise(words))
    keys.update("~" + metaphone(w) for w in words if len(w) >= 3 and w.isalpha())
    keys.update("#" + "".join(sorted(w)) for w in words if len(w) >= ANAGRAM_MIN)
    core = name.core or words
    if core:
        keys.add("=" + "".join(sorted(core)))
    keys.discard("~")
    return keys


class CandidateIndex:
    """Postings of name ids per key (compact ``array('i')``); build with ``add``."""

    def __init__(self) -> None:
        self._postings: dict[str, array[int]] = {}
        self._count = 0

    def add(self, name_id: int, keys: Iterable[str]) -> None:
        for key in keys:
            postings = self._postings.get(key)
            if postings is None:
                postings = self._postings[key] = array("i")
            postings.append(name_id)
        self._count = max(self._count, name_id + 1)

    def freeze(self) -> None:
        """Nothing left to build: postings are read as numpy views when a query needs them."""

    @property
    def size(self) -> int:
        return self._count

    @property
    def key_count(self) -> int:
        return len(self._postings)

    def _weight(self, key: str, df: int) -> float:
        idf = math.log(1 + self._count / df)
        return idf * PHONETIC_FACTOR if key[0] in "~#" else idf

    def candidates(self, keys: Iterable[str], limit: int) -> list[int]:
        """Ids of the ``limit`` names sharing the most IDF weight with the keys, best first."""
        cap = max(MIN_DF_CAP, int(self._count * DF_CAP_SHARE))
        found = [
            (k, np.frombuffer(p, dtype=np.int32))
            for k in keys
            if (p := self._postings.get(k)) is not None
        ]
        if not found:
            return []
        usable = [(k, p) for k, p in found if len(p) <= cap]
        if not usable:
            usable = [(k, p[:cap]) for k, p in sorted(found, key=lambda kp: len(kp[1]))[:2]]
        ids = np.concatenate([p for _, p in usable])
        weights = np.concatenate(
            [np.full(len(p), self._weight(k, len(self._postings[k]))) for k, p in usable]
        )
        unique, inverse = np.unique(ids, return_inverse=True)
        totals = np.bincount(inverse, weights=weights)
        if len(unique) > limit:
            top = np.argpartition(-totals, limit)[:limit]
        else:
            top = np.arange(len(unique))
        order = top[np.argsort(-totals[top], kind="stable")]
        return [int(i) for i in unique[order]]
