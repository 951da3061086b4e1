"""JSON as text: the one canonical serialization that is hashed, and text already serialized.

``canonical_json`` is what the audit chain and decision digests hash (sorted keys, no spaces,
UTF-8 kept). ``JsonText`` marks a value serialized once where it was made (a cluster worker, a
partition screener) so that the store writes it into a JSON column as it is instead of
serializing the object again (``storage.db`` installs :func:`dumps_json` as the engines' JSON
serializer).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring  # the C string encoder json.dumps uses (UTF-8 kept)
from typing import Any

import orjson

# orjson writes what json.dumps(sort_keys=True, separators=(",", ":")) writes for JSON's types,
# about 4x faster, except: a float below 1e-4 (0.00001 or 1e-7 where json writes 1e-05 and
# 1e-07: such output holds "0.0000" or a digit followed by "e-"; text that happens to hold them,
# such as "0.00001 g", goes the slow way too, which is only slower), and, when json escapes to
# ASCII, every character from U+007F up, which orjson keeps: those are escaped afterwards as json
# escapes them (\uXXXX, lower-case hex, a surrogate pair above U+FFFF; outside strings JSON text
# is ASCII, so this touches string contents only). Anything else orjson would render its own way
# (dates, dataclasses, integers beyond 64 bits, keys that are not strings, lone surrogates) it
# refuses. Those cases go to json. Non-finite floats, which json writes as NaN and orjson as
# null, do not reach these functions: the order readers refuse them. A hypothesis test holds both
# paths equal.
_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


# "e-" after a digit: the literal first lets the search skip ahead (about 6x faster than
# "[0-9]e-"); sentences hold "e-" often ("pre-export"), numbers in exponent form rarely
_NEGATIVE_EXPONENT = re.compile(rb"e-(?<=[0-9]e-)")
_ESCAPED_IN_ASCII = re.compile("[\x7f-\U0010ffff]")


def _ascii_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"


def _not_native(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _orjson_sorted(value: Any, *, ascii_only: bool) -> bytes | None:
    """orjson's sorted, compact JSON of ``value`` (escaped to ASCII as json escapes it when
    ``ascii_only``) when it is byte for byte json's, else None."""
    try:
        out = orjson.dumps(value, default=_not_native, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError
        return None
    if b"0.0000" in out or _NEGATIVE_EXPONENT.search(out) is not None:
        return None
    if ascii_only and (not out.isascii() or b"\x7f" in out):
        return _ESCAPED_IN_ASCII.sub(_ascii_escape, out.decode("utf-8")).encode("ascii")
    return out


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the one serialization that is hashed."""
    fast = _orjson_sorted(value, ascii_only=False)
    if fast is not None:
        return fast.decode("utf-8")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def ascii_sorted_json(value: Any) -> bytes:
    """``json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))`` as bytes (sorted
    keys, no spaces, non-ASCII escaped): what ``domain.findings.input_hash`` hashes."""
    fast = _orjson_sorted(value, ascii_only=True)
    if fast is not None:
        return fast
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":")).encode("utf-8")


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
    return joined_members(canonical_members(doc, known))


def canonical_members(doc: Mapping[str, Any], known: Mapping[str, str]) -> list[tuple[str, str]]:
    """The members of ``canonical_with(doc, known)``: (key, canonical JSON of the value), sorted
    by key. A caller may add members (keeping the order) before :func:`joined_members`."""
    return sorted(
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


def joined_members(members: Iterable[tuple[str, str]]) -> str:
    """The JSON object of ``members`` (key, value text), in their order."""
    return "{" + ",".join(f"{encode_basestring(k)}:{v}" for k, v in members) + "}"
