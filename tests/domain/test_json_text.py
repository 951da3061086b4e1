"""The composed canonical JSON must be byte for byte what ``canonical_json`` writes: the audit
chain and the decision digests hash it, and ``audit verify`` recomputes it the plain way."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from precursor_watch.domain.json_text import (
    JsonText,
    canonical_json,
    canonical_with,
    dumps_json,
    json_string,
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(doc=st.dictionaries(st.text(), json_values, max_size=8), data=st.data())
def test_canonical_with_equals_canonical_json(doc: dict[str, object], data: st.DataObject) -> None:
    chosen = data.draw(st.sets(st.sampled_from(sorted(doc))) if doc else st.just(set()))
    known = {k: canonical_json(doc[k]) for k in chosen}
    assert canonical_with(doc, known) == canonical_json(doc)


@given(text=st.text())
def test_json_string_is_how_canonical_json_writes_a_string(text: str) -> None:
    assert json_string(text) == canonical_json(text)


def test_non_ascii_and_control_characters_are_kept_as_canonical_json_keeps_them() -> None:
    doc = {"名字": '氯化钠\u0000\n"', "b": [1, "é"], "a": True}
    assert canonical_with(doc, {}) == canonical_json(doc)
    assert '"名字"' in canonical_with(doc, {})


def test_column_serializer_passes_text_through_and_serializes_the_rest() -> None:
    assert dumps_json(JsonText('{"a":1}')) == '{"a":1}'
    assert dumps_json(None) == "null"
    assert json.loads(dumps_json({"x": [1, "y"]})) == {"x": [1, "y"]}


def test_a_composed_digest_is_the_plain_digest() -> None:
    doc = {"order_id": "A-1", "decision": "hold", "findings": [{"rule_id": "R", "n": 1}]}
    composed = canonical_with(doc, {"findings": canonical_json(doc["findings"])})
    plain = hashlib.sha256(canonical_json(doc).encode()).hexdigest()
    assert hashlib.sha256(composed.encode()).hexdigest() == plain
