"""Fixtures of the web tests: one console per test session on a real SQLite file, with a user and
an API token for every role. Tests that change state create their own objects."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from precursor_watch.storage.db import session_scope
from precursor_watch.web.accounts import repository
from precursor_watch.web.accounts.roles import Role
from precursor_watch.web.app import create_app
from precursor_watch.web.config import WebConfig

PASSWORD = "correct horse battery staple"


@dataclass
class Console:
    app: FastAPI
    config: WebConfig
    tokens: dict[Role, str]

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://127.0.0.1")

    def api(self, role: Role) -> TestClient:
        client = self.client()
        client.headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return client

    def browser(self, role: Role) -> tuple[TestClient, str]:
        """A client signed in through the form as the user of ``role``, and its CSRF token."""
        client = self.client()
        response = client.post(
            "/login",
            data={"username": role.value, "password": PASSWORD, "next": "/account"},
            follow_redirects=True,
        )
        assert response.status_code == 200, response.text
        csrf = response.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        return client, csrf


def make_console(folder: Path, database_url: str | None = None) -> Console:
    config = WebConfig(
        database_url=database_url or f"sqlite:///{folder / 'console.db'}",
        secret_key="test-secret-key-not-for-production",
        work_dir=folder / "work",
    )
    app = create_app(config)
    tokens: dict[Role, str] = {}
    with session_scope(app.state.engine) as session:
        for role in Role:
            repository.add_user(session, role.value, role, PASSWORD, f"Test {role.value}")
            tokens[role] = repository.create_token(session, role.value, "tests")[1]
    return Console(app, config, tokens)


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    yield make_console(tmp_path_factory.mktemp("console"))


def seed_decisions(console: Console, n_lines: int = 40, seed: int = 1) -> list[int]:
    """Screen generated sample orders with the real engine and store them: returns case ids."""
    from sqlalchemy import select

    from precursor_watch import screen_order
    from precursor_watch.samples.generator import generate
    from precursor_watch.screening.batch_records import DecisionToStore
    from precursor_watch.storage.case_tables import CaseRow
    from precursor_watch.storage.decisions import record_decisions

    items = [
        DecisionToStore(screen_order(s.order), order_data=s.order.to_json())
        for s in generate(n_lines, seed=seed, planted_rate=0.3)
    ]
    with session_scope(console.app.state.engine) as session:
        ids = record_decisions(session, items)
        return list(
            session.execute(
                select(CaseRow.id).where(CaseRow.decision_id.in_(ids)).order_by(CaseRow.id)
            ).scalars()
        )


@pytest.fixture(scope="session")
def case_ids(console: Console) -> list[int]:
    ids = seed_decisions(console)
    assert len(ids) >= 10
    return ids


@pytest.fixture(scope="session")
def sdn_loaded(console: Console) -> str:
    """The real OFAC SDN of 2024-05-03 loaded into the console's database; returns its list name."""
    from precursor_watch.storage.list_store import load_list
    from tests.conftest import SANCTIONS_DATA

    path = SANCTIONS_DATA / "ofac_sdn_2024-05-03" / "sdn.csv"
    if not path.exists():
        pytest.skip(f"shared sanctions data not found at {path}")
    return load_list(console.app.state.engine, path).list_name


def sample_order_file(folder: Path, n_lines: int = 60, seed: int = 7, bad_row: bool = True) -> Path:
    """A generated order CSV (real generator) with, optionally, one row whose quantity is bad."""
    import csv

    from precursor_watch.samples.generator import write_sample

    path = folder / f"orders-{seed}.csv"
    write_sample(path, n_lines, seed=seed, planted_rate=0.2)
    if bad_row:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        broken = dict(rows[0], order_id="BAD-1", quantity="lots")
        with path.open("a", newline="", encoding="utf-8") as handle:
            csv.DictWriter(handle, fieldnames=list(rows[0])).writerow(broken)
    return path


def wait_for_batch(client: TestClient, batch_id: str, timeout: float = 120.0) -> dict[str, object]:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, object] = client.get(f"/api/batches/{batch_id}").json()
        if body["state"] in ("finished", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} did not finish in {timeout} s")
