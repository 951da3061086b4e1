"""How alike two normalized names are, with rapidfuzz doing every string comparison.

Organizations are compared on their distinctive words (``core``), people on all their words.
Several views of the same pair are scored and the best one explains the result:

* ``words``: each word paired with its most similar word on the other side (rapidfuzz
  ``cdist`` with ``ratio``, or optimal-string-alignment for two swapped letters; any order, so surname first or last is the same; an initial pairs with a word
  it starts); a pair counts with its similarity to the power 1.5 and by length, an unpaired word
  counts nothing, so one different short word ("Zhang Wei" / "Zhang Lei") weighs more than
  a typo in a long one, and a word replaced by another on both sides costs a factor;
* ``spacing``: the words joined without spaces, the candidate's words rotated, with rapidfuzz
  ``ratio`` ("Hu Bei" ~ "Hubei", "Moonchi Wong" ~ "WONG, Moon Chi");
* ``characters``: the Han characters themselves when both names are written in Han;
* ``consonants``: when one name is written in Arabic or Hebrew, whose short vowels are not
  written, the words reduced to their consonants ("mhmd" ~ "Mohamed"), discounted;
* ``subset``: one name's words all found (fuzzily) in the other's (a missing second surname,
  patronymic or middle name), scored below an equal name and lower still for a single word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from precursor_watch.parties.normalization import NormalizedName

SUBSET_BASE_PERSON = 0.70
SUBSET_BASE_ORGANIZATION = 0.55
SUBSET_SINGLE_WORD = 0.6
SUBSET_SPAN = 0.25
PAIR_MIN = 0.5
INITIAL = 0.8  # a single letter against a word it starts
SUBSTITUTION = 0.8  # factor per word replaced by another (Al-Houthi / Al-Ghamari)
SUBSET_PAIR_MIN = 0.75
SPACING_MIN = 0.9  # the joined view only rescues spacing, not different names
CONSONANTS_FACTOR = 0.95
VOWELS = re.compile(r"[aeiouwy]+")
DOUBLES = re.compile(r"(.)\1+")
MAX_ROTATED = 5  # names of more words are not rotated (the word view handles their order)
SHARPNESS = 1.5  # pair similarities are raised to this power: one wrong letter costs more
WORD_FLOOR = 2  # added to every word's length: a short word still counts
SHORT_NAME = 3  # a distinctive part this short ("x", "ab") is weak evidence
SHORT_NAME_FACTOR = 0.6


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float  # 0..1
    method: str  # which view gave the score
    query_text: str
    candidate_text: str


def _rotations(tokens: tuple[str, ...]) -> list[str]:
    return ["".join(tokens[i:] + tokens[:i]) for i in range(max(1, len(tokens)))]


def _subset_score(shorter: int, longer: int, person: bool) -> float:
    if shorter <= 1:
        return SUBSET_SINGLE_WORD
    base = SUBSET_BASE_PERSON if person else SUBSET_BASE_ORGANIZATION
    return base + SUBSET_SPAN * shorter / longer


@dataclass(frozen=True, slots=True)
class WordPairing:
    """Words of two names paired greedily by rapidfuzz similarity."""

    sims: tuple[float, ...]  # similarity of each pair
    weighted: float  # length-weighted mean of squared similarities, unpaired words count 0
    unpaired_query: int
    unpaired_candidate: int


def pair_words(q: tuple[str, ...], c: tuple[str, ...]) -> WordPairing:
    matrix = np.maximum(
        process.cdist(q, c, scorer=fuzz.ratio),
        process.cdist(q, c, scorer=OSA.normalized_similarity) * 100,  # swapped letters
    )
    pairs: list[tuple[float, int, int]] = []
    for i, qw in enumerate(q):
        for j, cw in enumerate(c):
            sim = float(matrix[i][j]) / 100
            if (len(qw) == 1 and cw.startswith(qw)) or (len(cw) == 1 and qw.startswith(cw)):
                sim = max(sim, INITIAL)  # "V. Putin", "J.-C. Juncker"
            pairs.append((sim, i, j))
    used_q: set[int] = set()
    used_c: set[int] = set()
    sims: list[float] = []
    total = 0.0
    for sim, i, j in sorted(pairs, reverse=True):
        if sim < PAIR_MIN or i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        sims.append(sim)
        total += sim**SHARPNESS * (len(q[i]) + len(c[j]) + 2 * WORD_FLOOR)
    weight = sum(map(len, q)) + sum(map(len, c)) + WORD_FLOOR * (len(q) + len(c))
    return WordPairing(tuple(sims), total / weight, len(q) - len(used_q), len(c) - len(used_c))


def word_alignment(pairing: WordPairing, q: int, c: int) -> float:
    """The paired-words score; a word replaced by a different one on each side costs
    ``SUBSTITUTION`` more, and one word against several is at most a single-word subset."""
    score = pairing.weighted * SUBSTITUTION ** min(
        pairing.unpaired_query, pairing.unpaired_candidate
    )
    if min(q, c) == 1 < max(q, c):
        score = min(score, SUBSET_SINGLE_WORD)  # "Julia" is not "Julia Wu"
    return score


def subset_score(pairing: WordPairing, q: int, c: int, person: bool) -> float | None:
    """Every word of the shorter name found in the longer one (a dropped middle name or
    patronymic): the pairs' quality times a subset score; None when it is not a subset."""
    shorter, longer = min(q, c), max(q, c)
    if shorter == longer or len(pairing.sims) < shorter:
        return None
    if min(pairing.sims) < SUBSET_PAIR_MIN:
        return None
    quality = sum(s * s for s in pairing.sims) / len(pairing.sims)
    return quality * _subset_score(shorter, longer, person)


def consonants(word: str) -> str:
    """The consonant skeleton of a romanized word: vowels (and w, y) out, doubles single."""
    return DOUBLES.sub(r"\1", VOWELS.sub("", word)) or word


def _words(name: NormalizedName, person: bool) -> tuple[str, ...]:
    return name.words if person else name.core


@lru_cache(maxsize=262_144)
def compare_names(query: NormalizedName, cand: NormalizedName, *, person: bool) -> NameComparison:
    """Best score over the views above; 0 when one side has no distinctive word. Cached: the
    same name recurs in many queries (other country, identifiers or role)."""
    q, c = _words(query, person), _words(cand, person)
    if not person and not q and not c:
        q, c = query.words, cand.words
    qt, ct = " ".join(q), " ".join(c)
    if not q or not c:
        return NameComparison(0.0, "no distinctive words to compare", qt, ct)
    pairing = pair_words(q, c)
    views: list[tuple[float, str]] = [(word_alignment(pairing, len(q), len(c)), "words")]
    squashed = "".join(q)
    if views[0][0] < 1.0 and len(c) <= MAX_ROTATED:
        spacing = max(fuzz.ratio(squashed, r) for r in _rotations(c)) / 100
        if spacing >= SPACING_MIN:
            views.append((spacing * spacing, "spacing"))
    if query.abjad or cand.abjad:
        qs, cs = tuple(map(consonants, q)), tuple(map(consonants, c))
        skeleton = word_alignment(pair_words(qs, cs), len(q), len(c))
        joined = fuzz.ratio("".join(qs), "".join(cs)) / 100
        views.append((max(skeleton, joined * joined) * CONSONANTS_FACTOR, "consonants"))
    if query.han and cand.han:
        views.append((fuzz.ratio(query.han, cand.han) / 100, "characters"))
    subset = subset_score(pairing, len(q), len(c), person)
    if subset is not None:
        views.append((subset, "subset"))
    score, method = max(views)
    if min(len(squashed), len("".join(c))) < SHORT_NAME:
        score, method = score * SHORT_NAME_FACTOR, method + ", very short name"
    return NameComparison(score, method, qt, ct)
