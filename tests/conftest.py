"""Shared fixtures.

* Every test runs with ``PRECURSOR_WATCH_HOME`` in its own tmp folder and no ``PRECURSOR_WATCH_DB``.
* ``postgres_server`` (session) starts a REAL throwaway PostgreSQL 15 (initdb + pg_ctl as user
  postgres, in a tmp folder, on a free port, fsync off; stopped with ``-m immediate``), unless
  ``PRECURSOR_WATCH_TEST_PG`` names a server (a ``postgresql+psycopg://`` URL) on which test
  databases may be created. Under pytest-xdist each worker has its own session, hence its own
  server (own port and folder). Skipped only when the server binaries are not installed.
* ``database_url`` is parametrized over ``sqlite`` and ``postgresql``: a test that takes it runs on
  both, each time on a fresh, empty database (not yet migrated).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SANCTIONS_DATA = (
    Path(os.environ.get("PRECURSOR_WATCH_SHARED_DATA", "/work/shared/data")) / "sanctions"
)
PG_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"), Path("/usr/lib/postgresql/16/bin"))


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("pw-home")
    monkeypatch.setenv("PRECURSOR_WATCH_HOME", str(home))
    monkeypatch.delenv("PRECURSOR_WATCH_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def sanctions_data() -> Path:
    if not SANCTIONS_DATA.is_dir():
        pytest.skip(f"shared sanctions data not found at {SANCTIONS_DATA}")
    return SANCTIONS_DATA


@dataclass(frozen=True)
class PostgresServer:
    admin_url: str  # URL of the maintenance database "postgres"

    def url_for(self, database: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + database


def _pg_bin() -> Path | None:
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and pg_ctl refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    given = os.environ.get("PRECURSOR_WATCH_TEST_PG")
    if given:
        yield PostgresServer(given)
        return
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    workdir = Path(tempfile.mkdtemp(prefix="pw-pg-"))
    data_dir = workdir / "data"
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    workdir.chmod(0o700)
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data_dir),
                "--auth=trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-instructions",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data_dir),
                "-o",
                options,
                "-l",
                str(workdir / "server.log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _create_pg_database(server: PostgresServer) -> str:
    import psycopg

    name = f"pw_test_{uuid.uuid4().hex[:12]}"
    conninfo = server.admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.url_for(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database URL; the test runs once on SQLite and once on PostgreSQL."""
    from precursor_watch.storage.db import close_databases

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = _create_pg_database(request.getfixturevalue("postgres_server"))
    yield url
    close_databases()
