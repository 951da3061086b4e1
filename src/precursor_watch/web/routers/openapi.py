"""``GET /openapi.json``: the OpenAPI document, for signed-in users and token holders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.security import READ, Principal

router = APIRouter(tags=["meta"], responses=ERROR_RESPONSES)


@router.get("/openapi.json", include_in_schema=False)
def openapi_document(
    request: Request, principal: Annotated[Principal, Depends(READ)]
) -> dict[str, Any]:
    document: dict[str, Any] = request.app.openapi()
    return document
