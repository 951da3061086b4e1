"""The US Consolidated Screening List (trade.gov ``consolidated.csv``): one row per entry of 13
export-control and sanctions lists (SDN, Entity List, DPL, UVL, ISN, DTC, CMIC, MEU...).

Multi-valued columns are "; "-separated; ``ids`` holds "Type, Number, Country" triples using
OFAC's labels. The source list's abbreviation (``EL``, ``DPL``...) is added to the programs and
prefixes the entity id (``SSI:17014``): the same ``_id`` appears once per source list. The file
has no publish date: the folder-name date or the file time is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    Identifier,
    ListEntity,
)
from precursor_watch.sources.countries import country_code
from precursor_watch.sources.csv_records import header_checked, read_records
from precursor_watch.sources.ofac_remarks import IDENTIFIER_LABELS
from precursor_watch.sources.parsed_list import LoadIssue, ParsedList, single_file_list
from precursor_watch.sources.partial_dates import partial_dates

LIST_NAME = "us_trade_csl"
FORMAT = "csl_csv"
HEADER = [
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
]
TYPES = {
    "individual": EntityType.PERSON,
    "entity": EntityType.ORGANIZATION,
    "vessel": EntityType.VESSEL,
    "aircraft": EntityType.AIRCRAFT,
}
_SOURCE_CODE = re.compile(r"\(([A-Z][A-Z-]*)\)")
_WALLET = re.compile(r"^Digital Currency Address - [A-Z0-9]+$")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _identifiers(ids: str) -> list[Identifier]:
    found: list[Identifier] = []
    for triple in _split(ids):
        label, _, rest = triple.partition(", ")
        number, _, country = rest.rpartition(", ")
        if not number:  # "Type, Number" without a country
            number, country = rest, ""
        kind = "wallet" if _WALLET.match(label) else IDENTIFIER_LABELS.get(label.strip())
        if kind and number.strip():
            found.append(Identifier(kind, number.strip(), country_code(country)))
    return found


def _entity(line: int, record: dict[str, str]) -> ListEntity:
    addresses = _split(record["addresses"])
    countries = [
        c
        for value in (*_split(record["nationalities"]), *_split(record["citizenships"]))
        if (c := country_code(value))
    ]
    countries += [c for address in addresses if (c := country_code(address.rsplit(",", 1)[-1]))]
    programs = _split(record["programs"])
    source = _SOURCE_CODE.search(record["source"])
    if source:
        programs.append(source[1])
    birth = [d for value in _split(record["dates_of_birth"]) for d in partial_dates(value)]
    name = record["name"].strip()
    return ListEntity(
        list=LIST_NAME,
        # one entry can sit on several source lists (SSI and NS-MBS) under the same _id
        entity_id=f"{source[1]}:{record['_id'].strip()}" if source else record["_id"].strip(),
        entity_type=TYPES.get(record["type"].strip().lower(), EntityType.UNKNOWN),
        names=(
            EntityName(name, AliasStrength.PRIMARY, kind="primary"),
            *(EntityName(a, AliasStrength.STRONG, kind="aka") for a in _split(record["alt_names"])),
        ),
        programs=tuple(dict.fromkeys(programs)),
        countries=tuple(dict.fromkeys(countries)),
        addresses=tuple(addresses),
        birth_dates=tuple(dict.fromkeys(birth)),
        identifiers=tuple(dict.fromkeys(_identifiers(record["ids"]))),
        remarks=record["remarks"].strip() or None,
        source_line=line,
    )


def _entities(path: Path, issues: list[LoadIssue]) -> Iterator[ListEntity]:
    rows = read_records(path, issues, encoding="utf-8-sig", header=HEADER)
    if not header_checked(path, issues, rows, HEADER, "CSL"):
        return
    for line, row in rows:
        record = dict(zip(HEADER, row, strict=True))
        if not record["_id"].strip() or not record["name"].strip():
            field = "_id" if not record["_id"].strip() else "name"
            issues.append(LoadIssue(path.name, line, f"entry without {field}: not loaded", field))
            continue
        yield _entity(line, record)


def read_csl_csv(path: Path) -> ParsedList:
    return single_file_list(LIST_NAME, FORMAT, path, _entities)
