"""The UN Security Council Consolidated List (``consolidated.xml``): INDIVIDUAL and ENTITY
records with aliases (quality good/low -> strong/weak), NAME_ORIGINAL_SCRIPT, nationality,
dates of birth, addresses and documents. The publish date is the root's ``dateGenerated``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
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
from precursor_watch.sources.parsed_list import (
    LoadIssue,
    ParsedList,
    PublishDate,
    date_from_folder_or_mtime,
    source_file,
)
from precursor_watch.sources.partial_dates import full_day, partial_dates
from precursor_watch.sources.scripts import script_of
from precursor_watch.sources.xml_records import XmlRecords, text_of, texts_of

LIST_NAME = "un_sc_consolidated"
FORMAT = "un_xml"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")
DOCUMENT_KINDS = {
    "passport": "passport",
    "national identification number": "national_id",
    "national identification card": "national_id",
    "identity card": "national_id",
}


def _names(record: ET.Element, prefix: str) -> list[EntityName]:
    primary = " ".join(p for part in NAME_PARTS if (p := text_of(record, part) or ""))
    names = [EntityName(primary, AliasStrength.PRIMARY, script_of(primary), "primary")]
    for original in texts_of(record, "NAME_ORIGINAL_SCRIPT"):
        names.append(
            EntityName(original, AliasStrength.STRONG, script_of(original), "original_script")
        )
    for alias in record.findall(f"{prefix}_ALIAS"):
        name = text_of(alias, "ALIAS_NAME")
        if not name:
            continue
        quality = (text_of(alias, "QUALITY") or "").lower()
        strength = AliasStrength.WEAK if quality == "low" else AliasStrength.STRONG
        kind = "fka" if quality == "f.k.a." else "aka"
        names.append(EntityName(name, strength, script_of(name), kind))
    return names


def _addresses(record: ET.Element, prefix: str) -> tuple[list[str], list[str]]:
    addresses: list[str] = []
    countries: list[str] = []
    for address in record.findall(f"{prefix}_ADDRESS"):
        parts = [t for part in ADDRESS_PARTS if (t := text_of(address, part))]
        if parts:
            addresses.append(", ".join(parts))
        if code := country_code(text_of(address, "COUNTRY")):
            countries.append(code)
    return addresses, countries


def _birth_dates(record: ET.Element) -> list[str]:
    found: list[str] = []
    for dob in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        for tag in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR"):
            if value := text_of(dob, tag):
                found.extend(partial_dates(value))
    return found


def _documents(record: ET.Element) -> list[Identifier]:
    found: list[Identifier] = []
    for document in record.findall("INDIVIDUAL_DOCUMENT"):
        number = text_of(document, "NUMBER")
        if not number:
            continue
        kind = (text_of(document, "TYPE_OF_DOCUMENT") or "").lower()
        country = text_of(document, "ISSUING_COUNTRY") or text_of(document, "COUNTRY_OF_ISSUE")
        found.append(
            Identifier(DOCUMENT_KINDS.get(kind, "other_id"), number, country_code(country))
        )
    return found


def _entity(line: int, record: ET.Element, issues: list[LoadIssue], file: str) -> ListEntity | None:
    prefix = record.tag
    entity_id = text_of(record, "REFERENCE_NUMBER") or text_of(record, "DATAID")
    names = _names(record, prefix)
    if not entity_id or not names[0].name:
        field = "REFERENCE_NUMBER" if not entity_id else "FIRST_NAME"
        issues.append(LoadIssue(file, line, f"{prefix} without {field.lower()}: not loaded", field))
        return None
    addresses, countries = _addresses(record, prefix)
    nationalities = [c for v in texts_of(record, "NATIONALITY/VALUE") if (c := country_code(v))]
    return ListEntity(
        list=LIST_NAME,
        entity_id=entity_id,
        entity_type=EntityType.PERSON if prefix == "INDIVIDUAL" else EntityType.ORGANIZATION,
        names=tuple(dict.fromkeys(names)),
        programs=tuple(texts_of(record, "UN_LIST_TYPE")),
        countries=tuple(dict.fromkeys([*nationalities, *countries])),
        addresses=tuple(dict.fromkeys(addresses)),
        birth_dates=tuple(dict.fromkeys(_birth_dates(record))),
        identifiers=tuple(dict.fromkeys(_documents(record))),
        remarks=text_of(record, "COMMENTS1"),
        source_line=line,
    )


def _entities(records: XmlRecords, issues: list[LoadIssue]) -> Iterator[ListEntity]:
    for line, record in records:
        entity = _entity(line, record, issues, records.path.name)
        if entity is not None:
            yield entity


def read_un_xml(path: Path) -> ParsedList:
    records = XmlRecords(path, {"INDIVIDUAL", "ENTITY"})
    records.head()
    generated = records.root_attributes.get("dateGenerated", "")
    day = full_day(generated[:10])
    publish = PublishDate(day, "file") if day else date_from_folder_or_mtime(path)
    issues: list[LoadIssue] = []
    return ParsedList(
        LIST_NAME, FORMAT, (source_file(path),), publish, _entities(records, issues), issues
    )
