"""The facts compared between a query and a list entity, one small function each.

Every function is named for the fact it tests, its docstring is the explanation shown to the
user, and it returns a ``MatchFeature`` (score, weight from ``model.WEIGHTS``, the two values
compared, one sentence). Scores are in [-1, 1]: positive confirms, negative contradicts,
0 is "nothing to compare".
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rigour.territories import get_territory

from precursor_watch.domain.parties import AliasStrength, EntityType, MatchFeature
from precursor_watch.parties.model import WEIGHTS
from precursor_watch.parties.name_similarity import NameComparison
from precursor_watch.parties.normalization import NormalizedName

NOT_SECTOR = {"company"}  # "Co.", "Corp.", "Gongsi": legal-form residue, not a trade
UNRELATED_TYPES = {
    EntityType.PERSON,
    EntityType.ORGANIZATION,
    EntityType.VESSEL,
    EntityType.AIRCRAFT,
}


def _feature(
    name: str, score: float, query: str | None, cand: str | None, text: str
) -> MatchFeature:
    return MatchFeature(name, score, WEIGHTS[name], query, cand, text)


def name_similarity(comparison: NameComparison) -> MatchFeature:
    """How alike the distinctive parts of the two names are, after transliteration, folding,
    word-order and spacing normalization, with legal forms, places and sector words set aside."""
    return _feature(
        "name_similarity",
        comparison.score,
        comparison.query_text,
        comparison.candidate_text,
        f"Names compare at {comparison.score:.2f} ({comparison.method}).",
    )


def sector_words_agree(query: NormalizedName, cand: NormalizedName) -> MatchFeature:
    """Whether the generic words of the chemical trade (chemical/huagong, trading/maoyi,
    technology/keji...) agree: they count little when they agree, because thousands of firms
    share them, but a chemical firm is not the pharmaceutical one of the same name."""
    q, c = set(query.generics) - NOT_SECTOR, set(cand.generics) - NOT_SECTOR
    qv, cv = " ".join(sorted(q)) or None, " ".join(sorted(c)) or None
    if q == c:
        return _feature("sector_words_agree", 1.0, qv, cv, "Sector words agree.")
    if not q or not c:
        return _feature("sector_words_agree", 0.5, qv, cv, "Sector words on one side only.")
    overlap = len(q & c) / len(q | c)
    return _feature(
        "sector_words_agree",
        2 * overlap - 1,
        qv,
        cv,
        f"Sector words differ ({overlap:.0%} shared).",
    )


def place_agrees(query: NormalizedName, cand: NormalizedName) -> MatchFeature:
    """Whether a Chinese province or city in the names (Hubei, Wuhan...) agrees, wherever it
    stands in the name; a different place on both sides counts against the match."""
    q, c = query.places, cand.places
    qv, cv = " ".join(sorted(q)) or None, " ".join(sorted(c)) or None
    if not q or not c:
        return _feature("place_agrees", 0.0, qv, cv, "No place on one side; not compared.")
    if q & c:
        return _feature("place_agrees", 0.3, qv, cv, "The same place appears in both names.")
    return _feature("place_agrees", -1.0, qv, cv, "The names carry different places.")


def legal_form_compatible(query: NormalizedName, cand: NormalizedName) -> MatchFeature:
    """Whether the legal forms (Co., Ltd.; 有限公司; S.A. de C.V.; GmbH...) are of the same kind,
    as classified by rigour's organisation-type database."""
    q, c = set(query.legal_classes), set(cand.legal_classes)
    qv, cv = " ".join(query.legal_forms) or None, " ".join(cand.legal_forms) or None
    if not q or not c:
        return _feature("legal_form_compatible", 0.0, qv, cv, "Legal form missing on one side.")
    if q & c:
        return _feature("legal_form_compatible", 1.0, qv, cv, "Legal forms are compatible.")
    return _feature("legal_form_compatible", -1.0, qv, cv, "Legal forms are of different kinds.")


def _related(a: str, b: str) -> bool:
    if a == b:
        return True
    ta, tb = get_territory(a.lower()), get_territory(b.lower())
    if ta is None or tb is None:
        return False
    return ta.parent == tb or tb.parent == ta


@lru_cache(maxsize=65_536)
def country_agrees(query: str | None, countries: tuple[str, ...]) -> MatchFeature:
    """Whether the query's country is one of the entity's countries (a territory and its
    parent, such as Hong Kong and China, count as related, not as a contradiction)."""
    cv = " ".join(countries) or None
    if not query or not countries:
        return _feature("country_agrees", 0.0, query, cv, "Country unknown on one side.")
    if query.upper() in countries:
        return _feature("country_agrees", 0.3, query, cv, "Same country.")
    if any(_related(query.upper(), c) for c in countries):
        return _feature("country_agrees", 0.0, query, cv, "Related territories (e.g. HK and CN).")
    return _feature("country_agrees", -1.0, query, cv, "Different countries.")


def entity_type_agrees(query: EntityType | None, cand: EntityType) -> MatchFeature:
    """Whether a person is compared with a person and an organization with an organization."""
    qv, cv = (query.value if query else None), cand.value
    if query is None or query not in UNRELATED_TYPES or cand not in UNRELATED_TYPES:
        return _feature("entity_type_agrees", 0.0, qv, cv, "Entity type unknown on one side.")
    if query == cand:
        return _feature("entity_type_agrees", 0.0, qv, cv, "Same entity type.")
    return _feature("entity_type_agrees", -1.0, qv, cv, f"A {qv} is not an {cv}.")


def birth_date_agrees(query: date | None, dates: tuple[str, ...]) -> MatchFeature:
    """Whether the date of birth or incorporation agrees with one the list publishes (a
    partial list date such as "1970" agrees with any day of that year)."""
    qv, cv = (query.isoformat() if query else None), " ".join(dates) or None
    if query is None or not dates:
        return _feature("birth_date_agrees", 0.0, qv, cv, "Date unknown on one side.")
    if any(query.isoformat().startswith(d[:10]) for d in dates if d):
        return _feature("birth_date_agrees", 1.0, qv, cv, "Same date of birth.")
    return _feature("birth_date_agrees", -1.0, qv, cv, "Different date of birth.")


def identifier_matches(matched: tuple[str, ...]) -> MatchFeature:
    """Whether an identifier (registration or tax number, email, phone, website, wallet)
    is exactly the same after normalization; one such identifier is a match on its own."""
    if not matched:
        return _feature("identifier_matches", 0.0, None, None, "No shared identifier.")
    shown = ", ".join(matched)
    return _feature("identifier_matches", 1.0, shown, shown, f"Same identifier: {shown}.")


def alias_strength(strength: AliasStrength, kind: str) -> MatchFeature:
    """Which kind of list name matched: the primary name, a strong alias, or a weak alias
    (OFAC's low-quality a.k.a., which can confirm but never makes a match alone)."""
    text = {
        AliasStrength.PRIMARY: "Matched the primary name.",
        AliasStrength.STRONG: f"Matched a strong alias ({kind}).",
        AliasStrength.WEAK: "Matched a weak alias only: at most a possible match.",
    }[strength]
    return _feature("alias_strength", 0.0, None, strength.value, text)


FEATURES = {
    f.__name__: f
    for f in (
        name_similarity,
        sector_words_agree,
        place_agrees,
        legal_form_compatible,
        country_agrees,
        entity_type_agrees,
        birth_date_agrees,
        identifier_matches,
        alias_strength,
    )
}


def feature_docs() -> dict[str, str]:
    """Feature name -> its explanation (the function's docstring), for docs and the API."""
    return {name: " ".join((f.__doc__ or "").split()) for name, f in FEATURES.items()}
