"""OFAC's SDN XML (``sdn.xml``, schema ``sdn.xsd``): ``<sdnList>`` with ``<publshInformation>``
(sic: OFAC's spelling) and one ``<sdnEntry>`` per entry: uid, firstName/lastName, sdnType,
programList, akaList (``category`` strong/weak), idList, addressList, nationalityList,
citizenshipList, dateOfBirthList, vesselInfo, remarks. Identifier types use the same labels as
the CSV Remarks ("Passport", "Unified Social Credit Code (USCC)", "Digital Currency Address - XBT").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    Identifier,
    ListEntity,
)
from precursor_watch.sources.countries import country_code
from precursor_watch.sources.ofac_remarks import IDENTIFIER_LABELS, parse_remarks
from precursor_watch.sources.parsed_list import (
    LoadIssue,
    ParsedList,
    PublishDate,
    date_from_folder_or_mtime,
    source_file,
)
from precursor_watch.sources.partial_dates import full_day, partial_dates, us_date
from precursor_watch.sources.xml_records import XmlRecords, text_of

LIST_NAME = "us_ofac_sdn"
FORMAT = "ofac_xml"
TYPES = {
    "individual": EntityType.PERSON,
    "entity": EntityType.ORGANIZATION,
    "vessel": EntityType.VESSEL,
    "aircraft": EntityType.AIRCRAFT,
}
ALIAS_KINDS = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}
ADDRESS_PARTS = (
    "address1",
    "address2",
    "address3",
    "city",
    "stateOrProvince",
    "postalCode",
    "country",
)


def _full_name(element: ET.Element, individual: bool) -> str:
    first, last = text_of(element, "firstName"), text_of(element, "lastName")
    if individual and first and last:
        return f"{last}, {first}"  # the CSV's "SURNAME, Given" form
    return " ".join(p for p in (first, last) if p)


def _identifiers(entry: ET.Element) -> list[Identifier]:
    found: list[Identifier] = []
    for item in entry.findall("idList/id"):
        label, number = text_of(item, "idType") or "", text_of(item, "idNumber")
        if not number:
            continue
        kind = (
            "wallet"
            if label.startswith("Digital Currency Address")
            else IDENTIFIER_LABELS.get(label)
        )
        if kind == "imo":
            number = number.removeprefix("IMO ").strip()
        found.append(
            Identifier(kind or "other_id", number, country_code(text_of(item, "idCountry")))
        )
    if call_sign := text_of(entry, "vesselInfo/callSign"):
        found.append(Identifier("call_sign", call_sign))
    return found


def _entity(line: int, entry: ET.Element) -> ListEntity:
    entity_type = TYPES.get((text_of(entry, "sdnType") or "").lower(), EntityType.UNKNOWN)
    person = entity_type is EntityType.PERSON
    names = [EntityName(_full_name(entry, person), AliasStrength.PRIMARY, kind="primary")]
    for aka in entry.findall("akaList/aka"):
        name = _full_name(aka, person)
        if name:
            weak = (text_of(aka, "category") or "").lower() == "weak"
            kind = ALIAS_KINDS.get((text_of(aka, "type") or "").lower(), "aka")
            names.append(
                EntityName(name, AliasStrength.WEAK if weak else AliasStrength.STRONG, kind=kind)
            )
    addresses, countries = [], []
    for address in entry.findall("addressList/address"):
        parts = [t for p in ADDRESS_PARTS if (t := text_of(address, p))]
        if parts:
            addresses.append(", ".join(parts))
        if code := country_code(text_of(address, "country")):
            countries.append(code)
    for path in (
        "nationalityList/nationality/country",
        "citizenshipList/citizenship/country",
        "vesselInfo/vesselFlag",
    ):
        countries += [c for e in entry.findall(path) if (c := country_code(e.text))]
    remarks = text_of(entry, "remarks")
    facts = parse_remarks(remarks)
    birth = [
        d
        for e in entry.findall("dateOfBirthList/dateOfBirthItem/dateOfBirth")
        for d in partial_dates(e.text or "")
    ]
    return ListEntity(
        list=LIST_NAME,
        entity_id=text_of(entry, "uid") or "",
        entity_type=entity_type,
        names=tuple(dict.fromkeys([*names, *facts.weak_aliases])),
        programs=tuple(
            dict.fromkeys(
                e.text.strip()
                for e in entry.findall("programList/program")
                if e.text and e.text.strip()
            )
        ),
        countries=tuple(dict.fromkeys([*countries, *facts.countries])),
        addresses=tuple(dict.fromkeys(addresses)),
        birth_dates=tuple(dict.fromkeys([*birth, *facts.birth_dates])),
        identifiers=tuple(dict.fromkeys([*_identifiers(entry), *facts.identifiers])),
        remarks=remarks,
        source_line=line,
    )


def _publish_day(text: str) -> date | None:
    """OFAC writes MM/DD/YYYY; ISO dates are accepted too."""
    return us_date(text) or full_day(text)


def _entities(records: XmlRecords, issues: list[LoadIssue]) -> Iterator[ListEntity]:
    for line, record in records:
        if record.tag == "publshInformation":
            continue
        if not text_of(record, "uid") or not text_of(record, "lastName"):
            issues.append(
                LoadIssue(records.path.name, line, "sdnEntry without uid or lastName", "uid")
            )
            continue
        yield _entity(line, record)


def read_ofac_xml(path: Path) -> ParsedList:
    records = XmlRecords(path, {"sdnEntry", "publshInformation"})
    issues: list[LoadIssue] = []
    found: list[date] = []
    # publshInformation comes first in the file: read it before streaming the entries.
    head = XmlRecords(path, {"publshInformation"})
    for _, info in head:
        if (day := _publish_day(text_of(info, "Publish_Date") or "")) is not None:
            found.append(day)
        break
    publish = PublishDate(found[0], "file") if found else date_from_folder_or_mtime(path)
    return ParsedList(
        LIST_NAME, FORMAT, (source_file(path),), publish, _entities(records, issues), issues
    )
