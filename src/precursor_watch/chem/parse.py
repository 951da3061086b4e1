"""Recognise and parse structure texts: SMILES, InChI, InChIKey and MDL molblocks.

``detect_structure_kind`` is cheap (regular expressions, no RDKit) so a resolver can call it on
every query. ``parse_structure`` turns a text into an RDKit molecule or raises ``StructureError``
whose message says what is wrong (taken from RDKit's own log, reworded where it helps).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from rdkit import Chem
from rdkit.Chem import rdinchi

from precursor_watch.chem.errors import StructureError
from precursor_watch.chem.rdkit_log import capture_rdkit_errors

MAX_TEXT_LENGTH: Final = 20_000
"""Longer texts are rejected before RDKit sees them (no precursor needs more)."""
MAX_HEAVY_ATOMS: Final = 500
"""Larger molecules are rejected: InChI and screening are meant for small molecules."""

KIND_SMILES: Final = "smiles"
KIND_INCHI: Final = "inchi"
KIND_INCHIKEY: Final = "inchikey"
KIND_MOLBLOCK: Final = "molblock"

INCHIKEY_PATTERN: Final = re.compile(r"^[A-Z]{14}-[A-Z]{8}[SN][A-Z]-[A-Z]$")
_SMILES_TOKEN: Final = re.compile(
    r"\[[^\[\]]{1,40}\]|Br|Cl|[BCNOPSFI]|[bcnops]|[()=#\-+\\/:~@?*$.]|%\d\d|\d"
)
_FOR_INPUT: Final = re.compile(r" for input: '.*'$")
_POSITION: Final = re.compile(r"check for mistakes around position (\d+)")
_VALENCE: Final = re.compile(
    r"Explicit valence for atom # (\d+) (\w+), (\d+), is greater than permitted"
)


@dataclass(frozen=True, slots=True)
class ParsedStructure:
    """A structure text turned into a sanitized RDKit molecule.

    ``mol`` is an ``rdkit.Chem.Mol`` (typed ``Any`` so callers outside ``chem`` need no RDKit);
    treat it as read-only.
    """

    kind: str
    text: str
    mol: Any


def is_inchikey(text: str) -> bool:
    """True for a syntactically valid standard or non-standard InChIKey (27 characters)."""
    return bool(INCHIKEY_PATTERN.match(text.strip()))


def looks_like_smiles(text: str) -> bool:
    """True when the whole text splits into SMILES tokens (atoms, bonds, rings, branches).

    Short upper-case words such as ``NPP`` or ``CO`` are also valid SMILES tokens; a resolver
    should look names up first and treat this as "plausibly a SMILES".
    """
    text = text.strip()
    if not text or any(ch.isspace() for ch in text):
        return False
    return sum(len(tok) for tok in _SMILES_TOKEN.findall(text)) == len(text)


def detect_structure_kind(text: str) -> str | None:
    """Classify ``text`` as "smiles", "inchi", "inchikey", "molblock" or None (none of these)."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_TEXT_LENGTH:
        return None
    if stripped.startswith("InChI="):
        return KIND_INCHI
    if INCHIKEY_PATTERN.match(stripped):
        return KIND_INCHIKEY
    if "M  END" in text and ("V2000" in text or "V3000" in text):
        return KIND_MOLBLOCK
    if looks_like_smiles(stripped):
        return KIND_SMILES
    return None


def _reason(kind_label: str, messages: list[str], default: str) -> str:
    """Turn RDKit's log lines into one sentence, prefixed with the structure kind."""
    for message in messages:
        found = _VALENCE.search(message)
        if found:
            atom, element, valence = found.groups()
            return (
                f"{kind_label}: explicit valence {valence} for {element} at atom {atom} "
                "is more than the element allows"
            )
    useful: list[str] = []
    for message in messages:
        message = message.replace("SMILES Parse Error: ", "")
        message = _FOR_INPUT.sub("", message).rstrip(". ")
        position = _POSITION.search(message)
        if position and useful:
            useful[-1] += f" at position {position.group(1)}"
            continue
        if message.startswith("Failed parsing") or message in useful or not _useful_line(message):
            continue
        useful.append(message)
    detail = "; ".join(useful[:2]) if useful else default
    return f"{kind_label}: {detail}"


def _useful_line(message: str) -> bool:
    """False for RDKit's echo of the input and its caret line."""
    return not (message.startswith("^") or " " not in message.strip())


def _check_size(mol: Any, kind_label: str) -> None:
    atoms = mol.GetNumAtoms()
    if atoms == 0:
        raise StructureError(f"{kind_label}: the structure has no atoms", kind=kind_label.lower())
    if atoms > MAX_HEAVY_ATOMS:
        raise StructureError(
            f"{kind_label}: {atoms} heavy atoms, more than the {MAX_HEAVY_ATOMS} supported",
            kind=kind_label.lower(),
        )


def _read_with_rdkit(kind_label: str, read: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Run an RDKit reader with its error log captured: ``(what it returned, the log lines)``.
    An exception RDKit raises (it does on a few pathological inputs) becomes a
    ``StructureError`` prefixed with the structure kind."""
    with capture_rdkit_errors() as log:
        try:
            result = read()
        except Exception as exc:
            raise StructureError(f"{kind_label}: {exc}", kind=kind_label.lower()) from exc
    return result, log.messages


def parse_smiles(text: str) -> ParsedStructure:
    """Parse a SMILES (sanitized); raise ``StructureError`` with RDKit's reason."""
    smiles = text.strip()
    if ">" in smiles:
        raise StructureError("SMILES: a reaction SMILES is not a substance", kind=KIND_SMILES)
    mol, messages = _read_with_rdkit("SMILES", lambda: Chem.MolFromSmiles(smiles))
    if mol is None:
        raise StructureError(
            _reason("SMILES", messages, "not a valid SMILES string"), kind=KIND_SMILES
        )
    _check_size(mol, "SMILES")
    return ParsedStructure(KIND_SMILES, smiles, mol)


def parse_inchi(text: str) -> ParsedStructure:
    """Parse an InChI; raise ``StructureError`` with the reason."""
    inchi = text.strip()
    (mol, _code, message, _log), messages = _read_with_rdkit(
        "InChI", lambda: rdinchi.InchiToMol(inchi, True, True)
    )
    if mol is None:
        detail = "; ".join([message] if message else messages)
        message = "InChI: not a valid InChI string" + (f" ({detail})" if detail else "")
        raise StructureError(message, kind=KIND_INCHI)
    _check_size(mol, "InChI")
    return ParsedStructure(KIND_INCHI, inchi, mol)


def parse_molblock(text: str) -> ParsedStructure:
    """Parse an MDL molblock (V2000 or V3000); raise ``StructureError`` with the reason."""
    mol, messages = _read_with_rdkit(
        "molblock", lambda: Chem.MolFromMolBlock(text, sanitize=True, removeHs=True)
    )
    if mol is None:
        raise StructureError(
            _reason("molblock", messages, "not a valid MDL molblock"), kind=KIND_MOLBLOCK
        )
    _check_size(mol, "molblock")
    return ParsedStructure(KIND_MOLBLOCK, text, mol)


def parse_structure(text: str, kind: str | None = None) -> ParsedStructure:
    """Parse a SMILES, InChI or molblock (``kind`` detected when not given).

    An InChIKey is a hash: it cannot become a structure, so it raises ``StructureError`` telling
    the caller to look it up instead. Any other failure raises ``StructureError`` with a reason.
    """
    if not isinstance(text, str):
        raise StructureError(f"structure must be text, not {type(text).__name__}")
    if not text.strip():
        raise StructureError("empty structure")
    if len(text) > MAX_TEXT_LENGTH:
        raise StructureError(
            f"structure text is {len(text)} characters, more than the {MAX_TEXT_LENGTH} supported"
        )
    if "\x00" in text:
        raise StructureError("structure text contains a NUL character")
    kind = kind or detect_structure_kind(text)
    if kind == KIND_INCHIKEY:
        raise StructureError(
            "InChIKey: a hashed key cannot be turned into a structure; look it up instead",
            kind=KIND_INCHIKEY,
        )
    if kind == KIND_INCHI:
        return parse_inchi(text)
    if kind == KIND_MOLBLOCK:
        return parse_molblock(text)
    if kind == KIND_SMILES:
        return parse_smiles(text)
    if kind is None:
        raise StructureError(
            "not a SMILES, InChI, InChIKey or molblock (contains characters no SMILES allows)"
        )
    raise StructureError(f"unknown structure kind {kind!r}")
