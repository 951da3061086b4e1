"""The core stays pure: importing it must not load web, database, CLI or chemistry libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "click", "rdkit", "dask", "uvicorn")

# Libraries the domain may import besides the standard library, each with why.
DOMAIN_THIRD_PARTY = {
    # json_text: the canonical JSON hashed for every decision and order, 4x json's speed where
    # its bytes are json's (a C extension with no dependencies; web, database, CLI stay out)
    "orjson",
}

CORE_MODULES = [
    "precursor_watch",
    "precursor_watch.domain",
    "precursor_watch.errors",
    "precursor_watch.settings",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_imports_nothing_heavy(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in: {out.stdout.strip()}"


def test_domain_imports_only_stdlib_and_itself() -> None:
    import ast
    import pathlib

    import precursor_watch.domain as domain

    root = pathlib.Path(domain.__file__).parent
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert (
                    top in sys.stdlib_module_names
                    or top in DOMAIN_THIRD_PARTY
                    or name.startswith("precursor_watch.domain")
                ), f"{path.name} imports {name}"
