"""A derived, names-only export of OFAC's advanced XML as JSON lines:
``{"entity_id": 36, "names": [{"full_name": ..., "is_primary": true, "type_id": "1403"}]}``.

Not an official format (a third party's parse of ``sdn_advanced.xml``): it has names and alias
types only, no entity types, programs, countries or identifiers, so it is loaded as its own list
``us_ofac_sdn_names`` and never replaces the full SDN list. Alias type ids are those of OFAC's
advanced XML reference values: 1400 a.k.a., 1401 f.k.a., 1402 n.k.a., 1403 name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from precursor_watch.domain.parties import AliasStrength, EntityName, EntityType, ListEntity
from precursor_watch.sources.json_lines import read_json_lines
from precursor_watch.sources.parsed_list import LoadIssue, ParsedList, single_file_list
from precursor_watch.sources.scripts import script_of

LIST_NAME = "us_ofac_sdn_names"
FORMAT = "ofac_names_jsonl"
ALIAS_KINDS = {"1400": "aka", "1401": "fka", "1402": "nka", "1403": "primary"}


def _entity(
    line: int, record: dict[str, object], file: str, issues: list[LoadIssue]
) -> ListEntity | None:
    raw_names = record.get("names")
    entity_id = str(record.get("entity_id") or "").strip()
    if not entity_id or not isinstance(raw_names, list):
        issues.append(LoadIssue(file, line, "record without entity_id or names", "entity_id"))
        return None
    names: list[EntityName] = []
    for item in raw_names:
        if not isinstance(item, dict) or not str(item.get("full_name") or "").strip():
            issues.append(LoadIssue(file, line, f"name without full_name: {item!r}", "names"))
            continue
        text = " ".join(str(item["full_name"]).split())
        if item.get("is_primary"):
            names.insert(0, EntityName(text, AliasStrength.PRIMARY, script_of(text), "primary"))
        else:
            kind = ALIAS_KINDS.get(str(item.get("type_id")), "aka")
            names.append(
                EntityName(
                    text,
                    AliasStrength.STRONG,
                    script_of(text),
                    "aka" if kind == "primary" else kind,
                )
            )
    if not names:
        return None
    return ListEntity(
        LIST_NAME, entity_id, EntityType.UNKNOWN, tuple(dict.fromkeys(names)), source_line=line
    )


def _entities(path: Path, issues: list[LoadIssue]) -> Iterator[ListEntity]:
    for line, record in read_json_lines(path, issues):
        if not isinstance(record, dict):
            issues.append(LoadIssue(path.name, line, "not a JSON object"))
            continue
        if (entity := _entity(line, record, path.name, issues)) is not None:
            yield entity


def read_ofac_names_jsonl(path: Path) -> ParsedList:
    return single_file_list(LIST_NAME, FORMAT, path, _entities)
