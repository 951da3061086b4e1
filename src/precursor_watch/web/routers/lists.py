"""Sanctions and watch lists: status (``/lists``, ``/api/lists``) and loading a new version
(``POST /api/lists/load``, supervisor and above). A load is atomic and audited by the list store."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from precursor_watch.storage.audit import append_audit
from precursor_watch.storage.db import session_scope
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.security import LOAD_LISTS, READ, Principal, config_of, engine_of
from precursor_watch.web.templating import render
from precursor_watch.web.uploads import save_uploads

router = APIRouter(tags=["lists"], responses=ERROR_RESPONSES)


def lists_view(request: Request) -> dict[str, Any]:
    from precursor_watch.sources.detect import FORMATS
    from precursor_watch.storage.list_store import list_status

    versions = list_status(engine_of(request), all_versions=True)
    return {"lists": [v.to_json() for v in versions], "formats": list(FORMATS)}


async def load_uploaded(
    request: Request, principal: Principal, files: list[UploadFile], fmt: str, force: bool
) -> dict[str, Any]:
    from precursor_watch.storage.list_store import load_list

    saved = await save_uploads(files, config_of(request).work_dir / "lists", "files")
    path: Path = saved[0] if len(saved) == 1 else saved[0].parent  # OFAC CSV set: the folder
    engine = engine_of(request)
    if "actor" in inspect.signature(load_list).parameters:  # the store audits the load itself
        report = await run_in_threadpool(
            lambda: load_list(engine, path, fmt or None, force=force, actor=principal.username)
        )
    else:
        report = await run_in_threadpool(lambda: load_list(engine, path, fmt or None, force=force))
        with session_scope(engine) as session:
            append_audit(
                session,
                principal.username,
                "list.load",
                f"list:{report.list_name}",
                {"version": report.version, "sha256": report.sha256, "status": report.status},
            )
    body: dict[str, Any] = report.to_json()
    return body


@router.get("/api/lists")
def lists(request: Request, principal: Annotated[Principal, Depends(READ)]) -> dict[str, Any]:
    """Every stored list version: publish date, checksum, counts, which one is active."""
    return lists_view(request)


@router.post("/api/lists/load", status_code=201)
async def load(
    request: Request,
    principal: Annotated[Principal, Depends(LOAD_LISTS)],
    files: Annotated[list[UploadFile], File(description="the list file (or the OFAC CSV set)")],
    format: Annotated[str, Form(max_length=40, description="empty: detect")] = "",
    force: Annotated[bool, Form(description="activate even if older or much smaller")] = False,
) -> dict[str, Any]:
    """Load a list file as a new version (atomic; the same file again is a no-op). The report
    names every record that could not be loaded, with its line."""
    return await load_uploaded(request, principal, files, format, force)


@router.get("/lists", response_class=HTMLResponse, include_in_schema=False)
def lists_page(request: Request, principal: Annotated[Principal, Depends(READ)]) -> HTMLResponse:
    return render(request, "lists.html", {**lists_view(request), "report": None})


@router.post("/lists", response_class=HTMLResponse, include_in_schema=False)
async def lists_load_form(
    request: Request,
    principal: Annotated[Principal, Depends(LOAD_LISTS)],
    files: Annotated[list[UploadFile], File()],
    format: Annotated[str, Form(max_length=40)] = "",
    force: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    report = await load_uploaded(request, principal, files, format, force)
    return render(request, "lists.html", {**lists_view(request), "report": report})
