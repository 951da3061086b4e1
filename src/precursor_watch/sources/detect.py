"""Which reader reads a file: ``detect_format(path)`` sniffs it, ``open_list(path, fmt)`` opens it.

Formats: ``ofac_csv`` (sdn.csv + companions), ``ofac_xml`` (SDN XML), ``un_xml`` (UN Security
Council consolidated list), ``csl_csv`` (US Consolidated Screening List), ``bis_dpl`` (BIS Denied
Persons List, tab-separated), ``ftm_json`` (FollowTheMoney JSON lines, OpenSanctions),
``ofac_names_jsonl`` (a derived names-only export of OFAC's advanced XML).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

from precursor_watch.errors import ListLoadError
from precursor_watch.sources.parsed_list import ParsedList

# format -> "module:function" taking a Path and returning a ParsedList (imported on use)
READERS: dict[str, str] = {
    "ofac_csv": "precursor_watch.sources.ofac_csv:read_ofac_csv",
    "ofac_xml": "precursor_watch.sources.ofac_xml:read_ofac_xml",
    "un_xml": "precursor_watch.sources.un_xml:read_un_xml",
    "csl_csv": "precursor_watch.sources.csl_csv:read_csl_csv",
    "bis_dpl": "precursor_watch.sources.bis_dpl:read_bis_dpl",
    "ftm_json": "precursor_watch.sources.ftm_json:read_ftm_json",
    "ofac_names_jsonl": "precursor_watch.sources.ofac_names_jsonl:read_ofac_names_jsonl",
}
OFAC_CSV_NAMES = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"}
FORMATS = tuple(READERS)


def _sniff_json(first_line: str) -> str | None:
    try:
        record = json.loads(first_line)
    except ValueError:
        return None
    if isinstance(record, dict):
        if "schema" in record and "properties" in record:
            return "ftm_json"
        if "entity_id" in record and "names" in record:
            return "ofac_names_jsonl"
    return None


def _sniff_xml(head: str) -> str | None:
    if "<CONSOLIDATED_LIST" in head:
        return "un_xml"
    if "<sdnList" in head:
        return "ofac_xml"
    if "<Sanctions" in head and "ADVANCED_XML" in head.upper():
        raise ListLoadError(
            "OFAC's advanced XML (sdn_advanced.xml) is not supported yet: load sdn.csv with its "
            "companion files, or the SDN XML (sdn.xml)"
        )
    return None


def detect_format(path: Path) -> str:
    """The format name of ``path`` (a file, or a folder holding OFAC's CSV set)."""
    if path.is_dir():
        if any((path / name).exists() for name in OFAC_CSV_NAMES):
            return "ofac_csv"
        raise ListLoadError(f"{path}: a folder, but not an OFAC CSV folder (no sdn.csv in it)")
    if not path.exists():
        raise ListLoadError(f"{path}: no such file")
    if path.name.lower() in OFAC_CSV_NAMES:
        return "ofac_csv"
    with path.open("rb") as handle:
        raw = handle.read(8192)
    head = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = head.lstrip()
    found: str | None = None
    if stripped.startswith("<"):
        found = _sniff_xml(head)
    elif stripped.startswith("{"):
        found = _sniff_json(stripped.splitlines()[0])
    elif stripped.startswith("_id,source,entity_number"):
        found = "csl_csv"
    elif stripped.startswith('"Name"\t"Street_Address"') or stripped.startswith(
        "Name\tStreet_Address"
    ):
        found = "bis_dpl"
    elif stripped[:1].isdigit() and stripped.split("\n", 1)[0].count(",") >= 11:
        found = "ofac_csv"
    if found is None:
        raise ListLoadError(
            f"{path}: could not recognise the list format; name it with --format "
            f"(one of {', '.join(FORMATS)})"
        )
    return found


def reader_for(fmt: str) -> Callable[[Path], ParsedList]:
    target = READERS.get(fmt)
    if target is None:
        raise ListLoadError(
            f"unknown list format {fmt!r}: use one of {', '.join(FORMATS)}", field="format"
        )
    module_name, attr = target.split(":")
    reader: Callable[[Path], ParsedList] = getattr(importlib.import_module(module_name), attr)
    return reader


def open_list(path: Path, fmt: str | None = None) -> ParsedList:
    """Open ``path`` with the reader of ``fmt`` (detected when None). Entities stream lazily."""
    if not path.exists():
        raise ListLoadError(f"{path}: no such file or folder")
    try:
        return reader_for(fmt or detect_format(path))(path)
    except OSError as exc:
        raise ListLoadError(f"{path}: could not be read: {exc}") from exc
