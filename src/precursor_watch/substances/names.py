"""Chemical-name keys: the forms under which a name is looked up.

A name is reduced to a *key* that ignores case, spacing, hyphens, brackets, punctuation and the
spelling of Greek letters, so ``1-(2-Phenylethyl)-4-piperidinone`` and ``1(2-phenylethyl)4 piperidinone``
meet. A second family of keys undoes digit-for-letter obfuscation (``1-b0c-4-piperid0ne``): a digit
standing between letters is read as the letter it imitates. Locants (digits next to hyphens,
commas or brackets) are never rewritten.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ω": "omega",
    "Α": "alpha", "Β": "beta", "Γ": "gamma", "Δ": "delta", "Ε": "epsilon", "Ω": "omega",
}  # fmt: skip
# Look-alike digits and symbols used to dodge keyword filters, with the letters they imitate.
_LOOKALIKES: dict[str, tuple[str, ...]] = {
    "0": ("o",),
    "1": ("l", "i"),
    "3": ("e",),
    "4": ("a",),
    "5": ("s",),
    "7": ("t",),
    "8": ("b",),
    "@": ("a",),
    "$": ("s",),
}
_DROP = re.compile(r"[\s\-‐‑‒–—_,.;:'\"`´’‘()\[\]{}<>/\\|+·•]+")
_LOOKALIKE_CLASS = "[" + re.escape("".join(_LOOKALIKES)) + "]"
_OBFUSCATED = re.compile(
    rf"(?<=[a-z]){_LOOKALIKE_CLASS}(?=[a-z])|(?<=[a-z]{{3}}){_LOOKALIKE_CLASS}(?=$|[\s\-,.;])"
)
MAX_VARIANTS = 8


_FOLD_TABLE = str.maketrans({**_GREEK, "′": "'", "″": "'", "‴": "'"})


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """NFKC, Greek letters spelled out, primes as apostrophes, case folded (cached: the resolver
    folds each query several times)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    return text.casefold().strip()


def name_key(text: str) -> str:
    """The lookup key of a name: folded, Greek spelled out, separators and brackets removed."""
    return _DROP.sub("", _fold(text))


def deobfuscated_keys(text: str) -> tuple[str, ...]:
    """Keys of ``text`` with look-alike digits between letters read as letters (may be empty).

    ``1-b0c-4-piperid0ne`` gives ``1boc4piperidone``; locants such as the ``1`` and ``4`` stay.
    """
    folded = _fold(text)
    positions = [m.start() for m in _OBFUSCATED.finditer(folded)]
    if not positions:
        return ()
    choices = [_LOOKALIKES[folded[p]] for p in positions]
    keys: list[str] = []
    for combo in itertools.islice(itertools.product(*choices), MAX_VARIANTS):
        chars = list(folded)
        for pos, letter in zip(positions, combo, strict=True):
            chars[pos] = letter
        keys.append(_DROP.sub("", "".join(chars)))
    return tuple(dict.fromkeys(keys))


def display_name(text: str) -> str:
    """The query as shown back to the user: whitespace collapsed."""
    return " ".join(text.split())
