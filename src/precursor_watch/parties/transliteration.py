"""Turn any script into comparable Latin text, and decode Chinese Commercial Codes.

* Han characters become tone-less pinyin syllables with ``pypinyin`` (one token per character,
  so "湖北" gives "hu bei"; the matcher joins syllables when it compares, see ``normalization``).
* Every other script goes through ``rigour.text.translit.ascii_text`` (rigour's own spellings for
  Cyrillic, Greek, Armenian, Georgian and Hangul; ICU/normality for the rest, Arabic included).
* Chinese Commercial Codes (the 4-digit telegraph codes OFAC prints in remarks, e.g.
  "Chinese Commercial Code 1728 4320") are decoded with the Unicode Consortium's Unihan table
  (``kMainlandTelegraph``, falling back to ``kTaiwanTelegraph``). The table is read from the
  Debian ``unicode-data`` package when it is installed; without it, decoding reports that it is
  unavailable instead of guessing.
"""

from __future__ import annotations

import bz2
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from rigour.text.translit import ascii_text

UNIHAN_OTHER_MAPPINGS = (
    Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2"),
    Path("/usr/share/unicode/Unihan_OtherMappings.txt"),
)
# CJK Unified Ideographs, Extension A, Compatibility Ideographs, Extensions B and later.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
CCC_PATTERN = re.compile(r"Chinese Commercial Code\s+((?:\d{4}\s*)+)", re.IGNORECASE)


def is_han(char: str) -> bool:
    """True for a CJK unified ideograph (the characters pypinyin can read)."""
    return HAN.match(char) is not None


def contains_han(text: str) -> bool:
    return not text.isascii() and HAN.search(text) is not None


@lru_cache(maxsize=65536)
def han_to_pinyin(text: str) -> str:
    """Han characters to space-separated tone-less pinyin; other characters kept in place."""
    out: list[str] = []
    for syllable in lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: s):
        out.append(f" {syllable} " if syllable and all(c.isalpha() for c in syllable) else syllable)
    return re.sub(r"\s+", " ", "".join(out)).strip()


@lru_cache(maxsize=262144)
def to_latin(text: str) -> str:
    """Any script to lower-case ASCII: Han via pinyin, the rest via rigour/ICU, accents dropped."""
    text = unicodedata.normalize("NFKC", text)
    if contains_han(text):
        text = han_to_pinyin(text)
    return ascii_text(text).casefold()


def _read_unihan(paths: tuple[Path, ...]) -> dict[str, dict[str, str]]:
    for path in paths:
        if not path.exists():
            continue
        opener = bz2.open if path.suffix == ".bz2" else open
        tables: dict[str, dict[str, str]] = {"kMainlandTelegraph": {}, "kTaiwanTelegraph": {}}
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if "Telegraph" not in line or line.startswith("#"):
                    continue
                codepoint, field, value = line.rstrip("\n").split("\t")
                if field in tables:
                    tables[field].setdefault(value, chr(int(codepoint[2:], 16)))
        return tables
    return {}


@lru_cache(maxsize=1)
def telegraph_tables() -> dict[str, dict[str, str]]:
    """The Unihan telegraph-code tables, or ``{}`` when the Unihan data is not installed."""
    return _read_unihan(UNIHAN_OTHER_MAPPINGS)


def ccc_available() -> bool:
    return bool(telegraph_tables())


def decode_ccc(codes: str) -> str | None:
    """Decode "1728 4320" to "张磊"; None when the table is missing or a code is unknown."""
    tables = telegraph_tables()
    if not tables:
        return None
    chars: list[str] = []
    for code in codes.split():
        char = tables["kMainlandTelegraph"].get(code) or tables["kTaiwanTelegraph"].get(code)
        if char is None:
            return None
        chars.append(char)
    return "".join(chars) or None


def ccc_codes_in(text: str | None) -> list[str]:
    """Every "Chinese Commercial Code NNNN NNNN" group published in a remark."""
    if not text:
        return []
    return [" ".join(m.group(1).split()) for m in CCC_PATTERN.finditer(text)]
