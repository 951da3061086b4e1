"""ListEntity <-> the JSON kept in ``list_entities.data`` (compact, stable keys), and the
normalized form of identifiers kept in ``list_identifiers.normalized`` for exact lookups."""

from __future__ import annotations

import re
from typing import Any

from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    Identifier,
    ListEntity,
)

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_NOT_DIGIT = re.compile(r"\D")

_STRENGTHS = {s.value: s for s in AliasStrength}
_TYPES = {t.value: t for t in EntityType}


def entity_to_json(entity: ListEntity) -> dict[str, Any]:
    data: dict[str, Any] = {
        "names": [[n.name, n.strength.value, n.script, n.kind] for n in entity.names],
    }
    if entity.programs:
        data["programs"] = list(entity.programs)
    if entity.countries:
        data["countries"] = list(entity.countries)
    if entity.addresses:
        data["addresses"] = list(entity.addresses)
    if entity.birth_dates:
        data["birth_dates"] = list(entity.birth_dates)
    if entity.identifiers:
        data["identifiers"] = [[i.kind, i.value, i.country] for i in entity.identifiers]
    if entity.remarks:
        data["remarks"] = entity.remarks
    return data


def entity_from_json(
    list_name: str, entity_id: str, entity_type: str, source_line: int | None, data: dict[str, Any]
) -> ListEntity:
    return ListEntity(
        list=list_name,
        entity_id=entity_id,
        entity_type=_TYPES.get(entity_type, EntityType.UNKNOWN),
        names=tuple(
            EntityName(name, _STRENGTHS[strength], script, kind)
            for name, strength, script, kind in data["names"]
        ),
        programs=tuple(data.get("programs", ())),
        countries=tuple(data.get("countries", ())),
        addresses=tuple(data.get("addresses", ())),
        birth_dates=tuple(data.get("birth_dates", ())),
        identifiers=tuple(Identifier(k, v, c) for k, v, c in data.get("identifiers", ())),
        remarks=data.get("remarks"),
        source_line=source_line,
    )


def normalize_identifier(kind: str, value: str) -> str:
    """The form two identifiers are compared in: emails and websites lower-cased (websites
    without scheme, ``www.`` and trailing ``/``), phones digits only, others upper-case letters
    and digits only (``DIB-771110-HQ1`` -> ``DIB771110HQ1``)."""
    text = value.strip()
    if kind == "email":
        return text.lower()
    if kind == "website":
        text = re.sub(r"^[a-z]+://", "", text.lower())
        return re.sub(r"^www\.", "", text).rstrip("/")
    if kind in {"phone", "fax"}:
        return _NOT_DIGIT.sub("", text)
    if kind == "wallet":
        return text
    return _NOT_ALNUM.sub("", text.upper())
