"""``PartyScreener``: an in-memory index over list entities, and the scoring of its candidates.

Build one from any iterable of ``ListEntity`` (the loaders' output, or entities read back from
the database) plus the versions of the lists they come from; it never touches a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from precursor_watch.domain.outcomes import PartyStatus, worst_of
from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    Identifier,
    ListEntity,
    MatchFeature,
    PartyMatch,
    PartyQuery,
    PartyScreening,
)
from precursor_watch.parties import features
from precursor_watch.parties.identifiers import identifier_keys, phone_suffix_keys
from precursor_watch.parties.index import CandidateIndex, name_keys
from precursor_watch.parties.model import MATCHER, POSSIBLE_THRESHOLD, combine, status_for
from precursor_watch.parties.name_similarity import compare_names
from precursor_watch.parties.normalization import NormalizedName, normalize_name
from precursor_watch.parties.transliteration import ccc_codes_in, decode_ccc

STRENGTH_RANK = {AliasStrength.WEAK: 0, AliasStrength.STRONG: 1, AliasStrength.PRIMARY: 2}
MEMO_SIZE = 50_000  # screenings kept per screener (cleared when full)
# What the screening of a query depends on: the address is not compared, so the same party at
# two addresses (every order's consignee, say) is screened once.
_MemoKey = tuple[str, str | None, EntityType | None, tuple[Identifier, ...], date | None, int]


def entity_names(entity: ListEntity) -> list[EntityName]:
    """The entity's names plus the Han names decoded from its Chinese Commercial Codes."""
    names = list(entity.names)
    published = [i.value for i in entity.identifiers if i.kind == "chinese_commercial_code"]
    for codes in dict.fromkeys(published + ccc_codes_in(entity.remarks)):
        han = decode_ccc(codes)
        if han:
            names.append(EntityName(han, AliasStrength.STRONG, "Hani", f"ccc {codes}"))
    return names


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    name: EntityName
    features: tuple[MatchFeature, ...]
    weak_only: bool


class PartyScreener:
    """Screen parties against the entities it was built from."""

    def __init__(
        self,
        entities: Iterable[ListEntity],
        list_versions: Mapping[str, str],
        *,
        candidate_limit: int = 20,
    ) -> None:
        self.list_versions = dict(list_versions)
        self.matcher = MATCHER
        self._limit = candidate_limit
        self._entities: list[ListEntity] = []
        self._names: list[EntityName] = []
        self._name_entity: list[int] = []
        self._ids: dict[str, list[int]] = {}
        self._entity_ids: list[set[str]] = []
        self._index = CandidateIndex()
        self._memo: dict[_MemoKey, PartyScreening] = {}
        for entity in entities:
            self._add(entity)
        self._index.freeze()

    def _add(self, entity: ListEntity) -> None:
        number = len(self._entities)
        self._entities.append(entity)
        for name in entity_names(entity):
            if not name.name.strip():
                continue
            self._index.add(len(self._names), name_keys(normalize_name(name.name)))
            self._names.append(name)
            self._name_entity.append(number)
        keys = identifier_keys(entity.identifiers)
        keys |= phone_suffix_keys(keys)
        self._entity_ids.append(keys)
        for key in keys:
            self._ids.setdefault(key, []).append(number)

    def clear_memo(self) -> None:
        """Forget memoised answers (a benchmark times first-seen queries; a list reload builds a
        new screener anyway)."""
        self._memo.clear()

    @property
    def entity_count(self) -> int:
        return len(self._entities)

    @property
    def name_count(self) -> int:
        return len(self._names)

    def screen(self, query: PartyQuery | str, *, limit: int = 10) -> PartyScreening:
        """Screen one party: best matches first, with a status for the whole query."""
        if isinstance(query, str):
            query = PartyQuery(name=query)
        key = (
            query.name,
            query.country,
            query.entity_type,
            query.identifiers,
            query.birth_date,
            limit,
        )
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = self._screen(query, limit)
        return found

    def _screen(self, query: PartyQuery, limit: int) -> PartyScreening:
        qn = normalize_name(query.name) if query.name.strip() else None
        id_keys = identifier_keys(query.identifiers, guess=True)
        id_keys |= phone_suffix_keys(id_keys)
        candidates: dict[int, list[int]] = {}
        if qn is not None:
            for name_id in self._index.candidates(name_keys(qn), self._limit):
                candidates.setdefault(self._name_entity[name_id], []).append(name_id)
        for key in id_keys:
            for number in self._ids.get(key, ()):
                candidates.setdefault(number, [])
        matches = [self._match(query, qn, n, ids, id_keys) for n, ids in candidates.items()]
        kept = sorted((m for m in matches if m is not None), key=lambda m: -m[0])[:limit]
        status = worst_of((s for _, s, _ in kept), PartyStatus.CLEAR)
        return PartyScreening(
            query=query.name,
            status=status,
            matches=tuple(m for _, _, m in kept),
            matcher=self.matcher,
            list_versions=dict(self.list_versions),
        )

    def screen_many(self, queries: Iterable[PartyQuery | str]) -> list[PartyScreening]:
        return [self.screen(q) for q in queries]

    def candidate_entities(self, name: str, limit: int | None = None) -> list[ListEntity]:
        """The entities the index proposes for a name, before scoring (benchmarks, peers)."""
        ids = self._index.candidates(name_keys(normalize_name(name)), limit or self._limit)
        numbers = dict.fromkeys(self._name_entity[i] for i in ids)
        return [self._entities[n] for n in numbers]

    def _match(
        self,
        query: PartyQuery,
        qn: NormalizedName | None,
        number: int,
        name_ids: list[int],
        id_keys: set[str],
    ) -> tuple[float, PartyStatus, PartyMatch] | None:
        entity = self._entities[number]
        shared = tuple(sorted(id_keys & self._entity_ids[number]))
        names = [self._names[i] for i in name_ids] or list(entity.names[:1])
        version = self.list_versions.get(entity.list, "")
        found = compare_entity(
            query, entity, names=names, shared=shared, list_version=version, qn=qn
        )
        return found if found[0] >= POSSIBLE_THRESHOLD else None


def compare_entity(
    query: PartyQuery,
    entity: ListEntity,
    *,
    names: list[EntityName] | None = None,
    shared: tuple[str, ...] | None = None,
    list_version: str = "",
    qn: NormalizedName | None = None,
) -> tuple[float, PartyStatus, PartyMatch]:
    """Score one query against one entity, without an index: (score, status, explained match).

    ``names`` defaults to every name of the entity (CCC-decoded Han names included) and
    ``shared`` to the identifiers the two have in common.
    """
    if qn is None and query.name.strip():
        qn = normalize_name(query.name)
    if shared is None:
        theirs = identifier_keys(entity.identifiers)
        theirs |= phone_suffix_keys(theirs)
        ours = identifier_keys(query.identifiers, guess=True)
        shared = tuple(sorted((ours | phone_suffix_keys(ours)) & theirs))
    candidates = names if names is not None else entity_names(entity)
    best = max(
        (score_name(query, qn, entity, name, shared) for name in candidates),
        key=lambda s: (s.score, STRENGTH_RANK[s.name.strength]),
    )
    status = status_for(best.score, weak_alias_only=best.weak_only)
    match = PartyMatch(
        list=entity.list,
        list_version=list_version,
        entity_id=entity.entity_id,
        name=entity.primary_name,
        matched_name=best.name.name,
        score=best.score,
        programs=entity.programs,
        countries=entity.countries,
        features=best.features,
        explanation=tuple(f.explanation for f in best.features if f.score or f.weight == 0),
        entity_type=entity.entity_type,
    )
    return best.score, status, match


def score_name(
    query: PartyQuery,
    qn: NormalizedName | None,
    entity: ListEntity,
    name: EntityName,
    shared: tuple[str, ...],
) -> _Scored:
    """Every feature of the query against one name of the entity, and their weighted sum."""
    cn = normalize_name(name.name)
    person = entity.entity_type is EntityType.PERSON or (
        entity.entity_type is EntityType.UNKNOWN and query.entity_type is EntityType.PERSON
    )
    found: list[MatchFeature] = []
    if qn is not None:
        found.append(features.name_similarity(compare_names(qn, cn, person=person)))
        found.append(features.sector_words_agree(qn, cn))
        if not person:
            found.append(features.place_agrees(qn, cn))
            found.append(features.legal_form_compatible(qn, cn))
    found.append(features.country_agrees(query.country, entity.countries))
    found.append(features.entity_type_agrees(query.entity_type, entity.entity_type))
    found.append(features.birth_date_agrees(query.birth_date, entity.birth_dates))
    found.append(features.identifier_matches(shared))
    found.append(features.alias_strength(name.strength, name.kind))
    score = combine([(f.score, f.weight) for f in found])
    weak_only = name.strength is AliasStrength.WEAK and not shared
    return _Scored(score, name, tuple(found), weak_only)
