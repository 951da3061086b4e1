"""Identifiers reduced to the one spelling two parties share when they are the same thing.

An identifier matches only exactly, after normalization of its family:

* ``email``: lower case, spaces removed;
* ``phone``: digits only, without a leading ``00``; a national number matches the
  international one it ends (at least 9 digits);
* ``website``: the host name without scheme, ``www.``, port or path;
* ``wallet``: as published (base58 and bech32 are case-sensitive), 0x-hex in lower case;
* ``code`` (registration, tax, USCC, RFC, passport, national ID...): letters and digits
  only, upper case.

A value typed without a kind (``--id VALUE`` on the command line) is read as every family its
shape allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from precursor_watch.domain.parties import Identifier

CODE_KINDS = {"registration", "tax", "passport", "national_id", "code", "id", "other"}
KIND_FAMILY = {"email": "email", "phone": "phone", "website": "website", "wallet": "wallet"}
MIN_PHONE_DIGITS = 9
MIN_CODE_CHARS = 5
DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


def family_of(kind: str) -> str:
    return KIND_FAMILY.get(kind.casefold(), "code")


def normalize_identifier(family: str, value: str) -> str | None:
    """The comparable form of a value in one family, or None if it cannot be one."""
    value = value.strip()
    if family == "email":
        text = "".join(value.split()).casefold()
        return text if "@" in text else None
    if family == "phone":
        digits = re.sub(r"\D", "", value)
        digits = digits[2:] if digits.startswith("00") else digits
        return digits if len(digits) >= MIN_PHONE_DIGITS else None
    if family == "website":
        host = re.sub(r"^[a-z]+://", "", value.casefold()).split("/")[0].split(":")[0]
        host = host.removeprefix("www.")
        return host if DOMAIN.match(host) else None
    if family == "wallet":
        text = "".join(value.split())
        return text.casefold() if text.casefold().startswith("0x") else (text or None)
    code = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    return code if len(code) >= MIN_CODE_CHARS else None


def guess_families(value: str) -> list[str]:
    """Which families an untyped value could belong to."""
    text = value.strip()
    if "@" in text:
        return ["email"]
    if re.match(r"^(https?://|www\.)", text, re.IGNORECASE) or DOMAIN.match(text.casefold()):
        return ["website"]
    families = ["code", "wallet"]
    if re.fullmatch(r"[+\d][\d\s().-]{7,}", text):
        families.append("phone")
    return families


def identifier_keys(identifiers: Iterable[Identifier], *, guess: bool = False) -> set[str]:
    """``family:value`` keys for an index or a lookup."""
    keys: set[str] = set()
    for ident in identifiers:
        families = (
            guess_families(ident.value) if guess or not ident.kind else [family_of(ident.kind)]
        )
        for family in families:
            spellings = [ident.value]
            if family == "code" and len(ident.value.split()) > 1:
                spellings.append(ident.value.split()[-1])  # "CUD: A2014..." -> "A2014..."
            for spelling in spellings:
                value = normalize_identifier(family, spelling)
                if value is not None:
                    keys.add(f"{family}:{value}")
    return keys


def phone_suffix_keys(keys: Iterable[str]) -> set[str]:
    """Extra lookup keys so that a national phone number finds its international form."""
    out: set[str] = set()
    for key in keys:
        family, _, value = key.partition(":")
        if family == "phone":
            out.update(f"phone:{value[i:]}" for i in range(len(value) - MIN_PHONE_DIGITS + 1))
    return out
