"""``precursor-watch screen`` on a cluster: the driver pins the active list versions without
building a party screener of its own (the workers screen the parties), and one built later for
other versions is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from precursor_watch.cli.screen_command import _party_screener
from precursor_watch.domain.parties import PartyQuery
from precursor_watch.errors import ConfigurationError
from precursor_watch.parties import active_lists
from precursor_watch.parties.active_lists import screener_for_database
from precursor_watch.storage.db import open_database
from precursor_watch.storage.list_store import load_list

UN_LIST = "un_sc_consolidated_2026-02-27/consolidated.xml"
DPL_LIST = "us_bis_dpl_2023-11-30/dpl.txt"


@pytest.fixture
def url(tmp_path: Path, sanctions_data: Path) -> str:
    url = f"sqlite:///{tmp_path / 'precursor-watch.db'}"
    load_list(open_database(url), sanctions_data / UN_LIST)
    return url


def test_on_a_cluster_the_driver_reads_the_versions_without_building_a_screener(
    url: str,
) -> None:
    active_lists._cache.clear()
    screen, versions = _party_screener(url, on_cluster=True)
    assert not active_lists._cache  # nothing built
    assert versions == dict(screener_for_database(url).list_versions)
    assert screen is not None


def test_in_process_the_driver_screens_with_the_lists_it_pinned(url: str) -> None:
    screen, versions = _party_screener(url, on_cluster=False)
    assert versions == dict(screener_for_database(url).list_versions)
    assert screen is not None
    assert screen(PartyQuery(name="Acme Chemicals Ltd")).list_versions == versions


def test_a_screener_asked_for_after_a_list_was_loaded_is_refused(
    url: str, sanctions_data: Path
) -> None:
    screen, _ = _party_screener(url, on_cluster=True)
    load_list(open_database(url), sanctions_data / DPL_LIST)
    with pytest.raises(ConfigurationError, match="active lists changed"):
        screen(PartyQuery(name="Acme Chemicals Ltd"))


def test_with_no_list_loaded_parties_are_not_screened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert _party_screener(url, on_cluster=True) == (None, {})
    assert "parties will not be screened" in capsys.readouterr().err
