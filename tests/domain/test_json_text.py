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


# what the fast path (orjson) must write exactly as json.dumps does, including the cases it hands
# back to json: tiny floats, integers beyond 64 bits, U+007F and non-ASCII text, dates, tuples
wide_scalars = (
    json_scalars
    | st.integers()
    | st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False)
    | st.floats(min_value=1e14, max_value=1e18)
    | st.text(alphabet=st.characters(max_codepoint=0x2030))
    | st.text(alphabet=st.characters(min_codepoint=0xFFF0, max_codepoint=0x1F64F), max_size=3)
    | st.sampled_from(
        ["\x7f", "e-mail", "pre-export", "0.00001 g", "1e-5", "\u2028", "\x00\x1f", "东莞", "😀"]
    )
    | st.dates()
    | st.builds(JsonText, st.text())
)
wide_values = st.recursive(
    wide_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=1000, deadline=None)
@given(value=wide_values)
def test_fast_serializations_equal_json_dumps(value: object) -> None:
    from precursor_watch.domain.json_text import ascii_sorted_json

    assert canonical_json(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    assert ascii_sorted_json(value) == json.dumps(
        value, sort_keys=True, default=str, separators=(",", ":")
    ).encode("utf-8")


def test_what_orjson_would_write_differently_goes_to_json() -> None:
    from precursor_watch.domain.json_text import ascii_sorted_json

    for value in (1e-05, 1e-07, 2**70, {1: "a"}, "\x7f", "é", "\ud800", "😀", {"东莞": "é"}):
        assert ascii_sorted_json(value) == json.dumps(
            value, sort_keys=True, default=str, separators=(",", ":")
        ).encode("utf-8")
    assert canonical_json({"q": 1e-05, "when": __import__("datetime").date(2026, 1, 2)}) == (
        '{"q":1e-05,"when":"2026-01-02"}'
    )


def test_sentences_and_non_ascii_names_take_the_fast_path() -> None:
    """Text such as "pre-export" is not a tiny float, and non-ASCII is escaped after orjson:
    neither sends a decision's findings or an order's hash input to json (4x slower)."""
    from precursor_watch.domain.json_text import _orjson_sorted

    finding = {"sentence": "a pre-export notification is required", "quantity": 0.5}
    assert _orjson_sorted(finding, ascii_only=False) is not None
    assert _orjson_sorted({"buyer": "东莞化工 😀", "q": 12.0}, ascii_only=True) == (
        b'{"buyer":"\\u4e1c\\u839e\\u5316\\u5de5 \\ud83d\\ude00","q":12.0}'
    )
    assert _orjson_sorted({"q": 1e-05}, ascii_only=False) is None
