"""Reference tables the order rules read: HS codes, thresholds, corridors, red-flag terms.

All are data files (CSV) that ship with the package and that a user can replace:

* ``thresholds.csv``   quantity thresholds written in law (only sourced ones; see docs/rules.md)
* ``corridors.csv``    routes named as diversion corridors by an official report (sourced only)
* ``terms.csv``        words that mark a payment method, an address kind, a labelling request,
                       an innocuous product category
* ``end_uses.csv``     which declared end uses fit which lines of business
* HS codes come from the knowledge base table ``precursor_watch/data/substances.csv``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path

from precursor_watch.errors import DataError


@dataclass(frozen=True, slots=True)
class HsReference:
    """The HS code the knowledge base gives a substance; ``digits`` is how many digits of it
    are reliable enough to compare (6 for a subheading, 4 for a heading only)."""

    substance_id: str
    code: str
    digits: int
    note: str


@dataclass(frozen=True, slots=True)
class Threshold:
    """A quantity at or above which a transaction is regulated, as written in the cited law.

    ``quantity`` 0 means every quantity. ``applies_to`` names the transactions it governs
    (``domestic``, ``international``, ``import``, ``export`` or a phrase holding several);
    ``effective`` is the day it took effect (None: whenever the listing is in force)."""

    jurisdiction: str
    substance_id: str
    cas: str
    quantity: float
    unit: str  # "kg" or "L"
    applies_to: str  # e.g. "domestic and international", "import and export"
    citation: str
    url: str
    effective: date | None = None

    def governs(self, kind: str) -> bool:
        """True when this threshold governs a transaction of ``kind`` for its jurisdiction:
        ``domestic``, ``import``, ``export`` or ``transit`` (``international`` covers the
        last three)."""
        text = self.applies_to.lower()
        if kind == "domestic":
            return "domestic" in text
        return "international" in text or kind in text

    def in_force(self, day: date | None) -> bool:
        return self.effective is None or day is None or self.effective <= day


@dataclass(frozen=True, slots=True)
class Corridor:
    """A route an official report names as used for diversion: origin and destination country
    (``*`` for any), with the report that says so."""

    origin: str
    destination: str
    via: str
    family: str  # knowledge-base drug family the report names (e.g. "fentanyl")
    substances: str
    source: str
    url: str

    def matches(self, countries: tuple[str, ...], origin: str | None, dest: str | None) -> bool:
        if self.origin != "*" and self.origin != origin:
            return False
        if self.destination != "*" and self.destination != dest:
            return False
        return self.via in ("", "*") or self.via in countries


@dataclass(frozen=True)
class ReferenceData:
    hs_codes: dict[str, HsReference] = field(default_factory=dict)  # by substance id and CAS
    thresholds: tuple[Threshold, ...] = ()
    corridors: tuple[Corridor, ...] = ()
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    end_uses: dict[str, tuple[str, ...]] = field(default_factory=dict)  # business -> end uses
    families: dict[str, frozenset[str]] = field(default_factory=dict)  # substance id -> families
    knowledge_base_file: str = ""

    def term_hits(self, category: str, text: str | None) -> tuple[str, ...]:
        """The terms of ``category`` found in ``text`` (case-insensitive, whole words)."""
        if not text:
            return ()
        folded = f" {_FOLD.sub(' ', text.lower())} "
        pattern = self._term_patterns.get(category)
        if pattern is None or not pattern.search(folded):
            return ()
        return tuple(t for t in self.terms.get(category, ()) if f" {t} " in folded)

    @cached_property
    def _term_patterns(self) -> dict[str, re.Pattern[str]]:
        return {
            cat: re.compile("|".join(re.escape(f" {t} ") for t in terms))
            for cat, terms in self.terms.items()
            if terms
        }

    @cached_property
    def precursor_headings(self) -> frozenset[str]:
        """HS headings (4 digits) under which the knowledge base files listed precursors."""
        return frozenset(ref.code[:4] for ref in self.hs_codes.values())

    def thresholds_for(self, substance_id: str | None, cas: str | None) -> tuple[Threshold, ...]:
        return tuple(
            t
            for t in self.thresholds
            if (substance_id and t.substance_id == substance_id) or (cas and t.cas == cas)
        )


_FOLD = re.compile(r"[^a-z0-9.#]+")
_HS = re.compile(r"(\d{4})(?:\.(\d{2}))?")


def parse_hs(text: str) -> tuple[str, int] | None:
    """The first HS code in a knowledge-base cell, as (digits, reliable digit count)."""
    m = _HS.search(text or "")
    if not m:
        return None
    if m.group(2):
        return m.group(1) + m.group(2), 6
    return m.group(1), 4


def hs_digits(declared: str | None) -> str:
    """A declared HS or tariff code reduced to its digits (``2933.37.00`` -> ``29333700``)."""
    return re.sub(r"\D", "", declared or "")


def load_hs_codes(text: str) -> dict[str, HsReference]:
    """HS codes from a knowledge-base substances table (columns ``substance_id`` or ``id``,
    ``cas`` or ``cas_rn``, ``hs_code`` and optionally ``hs_note``), keyed by substance id and
    by CAS RN."""
    out: dict[str, HsReference] = {}
    for row in csv.DictReader(io.StringIO(text)):
        cell = (row.get("hs_code") or "").strip()
        parsed = parse_hs(cell)
        sid = (row.get("substance_id") or row.get("id") or "").strip()
        if not parsed or not sid:
            continue
        note = "; ".join(x for x in (cell, (row.get("hs_note") or "").strip()) if x)
        ref = HsReference(sid, parsed[0], parsed[1], note)
        out[sid] = ref
        cas = (row.get("cas") or row.get("cas_rn") or "").strip()
        if cas:
            out[cas] = ref
    return out


def _read(name: str, path: Path | None) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8")
    return resources.files("precursor_watch.rules").joinpath(name).read_text("utf-8")


def _rows(name: str, path: Path | None, columns: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_read(name, path)))
    missing = [c for c in columns if c not in (reader.fieldnames or ())]
    if missing:
        raise DataError(f"{path or name}: missing columns {', '.join(missing)}")
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _effective(text: str, path: Path | None) -> date | None:
    """A threshold's ``effective`` cell: blank, or an ISO date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise DataError(
            f"{path or 'thresholds.csv'}: effective {text!r} is not YYYY-MM-DD"
        ) from exc


def threshold_from_row(row: Mapping[str, str], path: Path | None = None) -> Threshold:
    """A ``thresholds.csv`` row (``path``: the user's file it comes from, for errors)."""
    return Threshold(
        row["jurisdiction"],
        row["substance_id"],
        row["cas"],
        float(row["quantity"]),
        row["unit"],
        row["applies_to"],
        row["citation"],
        row["url"],
        _effective(row.get("effective") or "", path),
    )


def load_families(text: str) -> dict[str, frozenset[str]]:
    """Drug families per substance id from the knowledge base (``drug_family``, ``;``-separated)."""
    out: dict[str, frozenset[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        sid = (row.get("substance_id") or row.get("id") or "").strip()
        fams = frozenset(f.strip().lower() for f in (row.get("drug_family") or "").split(";"))
        if sid and fams - {""}:
            out[sid] = fams - {""}
    return out


def _knowledge_base_text(path: Path | None) -> tuple[str, str]:
    if path is not None:
        return path.read_text(encoding="utf-8"), str(path)
    kb = resources.files("precursor_watch.data").joinpath("substances.csv")
    if not kb.is_file():
        return "", ""
    return kb.read_text("utf-8"), "precursor_watch/data/substances.csv"


def load_reference_data(
    *,
    knowledge_base: Path | None = None,
    thresholds: Path | None = None,
    corridors: Path | None = None,
    terms: Path | None = None,
    end_uses: Path | None = None,
) -> ReferenceData:
    """The bundled reference tables; any of them can be replaced by a user's file."""
    kb_text, kb_file = _knowledge_base_text(knowledge_base)
    thr = tuple(
        threshold_from_row(r, thresholds)
        for r in _rows(
            "thresholds.csv",
            thresholds,
            ("jurisdiction", "substance_id", "cas", "quantity", "unit", "applies_to", "citation"),
        )
    )
    cor = tuple(
        Corridor(
            r["origin"],
            r["destination"],
            r["via"],
            r["family"].lower(),
            r["substances"],
            r["source"],
            r["url"],
        )
        for r in _rows(
            "corridors.csv", corridors, ("origin", "destination", "via", "family", "source")
        )
    )
    words: dict[str, list[str]] = defaultdict(list)
    for r in _rows("terms.csv", terms, ("category", "term")):
        words[r["category"]].append(r["term"].lower())
    uses: dict[str, list[str]] = defaultdict(list)
    for r in _rows("end_uses.csv", end_uses, ("business", "end_use")):
        uses[r["business"].lower()].append(r["end_use"].lower())
    return ReferenceData(
        hs_codes=load_hs_codes(kb_text),
        thresholds=thr,
        corridors=cor,
        terms={k: tuple(v) for k, v in words.items()},
        end_uses={k: tuple(v) for k, v in uses.items()},
        families=load_families(kb_text),
        knowledge_base_file=kb_file,
    )
