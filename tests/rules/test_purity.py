"""The order-screening core stays pure: no web, database, CLI or chemistry library on import."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "click", "rdkit", "dask", "pyarrow")


@pytest.mark.parametrize(
    "module",
    [
        "precursor_watch.domain.orders",
        "precursor_watch.rules.registry",
        "precursor_watch.screening.order_engine",
        "precursor_watch.io.order_reader",
        "precursor_watch.samples",
    ],
)
def test_imports_nothing_heavy(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "import precursor_watch.rules.registry as r; r.load_builtin_rules(); "
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in: {out.stdout.strip()}"
