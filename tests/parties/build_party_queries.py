"""Build tests/cases/party_queries.csv, the labelled acceptance set of the party matcher.

    PYTHONPATH=. .venv/bin/python -m tests.parties.build_party_queries

Deterministic (seeded) and derived only from real published data:

* Positives come from the narcotics-program entries (SDNTK, SDNT, ILLICIT-DRUGS-EO14059) of
  the OFAC SDN snapshot of 2024-05-03 (read with the product's loader) located in CN, HK, MX
  or IN (the entry's countries, else the country of one of its identifiers). Every CN/HK/IN
  entry is used; Mexican entries are a seeded sample. Each row takes one published name and
  applies one documented variation:
  - ``exact``: the name as a user would type it (title case, punctuation kept);
  - ``suffix``: the legal form rewritten (CO., LTD. -> Company Limited, S.A. DE C.V. ->
    SA de CV, LIMITED -> Ltd...) or dropped (``no_suffix``);
  - ``word_order``: person names given name first; a leading Chinese place moved to the end
    in brackets ("Vast Chemical (Hubei)");
  - ``pinyin_spacing`` (CN entries): the first pinyin word split into its syllables of two or
    more letters ("Hubei" -> "Hu Bei") using the syllable inventory of pypinyin;
  - ``chinese_chars``: the Han name decoded from the Chinese Commercial Code the entry
    publishes, with the Unicode Unihan table (kMainlandTelegraph);
  - ``accents``: Spanish names written with their accents (the list has none);
  - ``typo``: two adjacent letters swapped in the longest word (seeded);
  - ``partial_name``: a Mexican person's second surname left out;
  - ``short_form``: a firm's name cut to its leading place and distinctive words, without
    sector words or legal form ("Hubei Vast");
  - ``combined``: a typo added on top of a short form, a word-order or a suffix variation;
  - ``alias``: a weak a.k.a. from the remarks (expected at least ``possible``);
  - ``identifier``: no name, only a published website, email, phone or registration number
    (of 5 characters or more: shorter numbers are not matched alone).
  An entity whose query is shared with another listed entity (same website, same name) counts
  as found when it ties for the top score.
* Look-alikes (blank expected_entity_id, must not be ``match``) are generated: the
  distinctive word of a listed CN/HK company replaced by other pinyin (same place, sector
  words and legal form); Chinese, Mexican and Indian people from the yente synthetic-negative
  file (qarin-generated, not sanctioned); Mexican and Indian firm names built on their
  surnames. Any look-alike whose normalized name equals a listed name is dropped.
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from pathlib import Path

from pypinyin.pinyin_dict import pinyin_dict

from precursor_watch.domain.parties import AliasStrength, EntityType, ListEntity
from precursor_watch.parties.normalization import normalize_name
from precursor_watch.parties.transliteration import ccc_codes_in, decode_ccc
from tests.parties.acceptance import DATA, NARCOTICS, load_sdn_2024

OUT = Path(__file__).resolve().parents[1] / "cases" / "party_queries.csv"
NEGATIVES = DATA / "matching_benchmarks" / "yente" / "cgb_negatives_global.csv"
COUNTRIES = {"CN", "HK", "MX", "IN"}
SUFFIXES = [
    (r"\bCO\., LTD\.?$", "Company Limited"),
    (r"\bCO\., LIMITED$", "Co Ltd"),
    (r"\bCO\. LTD$", "Co., Limited"),
    (r"\bCO, LTD\.$", "Company Ltd"),
    (r"\bS\.A\. DE C\.V\.$", "SA de CV"),
    (r"\bS\. DE R\.L\. DE C\.V\.$", "S de RL de CV"),
    (r"\bLIMITED$", "Ltd"),
    (r"\bPVT\. LTD\.?$", "Private Limited"),
]
SPANISH_ACCENTS = {
    w.upper().translate(str.maketrans("ÁÉÍÓÚÑ", "AEIOUN")): w
    for w in [
        "José",
        "Jesús",
        "Ramón",
        "Martín",
        "Nicolás",
        "Andrés",
        "Raúl",
        "Óscar",
        "Héctor",
        "Joaquín",
        "Simón",
        "Germán",
        "Rubén",
        "Félix",
        "Ángel",
        "García",
        "Hernández",
        "Rodríguez",
        "Martínez",
        "López",
        "González",
        "Pérez",
        "Sánchez",
        "Ramírez",
        "Gómez",
        "Díaz",
        "Jiménez",
        "Álvarez",
        "Gutiérrez",
        "Chávez",
        "Beltrán",
        "Núñez",
        "Ibáñez",
        "Muñoz",
        "Peña",
        "Yáñez",
        "Vázquez",
        "Domínguez",
        "Fernández",
        "Márquez",
        "Ordóñez",
        "Velázquez",
        "Cárdenas",
        "Castañeda",
        "Avendaño",
    ]
}
FIELDS = ["query", "country", "type", "identifier", "expected_entity_id", "variation", "source"]


def syllables() -> set[str]:
    out: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFKD", reading)
            out.add("".join(c for c in plain if c.isascii()).lower())
    return {s for s in out if s.isalpha()}


SYLLABLES = syllables()


def split_pinyin(word: str) -> list[str] | None:
    """Split a word into pinyin syllables (fewest pieces), or None if it is not pinyin."""
    word = word.lower()
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            piece = word[start:end]
            if head is not None and len(piece) >= 2 and piece in SYLLABLES:
                cand = [*head, piece]
                if best[end] is None or len(cand) < len(best[end] or []):
                    best[end] = cand
    return best[len(word)]


def located(entity: ListEntity) -> str | None:
    for code in [*entity.countries, *(i.country for i in entity.identifiers if i.country)]:
        if code in COUNTRIES:
            return code
    return None


def person_order(name: str) -> str:
    surname, _, given = name.partition(",")
    return f"{given.strip()} {surname.strip()}".title() if given else name.title()


def typo(name: str, rng: random.Random) -> str | None:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 6:
        return None
    i = rng.randrange(1, len(word) - 2)
    words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def short_form(name: str) -> str | None:
    """A firm's name reduced to its place and distinctive words ("Hubei Vast")."""
    norm = normalize_name(name)
    words = [
        w
        for w in name.replace(",", " ").split()
        if len(w.strip(".()")) > 2 and w.lower().strip(".()") in norm.core
    ]
    first = name.split()[0]
    if not words or words == name.split():
        return None
    prefix = [first] if normalize_name(first).places else []
    short = " ".join([*prefix, *words]).title()
    return short if short.lower() != name.lower() else None


def variations(entity: ListEntity, rng: random.Random) -> list[tuple[str, str, str]]:
    """(query, identifier, variation) rows for one entity."""
    name = entity.primary_name
    person = entity.entity_type is EntityType.PERSON
    rows: list[tuple[str, str, str]] = [(name.title(), "", "exact")]
    if person:
        rows.append((person_order(name), "", "word_order"))
        surname, _, given = name.partition(",")
        if len(surname.split()) == 2 and located(entity) == "MX":
            rows.append((f"{given.strip()} {surname.split()[0]}".title(), "", "partial_name"))
    else:
        for pattern, repl in SUFFIXES:
            if re.search(pattern, name):
                rows.append((re.sub(pattern, repl, name).title(), "", "suffix"))
                rows.append((re.sub(pattern, "", name).strip(" ,").title(), "", "no_suffix"))
                break
        first = name.split()[0]
        if normalize_name(first).places and len(name.split()) > 2:
            rest = " ".join(name.split()[1:])
            rows.append((f"{rest.title()} ({first.title()})", "", "word_order"))
    if located(entity) == "CN":
        words = name.replace(",", " ,").split()
        for i, word in enumerate(words):
            parts = split_pinyin(word)
            if parts and len(parts) > 1:
                words[i] = " ".join(parts)
                rows.append((" ".join(words).replace(" ,", ",").title(), "", "pinyin_spacing"))
                break
    for codes in ccc_codes_in(entity.remarks):
        han = decode_ccc(codes)
        if han:
            rows.append((han, "", "chinese_chars"))
    if located(entity) == "MX":
        plain = person_order(name) if person else name.title()
        query = " ".join(SPANISH_ACCENTS.get(w.upper(), w) for w in plain.split())
        if query != plain:
            rows.append((query, "", "accents"))
    mistyped = typo(name.title(), rng)
    if mistyped:
        rows.append((mistyped, "", "typo"))
    if not person:
        short = short_form(name)
        if short:
            rows.append((short, "", "short_form"))
        combined = typo(rows[-1][0], rng) if len(rows) > 1 else None
        if combined and rows[-1][2] in {"word_order", "short_form", "suffix"}:
            rows.append((combined, "", "combined"))
    rows += [(n.name, "", "alias") for n in entity.names if n.strength is AliasStrength.WEAK]
    for ident in entity.identifiers:
        if (
            ident.kind in {"website", "email", "registration", "tax", "phone"}
            and len(ident.value) >= 5
        ):
            rows.append(("", ident.value, "identifier"))
            break
    return rows


def positives(entities: list[ListEntity]) -> list[dict[str, str]]:
    rng = random.Random(20240503)
    chosen = [e for e in entities if located(e) in {"CN", "HK", "IN"}]
    mexican = [e for e in entities if located(e) == "MX"]
    chosen += rng.sample(mexican, 45)
    rows: list[dict[str, str]] = []
    for entity in chosen:
        for query, identifier, kind in variations(entity, rng):
            with_context = rng.random() < 0.5
            rows.append(
                {
                    "query": query,
                    "country": (located(entity) or "") if with_context else "",
                    "type": entity.entity_type.value if with_context else "",
                    "identifier": identifier,
                    "expected_entity_id": entity.entity_id,
                    "variation": kind,
                    "source": f"OFAC SDN 2024-05-03 ent_num {entity.entity_id}",
                }
            )
    return rows


def pinyin_word(rng: random.Random, used: set[str]) -> str:
    pool = sorted(SYLLABLES)
    while True:
        word = (rng.choice(pool) + rng.choice(pool)).title()
        if word.lower() not in used:
            return word


def lookalikes(entities: list[ListEntity], listed: set[str]) -> list[dict[str, str]]:
    rng = random.Random(1861)
    used = {w for e in entities for n in e.names for w in normalize_name(n.name).words}
    rows: list[dict[str, str]] = []
    firms = [e for e in entities if e.entity_type is EntityType.ORGANIZATION]
    for entity in firms:
        if located(entity) not in {"CN", "HK"}:
            continue
        norm = normalize_name(entity.primary_name)
        if not norm.core:
            continue
        core = set(norm.core)
        words = [w for w in entity.primary_name.split() if w.lower().strip(",.()") not in core]
        new = pinyin_word(rng, used)
        query = " ".join([words[0], new, *words[1:]]) if norm.places else " ".join([new, *words])
        rows.append(_lookalike(query.title(), "CN", "organization", "lookalike_firm_cn"))
    with NEGATIVES.open(encoding="utf-8") as handle:
        people = [
            r for r in csv.DictReader(handle) if r["nationality"] in {"China", "Mexico", "India"}
        ]
    rng.shuffle(people)
    code = {"China": "CN", "Mexico": "MX", "India": "IN"}
    counts: dict[str, int] = {}
    for person in people:
        nat = code[person["nationality"]]
        if counts.get(nat, 0) >= 40:
            continue
        counts[nat] = counts.get(nat, 0) + 1
        rows.append(
            _lookalike(person["full_name"], nat, "person", f"lookalike_person_{nat.lower()}")
        )
        if nat != "CN" and counts[nat] <= 20:
            firm = {"MX": "Comercializadora {} SA de CV", "IN": "{} Pharma Private Limited"}[nat]
            name = firm.format(person["last_name"])
            rows.append(_lookalike(name, nat, "organization", f"lookalike_firm_{nat.lower()}"))
    return [r for r in rows if _key(r["query"]) not in listed]


def _key(name: str) -> str:
    return " ".join(sorted(normalize_name(name).words))


def _lookalike(query: str, country: str, kind: str, variation: str) -> dict[str, str]:
    source = "generated" if "firm_cn" in variation else "yente cgb_negatives_global.csv"
    return {
        "query": query,
        "country": country,
        "type": kind,
        "identifier": "",
        "expected_entity_id": "",
        "variation": variation,
        "source": source,
    }


def main() -> None:
    everything = load_sdn_2024()[2]
    listed = {_key(n.name) for e in everything for n in e.names}
    narcotics = [e for e in everything if set(e.programs) & set(NARCOTICS) and located(e)]
    rows = positives(narcotics) + lookalikes(narcotics, listed)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["variation"]] = kinds.get(row["variation"], 0) + 1
    print(f"{len(rows)} rows -> {OUT}: {dict(sorted(kinds.items()))}")


if __name__ == "__main__":
    main()
