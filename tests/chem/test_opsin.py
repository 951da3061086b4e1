from __future__ import annotations

import shutil

import pytest

from precursor_watch.chem import names_to_structures, standardize_text
from precursor_watch.chem.opsin import looks_systematic
from tests.chem.cases_io import read_cases

NAMES = read_cases("systematic_names.csv")
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="java not installed")


@pytest.mark.parametrize("case", NAMES, ids=[c["name"] for c in NAMES])
def test_looks_systematic(case: dict[str, str]) -> None:
    assert looks_systematic(case["name"]) == (case["looks_systematic"] == "yes")


@needs_java
def test_batch_of_names_in_one_call() -> None:
    names = [
        "tert-butyl 4-oxopiperidine-1-carboxylate",
        "not a chemical at all",
        "1-(2-phenylethyl)piperidin-4-one",
        "tert-butyl 4-oxopiperidine-1-carboxylate",
    ]
    results = names_to_structures(names)
    assert set(results) == set(names)
    boc = results["tert-butyl 4-oxopiperidine-1-carboxylate"]
    assert boc.error is None and boc.smiles
    assert standardize_text(boc.smiles).smiles == "CC(C)(C)OC(=O)N1CCC(=O)CC1"
    npp = results["1-(2-phenylethyl)piperidin-4-one"]
    assert npp.smiles and standardize_text(npp.smiles).connectivity == "YDJXNYNKKXZBMP"
    bad = results["not a chemical at all"]
    assert bad.smiles is None and bad.error and "not understood by OPSIN" in bad.error


def test_without_java_every_name_gets_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    results = names_to_structures(["4-anilinopiperidine"])
    assert results["4-anilinopiperidine"].error == "OPSIN unavailable: java not found"


def test_unsendable_names_are_answered_without_opsin() -> None:
    results = names_to_structures(["", "two\nlines", "4-anilinopiperidine\tid", "x" * 1001])
    assert all(r.smiles is None and r.error for r in results.values())


@needs_java
def test_works_when_standard_streams_are_captured() -> None:
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        results = names_to_structures(["4-anilinopiperidine", "xx yy"])
    assert results["4-anilinopiperidine"].smiles
    assert results["xx yy"].error and "not understood" in results["xx yy"].error


@needs_java
def test_concurrent_calls_each_keep_their_own_errors(capsys: pytest.CaptureFixture[str]) -> None:
    """The web server calls OPSIN from several worker threads at once. Warnings capture and the
    standard-stream swap are process-wide, so overlapping calls lost each other's per-name errors
    (printed to the server's stderr instead) and could leave a stale warnings hook installed.
    A race: without the lock in chem/opsin.py this failed in most runs, with it it cannot."""
    import threading
    import warnings

    original_hook = warnings.showwarning
    names = [f"unparsable name {letter}" for letter in "abc"]
    start = threading.Barrier(len(names))
    errors: dict[str, str | None] = {}

    def call(name: str) -> None:
        start.wait()
        errors[name] = names_to_structures([name])[name].error

    threads = [threading.Thread(target=call, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in names:
        detail = f"(the following being uninterpretable: {name})"
        assert errors[name] == f"not understood by OPSIN {detail}", errors[name]
    assert warnings.showwarning is original_hook
    assert "OPSIN" not in capsys.readouterr().err
