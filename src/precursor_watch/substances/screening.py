"""``screen_substance``: from a query to controls, watch signals and sentences a compliance officer can read.

The :class:`SubstanceScreener` holds the knowledge base, the structure index, the class-rule engine
and the designer-precursor watch, all built once. Results are cached per (query, date, jurisdictions).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date

from precursor_watch import settings
from precursor_watch.chem import (
    ClassRuleEngine,
    DesignerWatch,
    OpsinResult,
    StandardStructure,
    StructureError,
    WatchParent,
    morgan_fingerprint,
    names_to_structures,
    tanimoto,
)
from precursor_watch.domain import (
    Confidence,
    Control,
    ControlBasis,
    SubstanceRef,
    SubstanceScreening,
    SubstanceStatus,
    WatchBasis,
    WatchHit,
)
from precursor_watch.errors import InputError
from precursor_watch.substances.explain import explain
from precursor_watch.substances.identity_index import Identity, IdentityIndex
from precursor_watch.substances.knowledge_base import (
    ClassRuleRecord,
    KnowledgeBase,
    ListingRecord,
    load_knowledge_base,
)
from precursor_watch.substances.resolve import Resolution, needs_opsin

JURISDICTIONS = ("UN", "EU", "US", "CN", "CA", "MX", "IN")


def parse_as_of(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(
            f"as-of date {value!r} is not a date (expected YYYY-MM-DD)", field="as_of"
        ) from exc


def parse_jurisdictions(values: Iterable[str] | None) -> frozenset[str] | None:
    if values is None:
        return None
    codes = frozenset(v.strip().upper() for v in values if v.strip())
    unknown = sorted(codes - set(JURISDICTIONS))
    if unknown:
        raise InputError(
            f"unknown jurisdiction {', '.join(unknown)} (known: {', '.join(JURISDICTIONS)})",
            field="jurisdiction",
        )
    return codes or None


def _control(
    source: ListingRecord | ClassRuleRecord,
    entry: str,
    basis: ControlBasis,
    *,
    listing_id: str | None = None,
    rule_id: str | None = None,
    atoms: tuple[int, ...] = (),
) -> Control:
    """The control a listing or a legal class rule places on the queried substance: where, on
    which list and since when come from ``source``; the entry, basis and ids from the caller."""
    return Control(
        jurisdiction=source.jurisdiction,
        list=source.list,
        entry=entry,
        basis=basis,
        effective=source.effective,
        source=source.source,
        confidence=Confidence(source.confidence),
        end=source.end,
        listing_id=listing_id,
        rule_id=rule_id,
        effective_precision=source.effective_precision,
        matched_atoms=atoms,
    )


class SubstanceScreener:
    def __init__(
        self, kb: KnowledgeBase, *, use_opsin: bool = True, cache_size: int = 200_000
    ) -> None:
        self.kb = kb
        self.use_opsin = use_opsin
        self._cache: OrderedDict[
            tuple[str, date | None, frozenset[str] | None], SubstanceScreening
        ] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._substances = {s.substance_id: s for s in kb.substances}
        self.identities = IdentityIndex(kb)
        self.resolver = self.identities.resolver
        self._structures = self.identities.structures
        self.legal_rules = tuple(r for r in kb.class_rules if r.outcome == "controlled")
        self.screening_rules = tuple(r for r in kb.class_rules if r.outcome != "controlled")
        self.rule_engine = ClassRuleEngine([(r.rule_id, r.smarts) for r in kb.class_rules])
        self._rules = {r.rule_id: r for r in kb.class_rules}
        self.watch = DesignerWatch(
            [
                WatchParent(
                    p.substance_id,
                    self._substances[p.substance_id].preferred_name,
                    self._substances[p.substance_id].smiles,
                    p.families,
                )
                for p in kb.watch_parents
                if self._substances[p.substance_id].smiles
            ]
        )
        self._surveillance = {s.substance_id: s for s in kb.surveillance}
        self._parent_fingerprints = {
            p.substance_id: morgan_fingerprint(self._structures[p.substance_id].mol)
            for p in kb.watch_parents
            if p.substance_id in self._structures
        }

    # -- public -------------------------------------------------------------------------------

    def screen(
        self,
        query: str,
        *,
        as_of: date | str | None = None,
        jurisdictions: Iterable[str] | None = None,
    ) -> SubstanceScreening:
        return self.screen_many([query], as_of=as_of, jurisdictions=jurisdictions)[0]

    def screen_many(
        self,
        queries: Sequence[str],
        *,
        as_of: date | str | None = None,
        jurisdictions: Iterable[str] | None = None,
    ) -> list[SubstanceScreening]:
        day = parse_as_of(as_of)
        codes = parse_jurisdictions(jurisdictions)
        results: list[SubstanceScreening | None] = [self._cached(q, day, codes) for q in queries]
        pending = [q for q, r in zip(queries, results, strict=True) if r is None]
        opsin = self._opsin_batch(pending)
        for i, query in enumerate(queries):
            if results[i] is None:
                result = self._screen_uncached(query, day, codes, opsin)
                self._remember((query, day, codes), result)
                results[i] = result
        return [r for r in results if r is not None]

    def structure_of(self, substance_id: str) -> StandardStructure | None:
        return self._structures.get(substance_id)

    # -- internals ----------------------------------------------------------------------------

    def _cached(
        self, query: str, day: date | None, codes: frozenset[str] | None
    ) -> SubstanceScreening | None:
        key = (query, day, codes)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        return None

    def _remember(
        self, key: tuple[str, date | None, frozenset[str] | None], result: SubstanceScreening
    ) -> None:
        with self._lock:
            self._cache[key] = result
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _opsin_batch(self, queries: Sequence[str]) -> dict[str, OpsinResult]:
        if not self.use_opsin:
            return {}
        wanted = list(
            dict.fromkeys(q.strip() for q in queries if needs_opsin(q, self.resolver.names))
        )
        if not wanted:
            return {}
        return names_to_structures(wanted)

    def _screen_uncached(
        self,
        query: str,
        day: date | None,
        codes: frozenset[str] | None,
        opsin: dict[str, OpsinResult],
    ) -> SubstanceScreening:
        resolution = self.resolver.resolve(query, opsin)
        try:
            return self._screen_resolved(query, resolution, day, codes)
        except StructureError as exc:  # InChI refused the structure when its identity was read
            failed = Resolution(query, None, error=exc.message)
            return self._result(query, SubstanceStatus.INVALID, None, (), (), failed, day, codes)

    def _screen_resolved(
        self, query: str, resolution: Resolution, day: date | None, codes: frozenset[str] | None
    ) -> SubstanceScreening:
        if resolution.error is not None:
            return self._result(
                query, SubstanceStatus.INVALID, None, (), (), resolution, day, codes
            )
        if not resolution.resolved:
            return self._result(
                query, SubstanceStatus.UNKNOWN, None, (), (), resolution, day, codes
            )
        identity, structure = self.identities.identify(resolution)
        matches = self.rule_engine.match(structure) if structure is not None else {}
        controls = self._controls(identity, matches, day, codes)
        watch: tuple[WatchHit, ...] = ()
        if not controls:
            watch = self._watch(identity, structure, matches)
        ref = self._reference(query.strip(), identity, structure, flagged=bool(controls or watch))
        status = (
            SubstanceStatus.CONTROLLED
            if controls
            else SubstanceStatus.WATCH
            if watch
            else SubstanceStatus.CLEAR
        )
        return self._result(query, status, ref, controls, watch, resolution, day, codes, identity)

    def _reference(
        self,
        query: str,
        identity: Identity,
        structure: StandardStructure | None,
        *,
        flagged: bool,
    ) -> SubstanceRef:
        """The identity to report. A clear structure the knowledge base does not name keeps the
        SMILES as given (when nothing was stripped) and gets no InChIKey: canonicalising and
        hashing it would cost as much as the whole screening."""
        if identity.substance_ids:
            record = self._substances[identity.substance_ids[0]]
            smiles = structure.smiles if structure else record.smiles or None
            # the listed substance's own key unless the query is another stereoisomer of it
            isomer = structure is not None and identity.basis is ControlBasis.ISOMER
            inchikey = structure.inchikey if isomer and structure else record.inchikey or None
            return SubstanceRef(
                record.preferred_name, record.cas or None, smiles, inchikey, record.substance_id
            )
        assert structure is not None
        if flagged:
            return SubstanceRef(
                "unlisted structure", None, structure.smiles, structure.inchikey, None
            )
        as_given = query if not (structure.removed or structure.neutralized) else None
        return SubstanceRef("unlisted structure", None, as_given or structure.smiles, None, None)

    def _controls(
        self,
        identity: Identity,
        matches: dict[str, tuple[int, ...]],
        day: date | None,
        codes: frozenset[str] | None,
    ) -> tuple[Control, ...]:
        on = day or date.today()

        def applies(source: ListingRecord | ClassRuleRecord) -> bool:
            return (codes is None or source.jurisdiction in codes) and source.in_force_on(on)

        controls: list[Control] = []
        listed_in: set[str] = set()
        for substance_id in identity.substance_ids:
            for listing in self.kb.listings_for(substance_id):
                listed_in.add(listing.jurisdiction)
                if not applies(listing):
                    continue
                controls.append(
                    _control(listing, listing.entry, identity.basis, listing_id=listing.listing_id)
                )
        for rule_id, atoms in matches.items():
            rule = self._rules[rule_id]
            if rule.outcome != "controlled":
                continue
            if rule.excludes_listed and rule.jurisdiction in listed_in:
                continue
            if not applies(rule):
                continue
            controls.append(
                _control(rule, rule.title, ControlBasis.CLASS, rule_id=rule.rule_id, atoms=atoms)
            )
        order = {code: i for i, code in enumerate(JURISDICTIONS)}
        controls.sort(key=lambda c: (order.get(c.jurisdiction, 99), c.effective, c.basis.value))
        return tuple(controls)

    def _watch(
        self,
        identity: Identity,
        structure: StandardStructure | None,
        matches: dict[str, tuple[int, ...]],
    ) -> tuple[WatchHit, ...]:
        hits: list[WatchHit] = []
        for substance_id in identity.substance_ids:
            record = self._surveillance.get(substance_id)
            if record:
                hits.append(
                    WatchHit(
                        WatchBasis.SURVEILLANCE_LIST,
                        self._substances[substance_id].preferred_name,
                        record.reason,
                        1.0,
                        substance_id,
                    )
                )
        if structure is None:
            return tuple(hits)
        for found in self.watch.find(structure):
            hits.append(
                WatchHit(
                    WatchBasis.STRUCTURAL,
                    found.parent_name,
                    found.modification,
                    found.similarity,
                    found.parent_id,
                    found.atoms,
                )
            )
        for rule_id, atoms in matches.items():
            rule = self._rules[rule_id]
            if rule.outcome == "controlled":
                continue
            nearest_id, similarity = self._nearest_parent(structure)
            hits.append(
                WatchHit(
                    WatchBasis.STRUCTURAL,
                    self._substances[nearest_id].preferred_name if nearest_id else rule.title,
                    f"has the {rule.title} (screening rule {rule_id}; not a legal definition)",
                    similarity,
                    nearest_id,
                    atoms,
                )
            )
        hits.sort(key=lambda h: (h.modification.startswith("has the "), -h.similarity))
        return tuple(hits)

    def _nearest_parent(self, structure: StandardStructure) -> tuple[str | None, float]:
        """The watch parent most similar to ``structure`` (Morgan radius-2 Tanimoto)."""
        if not self._parent_fingerprints:
            return None, 0.0
        fingerprint = morgan_fingerprint(structure.mol)
        return max(
            ((pid, tanimoto(fingerprint, fp)) for pid, fp in self._parent_fingerprints.items()),
            key=lambda pair: pair[1],
        )

    def _result(
        self,
        query: str,
        status: SubstanceStatus,
        ref: SubstanceRef | None,
        controls: tuple[Control, ...],
        watch: tuple[WatchHit, ...],
        resolution: Resolution,
        day: date | None,
        codes: frozenset[str] | None,
        identity: Identity | None = None,
    ) -> SubstanceScreening:
        sentences = explain(
            self.kb,
            status,
            ref,
            controls,
            watch,
            resolution,
            day,
            codes,
            identity.substance_ids if identity else (),
        )
        return SubstanceScreening(
            query=query,
            status=status,
            substance=ref,
            controls=controls,
            watch=watch,
            explanation=sentences,
            data_version=self.kb.version,
            error=resolution.error,
            resolved_by=resolution.resolved_by.value if resolution.resolved_by else None,
            as_of=day or date.today(),
        )


_default: SubstanceScreener | None = None
_default_lock = threading.Lock()


def default_screener() -> SubstanceScreener:
    """The process-wide screener over the bundled knowledge base (built on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = SubstanceScreener(
                    load_knowledge_base(),
                    use_opsin=settings.opsin_enabled(),
                    cache_size=int(settings.CACHE_SIZE.value()),
                )
    return _default
