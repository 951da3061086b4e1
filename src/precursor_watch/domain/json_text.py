"""JSON as text: the one canonical serialization that is hashed, and text already serialized.

``canonical_json`` is what the audit chain and decision digests hash (sorted keys, no spaces,
UTF-8 kept). ``JsonText`` marks a value serialized once where it was made (a cluster worker, a
partition screener) so that the store writes it into a JSON column as it is instead of
serializing the object again (``storage.db`` installs :func:`dumps_json` as the engines' JSON
serializer).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from json.encoder import encode_basestring  # the C string encoder json.dumps uses (UTF-8 kept)
from typing import Any


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the one serialization that is hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


class JsonText(str):
    """A JSON document already serialized (by :func:`column_json`)."""

    __slots__ = ()


def column_json(value: Any) -> JsonText:
    """``value`` serialized as a JSON column stores it (the serializer SQLAlchemy uses by
    default), marked as such."""
    return JsonText(json.dumps(value))


def dumps_json(value: Any) -> str:
    """The JSON column serializer: ``JsonText`` as it is, anything else as SQLAlchemy would."""
    if isinstance(value, JsonText):
        return str(value)
    if value is None:
        return "null"
    return json.dumps(value)


def json_string(text: str) -> str:
    """``text`` as a JSON string literal, exactly as :func:`canonical_json` writes it."""
    return encode_basestring(text)


def canonical_with(doc: Mapping[str, Any], known: Mapping[str, str]) -> str:
    """``canonical_json(doc)`` for a flat object some of whose members are already in canonical
    JSON (``known``: key -> text): those are not serialized again."""
    members = sorted(
        (
            k,
            known[k]
            if k in known
            else encode_basestring(v)
            if isinstance(v, str)
            else str(v)
            if type(v) is int
            else canonical_json(v),
        )
        for k, v in doc.items()
    )
    return "{" + ",".join(f"{encode_basestring(k)}:{v}" for k, v in members) + "}"
