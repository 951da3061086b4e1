"""The README's examples run: every `$ precursor-watch substance ...` line and every Python block."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from precursor_watch.cli.main import cli

README = Path(__file__).parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")
SUBSTANCE_LINES = [
    line[2:] for line in TEXT.splitlines() if line.startswith("$ precursor-watch substance ")
]
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)


def test_quick_start_names_exactly_the_two_commands() -> None:
    block = TEXT.split("## Quick start", 1)[1].split("```")[1]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]


@pytest.mark.parametrize("line", SUBSTANCE_LINES)
def test_substance_examples_run(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = shlex.split(line)[1:]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.strip()


def test_piped_example_runs() -> None:
    piped = [line[2:] for line in TEXT.splitlines() if line.startswith("$ echo ")]
    assert piped
    for line in piped:
        text, command = line.split("|")
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(cli, args, input=shlex.split(text)[1] + "\n")
        assert result.exit_code == 0, result.output
        assert '"status": "watch"' in result.output or '"status": "controlled"' in result.output


@pytest.mark.parametrize("block", PYTHON_BLOCKS)
def test_python_examples_run(block: str) -> None:
    namespace: dict[str, object] = {}
    exec(compile(block, str(README), "exec"), namespace)
