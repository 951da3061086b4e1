"""One table from exceptions to HTTP responses (domain errors know nothing of HTTP).

Every API error is JSON ``{"error": {"code", "message", "field"}}`` where ``code`` is the stable
code of the exception class in :mod:`precursor_watch.errors` (or one of the web codes below) and
``field`` names the bad input when there is one. Pages get the same facts as an HTML page, and a
browser that is not signed in is sent to the sign-in page.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from precursor_watch.errors import (
    AuditChainBrokenError,
    ConfigurationError,
    DataError,
    InputError,
    ListLoadError,
    NotFoundError,
    PermissionDeniedError,
    PrecursorWatchError,
    StorageError,
)


class AuthenticationRequiredError(PrecursorWatchError):
    """No valid session cookie or API token came with the request."""

    code = "not_authenticated"


class CsrfFailedError(PermissionDeniedError):
    """A form or request from a browser session without the session's CSRF token."""

    code = "csrf_failed"


class ErrorDetail(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. permission_denied")
    message: str = Field(description="what went wrong, naming the bad value")
    field: str | None = Field(description="the input at fault, e.g. as_of or lines.0.quantity")


class ErrorBody(BaseModel):
    error: ErrorDetail


def _documented(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# The errors every API route may answer, for the OpenAPI document (routers pass it along).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("the request body could not be parsed (not JSON, broken multipart)"),
    401: _documented("not authenticated (no or bad session cookie or API token)"),
    403: _documented("the role may not do this, or a browser change without its CSRF token"),
    404: _documented("no such record (case, batch, substance, rule, user...)"),
    422: _documented("a malformed input; `field` names it"),
}


# Most specific first: the first class the exception is an instance of decides the status.
STATUS_BY_ERROR: tuple[tuple[type[PrecursorWatchError], int], ...] = (
    (AuthenticationRequiredError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (InputError, 422),
    (ListLoadError, 422),
    (AuditChainBrokenError, 409),
    (StorageError, 503),
    (ConfigurationError, 500),
    (DataError, 500),
    (PrecursorWatchError, 500),
)

HTTP_CODES = {400: "bad_input", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def status_for(exc: PrecursorWatchError) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return 500


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in {"/openapi.json", "/health"}


def error_body(code: str, message: str, field: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def _respond(request: Request, status: int, code: str, message: str, field: str | None) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(code, message, field), status_code=status)
    if status == 401:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    from precursor_watch.web.templating import render

    return render(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "field": field},
        status=status,
    )


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PrecursorWatchError)
    return _respond(request, status_for(exc), exc.code, exc.message, exc.field)


LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})


def field_of(location: Any) -> str | None:
    """``("body", "lines", 0, "cas")`` -> ``"lines.0.cas"`` (the first part names where it was)."""
    parts = [str(p) for p in (location or ())]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or None


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = exc.errors()
    field = field_of(problems[0].get("loc")) if problems else None
    message = "; ".join(
        f"{field_of(e.get('loc')) or 'request'}: {e.get('msg', 'invalid')}" for e in problems[:5]
    )
    return _respond(request, 422, InputError.code, message or "invalid request", field)


async def on_model_error(request: Request, exc: Exception) -> Response:
    """A pydantic model built inside a route from page parameters (not FastAPI's own parsing)."""
    assert isinstance(exc, ValidationError)
    problems = exc.errors()
    field = ".".join(str(p) for p in problems[0].get("loc", ())) or None if problems else None
    message = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ())) or 'request'}: {e.get('msg', 'invalid')}"
        for e in problems[:5]
    )
    return _respond(request, 422, InputError.code, message, field)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    response = _respond(request, exc.status_code, code, str(exc.detail), None)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PrecursorWatchError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ValidationError, on_model_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
