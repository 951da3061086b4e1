"""Engines and results survive pickling (Dask ships them to worker processes)."""

from __future__ import annotations

import pickle

from precursor_watch.chem import ClassRuleEngine, DesignerWatch, WatchParent, standardize_text
from tests.chem.cases_io import read_cases, split_list


def test_engines_and_structures_round_trip_through_pickle() -> None:
    engine = ClassRuleEngine(
        [(r["rule_id"], r["smarts"]) for r in read_cases("class_rule_smarts.csv")]
    )
    watch = DesignerWatch(
        [
            WatchParent(r["substance_id"], r["name"], r["smiles"], tuple(split_list(r["families"])))
            for r in read_cases("watch_parents.csv")
        ]
    )
    engine2, watch2 = pickle.loads(pickle.dumps(engine)), pickle.loads(pickle.dumps(watch))
    for case in read_cases("watch_cases.csv")[:12] + read_cases("class_rule_expectations.csv")[:20]:
        std = standardize_text(case["smiles"])
        copy = pickle.loads(pickle.dumps(std))
        assert copy.inchikey == std.inchikey and copy.smiles == std.smiles
        assert engine2.match(copy) == engine.match(std)
        assert watch2.find(copy) == watch.find(std)
