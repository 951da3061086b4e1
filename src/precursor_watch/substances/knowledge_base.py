"""The knowledge base of controlled chemicals: reviewed CSV tables in ``precursor_watch/data``.

Pure Python (csv + stdlib): no RDKit here. ``load_knowledge_base()`` checks every table's
sha256 against ``manifest.json`` and validates every value; a bad table raises ``DataError``
naming the file, and a bad value names ``file:line:field``. Structures are validated (with
RDKit) by the test-suite.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from precursor_watch.errors import DataError
from precursor_watch.substances.manifest import DATA_DIR, TABLES, read_manifest, sha256_of

JURISDICTIONS = frozenset({"UN", "EU", "US", "CN", "CA", "MX", "IN"})
CONFIDENCES = frozenset({"high", "medium", "low"})
PRECISIONS = frozenset({"day", "month", "year", "on-or-before"})
SYNONYM_KINDS = frozenset(
    {"preferred", "synonym", "abbreviation", "systematic", "chinese", "misspelling"}
)
RULE_KINDS = frozenset({"legal", "screening"})
RULE_OUTCOMES = frozenset({"controlled", "watch"})
EXPECTATIONS = frozenset({"match", "no_match"})
ALWAYS = dt.date.min  # start of a screening heuristic, which is not tied to a law's date
WATCH_FAMILIES = frozenset(
    {"n_protecting_group", "carbonyl_mask", "aromatic_substituent", "ester_of_acid"}
)


@dataclass(frozen=True, slots=True)
class SubstanceRecord:
    substance_id: str
    preferred_name: str
    cas: str | None
    cas_confidence: str | None
    smiles: str
    inchikey: str
    formula: str
    hs_code: str | None
    hs_note: str
    drug_family: tuple[str, ...]
    role: str
    confidence: str
    notes: str
    sources: str


@dataclass(frozen=True, slots=True)
class SynonymRecord:
    substance_id: str
    name: str
    kind: str
    lang: str
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class SaltRecord:
    substance_id: str
    cas: str
    form: str
    smiles: str | None
    source: str
    confidence: str
    note: str


@dataclass(frozen=True, slots=True)
class ListingRecord:
    listing_id: str
    substance_id: str
    jurisdiction: str
    list: str
    entry: str
    effective: dt.date
    effective_precision: str
    end: dt.date | None
    instrument: str
    source: str
    confidence: str
    notes: str

    def in_force_on(self, day: dt.date) -> bool:
        """In force on ``day``: start inclusive, end exclusive.

        An ``on-or-before`` start counts from its date (the earliest date we can source).
        """
        return self.effective <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class StatusNote:
    substance_id: str
    jurisdiction: str
    note: str
    as_of: dt.date
    source: str


@dataclass(frozen=True, slots=True)
class ClassRuleRecord:
    rule_id: str
    version: str
    kind: str
    jurisdiction: str  # "" for a screening heuristic (not a law of any jurisdiction)
    list: str
    title: str
    legal_text: str
    smarts: str
    outcome: str
    excludes_listed: bool
    effective: dt.date  # ALWAYS (date.min) for a screening heuristic: it applies on every date
    effective_precision: str  # "" for a screening heuristic
    end: dt.date | None
    source: str
    confidence: str
    notes: str

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective <= day and (self.end is None or day < self.end)

    @property
    def is_heuristic(self) -> bool:
        """A screening heuristic (outcome ``watch``), not a legal definition."""
        return self.kind == "screening"


@dataclass(frozen=True, slots=True)
class ClassRuleExample:
    rule_id: str
    name: str
    smiles: str
    expected: str
    note: str

    @property
    def should_match(self) -> bool:
        return self.expected == "match"


@dataclass(frozen=True, slots=True)
class WatchParentRecord:
    substance_id: str
    families: tuple[str, ...]
    rationale: str


@dataclass(frozen=True, slots=True)
class SurveillanceRecord:
    substance_id: str
    reason: str
    source: str
    confidence: str


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    substances: tuple[SubstanceRecord, ...]
    synonyms: tuple[SynonymRecord, ...]
    salts: tuple[SaltRecord, ...]
    listings: tuple[ListingRecord, ...]
    status_notes: tuple[StatusNote, ...]
    class_rules: tuple[ClassRuleRecord, ...]
    class_rule_examples: tuple[ClassRuleExample, ...]
    watch_parents: tuple[WatchParentRecord, ...]
    surveillance: tuple[SurveillanceRecord, ...]

    @functools.cached_property
    def _by_id(self) -> dict[str, SubstanceRecord]:
        return {s.substance_id: s for s in self.substances}

    def substance(self, substance_id: str) -> SubstanceRecord:
        try:
            return self._by_id[substance_id]
        except KeyError:
            raise KeyError(f"unknown substance_id {substance_id!r}") from None

    def listings_for(self, substance_id: str) -> tuple[ListingRecord, ...]:
        return tuple(x for x in self.listings if x.substance_id == substance_id)

    def status_notes_for(self, substance_id: str) -> tuple[StatusNote, ...]:
        return tuple(x for x in self.status_notes if x.substance_id == substance_id)

    def synonyms_for(self, substance_id: str) -> tuple[SynonymRecord, ...]:
        return tuple(x for x in self.synonyms if x.substance_id == substance_id)

    def examples_for(self, rule_id: str) -> tuple[ClassRuleExample, ...]:
        return tuple(x for x in self.class_rule_examples if x.rule_id == rule_id)


class _Row:
    """One CSV record with typed, validated field access; every error names file:line:field."""

    def __init__(
        self, file: str, line: int, values: dict[str, str], known_ids: frozenset[str]
    ) -> None:
        self.file, self.line, self.values, self.known_ids = file, line, values, known_ids

    def fail(self, field: str, problem: str) -> DataError:
        return DataError(f"{self.file}:{self.line}:{field}: {problem}", field=field)

    def text(self, field: str, *, required: bool = True) -> str:
        value = (self.values.get(field) or "").strip()
        if required and not value:
            raise self.fail(field, "is empty")
        return value

    def optional(self, field: str) -> str | None:
        return self.text(field, required=False) or None

    def choice(self, field: str, allowed: frozenset[str]) -> str:
        value = self.text(field)
        if value not in allowed:
            raise self.fail(field, f"{value!r} is not one of {sorted(allowed)}")
        return value

    def date(self, field: str) -> dt.date:
        value = self.text(field)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(field, f"{value!r} is not an ISO date (YYYY-MM-DD)") from None

    def optional_date(self, field: str) -> dt.date | None:
        return self.date(field) if self.text(field, required=False) else None

    def substance_id(self, field: str = "substance_id") -> str:
        value = self.text(field)
        if self.known_ids and value not in self.known_ids:
            raise self.fail(field, f"unknown substance_id {value!r}")
        return value

    def yes_no(self, field: str) -> bool:
        return self.choice(field, frozenset({"yes", "no"})) == "yes"


def _rows(path: Path, columns: tuple[str, ...], known_ids: frozenset[str]) -> Iterator[_Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise DataError(f"{path.name}:1: missing column(s) {', '.join(missing)}")
        for values in reader:
            yield _Row(path.name, reader.line_num, values, known_ids)


R = TypeVar("R")


def _read(
    path: Path, columns: tuple[str, ...], build: Callable[[_Row], R], ids: frozenset[str]
) -> tuple[R, ...]:
    return tuple(build(row) for row in _rows(path, columns, ids))


def _substance(r: _Row) -> SubstanceRecord:
    cas = r.optional("cas")
    return SubstanceRecord(
        substance_id=r.text("substance_id"),
        preferred_name=r.text("preferred_name"),
        cas=cas,
        cas_confidence=r.choice("cas_confidence", CONFIDENCES) if cas else None,
        smiles=r.text("smiles"),
        inchikey=r.text("inchikey"),
        formula=r.text("formula"),
        hs_code=r.optional("hs_code"),
        hs_note=r.text("hs_note", required=False),
        drug_family=tuple(p.strip() for p in r.text("drug_family").split(";") if p.strip()),
        role=r.text("role"),
        confidence=r.choice("confidence", CONFIDENCES),
        notes=r.text("notes", required=False),
        sources=r.text("sources", required=False),
    )


def _synonym(r: _Row) -> SynonymRecord:
    return SynonymRecord(
        r.substance_id(),
        r.text("name"),
        r.choice("kind", SYNONYM_KINDS),
        r.text("lang"),
        r.text("source"),
        r.text("note", required=False),
    )


def _salt(r: _Row) -> SaltRecord:
    return SaltRecord(
        r.substance_id(),
        r.text("cas"),
        r.text("form"),
        r.optional("smiles"),
        r.text("source"),
        r.choice("confidence", CONFIDENCES),
        r.text("note", required=False),
    )


def _listing(r: _Row) -> ListingRecord:
    return ListingRecord(
        listing_id=r.text("listing_id"),
        substance_id=r.substance_id(),
        jurisdiction=r.choice("jurisdiction", JURISDICTIONS),
        list=r.text("list"),
        entry=r.text("entry"),
        effective=r.date("effective"),
        effective_precision=r.choice("effective_precision", PRECISIONS),
        end=r.optional_date("end"),
        instrument=r.text("instrument"),
        source=r.text("source"),
        confidence=r.choice("confidence", CONFIDENCES),
        notes=r.text("notes", required=False),
    )


def _status(r: _Row) -> StatusNote:
    return StatusNote(
        r.substance_id(),
        r.choice("jurisdiction", JURISDICTIONS),
        r.text("note"),
        r.date("as_of"),
        r.text("source"),
    )


def _rule(r: _Row) -> ClassRuleRecord:
    kind = r.choice("kind", RULE_KINDS)
    if kind == "screening":  # a heuristic: no jurisdiction, no start date unless given
        jurisdiction = r.choice("jurisdiction", JURISDICTIONS) if r.optional("jurisdiction") else ""
        effective = r.optional_date("effective") or ALWAYS
        precision = r.choice("effective_precision", PRECISIONS) if r.optional("effective") else ""
    else:
        jurisdiction = r.choice("jurisdiction", JURISDICTIONS)
        effective = r.date("effective")
        precision = r.choice("effective_precision", PRECISIONS)
    return ClassRuleRecord(
        rule_id=r.text("rule_id"),
        version=r.text("version"),
        kind=kind,
        jurisdiction=jurisdiction,
        list=r.text("list"),
        title=r.text("title"),
        legal_text=r.text("legal_text"),
        smarts=r.text("smarts"),
        outcome=r.choice("outcome", RULE_OUTCOMES),
        excludes_listed=r.yes_no("excludes_listed"),
        effective=effective,
        effective_precision=precision,
        end=r.optional_date("end"),
        source=r.text("source"),
        confidence=r.choice("confidence", CONFIDENCES),
        notes=r.text("notes", required=False),
    )


def _example(rule_ids: frozenset[str]) -> Callable[[_Row], ClassRuleExample]:
    def build(r: _Row) -> ClassRuleExample:
        rule_id = r.text("rule_id")
        if rule_id not in rule_ids:
            raise r.fail("rule_id", f"unknown rule_id {rule_id!r}")
        return ClassRuleExample(
            rule_id,
            r.text("name"),
            r.text("smiles"),
            r.choice("expected", EXPECTATIONS),
            r.text("note", required=False),
        )

    return build


def _watch_parent(r: _Row) -> WatchParentRecord:
    families = tuple(p.strip() for p in r.text("families").split(";") if p.strip())
    unknown = [f for f in families if f not in WATCH_FAMILIES]
    if unknown:
        raise r.fail("families", f"unknown famil(ies) {unknown}; allowed {sorted(WATCH_FAMILIES)}")
    return WatchParentRecord(r.substance_id(), families, r.text("rationale"))


def _surveillance(r: _Row) -> SurveillanceRecord:
    return SurveillanceRecord(
        r.substance_id(), r.text("reason"), r.text("source"), r.choice("confidence", CONFIDENCES)
    )


def _verify_checksums(data_dir: Path) -> str:
    manifest = read_manifest(data_dir)
    for name in TABLES:
        path = data_dir / name
        entry = manifest.files.get(name)
        if entry is None:
            raise DataError(f"{path}: not listed in {data_dir / 'manifest.json'}")
        if not path.exists():
            raise DataError(f"{path}: knowledge-base table is missing")
        if sha256_of(path) != entry.sha256:
            raise DataError(
                f"{path}: checksum does not match manifest.json (file changed or corrupt; "
                "after review run "
                "`python -m precursor_watch.substances.manifest --write`)"
            )
    return manifest.data_version


def _load(data_dir: Path) -> KnowledgeBase:
    version = _verify_checksums(data_dir)
    none: frozenset[str] = frozenset()
    substances = _read(data_dir / "substances.csv", _SUBSTANCE_COLUMNS, _substance, none)
    ids = frozenset(s.substance_id for s in substances)
    if len(ids) != len(substances):
        raise DataError(f"{data_dir / 'substances.csv'}: duplicate substance_id")
    rules = _read(data_dir / "class_rules.csv", _RULE_COLUMNS, _rule, ids)
    rule_ids = frozenset(f"{r.rule_id}" for r in rules)
    return KnowledgeBase(
        version=version,
        substances=substances,
        synonyms=_read(
            data_dir / "synonyms.csv",
            ("substance_id", "name", "kind", "lang", "source"),
            _synonym,
            ids,
        ),
        salts=_read(
            data_dir / "salts.csv", ("substance_id", "cas", "form", "smiles", "source"), _salt, ids
        ),
        listings=_read(data_dir / "listings.csv", _LISTING_COLUMNS, _listing, ids),
        status_notes=_read(
            data_dir / "status_notes.csv", ("substance_id", "jurisdiction", "note"), _status, ids
        ),
        class_rules=rules,
        class_rule_examples=_read(
            data_dir / "class_rule_examples.csv",
            ("rule_id", "name", "smiles", "expected"),
            _example(rule_ids),
            ids,
        ),
        watch_parents=_read(
            data_dir / "watch_parents.csv", ("substance_id", "families"), _watch_parent, ids
        ),
        surveillance=_read(
            data_dir / "surveillance.csv", ("substance_id", "reason", "source"), _surveillance, ids
        ),
    )


_SUBSTANCE_COLUMNS = (
    "substance_id",
    "preferred_name",
    "cas",
    "cas_confidence",
    "smiles",
    "inchikey",
    "formula",
)
_LISTING_COLUMNS = (
    "listing_id",
    "substance_id",
    "jurisdiction",
    "list",
    "entry",
    "effective",
    "effective_precision",
)
_RULE_COLUMNS = (
    "rule_id",
    "version",
    "kind",
    "jurisdiction",
    "smarts",
    "outcome",
    "effective",
    "effective_precision",
)


@functools.lru_cache(maxsize=1)
def _load_default() -> KnowledgeBase:
    return _load(DATA_DIR)


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base (the bundled one, cached, when ``path`` is None)."""
    if path is None:
        return _load_default()
    return _load(Path(path))
