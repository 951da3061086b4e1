"""FollowTheMoney entities as JSON lines (OpenSanctions exports, ``entities.ftm.json``).

Person, Company, Organization, LegalEntity and Vessel entities become list entries. A first
pass collects what other entities add to them: Address entities (``addressEntity`` links),
Sanction entities (programs), Passport/Identification entities and CryptoWallets (identifiers).
The publish date is the newest ``last_change`` in the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    Identifier,
    ListEntity,
)
from precursor_watch.sources.countries import country_code
from precursor_watch.sources.json_lines import read_json_lines
from precursor_watch.sources.parsed_list import (
    LoadIssue,
    ParsedList,
    PublishDate,
    date_from_folder_or_mtime,
    source_file,
)
from precursor_watch.sources.partial_dates import full_day, partial_dates
from precursor_watch.sources.scripts import script_of

FORMAT = "ftm_json"
SCHEMATA = {
    "Person": EntityType.PERSON,
    "Company": EntityType.ORGANIZATION,
    "Organization": EntityType.ORGANIZATION,
    "LegalEntity": EntityType.ORGANIZATION,
    "Vessel": EntityType.VESSEL,
}
NAME_PROPS = (
    ("alias", AliasStrength.STRONG, "aka"),
    ("abbreviation", AliasStrength.STRONG, "aka"),
    ("previousName", AliasStrength.STRONG, "fka"),
    ("weakAlias", AliasStrength.WEAK, "aka"),
)
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry", "flag")
DATE_PROPS = ("birthDate", "incorporationDate")
ID_PROPS = {
    "idNumber": "national_id",
    "passportNumber": "passport",
    "registrationNumber": "registration",
    "taxNumber": "tax",
    "innCode": "tax",
    "ogrnCode": "registration",
    "vatCode": "tax",
    "email": "email",
    "phone": "phone",
    "website": "website",
    "leiCode": "lei",
    "swiftBic": "swift",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "dunsCode": "duns",
}


@dataclass(slots=True)
class Linked:
    """Facts other entities add to a listed one, keyed by the listed entity's id."""

    addresses: dict[str, str] = field(default_factory=dict)  # Address id -> full text
    programs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    identifiers: dict[str, list[Identifier]] = field(default_factory=lambda: defaultdict(list))
    newest: str = ""


def _props(record: dict[str, Any], name: str) -> list[str]:
    values = record.get("properties", {}).get(name, [])
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _records(path: Path, issues: list[LoadIssue] | None) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, record in read_json_lines(path, issues):
        if not isinstance(record, dict) or not record.get("id") or not record.get("schema"):
            if issues is not None:
                issues.append(LoadIssue(path.name, line, "entity without id or schema", "id"))
            continue
        yield line, record


def _link(path: Path) -> Linked:
    linked = Linked()
    for _, record in _records(path, None):
        schema = record["schema"]
        linked.newest = max(linked.newest, str(record.get("last_change") or ""))
        if schema == "Address":
            full = _props(record, "full")
            if full:
                linked.addresses[record["id"]] = full[0]
        elif schema == "Sanction":
            programs = _props(record, "programId") or _props(record, "program")
            for target in _props(record, "entity"):
                linked.programs[target].extend(programs)
        elif schema in {"Passport", "Identification"}:
            kind = "passport" if schema == "Passport" else "national_id"
            country = country_code(next(iter(_props(record, "country")), None))
            for holder in _props(record, "holder"):
                for number in _props(record, "number"):
                    linked.identifiers[holder].append(Identifier(kind, number, country))
        elif schema == "CryptoWallet":
            for holder in _props(record, "holder"):
                for key in _props(record, "publicKey"):
                    linked.identifiers[holder].append(Identifier("wallet", key))
    return linked


def _names(record: dict[str, Any]) -> list[EntityName]:
    names = _props(record, "name")
    caption = str(record.get("caption") or "").strip()
    primary = caption if caption in names or not names else names[0]
    found = [EntityName(primary, AliasStrength.PRIMARY, script_of(primary), "primary")]
    found += [
        EntityName(n, AliasStrength.STRONG, script_of(n), "aka") for n in names if n != primary
    ]
    for prop, strength, kind in NAME_PROPS:
        found += [EntityName(n, strength, script_of(n), kind) for n in _props(record, prop)]
    return list(dict.fromkeys(found))


def _entity(line: int, record: dict[str, Any], linked: Linked) -> ListEntity:
    entity_id = str(record["id"])
    identifiers = [
        Identifier(kind, value) for prop, kind in ID_PROPS.items() for value in _props(record, prop)
    ]
    addresses = _props(record, "address")
    addresses += [
        linked.addresses[a] for a in _props(record, "addressEntity") if a in linked.addresses
    ]
    programs = [*linked.programs.get(entity_id, ()), *record.get("datasets", ())]
    return ListEntity(
        list="",  # set by the reader
        entity_id=entity_id,
        entity_type=SCHEMATA[record["schema"]],
        names=tuple(_names(record)),
        programs=tuple(dict.fromkeys(programs)),
        countries=tuple(
            dict.fromkeys(
                c for prop in COUNTRY_PROPS for v in _props(record, prop) if (c := country_code(v))
            )
        ),
        addresses=tuple(dict.fromkeys(addresses)),
        birth_dates=tuple(
            dict.fromkeys(
                d for p in DATE_PROPS for v in _props(record, p) for d in partial_dates(v)
            )
        ),
        identifiers=tuple(dict.fromkeys([*identifiers, *linked.identifiers.get(entity_id, ())])),
        remarks=" ".join(_props(record, "notes")) or None,
        source_line=line,
    )


def list_name_for(path: Path) -> str:
    stem = re.sub(r"\.(ftm\.)?jsonl?$|\.ftm$", "", path.name.lower())
    return "ftm_" + re.sub(r"[^a-z0-9]+", "_", stem).strip("_")


def read_ftm_json(path: Path) -> ParsedList:
    linked = _link(path)
    issues: list[LoadIssue] = []
    name = list_name_for(path)

    def entities() -> Iterator[ListEntity]:
        for line, record in _records(path, issues):
            if record["schema"] in SCHEMATA:
                entity = _entity(line, record, linked)
                if not entity.primary_name:
                    issues.append(LoadIssue(path.name, line, "entity without a name", "name"))
                    continue
                yield replace(entity, list=name)

    newest = full_day(linked.newest[:10])
    publish = (
        PublishDate(newest, "file (newest last_change)")
        if newest
        else date_from_folder_or_mtime(path)
    )
    return ParsedList(name, FORMAT, (source_file(path),), publish, entities(), issues)
