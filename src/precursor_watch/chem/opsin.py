"""Systematic (IUPAC) names to structures with OPSIN, through ``py2opsin``, in batches.

OPSIN runs in a Java VM; every call starts one (about 1 s), so ``names_to_structures`` sends the
whole list in one call (one JVM per batch, measured: 56 names in 0.8 s). ``py2opsin`` writes its
input to a file in the current directory unless told otherwise, warns instead of raising and
returns ``False`` on failure; this module gives it a private temporary file, turns its warnings
into per-name errors and never raises: if Java or OPSIN is unavailable every result carries that
error. ``looks_systematic`` is a cheap filter so that only plausible systematic names are sent.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

MAX_NAME_LENGTH: Final = 1000
# Capturing warnings and swapping sys.stdout/sys.stderr change process-wide state: overlapping
# calls from several threads (the web server's workers) would lose each other's per-name errors
# and could leave a stale warnings hook installed. One OPSIN run at a time per process.
_PROCESS_WIDE: Final = threading.Lock()
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")

_LOCANT: Final = re.compile(r"\d+(?:,\d+)*-|[NOS],[NOS]'?-|\b[NOS]-|\(\d+[A-Za-z]?\)|[\[\]]")
_SYSTEMATIC_PART: Final = re.compile(
    r"(?:yl|ylidene|one|ol|al|amine|amide|oic|ate|ine|ane|ene|yne|oxy|oxo|amino|carbonyl|"
    r"carboxylate|carboxylic|carbonitrile|nitrile|phenyl|benzo|pyr|pip|oxir|diox|furan|"
    r"thio|fluoro|chloro|bromo|iodo|methyl|ethyl|propyl|butyl|hydro)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class OpsinResult:
    """OPSIN's answer for one name: a SMILES or an error saying why not."""

    name: str
    smiles: str | None
    error: str | None


def looks_systematic(name: str) -> bool:
    """Cheap guess that ``name`` is a systematic name OPSIN could parse.

    True when the name has a locant (``4-``, ``1,3-``, ``N-``), brackets or several systematic
    name parts (``piperidin``, ``-one``, ``carboxylate``...). Trade names and abbreviations
    ("fentanyl", "NPP", "4-AP") mostly fail and are left to the synonym index.
    """
    text = name.strip()
    if len(text) < 6 or len(text) > MAX_NAME_LENGTH or "\n" in text or "\r" in text:
        return False
    parts = len(_SYSTEMATIC_PART.findall(text))
    if _LOCANT.search(text):
        return parts >= 1 and sum(ch.isalpha() for ch in text) >= 5
    return parts >= 2


def _unavailable(names: Sequence[str], reason: str) -> dict[str, OpsinResult]:
    return {name: OpsinResult(name, None, f"OPSIN unavailable: {reason}") for name in names}


def _errors_by_name(messages: list[str], names: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for message in messages:
        for line in message.splitlines():
            line = line.removeprefix(" > ").strip()
            head, sep, reason = line.partition(" is unparsable due to ")
            if sep and head in names:
                detail = reason.split(" The following was not parseable")[0].strip()
                errors.setdefault(head, f"not understood by OPSIN ({detail})")
    return errors


@contextmanager
def _utf8_std_streams() -> Iterator[None]:
    """py2opsin decodes OPSIN's output with ``sys.stdout.encoding`` / ``sys.stderr.encoding``,
    which are None for a captured stream (io.StringIO) and may be ASCII; for the duration of the
    call such streams are replaced by UTF-8 ones (py2opsin only reads their encoding)."""
    saved = sys.stdout, sys.stderr
    try:
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if (getattr(stream, "encoding", None) or "").lower().replace("-", "") != "utf8":
                setattr(sys, name, io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
        yield
    finally:
        sys.stdout, sys.stderr = saved


def names_to_structures(names: Sequence[str]) -> dict[str, OpsinResult]:
    """Translate names to SMILES with one OPSIN run; never raises.

    Names with control characters (a tab would make OPSIN read the rest as an identifier, a line
    break would shift every following answer) or longer than 1,000 characters are not sent and
    get an error.
    """
    unique = list(dict.fromkeys(names))
    results: dict[str, OpsinResult] = {}
    sendable = []
    for name in unique:
        if not name.strip() or _CONTROL.search(name) or len(name) > MAX_NAME_LENGTH:
            results[name] = OpsinResult(
                name, None, "not sent to OPSIN: empty, too long or contains control characters"
            )
        else:
            sendable.append(name)
    if not sendable:
        return results
    if shutil.which("java") is None:
        return results | _unavailable(sendable, "java not found")
    try:
        with (
            _PROCESS_WIDE,
            warnings.catch_warnings(record=True) as caught,
            tempfile.TemporaryDirectory() as tmp,
            _utf8_std_streams(),
        ):
            warnings.simplefilter("always")
            from py2opsin import py2opsin

            output = py2opsin(list(sendable), tmp_fpath=str(Path(tmp) / "names.txt"))
    except Exception as exc:  # py2opsin/Java failures of any kind become results
        return results | _unavailable(sendable, f"{type(exc).__name__}: {exc}")
    if not isinstance(output, list) or len(output) != len(sendable):
        return results | _unavailable(sendable, "OPSIN returned no usable output")
    errors = _errors_by_name([str(w.message) for w in caught], set(sendable))
    for name, smiles in zip(sendable, output, strict=True):
        if smiles:
            results[name] = OpsinResult(name, smiles, None)
        else:
            results[name] = OpsinResult(name, None, errors.get(name, "not understood by OPSIN"))
    return results
