"""Validate every record of the bundled knowledge base with real RDKit, and the loader's errors."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from rdkit import Chem, RDLogger
from rdkit.Chem import rdMolDescriptors
from rdkit.Chem.MolStandardize import rdMolStandardize

from precursor_watch.errors import DataError
from precursor_watch.substances import manifest as kb_manifest
from precursor_watch.substances.knowledge_base import (
    JURISDICTIONS,
    ClassRuleExample,
    KnowledgeBase,
    load_knowledge_base,
)

RDLogger.DisableLog("rdApp.*")

KB = load_knowledge_base()
REFERENCE_CSV = Path("/work/shared/data/precursors.csv")
LARGEST = rdMolStandardize.LargestFragmentChooser()
URL = re.compile(r"https?://\S+")


def cas_check_digit_ok(cas: str) -> bool:
    """CAS RN: digits-digits-check, check = sum(position * digit) mod 10, from the right."""
    match = re.fullmatch(r"(\d{2,7})-(\d{2})-(\d)", cas)
    if not match:
        return False
    body = (match.group(1) + match.group(2))[::-1]
    return sum(i * int(d) for i, d in enumerate(body, start=1)) % 10 == int(match.group(3))


def normalized(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\s\-\u2010-\u2015()\[\]{}]", "", folded)


def mol(smiles: str) -> Chem.Mol:
    parsed = Chem.MolFromSmiles(smiles)
    assert parsed is not None, f"SMILES does not parse: {smiles}"
    return parsed


# ---------------------------------------------------------------- identities


def test_cas_check_digit_function_rejects_a_known_bad_number() -> None:
    # precursors.csv notes that a public repo lists norfentanyl as 1609-66-5: invalid check digit.
    assert cas_check_digit_ok("1609-66-1")
    assert not cas_check_digit_ok("1609-66-5")


@pytest.mark.parametrize("cas", [s.cas for s in KB.substances if s.cas] + [x.cas for x in KB.salts])
def test_every_cas_number_has_a_valid_check_digit(cas: str) -> None:
    assert cas_check_digit_ok(cas), cas


@pytest.mark.parametrize("record", KB.substances, ids=lambda s: s.substance_id)
def test_inchikey_and_formula_recompute_from_smiles(record: object) -> None:
    from precursor_watch.substances.knowledge_base import SubstanceRecord

    assert isinstance(record, SubstanceRecord)
    parsed = mol(record.smiles)
    assert Chem.MolToInchiKey(parsed) == record.inchikey
    assert rdMolDescriptors.CalcMolFormula(parsed) == record.formula


def test_cas_confidence_is_low_where_the_reference_says_from_memory() -> None:
    for record in KB.substances:
        notes = record.notes.lower()
        if record.cas and "cas" in notes and "from memory" in notes:
            assert record.cas_confidence == "low", record.substance_id
        assert (record.cas is None) == (record.cas_confidence is None), record.substance_id


@pytest.mark.parametrize("salt", KB.salts, ids=lambda s: s.cas)
def test_salt_structure_reduces_to_its_parent(salt: object) -> None:
    from precursor_watch.substances.knowledge_base import SaltRecord

    assert isinstance(salt, SaltRecord)
    assert salt.smiles is not None
    parent = KB.substance(salt.substance_id)
    core = LARGEST.choose(mol(salt.smiles))
    # The hydrate (gem-diol) of 4-piperidone differs from the ketone by water: compare formulas
    # after salt stripping only where the form is not a hydrate.
    if "hydrate" not in salt.form:
        assert Chem.MolToInchiKey(core)[:14] == parent.inchikey[:14]
    else:
        assert Chem.MolToInchiKey(core) != parent.inchikey


def test_names_are_unique_after_normalization() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for synonym in KB.synonyms:
        owners[normalized(synonym.name)].add(synonym.substance_id)
    clashes = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


def test_every_substance_has_exactly_one_preferred_name_matching_the_substance_table() -> None:
    for record in KB.substances:
        preferred = [s.name for s in KB.synonyms_for(record.substance_id) if s.kind == "preferred"]
        assert preferred == [record.preferred_name]


def test_misspellings_are_editorial_and_only_for_fentanyl_precursors() -> None:
    misspellings = [s for s in KB.synonyms if s.kind == "misspelling"]
    assert misspellings
    for synonym in misspellings:
        assert synonym.source == "editorial"
        assert "fentanyl" in KB.substance(synonym.substance_id).drug_family


# ---------------------------------------------------------------- listings


@pytest.mark.parametrize("listing", KB.listings, ids=lambda x: x.listing_id)
def test_every_listing_is_sourced_dated_and_known(listing: object) -> None:
    from precursor_watch.substances.knowledge_base import ListingRecord

    assert isinstance(listing, ListingRecord)
    assert listing.jurisdiction in JURISDICTIONS
    assert KB.substance(listing.substance_id)
    assert URL.search(listing.source), listing.source
    assert isinstance(listing.effective, dt.date)
    assert listing.effective <= dt.date(2025, 12, 31)
    assert listing.end is None or listing.end > listing.effective
    if listing.effective_precision == "year":
        assert (listing.effective.month, listing.effective.day) == (1, 1)
    if listing.effective_precision == "on-or-before":
        assert "not sourced" in listing.notes or "placeholder" in listing.notes


def test_listing_ids_are_unique() -> None:
    ids = [x.listing_id for x in KB.listings]
    assert len(ids) == len(set(ids))


def test_4_piperidone_enters_un_table_i_on_3_december_2024_not_before() -> None:
    (un,) = [x for x in KB.listings_for("4piperidone") if x.jurisdiction == "UN"]
    assert un.list == "1988 Convention Table I"
    assert un.effective == dt.date(2024, 12, 3) and un.effective_precision == "day"
    assert not un.in_force_on(dt.date(2024, 12, 2))
    assert un.in_force_on(dt.date(2024, 12, 3))


def test_us_4ap_wording_changes_on_30_november_2023_without_a_gap() -> None:
    us = sorted(
        (x for x in KB.listings_for("4ap") if x.jurisdiction == "US"), key=lambda x: x.effective
    )
    assert [x.effective for x in us] == [dt.date(2020, 5, 15), dt.date(2023, 11, 30)]
    assert us[0].end == us[1].effective
    assert "halides" not in us[0].entry and "halides" in us[1].entry


def test_unverified_claims_are_not_shipped_but_recorded() -> None:
    # China's APAAN listing is, per the reference data, from memory/secondary only
    assert not [x for x in KB.listings_for("apaan") if x.jurisdiction == "CN"]
    notes = [n for n in KB.status_notes_for("apaan") if n.jurisdiction == "CN"]
    assert notes and "unverified claim, not shipped" in notes[0].note


def test_un_fentanyl_precursors_carry_their_entry_into_force_dates() -> None:
    def un(substance_id: str) -> dt.date:
        (listing,) = [x for x in KB.listings_for(substance_id) if x.jurisdiction == "UN"]
        return listing.effective

    assert un("npp") == un("anpp") == dt.date(2017, 10, 18)
    assert un("4ap") == un("boc4ap") == un("norfentanyl") == dt.date(2022, 11, 23)


@pytest.mark.skipif(not REFERENCE_CSV.exists(), reason="reference data not on this machine")
def test_every_jurisdiction_cell_of_the_reference_data_is_a_listing_or_a_status_note() -> None:
    columns = {
        "un_1988": "UN",
        "us": "US",
        "cn": "CN",
        "eu": "EU",
        "ca": "CA",
        "mx": "MX",
        "in": "IN",
    }
    listed = {(x.substance_id, x.jurisdiction) for x in KB.listings}
    noted = {(x.substance_id, x.jurisdiction) for x in KB.status_notes}
    with REFERENCE_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"] for r in rows} == {s.substance_id for s in KB.substances}
    for row in rows:
        for column, code in columns.items():
            cell = row[column].strip()
            if not cell:
                continue
            key = (row["id"], code)
            if cell.startswith(("Not ", "n/a")):
                assert key in noted and key not in listed, (key, cell)
            elif key not in listed:
                # a claim we could not source is recorded, never silently dropped
                (note,) = [n for n in KB.status_notes_for(row["id"]) if n.jurisdiction == code]
                assert "unverified claim, not shipped" in note.note, (key, cell)
            elif "UNVERIFIED" in cell:
                # shipped only because a source was found: the listing says so
                for listing in KB.listings_for(row["id"]):
                    if listing.jurisdiction == code:
                        assert "unverified memory" in listing.notes, listing.listing_id


# ---------------------------------------------------------------- class rules


@pytest.mark.parametrize("rule", KB.class_rules, ids=lambda r: r.rule_id)
def test_every_class_rule_parses_and_has_positive_and_negative_examples(rule: object) -> None:
    from precursor_watch.substances.knowledge_base import ClassRuleRecord

    assert isinstance(rule, ClassRuleRecord)
    assert Chem.MolFromSmarts(rule.smarts) is not None
    expectations = {e.expected for e in KB.examples_for(rule.rule_id)}
    assert expectations == {"match", "no_match"}
    if rule.kind == "legal":
        assert rule.outcome == "controlled" and rule.effective is not None
        assert URL.search(rule.source)
    else:
        assert rule.outcome == "watch" and rule.is_heuristic and rule.jurisdiction == ""


_PATTERNS = {r.rule_id: Chem.MolFromSmarts(r.smarts) for r in KB.class_rules}


@pytest.mark.parametrize(
    "example", KB.class_rule_examples, ids=lambda e: f"{e.rule_id}:{e.name}:{e.expected}"
)
def test_class_rule_example_matches_as_declared(example: ClassRuleExample) -> None:
    structure = LARGEST.choose(mol(example.smiles))
    assert structure.HasSubstructMatch(_PATTERNS[example.rule_id]) is example.should_match


def test_rule_versions_hand_over_without_gap() -> None:
    rules = {r.rule_id: r for r in KB.class_rules}
    assert (
        rules["US_4AP_FAMILY_2020"].end == rules["US_4AP_FAMILY"].effective == dt.date(2023, 11, 30)
    )
    assert rules["US_FRS_TEMPORARY"].end == rules["US_FRS"].effective == dt.date(2025, 7, 16)
    assert rules["CA_4PIPERIDONE_DERIVATIVES_ANALOGUES"].effective == dt.date(
        2024, 6, 5
    ) + dt.timedelta(days=90)


def test_watch_parents_and_surveillance_are_conservative() -> None:
    commodity = {
        "acetone",
        "toluene",
        "hydrochloric_acid",
        "aniline",
        "piperidine",
        "acetic_anhydride",
    }
    assert not commodity & {p.substance_id for p in KB.watch_parents}
    assert {s.substance_id for s in KB.surveillance} == {"phenethyl_bromide", "phenethyl_chloride"}
    for record in KB.surveillance:
        assert "NOT a legal listing" in record.reason and record.confidence == "low"


# ---------------------------------------------------------------- manifest and loader errors


def test_manifest_matches_the_files() -> None:
    assert kb_manifest.manifest_problems() == []
    assert KB.version == kb_manifest.read_manifest().data_version
    assert re.fullmatch(r"kb-\d{4}\.\d{2}\.\d{2}-[0-9a-f]{8}", KB.version)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(kb_manifest.DATA_DIR, target)
    return target


def test_a_copy_loads_and_equals_the_bundled_knowledge_base(data_copy: Path) -> None:
    copy = load_knowledge_base(data_copy)
    assert isinstance(copy, KnowledgeBase)
    assert copy == KB


def test_corrupted_file_is_refused_naming_the_file(data_copy: Path) -> None:
    path = data_copy / "listings.csv"
    path.write_bytes(path.read_bytes().replace(b"2024-12-03", b"2024-12-02", 1))
    with pytest.raises(DataError, match=r"listings\.csv: checksum does not match"):
        load_knowledge_base(data_copy)
    assert kb_manifest.main(["--check", "--data-dir", str(data_copy)]) == 1


def _rewrite(data_copy: Path, name: str, old: str, new: str) -> int:
    """Replace the first occurrence, re-sign the manifest, return the 1-based line changed."""
    path = data_copy / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if old in line)
    lines[number] = lines[number].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    kb_manifest.write_manifest(data_copy)
    return number + 1


def test_bad_date_names_file_line_and_field(data_copy: Path) -> None:
    line = _rewrite(data_copy, "listings.csv", ",2024-12-03,", ",2024-13-03,")
    with pytest.raises(
        DataError, match=rf"^listings\.csv:{line}:effective: '2024-13-03' is not an ISO date"
    ):
        load_knowledge_base(data_copy)


def test_unknown_jurisdiction_names_file_line_and_field(data_copy: Path) -> None:
    line = _rewrite(data_copy, "listings.csv", "UN-npp-1,npp,UN,", "UN-npp-1,npp,XX,")
    with pytest.raises(DataError, match=rf"^listings\.csv:{line}:jurisdiction: 'XX'"):
        load_knowledge_base(data_copy)


def test_unknown_substance_id_names_file_line_and_field(data_copy: Path) -> None:
    line = _rewrite(data_copy, "synonyms.csv", "npp,NPP,", "nppx,NPP,")
    with pytest.raises(
        DataError, match=rf"^synonyms\.csv:{line}:substance_id: unknown substance_id 'nppx'"
    ):
        load_knowledge_base(data_copy)


def test_missing_manifest_is_a_data_error(data_copy: Path) -> None:
    (data_copy / "manifest.json").unlink()
    with pytest.raises(DataError, match="manifest is missing"):
        load_knowledge_base(data_copy)


def test_default_knowledge_base_is_loaded_once() -> None:
    assert load_knowledge_base() is load_knowledge_base()


def test_manifest_cli_check_and_write_on_a_copy(data_copy: Path) -> None:
    assert kb_manifest.main(["--check", "--data-dir", str(data_copy)]) == 0
    path = data_copy / "surveillance.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + path.read_text(encoding="utf-8").splitlines()[1] + "\n"
    )
    assert kb_manifest.main(["--check", "--data-dir", str(data_copy)]) == 1
    assert kb_manifest.main(["--write", "--data-dir", str(data_copy)]) == 0
    assert kb_manifest.main(["--check", "--data-dir", str(data_copy)]) == 0
    assert kb_manifest.read_manifest(data_copy).files["surveillance.csv"].rows == 3


def test_missing_column_names_the_file(data_copy: Path) -> None:
    path = data_copy / "salts.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("substance_id,cas,form", "substance,cas,form", 1), encoding="utf-8"
    )
    kb_manifest.write_manifest(data_copy)
    with pytest.raises(DataError, match=r"^salts\.csv:1: missing column\(s\) substance_id"):
        load_knowledge_base(data_copy)
