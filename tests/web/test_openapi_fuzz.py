"""Property-based run of the OpenAPI document with schemathesis: no generated request makes the
server fail (no 5xx), and every answer has a status, content type and body the document
declares. Few examples per operation, so it stays well under a minute."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import make_console

FUZZ_FOLDER = Path(tempfile.mkdtemp(prefix="pw-fuzz-"))
atexit.register(shutil.rmtree, FUZZ_FOLDER, True)
CONSOLE = make_console(FUZZ_FOLDER)
AUTH = {"Authorization": f"Bearer {CONSOLE.tokens[Role.ADMIN]}"}

schema = schemathesis.openapi.from_asgi("/openapi.json", CONSOLE.app, headers=AUTH)
# Revoking a random token id could revoke the fuzzer's own token and turn the rest into 401s.
schema = schema.exclude(method="DELETE", path="/api/me/tokens/{token_id}")


# No 5xx; every status, content type and body (errors included) is the one the document says.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_document_is_served_only_to_authenticated_callers() -> None:
    client = CONSOLE.client()
    assert client.get("/openapi.json").status_code == 401
    document = CONSOLE.api(Role.VIEWER).get("/openapi.json").json()
    assert document["info"]["title"] == "precursor-watch"
    assert "/api/substances/screen" in document["paths"]


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.slow
def test_no_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH, checks=CHECKS)
