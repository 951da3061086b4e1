"""A minimal, test-only reader of OFAC's legacy sdn.csv into ListEntity objects.

It exists so the matcher can be tested on the real 2024-05-03 SDN before (and independently
of) the product's list loaders in ``precursor_watch.sources``. It reads what the matcher needs:
primary name, weak aliases from remarks, type, programs, countries, dates of birth and
identifiers. It is not a list loader (no issues report, no storage).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from rigour.territories import lookup_territory

from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    Identifier,
    ListEntity,
)

DATA = Path("/work/shared/data/sanctions")
SDN_2024 = DATA / "ofac_sdn_2024-05-03" / "sdn.csv"
LIST = "us_ofac_sdn"
VERSION = "2024-05-03"
NARCOTICS = ("SDNTK", "SDNT", "ILLICIT-DRUGS-EO14059")

AKA = re.compile(r"a\.k\.a\. '(.+?)'(?=[;.]|$)")
PROGRAM = re.compile(r"\[([^\]]+)\]")
TRAILING_COUNTRY = re.compile(r"\(([^()]+)\)\s*$")
SIMPLE_KINDS = {
    "Website": "website",
    "Email Address": "email",
    "Phone Number": "phone",
}


def _dob(text: str) -> str | None:
    text = text.replace("circa ", "").strip()
    for fmt, size in (("%d %b %Y", 10), ("%b %Y", 7), ("%Y", 4)):
        try:
            return datetime.strptime(text, fmt).date().isoformat()[:size]
        except ValueError:
            continue
    return None


def _country(name: str) -> str | None:
    territory = lookup_territory(name.strip())
    return territory.code.upper() if territory is not None and len(territory.code) == 2 else None


def _code_kind(label: str) -> str:
    if "Passport" in label:
        return "passport"
    if "National ID" in label or "C.U.R.P." in label or "Citizen's Card" in label:
        return "national_id"
    if "Tax" in label or "R.F.C." in label or "V.A.T." in label:
        return "tax"
    return "registration"


def _segment(seg: str, ids: list[Identifier], countries: list[str], dobs: list[str]) -> None:
    seg = seg.strip().rstrip(".").removeprefix("alt. ").strip()
    for label, kind in SIMPLE_KINDS.items():
        if seg.startswith(label + " "):
            ids.append(Identifier(kind, seg[len(label) + 1 :].strip()))
            return
    if seg.startswith("Digital Currency Address - "):
        ids.append(Identifier("wallet", seg.split()[-1]))
        return
    if seg.startswith("DOB "):
        dob = _dob(seg[4:])
        if dob:
            dobs.append(dob)
        return
    for prefix in ("nationality ", "citizen ", "POB "):
        if seg.startswith(prefix):
            code = _country(seg.split(",")[-1])
            if code:
                countries.append(code)
            return
    found = TRAILING_COUNTRY.search(seg)
    if found and re.search(r"\d", seg[: found.start()]):
        code = _country(found.group(1))
        body = seg[: found.start()].strip()
        label, _, value = body.rpartition(" ")
        if code:
            countries.append(code)
        if value and re.search(r"\d", value):
            ids.append(Identifier(_code_kind(label), value, code))


def _entity(row: list[str], line: int) -> ListEntity:
    ent_num, name, sdn_type, program = row[0], row[1], row[2].strip(), row[3]
    remarks = "" if row[11].strip() == "-0-" else row[11]
    names = [EntityName(name, AliasStrength.PRIMARY, kind="primary")]
    names += [EntityName(a, AliasStrength.WEAK, kind="weak aka") for a in AKA.findall(remarks)]
    ids: list[Identifier] = []
    countries: list[str] = []
    dobs: list[str] = []
    for seg in remarks.split(";"):
        if "a.k.a." not in seg:
            _segment(seg, ids, countries, dobs)
    etype = {"individual": EntityType.PERSON, "vessel": EntityType.VESSEL}.get(
        sdn_type, EntityType.AIRCRAFT if sdn_type == "aircraft" else EntityType.ORGANIZATION
    )
    programs = tuple(p.strip() for p in program.replace("] [", "]|[").split("|"))
    return ListEntity(
        list=LIST,
        entity_id=ent_num,
        entity_type=etype,
        names=tuple(names),
        programs=tuple(p.strip("[] ") for p in programs),
        countries=tuple(dict.fromkeys(countries)),
        birth_dates=tuple(dict.fromkeys(dobs)),
        identifiers=tuple(dict.fromkeys(ids)),
        remarks=remarks or None,
        source_line=line,
    )


def read_sdn(path: Path = SDN_2024) -> Iterator[ListEntity]:
    with path.open(encoding="latin-1", newline="") as handle:
        for line, row in enumerate(csv.reader(handle), start=1):
            if len(row) >= 12 and row[0].strip().isdigit():
                yield _entity(row, line)


@lru_cache(maxsize=1)
def sdn_2024() -> tuple[ListEntity, ...]:
    return tuple(read_sdn())
