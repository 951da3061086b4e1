"""CAS Registry Numbers: recognise, normalise and check the check digit."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CAS_HYPHENATED = re.compile(r"^\s*(\d{2,7})-(\d{2})-(\d)\s*$")
_CAS_BARE = re.compile(r"^\s*(\d{5,10})\s*$")
_CAS_PREFIX = re.compile(r"^\s*(?:cas(?:\s*rn|\s*no\.?|\s*number)?|cas#)\s*[:#]?\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CasCheck:
    """The result of reading a text as a CAS RN: the canonical form, or why it is not valid."""

    text: str
    canonical: str | None
    error: str | None

    @property
    def valid(self) -> bool:
        return self.canonical is not None


def cas_check_digit(digits: str) -> int:
    """The check digit of the CAS RN whose other digits are ``digits`` (no hyphens)."""
    return sum(i * int(d) for i, d in enumerate(reversed(digits), start=1)) % 10


def looks_like_cas(text: str) -> bool:
    """True when ``text`` has the shape of a CAS RN (with or without hyphens or a "CAS" prefix)."""
    body = _CAS_PREFIX.sub("", text)
    return bool(_CAS_HYPHENATED.match(body) or _CAS_BARE.match(body))


def check_cas(text: str) -> CasCheck:
    """Read ``text`` as a CAS RN. Hyphens are optional; the check digit is enforced."""
    body = _CAS_PREFIX.sub("", text)
    match = _CAS_HYPHENATED.match(body)
    if match:
        first, second, check = match.groups()
    else:
        bare = _CAS_BARE.match(body)
        if not bare:
            return CasCheck(text, None, f"{text.strip()!r} is not a CAS RN (expected NNNNNNN-NN-N)")
        digits = bare.group(1)
        first, second, check = digits[:-3], digits[-3:-1], digits[-1]
    first = first.lstrip("0") or "0"
    if len(first) < 2:
        return CasCheck(text, None, f"CAS RN {text.strip()!r} has too few digits")
    canonical = f"{first}-{second}-{check}"
    expected = cas_check_digit(first + second)
    if expected != int(check):
        return CasCheck(
            text,
            None,
            f"CAS RN {canonical} fails its check digit: the last digit should be {expected}, "
            f"not {check} (mistyped or invented number)",
        )
    return CasCheck(text, canonical, None)
