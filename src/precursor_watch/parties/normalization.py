"""One name, taken apart once: script, Latin tokens, legal form, places, generic words, core.

"HUBEI VAST CHEMICAL CO., LIMITED" becomes

* ``words``: hubei vast chemical co limited (every Latin token, for person names)
* ``legal_forms``: ("ltd",) with the generic class ("llc",) from rigour's org-type database
* ``places``: {湖北}; ``generics``: (chemical, company); ``core``: (vast,)

Chinese characters are read as pinyin first; a Han legal-form suffix (有限公司) is found by
rigour before romanization, its pinyin spelling ("youxian gongsi") through the vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.names.org_types import extract_org_types, remove_org_types
from rigour.text.stopwords import is_stopword

from precursor_watch.parties.transliteration import contains_han, is_han, to_latin
from precursor_watch.parties.vocabulary import WordKind, tag_tokens

TOKEN = re.compile(r"[a-z0-9]+")
ABJAD = re.compile(
    "[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"
)


@dataclass(frozen=True, slots=True)
class NormalizedName:
    original: str
    latin: str  # folded Latin text of the whole name
    words: tuple[str, ...]  # every token, legal form included (person names)
    legal_forms: tuple[str, ...]  # rigour compare forms, e.g. ("coltd",)
    legal_classes: tuple[str, ...]  # rigour generic classes, e.g. ("llc",)
    places: frozenset[str]  # Han names of Chinese provinces / cities
    generics: tuple[str, ...]  # sector-generic concepts, sorted
    core: tuple[str, ...]  # the distinctive tokens, in order
    han: str | None  # the Han characters of the name (legal form removed), if written in Han
    abjad: bool = False  # written in Arabic or Hebrew script: short vowels are not written

    @property
    def core_text(self) -> str:
        return " ".join(self.core)

    @property
    def words_text(self) -> str:
        return " ".join(self.words)

    @property
    def is_cross_script(self) -> bool:
        return self.han is not None or not self.original.isascii()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _han_legal_suffix(text: str) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
    """Split a Han legal-form suffix (rigour needs it to stand alone: Han has no spaces)."""
    for start in range(len(text)):
        tail = text[start:]
        if not is_han(tail[0]):
            continue
        found = extract_org_types(tail, generic=True)
        if found and found[-1][0] == tail:
            specific = extract_org_types(tail) or found
            return text[:start], specific, found
    return text, [], []


def _residue(token: str) -> bool:
    return len(token) == 1 or is_stopword(token)


def _trim(core: list[str]) -> list[str]:
    """Drop leading and trailing single letters and stopwords ("The ...", "... S. de P.R. de
    R.L.": legal-form residue rigour does not know), unless nothing would be left."""
    start, end = 0, len(core)
    while start < end and _residue(core[start]):
        start += 1
    while end > start and _residue(core[end - 1]):
        end -= 1
    return core[start:end] or core


@lru_cache(maxsize=131072)
def normalize_name(name: str) -> NormalizedName:
    """Take a name apart; results are cached (list names and repeated queries recur)."""
    folded = _fold(name)
    han: str | None = None
    specific: list[tuple[str, str]] = []
    generic: list[tuple[str, str]] = []
    if contains_han(folded):
        folded, specific, generic = _han_legal_suffix(folded)
        han = "".join(c for c in folded if is_han(c)) or None
    latin = to_latin(folded)
    words = tuple(TOKEN.findall(latin))
    remainder = list(words)
    for text in (folded, latin):  # rigour knows "beschränkter" and "ооо", not their ASCII
        found = extract_org_types(text)
        if found:
            specific += found
            generic += extract_org_types(text, generic=True)
            remainder = TOKEN.findall(to_latin(remove_org_types(text, replacement=" ")))
            break
    legal = [t for _, t in specific]
    classes = [t for _, t in generic]
    places: set[str] = set()
    generics: list[str] = []
    core: list[str] = []
    for tokens, entry in tag_tokens(remainder):
        if entry is None:
            core.extend(tokens)
        elif entry.kind is WordKind.PLACE:
            places.add(entry.concept)
        elif entry.kind is WordKind.GENERIC:
            generics.append(entry.concept)
        else:
            legal.append(entry.term.replace(" ", ""))
            classes.append(entry.concept)
    core = _trim(core)
    return NormalizedName(
        original=name,
        latin=" ".join(words),
        words=words,
        legal_forms=tuple(legal),
        legal_classes=tuple(classes),
        places=frozenset(places),
        generics=tuple(sorted(generics)),
        core=tuple(core),
        han=han,
        abjad=not name.isascii() and ABJAD.search(name) is not None,
    )
