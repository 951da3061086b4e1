"""How alike two normalized names are, with rapidfuzz doing every string comparison.

Organizations are compared on their distinctive words (``core``), people on all their words.
Several views of the same pair are scored and the best one explains the result:

* ``words``: each word paired with its most similar word on the other side (rapidfuzz
  ``cdist``, any order, so surname first or last is the same); a pair counts with its
  similarity squared and by length, an unpaired word counts nothing, so one different short
  word ("Zhang Wei" / "Zhang Lei") weighs more than a typo in a long one;
* ``spacing``: the words joined without spaces, the candidate's words rotated, with rapidfuzz
  ``ratio`` ("Hu Bei" ~ "Hubei", "Moonchi Wong" ~ "WONG, Moon Chi");
* ``characters``: the Han characters themselves when both names are written in Han;
* ``subset``: one name's words all inside the other's (a missing second surname or a
  dropped word), scored below an equal name and lower still for a single word.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from precursor_watch.parties.normalization import NormalizedName

SUBSET_BASE_PERSON = 0.70
SUBSET_BASE_ORGANIZATION = 0.55
SUBSET_SINGLE_WORD = 0.6
SUBSET_SPAN = 0.25
PAIR_MIN = 0.5
SPACING_MIN = 0.9  # the joined view only rescues spacing, not different names
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


def word_alignment(q: tuple[str, ...], c: tuple[str, ...]) -> float:
    """Length-weighted mean of squared similarities of greedily paired words; one word against
    several is at most a single-word subset."""
    matrix = process.cdist(q, c, scorer=fuzz.ratio)
    pairs = sorted(
        ((float(matrix[i][j]) / 100, i, j) for i in range(len(q)) for j in range(len(c))),
        reverse=True,
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    total = 0.0
    for sim, i, j in pairs:
        if sim < PAIR_MIN or i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        total += sim * sim * (len(q[i]) + len(c[j]) + 2 * WORD_FLOOR)
    score = total / (sum(map(len, q)) + sum(map(len, c)) + WORD_FLOOR * (len(q) + len(c)))
    if min(len(q), len(c)) == 1 < max(len(q), len(c)):
        score = min(score, SUBSET_SINGLE_WORD)  # "Julia" is not "Julia Wu"
    return score


def _words(name: NormalizedName, person: bool) -> tuple[str, ...]:
    return name.words if person else name.core


def compare_names(query: NormalizedName, cand: NormalizedName, *, person: bool) -> NameComparison:
    """Best score over the views above; 0 when one side has no distinctive word."""
    q, c = _words(query, person), _words(cand, person)
    if not person and not q and not c:
        q, c = query.words, cand.words
    qt, ct = " ".join(q), " ".join(c)
    if not q or not c:
        return NameComparison(0.0, "no distinctive words to compare", qt, ct)
    views: list[tuple[float, str]] = [(word_alignment(q, c), "words")]
    squashed = "".join(q)
    spacing = max(fuzz.ratio(squashed, r) for r in _rotations(c)) / 100
    if spacing >= SPACING_MIN:
        views.append((spacing * spacing, "spacing"))
    if query.han and cand.han:
        views.append((fuzz.ratio(query.han, cand.han) / 100, "characters"))
    if len(q) != len(c) and fuzz.token_set_ratio(qt, ct) == 100:
        views.append((_subset_score(min(len(q), len(c)), max(len(q), len(c)), person), "subset"))
    score, method = max(views)
    if min(len(squashed), len("".join(c))) < SHORT_NAME:
        score, method = score * SHORT_NAME_FACTOR, method + ", very short name"
    return NameComparison(score, method, qt, ct)
