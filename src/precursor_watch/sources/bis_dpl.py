"""The BIS Denied Persons List (``dpl.txt``): tab-separated and quoted, one row per person
and address.

The file has no ids: an entry's id is a hash of its name, address and effective date, stable
across versions while those stay the same. Persons and companies are not told apart (type
``unknown``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from precursor_watch.domain.parties import AliasStrength, EntityName, EntityType, ListEntity
from precursor_watch.sources.countries import country_code
from precursor_watch.sources.csv_records import header_checked, read_records
from precursor_watch.sources.parsed_list import LoadIssue, ParsedList, single_file_list

LIST_NAME = "us_bis_dpl"
FORMAT = "bis_dpl"
HEADER = [
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
]


def _entity(line: int, record: dict[str, str]) -> ListEntity:
    name = " ".join(record["Name"].split())
    parts = [
        record[k].strip() for k in ("Street_Address", "City", "State", "Postal_Code", "Country")
    ]
    address = ", ".join(p for p in parts if p)
    key = "|".join([name.upper(), *(p.upper() for p in parts), record["Effective_Date"].strip()])
    country = country_code(record["Country"])
    remarks = "; ".join(
        f"{k.replace('_', ' ')}: {record[k].strip()}"
        for k in ("Effective_Date", "Expiration_Date", "Action", "FR_Citation")
        if record[k].strip()
    )
    return ListEntity(
        list=LIST_NAME,
        entity_id=hashlib.sha1(key.encode()).hexdigest()[:16],
        entity_type=EntityType.UNKNOWN,
        names=(EntityName(name, AliasStrength.PRIMARY, kind="primary"),),
        programs=("DPL",),
        countries=(country,) if country else (),
        addresses=(address,) if address else (),
        remarks=remarks or None,
        source_line=line,
    )


def _entities(path: Path, issues: list[LoadIssue]) -> Iterator[ListEntity]:
    rows = read_records(path, issues, delimiter="\t", header=HEADER, encoding="utf-8-sig")
    if not header_checked(path, issues, rows, HEADER, "DPL"):
        return
    for line, row in rows:
        record = dict(zip(HEADER, row, strict=True))
        if not record["Name"].strip():
            issues.append(LoadIssue(path.name, line, "entry without a name: not loaded", "Name"))
            continue
        yield _entity(line, record)


def read_bis_dpl(path: Path) -> ParsedList:
    return single_file_list(LIST_NAME, FORMAT, path, _entities)
