"""Fixtures of the party tests: the real 2024-05-03 OFAC SDN, loaded once per session."""

from __future__ import annotations

import pytest

from precursor_watch.parties.screener import PartyScreener
from tests.parties.acceptance import SDN_2024, load_sdn_2024


@pytest.fixture(scope="session")
def sdn_screener() -> PartyScreener:
    assert SDN_2024.exists(), f"reference data missing: {SDN_2024}"
    list_name, version, entities = load_sdn_2024()
    return PartyScreener(entities, {list_name: version})
