"""Format detection over every real snapshot, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from precursor_watch.errors import ListLoadError
from precursor_watch.sources.detect import detect_format, open_list

SNAPSHOTS = [
    ("ofac_sdn_2024-05-03", "ofac_csv"),
    ("ofac_sdn_2024-05-03/sdn.csv", "ofac_csv"),
    ("ofac_sdn_2022-01-31/alt.csv", "ofac_csv"),
    ("ofac_sdn_2026-06-02", "ofac_csv"),
    ("un_sc_consolidated_2026-02-27/consolidated.xml", "un_xml"),
    ("us_csl_2023-11-30_partial/csl.csv", "csl_csv"),
    ("us_bis_dpl_2023-11-30/dpl.txt", "bis_dpl"),
    ("opensanctions_ftm/yente_t1_entities.ftm.json", "ftm_json"),
    ("ofac_sdn_names_2025-11-26/sdn_entities.jsonl", "ofac_names_jsonl"),
]


@pytest.mark.parametrize(("relative", "fmt"), SNAPSHOTS)
def test_detects_real_files(sanctions_data: Path, relative: str, fmt: str) -> None:
    assert detect_format(sanctions_data / relative) == fmt


def test_detects_sdn_xml_fixture() -> None:
    assert (
        detect_format(Path(__file__).parent / "fixtures" / "ofac_sdn_format_fixture.xml")
        == "ofac_xml"
    )


def test_unknown_file_names_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("hello\n")
    with pytest.raises(ListLoadError, match=r"could not recognise.*--format"):
        detect_format(path)


def test_catalog_json_is_not_a_list(sanctions_data: Path) -> None:
    with pytest.raises(ListLoadError, match="could not recognise"):
        detect_format(
            sanctions_data / "opensanctions_ftm" / "opensanctions_catalog_index_2024-06.json"
        )


def test_format_override_and_unknown_format(sanctions_data: Path) -> None:
    path = sanctions_data / "us_csl_2023-11-30_partial" / "csl.csv"
    assert open_list(path, "csl_csv").format == "csl_csv"
    with pytest.raises(ListLoadError, match="unknown list format"):
        open_list(path, "nonsense")


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ListLoadError, match="no such file"):
        open_list(tmp_path / "absent.csv")
