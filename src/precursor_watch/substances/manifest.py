"""The knowledge-base manifest: each table's version, sha256, row count, source and retrieval.

``manifest.json`` sits beside the tables in ``precursor_watch/data``. The loader refuses a
table whose checksum differs from the manifest, so every change to a table goes through review
and an explicit ``python -m precursor_watch.substances.manifest --write``; ``--check`` (run by
the tests) reports drift.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from precursor_watch.errors import DataError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MANIFEST_NAME = "manifest.json"

REFERENCE = (
    "/work/shared/data/precursors.csv and class_definitions.md "
    "(reference data, research cut-off Dec 2025)"
)
RETRIEVED = "2026-11-23"

# Every table of the knowledge base, with where its facts come from.
TABLES: dict[str, str] = {
    "substances.csv": f"{REFERENCE}; identities computed with RDKit",
    "synonyms.csv": f"{REFERENCE}; misspellings marked source=editorial",
    "salts.csv": f"{REFERENCE} (cas_rn_salts)",
    "listings.csv": f"{REFERENCE}; start dates researched with public sources cited per row",
    "status_notes.csv": f"{REFERENCE} (cells stating non-control or unverified claims)",
    "class_rules.csv": "class_definitions.md (legal texts quoted there); SMARTS tested with RDKit",
    "class_rule_examples.csv": "class_definitions.md appendices A and B",
    "watch_parents.csv": "editorial selection from the listed precursors",
    "surveillance.csv": f"{REFERENCE} (rows marked watch-list candidate)",
}


@dataclass(frozen=True, slots=True)
class FileEntry:
    version: str
    sha256: str
    rows: int
    source: str
    retrieved: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "sha256": self.sha256,
            "rows": self.rows,
            "source": self.source,
            "retrieved": self.retrieved,
        }


@dataclass(frozen=True, slots=True)
class Manifest:
    data_version: str
    files: dict[str, FileEntry]

    def as_dict(self) -> dict[str, Any]:
        return {
            "data_version": self.data_version,
            "files": {name: entry.as_dict() for name, entry in sorted(self.files.items())},
        }


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def data_version_for(files: dict[str, FileEntry]) -> str:
    """``kb-YYYY.MM.DD-<8 hex>``: the newest file version plus a short hash over all file hashes."""
    newest = max(entry.version for entry in files.values())
    digest = hashlib.sha256(
        "".join(f"{name}:{files[name].sha256}\n" for name in sorted(files)).encode()
    ).hexdigest()[:8]
    return f"kb-{newest.replace('-', '.')}-{digest}"


def read_manifest(data_dir: Path = DATA_DIR) -> Manifest:
    path = data_dir / MANIFEST_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        files = {
            name: FileEntry(
                version=str(item["version"]),
                sha256=str(item["sha256"]),
                rows=int(item["rows"]),
                source=str(item["source"]),
                retrieved=str(item["retrieved"]),
            )
            for name, item in raw["files"].items()
        }
        return Manifest(data_version=str(raw["data_version"]), files=files)
    except FileNotFoundError as exc:
        raise DataError(f"{path}: knowledge-base manifest is missing") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: knowledge-base manifest is malformed ({exc})") from exc


def compute_manifest(data_dir: Path = DATA_DIR, previous: Manifest | None = None) -> Manifest:
    """Recompute every entry; a file keeps its previous version unless its checksum changed."""
    today = dt.date.today().isoformat()
    files: dict[str, FileEntry] = {}
    for name, source in TABLES.items():
        path = data_dir / name
        if not path.exists():
            raise DataError(f"{path}: knowledge-base table is missing")
        digest = sha256_of(path)
        old = previous.files.get(name) if previous else None
        version = old.version if old is not None and old.sha256 == digest else today
        retrieved = old.retrieved if old is not None else RETRIEVED
        files[name] = FileEntry(version, digest, count_rows(path), source, retrieved)
    return Manifest(data_version=data_version_for(files), files=files)


def manifest_problems(data_dir: Path = DATA_DIR) -> list[str]:
    """Every difference between the stored manifest and the files on disk (empty when in sync)."""
    stored = read_manifest(data_dir)
    fresh = compute_manifest(data_dir, stored)
    problems = [
        f"{name}: {field} is {getattr(fresh.files[name], field)!r}, "
        f"manifest says {getattr(stored.files[name], field)!r}"
        for name in fresh.files
        if name in stored.files
        for field in ("sha256", "rows")
        if getattr(fresh.files[name], field) != getattr(stored.files[name], field)
    ]
    problems += [f"{name}: not in the manifest" for name in fresh.files if name not in stored.files]
    problems += [
        f"{name}: in the manifest but not a table"
        for name in stored.files
        if name not in fresh.files
    ]
    if not problems and stored.data_version != fresh.data_version:
        problems.append(
            f"data_version is {fresh.data_version}, manifest says {stored.data_version}"
        )
    return problems


def write_manifest(data_dir: Path = DATA_DIR) -> Manifest:
    path = data_dir / MANIFEST_NAME
    previous = read_manifest(data_dir) if path.exists() else None
    manifest = compute_manifest(data_dir, previous)
    path.write_text(
        json.dumps(manifest.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="fail if manifest.json is out of date")
    action.add_argument("--write", action="store_true", help="recompute and write manifest.json")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    try:
        if args.write:
            manifest = write_manifest(args.data_dir)
            print(f"wrote {args.data_dir / MANIFEST_NAME} ({manifest.data_version})")
            return 0
        problems = manifest_problems(args.data_dir)
    except DataError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("run: python -m precursor_watch.substances.manifest --write", file=sys.stderr)
        return 1
    print(f"manifest up to date ({read_manifest(args.data_dir).data_version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
