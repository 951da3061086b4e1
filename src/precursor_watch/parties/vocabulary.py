"""The word lists the matcher reads as data: sector-generic words, Chinese places, Han legal forms.

All three live in ``parties/data/`` as small CSV files reviewed like code:

* ``generic_words.csv``: words every chemical trader uses ("chemical", "huagong", "trading",
  "maoyi"...). Each maps to a concept so that "Keji" and "Technology" are the same word; the
  matcher weights them down.
* ``cn_places.csv``: China's provincial-level divisions and large cities, in Han with their
  usual romanizations; the pinyin is computed with pypinyin, never typed.
* ``han_legal_forms.csv``: the Han legal forms (有限公司...) whose *pinyin* ("youxian gongsi")
  the matcher should also recognise. Their legal-form class always comes from rigour's org-type
  database; this file only lists which Han forms to romanize.

Phrases are looked up "squashed" (spaces removed), so "shengwu keji", "shengwukeji" and
"sheng wu ke ji" are one phrase.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rigour.names.org_types import extract_org_types

from precursor_watch.errors import DataError

MAX_PHRASE_TOKENS = 4
FUZZY_MIN_LENGTH = 6  # "Chmeical", "Sahnghai": a typo in a long known word is still that word
FUZZY_CUTOFF = 85


class WordKind(StrEnum):
    GENERIC = "generic"
    PLACE = "place"
    LEGAL_FORM = "legal_form"


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    kind: WordKind
    concept: str  # generic: concept id; place: the Han name; legal form: rigour generic class
    term: str  # the spelling in the data file (or the pinyin derived from it)
    fuzzy: bool = False  # may be recognised with a typo (long non-pinyin sector words only)


def _squash(text: str) -> str:
    return "".join(text.casefold().replace("'", " ").replace("-", " ").split())


def _rows(filename: str) -> list[dict[str, str]]:
    path = resources.files("precursor_watch.parties").joinpath("data", filename)
    try:
        with path.open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except (OSError, csv.Error) as exc:
        raise DataError(f"cannot read matcher vocabulary {filename}: {exc}") from exc


def _pinyin(han: str) -> str:
    return "".join(lazy_pinyin(han, style=Style.NORMAL))


def _add(table: dict[str, VocabularyEntry], key: str, entry: VocabularyEntry) -> None:
    if key:
        table.setdefault(key, entry)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, VocabularyEntry]:
    """Squashed phrase -> what it is. Built once from the three data files."""
    table: dict[str, VocabularyEntry] = {}
    for row in _rows("han_legal_forms.csv"):
        han = row["han"].strip()
        found = extract_org_types(han, generic=True)
        if not found or found[0][0] != han:
            raise DataError(f"han_legal_forms.csv: rigour does not know the legal form {han!r}")
        entry = VocabularyEntry(WordKind.LEGAL_FORM, found[0][1], _pinyin(han))
        _add(table, _squash(entry.term), entry)
    for row in _rows("cn_places.csv"):
        han = row["han"].strip()
        for term in [_pinyin(han), *row["names"].split("|")]:
            _add(table, _squash(term), VocabularyEntry(WordKind.PLACE, han, term))
    for row in _rows("generic_words.csv"):
        fuzzy = row["lang"] != "zh-pinyin"
        entry = VocabularyEntry(WordKind.GENERIC, row["concept"], row["term"], fuzzy)
        if row["han"] and _squash(_pinyin(row["han"])) != _squash(row["term"]):
            raise DataError(f"generic_words.csv: {row['term']!r} is not the pinyin of {row['han']}")
        _add(table, _squash(row["term"]), entry)
    return table


def han_vocabulary() -> dict[str, VocabularyEntry]:
    """Han spelling -> entry, for names written in characters (places, generic words)."""
    table: dict[str, VocabularyEntry] = {}
    for row in _rows("cn_places.csv"):
        table[row["han"]] = VocabularyEntry(WordKind.PLACE, row["han"], row["han"])
    for row in _rows("generic_words.csv"):
        if row["han"]:
            table.setdefault(
                row["han"], VocabularyEntry(WordKind.GENERIC, row["concept"], row["han"])
            )
    return table


@lru_cache(maxsize=1)
def _single_words() -> dict[str, VocabularyEntry]:
    return {k: e for k, e in vocabulary().items() if e.fuzzy and len(k) >= FUZZY_MIN_LENGTH}


@lru_cache(maxsize=1)
def _places_by_letters() -> dict[str, list[tuple[str, VocabularyEntry]]]:
    out: dict[str, list[tuple[str, VocabularyEntry]]] = {}
    for key, entry in vocabulary().items():
        if entry.kind is WordKind.PLACE and len(key) >= FUZZY_MIN_LENGTH:
            out.setdefault("".join(sorted(key)), []).append((key, entry))
    return out


@lru_cache(maxsize=65536)
def fuzzy_lookup(token: str) -> VocabularyEntry | None:
    """A sector word of 6+ letters spelt with a typo (rapidfuzz ratio >= 85), or a place of 6+
    letters with two letters swapped ("Sahnghai"). Other misspelt places and pinyin are never
    guessed: one letter less turns Yuancheng into the city of Yancheng."""
    if len(token) < FUZZY_MIN_LENGTH or not token.isalpha():
        return None
    for key, entry in _places_by_letters().get("".join(sorted(token)), []):
        if OSA.distance(token, key) == 1:  # two letters swapped: "Sahnghai"
            return entry
    words = _single_words()
    found = process.extractOne(token, words.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return None if found is None else words[found[0]]


def tag_tokens(tokens: list[str]) -> list[tuple[list[str], VocabularyEntry | None]]:
    """Split tokens into runs: the longest known phrase at each position, else one plain token.

    >>> [(t, e.kind.value if e else None) for t, e in tag_tokens(["hu", "bei", "vast"])]
    [(['hu', 'bei'], 'place'), (['vast'], None)]
    """
    table = vocabulary()
    out: list[tuple[list[str], VocabularyEntry | None]] = []
    i = 0
    while i < len(tokens):
        for size in range(min(MAX_PHRASE_TOKENS, len(tokens) - i), 0, -1):
            entry = table.get("".join(tokens[i : i + size]))
            if entry is not None:
                out.append((tokens[i : i + size], entry))
                i += size
                break
        else:
            out.append(([tokens[i]], fuzzy_lookup(tokens[i])))
            i += 1
    return out
