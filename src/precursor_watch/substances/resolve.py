"""Turn any query (name, synonym, CAS RN, SMILES, InChI, InChIKey, systematic name) into an identity.

The order of attempts is chosen so that the cheapest, surest reading wins and a guess comes last:
InChIKey, InChI, CAS RN, exact or de-obfuscated name, SMILES, OPSIN (systematic names), then one
bounded typo. Each :class:`Resolution` says how it was reached, in a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from precursor_watch.chem import (
    OpsinResult,
    StandardStructure,
    StructureError,
    looks_systematic,
    standardize_text,
)
from precursor_watch.substances.cas import check_cas, looks_like_cas
from precursor_watch.substances.name_index import NameIndex
from precursor_watch.substances.names import display_name

INCHIKEY = re.compile(r"^[A-Z]{14}-[A-Z]{10}-[A-Z]$")
MAX_QUERY_LENGTH = 4000
# Characters that only a line notation would contain, never a plain name.
_SMILES_ONLY = re.compile(r"[=#@\[\]\\/%]|[a-z]\d|\)\(|^[A-Z][a-z]?\d")
# Text made only of SMILES organic-subset atoms, bonds, branches and ring closures was meant as SMILES.
_SMILES_ALPHABET = frozenset("BCNOPSFIclbrnosp0123456789()=#@+-\\/%.*:")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def meant_as_smiles(text: str) -> bool:
    """True when a text that failed to parse was still clearly written as SMILES, not as a name."""
    return bool(_SMILES_ONLY.search(text)) or (len(text) > 1 and set(text) <= _SMILES_ALPHABET)


class ResolvedBy(StrEnum):
    NAME = "name"
    DEOBFUSCATED_NAME = "name (de-obfuscated)"
    APPROXIMATE_NAME = "name (approximate)"
    CAS = "cas"
    SALT_CAS = "cas (salt)"
    SMILES = "smiles"
    INCHI = "inchi"
    INCHIKEY = "inchikey"
    INCHIKEY_CONNECTIVITY = "inchikey (connectivity block)"
    SYSTEMATIC_NAME = "systematic name (OPSIN)"


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a query turned out to be. Exactly one of: substance id, structure, or neither."""

    query: str
    resolved_by: ResolvedBy | None
    substance_id: str | None = None
    structure: StandardStructure | None = None
    note: str = ""
    error: str | None = None  # set when the query is malformed (status ``invalid``)

    @property
    def resolved(self) -> bool:
        return self.substance_id is not None or self.structure is not None


def needs_opsin(query: str, names: NameIndex) -> bool:
    """True when the query can only be read as a systematic name (worth one OPSIN batch slot)."""
    text = query.strip()
    if not text or len(text) > MAX_QUERY_LENGTH or INCHIKEY.match(text):
        return False
    if text.startswith("InChI=") or looks_like_cas(text) or names.exact(text):
        return False
    return looks_systematic(text)


class Resolver:
    def __init__(
        self,
        names: NameIndex,
        cas_to_substance: Mapping[str, str],
        salt_cas_to_substance: Mapping[str, str],
        inchikey_to_substance: Mapping[str, str],
        connectivity_to_substances: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.names = names
        self._cas = cas_to_substance
        self._salt_cas = salt_cas_to_substance
        self._inchikey = inchikey_to_substance
        self._connectivity = connectivity_to_substances

    def resolve(self, query: str, opsin: Mapping[str, OpsinResult] | None = None) -> Resolution:
        text = query.strip()
        if not text:
            return Resolution(query, None, error="empty query")
        if len(text) > MAX_QUERY_LENGTH:
            return Resolution(
                query,
                None,
                error=f"query is {len(text)} characters long (limit {MAX_QUERY_LENGTH})",
            )
        if "\n" in text and "M  END" not in text:
            return Resolution(
                query, None, error="query spans several lines; give one identifier per query"
            )
        if _CONTROL_CHARACTERS.search(text):
            return Resolution(query, None, error="query contains control characters")
        if INCHIKEY.match(text):
            return self._by_inchikey(query, text)
        if text.startswith("InChI="):
            return self._by_structure(query, text, ResolvedBy.INCHI)
        if looks_like_cas(text):
            return self._by_cas(query, text)
        hit = self.names.exact(text)
        if hit:
            how = ResolvedBy.NAME if hit.how == "exact" else ResolvedBy.DEOBFUSCATED_NAME
            note = f"{display_name(text)!r} is a name of this substance ({hit.matched_name!r})"
            if how is ResolvedBy.DEOBFUSCATED_NAME:
                note = (
                    f"{display_name(text)!r} imitates the name {hit.matched_name!r} with look-alike "
                    "characters (digit-for-letter obfuscation)"
                )
            return Resolution(query, how, substance_id=hit.substance_id, note=note)
        smiles_attempt = self._try_smiles(query, text)
        if smiles_attempt.resolved:
            return smiles_attempt
        if opsin is not None and text in opsin:
            result = opsin[text]
            if result.smiles:
                try:
                    structure = standardize_text(result.smiles)
                except StructureError as exc:
                    return Resolution(query, None, note=f"OPSIN read the name but: {exc.message}")
                return Resolution(
                    query,
                    ResolvedBy.SYSTEMATIC_NAME,
                    structure=structure,
                    note=f"the systematic name was turned into a structure by OPSIN ({result.smiles})",
                )
        approx = self.names.approximate(text)
        if approx:
            return Resolution(
                query,
                ResolvedBy.APPROXIMATE_NAME,
                substance_id=approx.substance_id,
                note=(
                    f"{display_name(text)!r} was taken for {approx.matched_name!r} "
                    f"({approx.distance} character{'s' if approx.distance > 1 else ''} apart): "
                    "check the spelling"
                ),
            )
        if smiles_attempt.error:
            return smiles_attempt
        note = "no name, synonym, CAS RN or structure in the knowledge base matches this query"
        if opsin is not None and text in opsin and opsin[text].error:
            note += f"; OPSIN could not read it as a systematic name ({opsin[text].error})"
        suggestions = self.names.suggestions(text)
        if suggestions:
            note += "; close names: " + ", ".join(suggestions)
        return Resolution(query, None, note=note)

    def _by_inchikey(self, query: str, key: str) -> Resolution:
        substance_id = self._inchikey.get(key)
        if substance_id:
            return Resolution(
                query,
                ResolvedBy.INCHIKEY,
                substance_id=substance_id,
                note="the InChIKey is that of this substance",
            )
        block = key.split("-")[0]
        ids = self._connectivity.get(block, ())
        if ids:
            return Resolution(
                query,
                ResolvedBy.INCHIKEY_CONNECTIVITY,
                substance_id=ids[0],
                note="the InChIKey's connectivity block matches this substance (another stereoisomer, isotope or protonation state)",
            )
        return Resolution(
            query,
            None,
            note="this InChIKey is not in the knowledge base (an InChIKey is a hash and cannot be turned back into a structure)",
        )

    def _by_cas(self, query: str, text: str) -> Resolution:
        check = check_cas(text)
        if not check.valid:
            return Resolution(query, None, error=check.error)
        assert check.canonical is not None
        if check.canonical in self._cas:
            return Resolution(
                query,
                ResolvedBy.CAS,
                substance_id=self._cas[check.canonical],
                note=f"CAS RN {check.canonical} is this substance",
            )
        if check.canonical in self._salt_cas:
            return Resolution(
                query,
                ResolvedBy.SALT_CAS,
                substance_id=self._salt_cas[check.canonical],
                note=f"CAS RN {check.canonical} is a salt of this substance",
            )
        return Resolution(
            query,
            None,
            note=f"CAS RN {check.canonical} is well formed but not in the knowledge base",
        )

    def _try_smiles(self, query: str, text: str) -> Resolution:
        if " " in text and "M  END" not in text:
            return Resolution(query, None)
        try:
            structure = standardize_text(text)
        except StructureError as exc:
            if meant_as_smiles(text) or "M  END" in text:
                return Resolution(query, None, error=exc.message)
            return Resolution(query, None)
        kind = ResolvedBy.SMILES
        return Resolution(query, kind, structure=structure, note="read as a structure")

    def _by_structure(self, query: str, text: str, kind: ResolvedBy) -> Resolution:
        try:
            structure = standardize_text(text)
        except StructureError as exc:
            return Resolution(query, None, error=exc.message)
        return Resolution(query, kind, structure=structure, note="read as a structure")
