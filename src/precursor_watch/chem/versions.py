"""Versions of everything the chemistry engine's answers depend on, for results to record.

A screening result is reproducible only if it says which RDKit, InChI, OPSIN, salt table,
modification table and rule set produced it. ``engine_versions`` gathers the first five (data
tables by the SHA-256 of their bytes); ``ClassRuleEngine.digest`` covers the rule set.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from functools import cache
from importlib import metadata, resources
from pathlib import Path

import rdkit
from rdkit.Chem import rdinchi

from precursor_watch.chem.fragment_table import TABLE_FILE
from precursor_watch.chem.modifications import MODIFICATIONS_FILE

_JAR = re.compile(r"^opsin-cli-(.+)-jar-with-dependencies\.jar$")


def opsin_version() -> str:
    """OPSIN version from the jar bundled with py2opsin (found without importing py2opsin,
    whose import runs ``java -version``)."""
    spec = importlib.util.find_spec("py2opsin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for path in Path(folder).glob("opsin-cli-*.jar"):
            found = _JAR.match(path.name)
            if found:
                return found.group(1)
    return "not installed"


def data_digest(file_name: str) -> str:
    """SHA-256 (first 16 hex digits) of a file in ``chem/data``."""
    data = resources.files("precursor_watch.chem").joinpath("data", file_name).read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


@cache
def engine_versions() -> dict[str, str]:
    """Name -> version of every component behind a chemistry answer."""
    return {
        "rdkit": str(rdkit.__version__),
        "inchi": str(rdinchi.GetInchiVersion()),
        "py2opsin": _package_version("py2opsin"),
        "opsin": opsin_version(),
        "salts_solvents": data_digest(TABLE_FILE),
        "modifications": data_digest(MODIFICATIONS_FILE),
    }
