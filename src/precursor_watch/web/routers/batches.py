"""Upload an order file and watch it being screened: ``/batches`` (upload and list),
``/batches/{id}`` (live progress bar), JSON twins and result downloads under ``/api/batches``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from precursor_watch.web.batch_jobs import (
    OUTPUT_FILES,
    BatchJob,
    BatchJobs,
    batch_json,
    recent_runs,
)
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.forms import optional_date
from precursor_watch.web.security import READ, SCREEN, Principal
from precursor_watch.web.templating import render
from precursor_watch.web.uploads import save_uploads

router = APIRouter(tags=["batches"], responses=ERROR_RESPONSES)

OrderFormat = Literal["csv", "xlsx", "jsonl", "parquet"]
MEDIA = {
    "decisions.jsonl": "application/x-ndjson",
    "decisions.csv": "text/csv",
    "errors.csv": "text/csv",
    "report.html": "text/html",
}


def jobs_of(request: Request) -> BatchJobs:
    jobs = request.app.state.batches
    assert isinstance(jobs, BatchJobs)
    return jobs


async def start(
    request: Request,
    principal: Principal,
    file: UploadFile,
    fmt: str | None,
    as_of: date | None,
) -> BatchJob:
    jobs = jobs_of(request)
    job_id, folder = jobs.new_folder()
    saved = await save_uploads([file], folder, "file")
    # save_uploads made a sub-folder; keep the upload next to the job's out/ folder
    path = saved[0].rename(folder / saved[0].name)
    saved[0].parent.rmdir()
    return jobs.submit(job_id, path, principal.username, as_of=as_of, fmt=fmt)


def batches_view(request: Request) -> dict[str, Any]:
    jobs = jobs_of(request)
    return {
        "batches": [batch_json(j) for j in jobs.all()],
        "runs": recent_runs(jobs.engine),
    }


@router.post("/api/batches", status_code=202)
async def upload_batch(
    request: Request,
    principal: Annotated[Principal, Depends(SCREEN)],
    file: Annotated[UploadFile, File(description="orders: CSV, Excel, JSON Lines or Parquet")],
    format: Annotated[OrderFormat | None, Form()] = None,
    as_of: Annotated[date | None, Form(description="controls in force on this date")] = None,
) -> dict[str, Any]:
    """Queue an order file for screening; poll ``/api/batches/{id}`` for progress."""
    job = await start(request, principal, file, format, as_of)
    return batch_json(job)


@router.get("/api/batches")
def list_batches(
    request: Request, principal: Annotated[Principal, Depends(READ)]
) -> dict[str, Any]:
    """Uploaded batches, newest first (state, progress and result files; kept in the database,
    so every server process lists them and a restart keeps them), and the batch runs recorded
    in the database by any console, the CLI or the demo."""
    return batches_view(request)


@router.get("/api/batches/{batch_id}")
def batch_progress(
    request: Request, batch_id: str, principal: Annotated[Principal, Depends(READ)]
) -> dict[str, Any]:
    """State and progress of one batch; when finished, links to its result files."""
    return batch_json(jobs_of(request).get(batch_id))


@router.post("/api/batches/{batch_id}/resume", status_code=202)
def resume_batch(
    request: Request, batch_id: str, principal: Annotated[Principal, Depends(SCREEN)]
) -> dict[str, Any]:
    """Screen an ``interrupted`` batch again (its server process stopped): partitions already
    committed are kept and the result files are those of an uninterrupted run. ``422`` when
    the batch is not interrupted."""
    return batch_json(jobs_of(request).resume(batch_id, principal.username))


@router.get(
    "/api/batches/{batch_id}/files/{name}",
    response_class=FileResponse,
    responses={200: {"content": {m: {} for m in sorted(set(MEDIA.values()))}}},
)
def batch_file(
    request: Request, batch_id: str, name: str, principal: Annotated[Principal, Depends(READ)]
) -> Response:
    """Download a result: decisions.jsonl, decisions.csv, errors.csv (every bad row by line and
    field) or report.html."""
    path = jobs_of(request).output(batch_id, name)
    return FileResponse(path, media_type=MEDIA[name], filename=f"{batch_id}-{name}")


@router.get("/batches", response_class=HTMLResponse, include_in_schema=False)
def batches_page(request: Request, principal: Annotated[Principal, Depends(READ)]) -> HTMLResponse:
    return render(request, "batches.html", batches_view(request))


@router.post("/batches", include_in_schema=False)
async def upload_form(
    request: Request,
    principal: Annotated[Principal, Depends(SCREEN)],
    file: Annotated[UploadFile, File()],
    format: Annotated[str, Form(max_length=10)] = "",
    as_of: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    fmt = format if format in ("csv", "xlsx", "jsonl", "parquet") else None
    job = await start(request, principal, file, fmt, optional_date(as_of, "as_of"))
    return RedirectResponse(f"/batches/{job.id}", status_code=303)


@router.get("/batches/{batch_id}", response_class=HTMLResponse, include_in_schema=False)
def batch_page(
    request: Request, batch_id: str, principal: Annotated[Principal, Depends(READ)]
) -> HTMLResponse:
    return render(
        request,
        "batch.html",
        {"batch": batch_json(jobs_of(request).get(batch_id)), "outputs": OUTPUT_FILES},
    )


@router.post("/batches/{batch_id}/resume", include_in_schema=False)
def resume_form(
    request: Request, batch_id: str, principal: Annotated[Principal, Depends(SCREEN)]
) -> Response:
    jobs_of(request).resume(batch_id, principal.username)
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)
