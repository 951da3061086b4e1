"""Screen a party: ``/parties`` (page, matches side by side with their features) and its JSON
twin ``/api/parties/screen``, against every list loaded in the console's database."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from precursor_watch.errors import NotFoundError
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.security import SCREEN, Principal, config_of
from precursor_watch.web.templating import render

router = APIRouter(tags=["parties"], responses=ERROR_RESPONSES)

EntityKind = Literal["person", "organization", "vessel", "aircraft"]


class PartyRequest(BaseModel):
    name: str = Field(default="", max_length=500, description="name in any script")
    country: str | None = Field(default=None, min_length=2, max_length=2, description="ISO alpha-2")
    type: EntityKind | None = Field(default=None, description="person or organization...")
    identifiers: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="registration or tax numbers, emails, phones, websites, wallets",
    )
    birth_date: date | None = None
    limit: int = Field(default=10, ge=1, le=50)


def party_view(database_url: str, body: PartyRequest) -> dict[str, Any]:
    from precursor_watch import screen_party

    result = screen_party(
        body.name,
        body.country,
        body.type,
        [i for i in body.identifiers if i.strip()],
        body.birth_date,
        database_url=database_url,
        limit=body.limit,
    )
    out: dict[str, Any] = result.to_json()
    out["query_facts"] = body.model_dump(mode="json", exclude={"limit"})
    entries = list_entries(
        database_url, [(m.list, m.list_version, m.entity_id) for m in result.matches]
    )
    for match in out["matches"]:
        match["entry"] = entries.get((match["list"], match["list_version"], match["entity_id"]))
    return out


def list_entries(
    database_url: str, keys: list[tuple[str, str, str]]
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The stored list entries behind the matches (names, addresses, identifiers, dates), from
    the very list version each match was scored against."""
    from sqlalchemy import select

    from precursor_watch.storage.db import open_database, session_scope
    from precursor_watch.storage.list_tables import ListEntityRow, ListVersion

    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    if not keys:
        return found
    with session_scope(open_database(database_url)) as session:
        for list_name, version, entity_id in keys:
            row = session.execute(
                select(ListEntityRow.data, ListEntityRow.source_line)
                .join(ListVersion, ListVersion.id == ListEntityRow.version_id)
                .where(
                    ListVersion.list_name == list_name,
                    ListVersion.version == version,
                    ListEntityRow.entity_id == entity_id,
                )
            ).first()
            if row is None:
                continue
            data, line = row
            found[(list_name, version, entity_id)] = {
                "names": [n[0] for n in data.get("names", ())][:12],
                "addresses": list(data.get("addresses", ()))[:6],
                "birth_dates": list(data.get("birth_dates", ())),
                "identifiers": [f"{k}: {v}" for k, v, _c in data.get("identifiers", ())][:12],
                "source_line": line,
            }
    return found


@router.get("/api/parties/screen")
async def screen_party_get(
    request: Request,
    principal: Annotated[Principal, Depends(SCREEN)],
    name: Annotated[str, Query(max_length=500)] = "",
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    type: EntityKind | None = None,
    id: Annotated[list[str] | None, Query(max_length=20, description="identifiers")] = None,
    birth_date: date | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """Screen one party; matches best first, each with its features and a sentence per feature."""
    body = PartyRequest(
        name=name,
        country=country,
        type=type,
        identifiers=id or [],
        birth_date=birth_date,
        limit=limit,
    )
    return await run_in_threadpool(party_view, config_of(request).database_url, body)


@router.post("/api/parties/screen")
async def screen_party_post(
    request: Request, body: PartyRequest, principal: Annotated[Principal, Depends(SCREEN)]
) -> dict[str, Any]:
    """Screen one party given as JSON."""
    return await run_in_threadpool(party_view, config_of(request).database_url, body)


@router.get("/parties", response_class=HTMLResponse, include_in_schema=False)
async def party_page(
    request: Request,
    principal: Annotated[Principal, Depends(SCREEN)],
    name: Annotated[str, Query(max_length=500)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
    type: Annotated[str, Query(max_length=20)] = "",
    id: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    form = {"name": name, "country": country, "type": type, "id": id}
    result, problem = None, None
    if name.strip() or id.strip():
        body = PartyRequest(
            name=name,
            country=country or None,
            type=type or None,  # validated by pydantic (422 naming the field)
            identifiers=[part.strip() for part in id.split(",") if part.strip()],
        )
        try:
            result = await run_in_threadpool(party_view, config_of(request).database_url, body)
        except NotFoundError as exc:  # no list loaded: say so on the page
            problem = exc.message
    return render(request, "party.html", {"form": form, "result": result, "problem": problem})
