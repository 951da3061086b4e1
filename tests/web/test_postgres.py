"""The console on a real PostgreSQL server (started by the tests): accounts, the case queue's
filters (rule and country through the indexed case facts), a disposition and the audit chain."""

from __future__ import annotations

import pytest

from precursor_watch.web.accounts.roles import Role
from tests.conftest import PostgresServer, _create_pg_database
from tests.web.conftest import Console, make_console, seed_decisions

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_console(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Console:
    return make_console(tmp_path_factory.mktemp("pg-console"), _create_pg_database(postgres_server))


def test_console_on_postgresql(pg_console: Console) -> None:
    assert pg_console.app.state.engine.dialect.name == "postgresql"
    case_ids = seed_decisions(pg_console, n_lines=20, seed=3)
    api = pg_console.api(Role.SUPERVISOR)
    queue = api.get("/api/cases").json()
    assert queue["total"] == len(case_ids)
    rule = queue["cases"][0]["rules"][0]
    assert api.get("/api/cases", params={"rule": rule}).json()["total"] >= 1
    country = next(c["country"] for c in queue["cases"] if c["country"])
    assert api.get("/api/cases", params={"country": country}).json()["total"] >= 1
    done = api.post(
        f"/api/cases/{case_ids[0]}/disposition",
        json={"disposition": "released", "reason": "known customer"},
    )
    assert done.status_code == 201
    client, _ = pg_console.browser(Role.VIEWER)
    assert client.get("/").status_code == 200
    assert api.get("/api/audit/verify").json()["intact"] is True
