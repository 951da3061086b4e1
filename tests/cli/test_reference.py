"""docs/cli.md is generated from the commands: it must be current (regenerate with
``python -m precursor_watch.cli.reference > docs/cli.md``)."""

from __future__ import annotations

from pathlib import Path

from precursor_watch.cli.main import COMMANDS
from precursor_watch.cli.reference import render

DOC = Path(__file__).parents[2] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is out of date: python -m precursor_watch.cli.reference > docs/cli.md"
    )


def test_every_command_is_in_the_reference() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"## `precursor-watch {name}`" in text, name
