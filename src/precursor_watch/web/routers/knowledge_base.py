"""The knowledge base: substances, listings by jurisdiction, class rules with their legal text and
test molecules. Pages under ``/knowledge-base``, JSON twins under ``/api/knowledge-base``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from precursor_watch.errors import InputError, NotFoundError
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.pictures import smiles_svg
from precursor_watch.web.security import READ, Principal
from precursor_watch.web.templating import render

router = APIRouter(tags=["knowledge base"], responses=ERROR_RESPONSES)

JURISDICTION_ORDER = ("UN", "EU", "US", "CN", "CA", "MX", "IN")


def _kb() -> Any:
    from precursor_watch.substances.screening import default_screener

    return default_screener().kb


def picture(smiles: str, rule: str | None = None) -> str:
    params = [("smiles", smiles)] + ([("rule", rule)] if rule else [])
    return "/api/structures/picture.svg?" + urlencode(params)


def _jsonable(record: Any) -> dict[str, Any]:
    out = asdict(record)
    for key, value in out.items():
        if hasattr(value, "isoformat"):
            out[key] = value.isoformat()
    return out


def overview_view() -> dict[str, Any]:
    kb = _kb()
    by_substance: dict[str, set[str]] = {}
    by_jurisdiction: dict[str, list[dict[str, Any]]] = {code: [] for code in JURISDICTION_ORDER}
    for listing in kb.listings:
        by_substance.setdefault(listing.substance_id, set()).add(listing.jurisdiction)
        row = _jsonable(listing)
        row["substance"] = kb.substance(listing.substance_id).preferred_name
        by_jurisdiction.setdefault(listing.jurisdiction, []).append(row)
    for rows in by_jurisdiction.values():
        rows.sort(key=lambda r: (r["effective"], r["substance"]))
    substances = [
        {
            "substance_id": s.substance_id,
            "name": s.preferred_name,
            "cas": s.cas,
            "role": s.role,
            "hs_code": s.hs_code,
            "drug_family": list(s.drug_family),
            "jurisdictions": [
                j for j in JURISDICTION_ORDER if j in by_substance.get(s.substance_id, ())
            ],
        }
        for s in sorted(kb.substances, key=lambda s: s.preferred_name.lower())
    ]
    rules = [{**_jsonable(r), "examples": len(kb.examples_for(r.rule_id))} for r in kb.class_rules]
    return {
        "version": kb.version,
        "substances": substances,
        "listings_by_jurisdiction": by_jurisdiction,
        "class_rules": rules,
    }


def substance_view(substance_id: str) -> dict[str, Any]:
    kb = _kb()
    try:
        record = kb.substance(substance_id)
    except KeyError:
        raise NotFoundError(
            f"no substance {substance_id!r} in the knowledge base", field="substance_id"
        ) from None
    return {
        "version": kb.version,
        "substance": _jsonable(record),
        "picture": picture(record.smiles) if record.smiles else None,
        "synonyms": [_jsonable(s) for s in kb.synonyms_for(substance_id)],
        "salts": [_jsonable(s) for s in kb.salts if s.substance_id == substance_id],
        "listings": [_jsonable(x) for x in kb.listings_for(substance_id)],
        "status_notes": [_jsonable(n) for n in kb.status_notes_for(substance_id)],
    }


def rule_view(rule_id: str) -> dict[str, Any]:
    kb = _kb()
    found = [r for r in kb.class_rules if r.rule_id == rule_id]
    if not found:
        raise NotFoundError(f"no class rule {rule_id!r}", field="rule_id")
    examples = [
        {**_jsonable(e), "picture": picture(e.smiles, rule_id if e.should_match else None)}
        for e in kb.examples_for(rule_id)
    ]
    return {"version": kb.version, "rule": _jsonable(found[0]), "examples": examples}


def rule_picture(smiles: str, rule: str | None) -> str:
    if not rule:
        return smiles_svg(smiles)
    from precursor_watch.chem import draw_svg, standardize_text
    from precursor_watch.substances.screening import default_screener

    screener = default_screener()
    if rule not in {r.rule_id for r in screener.kb.class_rules}:
        raise NotFoundError(f"no class rule {rule!r}", field="rule")
    structure = standardize_text(smiles)
    atoms = screener.rule_engine.match(structure, prefilter=False).get(rule, ())
    svg: str = draw_svg(structure.mol, atoms, "", (320, 230))
    return svg


@router.get("/api/knowledge-base")
def knowledge_base(principal: Annotated[Principal, Depends(READ)]) -> dict[str, Any]:
    """Every substance, every listing grouped by jurisdiction, every class rule."""
    return overview_view()


@router.get("/api/knowledge-base/substances/{substance_id}")
def kb_substance(
    substance_id: str, principal: Annotated[Principal, Depends(READ)]
) -> dict[str, Any]:
    """One substance with its synonyms, salts, listings and status notes."""
    return substance_view(substance_id)


@router.get("/api/knowledge-base/rules/{rule_id}")
def kb_rule(rule_id: str, principal: Annotated[Principal, Depends(READ)]) -> dict[str, Any]:
    """One class rule with its legal text and its positive and negative test molecules."""
    return rule_view(rule_id)


@router.get(
    "/api/structures/picture.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
async def structure_picture(
    principal: Annotated[Principal, Depends(READ)],
    smiles: Annotated[str, Query(min_length=1, max_length=2000)],
    rule: Annotated[
        str | None, Query(max_length=100, description="highlight this rule's match")
    ] = None,
) -> Response:
    """A structure (SMILES, InChI) as SVG; with ``rule``, the atoms that class rule matches."""
    try:
        svg = await run_in_threadpool(rule_picture, smiles, rule)
    except InputError as exc:  # StructureError is an InputError: name the field
        raise InputError(exc.message, field="smiles") from exc
    return Response(
        svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"}
    )


@router.get("/knowledge-base", response_class=HTMLResponse, include_in_schema=False)
def kb_page(request: Request, principal: Annotated[Principal, Depends(READ)]) -> HTMLResponse:
    return render(request, "knowledge_base.html", {**overview_view(), "order": JURISDICTION_ORDER})


@router.get(
    "/knowledge-base/substances/{substance_id}",
    response_class=HTMLResponse,
    include_in_schema=False,
)
def kb_substance_page(
    request: Request, substance_id: str, principal: Annotated[Principal, Depends(READ)]
) -> HTMLResponse:
    return render(request, "kb_substance.html", substance_view(substance_id))


@router.get("/knowledge-base/rules/{rule_id}", response_class=HTMLResponse, include_in_schema=False)
def kb_rule_page(
    request: Request, rule_id: str, principal: Annotated[Principal, Depends(READ)]
) -> HTMLResponse:
    return render(request, "kb_rule.html", rule_view(rule_id))
