"""Screen a substance: ``/substances`` (page) and ``/api/substances/screen`` (its JSON twin).

The page shows the structure with the matched atoms highlighted, every control in force on the
chosen date by jurisdiction, the designer-precursor signals, the sentences of the explanation and
the full listing history of the substance from the knowledge base.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from precursor_watch.domain import SubstanceScreening
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.forms import optional_date
from precursor_watch.web.pictures import substance_svg
from precursor_watch.web.security import READ, SCREEN, Principal
from precursor_watch.web.templating import render

router = APIRouter(tags=["substances"], responses=ERROR_RESPONSES)

MAX_QUERY = 2000
JURISDICTIONS = ("UN", "EU", "US", "CN", "CA", "MX", "IN")


class SubstanceRequest(BaseModel):
    query: str = Field(
        min_length=1, max_length=MAX_QUERY, description="name, CAS, SMILES, InChI(Key)"
    )
    as_of: date | None = Field(default=None, description="status on this date (default today)")
    jurisdictions: list[str] | None = Field(default=None, description="limit to these codes")


def screen(query: str, as_of: date | None, jurisdictions: list[str] | None) -> SubstanceScreening:
    from precursor_watch import screen_substance

    return screen_substance(query, as_of=as_of, jurisdictions=jurisdictions or None)


def picture_url(query: str, as_of: date | None, jurisdictions: list[str] | None) -> str:
    params: list[tuple[str, str]] = [("q", query)]
    if as_of:
        params.append(("as_of", as_of.isoformat()))
    params += [("jurisdiction", j) for j in jurisdictions or ()]
    return "/api/substances/picture.svg?" + urlencode(params)


def listing_history(result: SubstanceScreening) -> list[dict[str, Any]]:
    """Every listing of the resolved substance in the knowledge base, in force or not."""
    if result.substance is None or result.substance.substance_id is None:
        return []
    from precursor_watch.substances.screening import default_screener

    kb = default_screener().kb
    rows = [
        {
            "jurisdiction": x.jurisdiction,
            "list": x.list,
            "entry": x.entry,
            "effective": x.effective.isoformat(),
            "end": x.end.isoformat() if x.end else None,
            "instrument": x.instrument,
            "source": x.source,
            "in_force": x.in_force_on(result.as_of or date.today()),
        }
        for x in kb.listings_for(result.substance.substance_id)
    ]
    order = {code: i for i, code in enumerate(JURISDICTIONS)}
    rows.sort(key=lambda r: (order.get(str(r["jurisdiction"]), 99), str(r["effective"])))
    return rows


def substance_view(
    query: str, as_of: date | None, jurisdictions: list[str] | None
) -> dict[str, Any]:
    result = screen(query, as_of, jurisdictions)
    body = result.to_json()
    body["substance_id"] = result.substance.substance_id if result.substance else None
    body["picture"] = picture_url(query, as_of, jurisdictions) if result.substance else None
    body["listing_history"] = listing_history(result)
    return body


@router.get("/api/substances/screen")
async def screen_substance_get(
    principal: Annotated[Principal, Depends(SCREEN)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="the query")],
    as_of: date | None = None,
    jurisdiction: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Screen one chemical identifier (the JSON object of the README, plus the listing history)."""
    return await run_in_threadpool(substance_view, q, as_of, jurisdiction)


@router.post("/api/substances/screen")
async def screen_substance_post(
    body: SubstanceRequest, principal: Annotated[Principal, Depends(SCREEN)]
) -> dict[str, Any]:
    """Screen one chemical identifier given as JSON."""
    return await run_in_threadpool(substance_view, body.query, body.as_of, body.jurisdictions)


@router.get(
    "/api/substances/picture.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
async def substance_picture(
    principal: Annotated[Principal, Depends(READ)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)],
    as_of: date | None = None,
    jurisdiction: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The resolved structure as SVG, the atoms that matched a rule or resemblance highlighted."""

    def draw() -> str | None:
        return substance_svg(screen(q, as_of, jurisdiction))

    svg = await run_in_threadpool(draw)
    if svg is None:
        from precursor_watch.errors import NotFoundError

        raise NotFoundError(f"{q!r} did not resolve to a structure", field="q")
    return Response(
        svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"}
    )


@router.get("/substances", response_class=HTMLResponse, include_in_schema=False)
async def substance_page(
    request: Request,
    principal: Annotated[Principal, Depends(SCREEN)],
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    as_of: Annotated[str, Query(max_length=10, description="YYYY-MM-DD or empty")] = "",
    jurisdiction: Annotated[list[str] | None, Query()] = None,
) -> HTMLResponse:
    day = optional_date(as_of, "as_of")
    result = None
    if q.strip():
        result = await run_in_threadpool(substance_view, q, day, jurisdiction)
    return render(
        request,
        "substance.html",
        {
            "q": q,
            "as_of": day.isoformat() if day else "",
            "selected": set(jurisdiction or ()),
            "jurisdictions": JURISDICTIONS,
            "result": result,
        },
    )
