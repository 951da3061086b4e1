"""OFAC's legacy SDN CSV set: ``sdn.csv`` plus, from the same folder, ``add.csv`` (addresses),
``alt.csv`` (strong aliases) and ``sdn_comments.csv`` (Remarks that did not fit in sdn.csv).

Files are Windows-1252, ``-0-`` means empty, rows end in CRLF and the file ends with 0x1A.
Weak aliases are only in the Remarks (``a.k.a. 'X'``); programs are the bracketed tags of the
Program column (``SDNTK] [ILLICIT-DRUGS-EO14059``). The files carry no date: the publish date
comes from a YYYY-MM-DD in the folder name, else from the file's modification time.

Without sdn.csv, alt.csv and add.csv are read as the separate list ``us_ofac_sdn_aliases``
(see :func:`read_ofac_csv`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    Identifier,
    ListEntity,
)
from precursor_watch.errors import ListLoadError
from precursor_watch.sources.countries import country_code
from precursor_watch.sources.csv_records import null, read_records
from precursor_watch.sources.ofac_remarks import parse_remarks
from precursor_watch.sources.parsed_list import (
    LoadIssue,
    ParsedList,
    date_from_folder_or_mtime,
    source_file,
)

LIST_NAME = "us_ofac_sdn"
ALIAS_LIST_NAME = "us_ofac_sdn_aliases"
ALIAS_ONLY_REMARK = (
    "Aliases and addresses only: this OFAC SDN entry (ent_num) was read from alt.csv/add.csv "
    "without sdn.csv, so its primary name, type and programs are not here."
)
FORMAT = "ofac_csv"
ENCODING = "cp1252"
COMPANIONS = ("add.csv", "alt.csv", "sdn_comments.csv")
SDN_TYPES = {
    "individual": EntityType.PERSON,
    "vessel": EntityType.VESSEL,
    "aircraft": EntityType.AIRCRAFT,
    None: EntityType.ORGANIZATION,
}
ALT_KINDS = {"aka": "aka", "fka": "fka", "nka": "nka"}


@dataclass(slots=True)
class Companions:
    """add.csv / alt.csv / sdn_comments.csv rows grouped by ent_num, with their first line."""

    addresses: dict[str, list[tuple[str, str | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    aliases: dict[str, list[EntityName]] = field(default_factory=lambda: defaultdict(list))
    comments: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    first_line: dict[tuple[str, str], int] = field(default_factory=dict)


def sdn_set(path: Path) -> tuple[Path | None, tuple[Path, ...]]:
    """``sdn.csv`` (None when absent) and the companion files beside it (``path``: a file or
    the folder)."""
    folder = path if path.is_dir() else path.parent
    sdn = folder / "sdn.csv" if path.is_dir() or path.name.lower() in COMPANIONS else path
    companions = _companions(folder)
    if not sdn.exists():
        if "alt.csv" not in {p.name for p in companions}:
            raise ListLoadError(
                f"{folder}: neither sdn.csv nor alt.csv here: nothing to load. OFAC's entries "
                "(names, types, programs) are in sdn.csv, their aliases in alt.csv."
            )
        return None, companions
    return sdn, companions


def _companions(folder: Path) -> tuple[Path, ...]:
    return tuple(folder / name for name in COMPANIONS if (folder / name).exists())


def _ent_num(path: Path, line: int, row: list[str], issues: list[LoadIssue]) -> str | None:
    """The row's ent_num, the entry number that joins sdn.csv and its companions; None (and
    reported) when it is not a number."""
    ent_num = row[0].strip()
    if ent_num.isdigit():
        return ent_num
    issues.append(LoadIssue(path.name, line, f"ent_num {ent_num!r} is not a number", "ent_num"))
    return None


def _read_companions(paths: tuple[Path, ...], issues: list[LoadIssue]) -> Companions:
    found = Companions()
    for path in paths:
        name = path.name.lower()
        width = {"add.csv": 6, "alt.csv": 5, "sdn_comments.csv": 2}[name]
        for line, row in read_records(path, issues, fields=width, encoding=ENCODING):
            ent_num = _ent_num(path, line, row, issues)
            if ent_num is None:
                continue
            found.first_line.setdefault((name, ent_num), line)
            if name == "add.csv":
                parts = [p for p in (null(row[2]), null(row[3]), null(row[4])) if p]
                if parts:
                    found.addresses[ent_num].append((", ".join(parts), null(row[4])))
            elif name == "alt.csv":
                alias = null(row[3])
                if alias:
                    kind = ALT_KINDS.get((null(row[2]) or "aka").lower().replace(".", ""), "aka")
                    found.aliases[ent_num].append(
                        EntityName(alias, AliasStrength.STRONG, kind=kind)
                    )
                else:
                    issues.append(
                        LoadIssue(path.name, line, "alias row without a name", "alt_name")
                    )
            else:
                if null(row[1]):  # raw: it continues the Remarks mid-word
                    found.comments[ent_num].append(row[1])
    return found


def _entity(line: int, row: list[str], extra: Companions) -> ListEntity:
    ent_num = row[0].strip()
    # sdn.csv cuts Remarks at 1,000 characters; sdn_comments.csv holds the rest, cut mid-word
    head = row[11] if null(row[11]) else ""
    remarks = (head + "".join(extra.comments.get(ent_num, ()))).strip() or None
    facts = parse_remarks(remarks)
    programs = tuple(
        dict.fromkeys(p.strip(" []") for p in (null(row[3]) or "").split("] [") if p.strip(" []"))
    )
    addresses = extra.addresses.get(ent_num, [])
    countries = [*facts.countries]
    countries += [c for _, country in addresses if (c := country_code(country))]
    if flag := country_code(null(row[9])):
        countries.append(flag)
    identifiers: list[Identifier] = list(facts.identifiers)
    if call_sign := null(row[5]):
        identifiers.append(Identifier("call_sign", call_sign))
    names = (
        EntityName(null(row[1]) or "", AliasStrength.PRIMARY, kind="primary"),
        *extra.aliases.get(ent_num, ()),
        *facts.weak_aliases,
    )
    return ListEntity(
        list=LIST_NAME,
        entity_id=ent_num,
        entity_type=SDN_TYPES.get((null(row[2]) or "").lower() or None, EntityType.UNKNOWN),
        names=names,
        programs=programs,
        countries=tuple(dict.fromkeys(countries)),
        addresses=tuple(dict.fromkeys(a for a, _ in addresses)),
        birth_dates=facts.birth_dates,
        identifiers=tuple(dict.fromkeys(identifiers)),
        remarks=remarks,
        source_line=line,
    )


def _entities(
    sdn: Path, companions: tuple[Path, ...], issues: list[LoadIssue]
) -> Iterator[ListEntity]:
    extra = _read_companions(companions, issues)
    seen: set[str] = set()
    for line, row in read_records(sdn, issues, fields=12, encoding=ENCODING):
        ent_num = _ent_num(sdn, line, row, issues)
        if ent_num is None:
            continue
        if not null(row[1]):
            issues.append(LoadIssue(sdn.name, line, "entry without a name", "SDN_Name"))
            continue
        seen.add(ent_num)
        yield _entity(line, row, extra)
    for (name, ent_num), line in sorted(extra.first_line.items(), key=lambda kv: (kv[0][0], kv[1])):
        if ent_num not in seen:
            issues.append(
                LoadIssue(
                    name, line, f"ent_num {ent_num} is not in sdn.csv: row not loaded", "ent_num"
                )
            )


def _alias_entities(companions: tuple[Path, ...], issues: list[LoadIssue]) -> Iterator[ListEntity]:
    """Without sdn.csv: one entry per ent_num that has aliases in alt.csv, with its addresses."""
    extra = _read_companions(companions, issues)
    order = sorted(
        (line, ent_num) for (name, ent_num), line in extra.first_line.items() if name == "alt.csv"
    )
    for line, ent_num in order:
        addresses = extra.addresses.get(ent_num, [])
        raw = "".join(extra.comments.get(ent_num, ())).strip() or None
        facts = parse_remarks(raw)
        yield ListEntity(
            list=ALIAS_LIST_NAME,
            entity_id=ent_num,
            entity_type=EntityType.UNKNOWN,
            names=tuple(extra.aliases[ent_num]),
            countries=tuple(
                dict.fromkeys(c for _, country in addresses if (c := country_code(country)))
            ),
            addresses=tuple(dict.fromkeys(a for a, _ in addresses)),
            identifiers=facts.identifiers,
            remarks=ALIAS_ONLY_REMARK + (f" Remarks overflow: {raw}" if raw else ""),
            source_line=line,
        )
    named = {ent_num for _, ent_num in order}
    for file in ("add.csv", "sdn_comments.csv"):
        rows = sorted(
            line
            for (name, ent_num), line in extra.first_line.items()
            if name == file and ent_num not in named
        )
        if rows:
            issues.append(
                LoadIssue(
                    file,
                    rows[0],
                    f"{len(rows)} entries here have no alias in alt.csv and "
                    "their names are only in sdn.csv, which is absent: not loaded",
                    "ent_num",
                )
            )


def read_ofac_csv(path: Path) -> ParsedList:
    """Open the SDN CSV set at ``path`` (sdn.csv, a companion file, or their folder).

    A folder with alt.csv but no sdn.csv (a partial download or mirror) is read as the separate
    list ``us_ofac_sdn_aliases``: one entry per ent_num with its strong aliases and addresses,
    type unknown and no programs. It never replaces ``us_ofac_sdn``.
    """
    sdn, companions = sdn_set(path)
    issues: list[LoadIssue] = []
    if sdn is None:
        return ParsedList(
            list_name=ALIAS_LIST_NAME,
            format=FORMAT,
            files=tuple(source_file(p) for p in companions),
            publish_date=date_from_folder_or_mtime(companions[0]),
            entities=_alias_entities(companions, issues),
            issues=issues,
        )
    return ParsedList(
        list_name=LIST_NAME,
        format=FORMAT,
        files=tuple(source_file(p) for p in (sdn, *companions)),
        publish_date=date_from_folder_or_mtime(sdn),
        entities=_entities(sdn, companions, issues),
        issues=issues,
    )
