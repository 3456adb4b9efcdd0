"""The API's errors: one JSON shape for every 4xx and 5xx answer.

::

    {"status": 422, "error": "invalid parameter",
     "message": "since: '2023-13' is not a date (use 2023, 2023-09 or 2023-09-12)",
     "errors": [{"parameter": "since", "message": "'2023-13' is not a date …"}]}

``errors`` lists every parameter that was refused; ``message`` is the first
of them (or the whole story when no single parameter is to blame). A 500
never shows a traceback or SQL; the server log has them.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("hendelse.serve")


class ApiError(Exception):
    """An answer other than 200, with a message that says what to do."""

    def __init__(
        self, status: int, message: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []


class ParameterError(ApiError):
    """A query parameter that cannot be used (422), naming the parameter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(
            422, f"{parameter}: {message}", [{"parameter": parameter, "message": message}]
        )


class NotFound(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(404, message)


def error_body(status: int, message: str, errors: list[dict[str, str]] | None = None) -> dict:
    try:
        phrase = HTTPStatus(status).phrase.lower()
    except ValueError:
        phrase = "error"
    if status == 422:
        phrase = "invalid parameter"
    return {"status": status, "error": phrase, "message": message, "errors": errors or []}


def error_response(status: int, message: str, errors: list[dict[str, str]] | None = None):
    return JSONResponse(error_body(status, message, errors), status_code=status)


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    """A validation error's location as a parameter name: ``limit``, ``body.text``."""
    parts = [str(p) for p in loc if p not in ("query", "path", "header", "cookie")]
    return ".".join(parts) or "request"


async def _validation(request: Request, exc: RequestValidationError) -> Response:
    errors = [
        {"parameter": _where(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"parameter": "request", "message": "invalid"}
    return error_response(422, f"{first['parameter']}: {first['message']}", errors)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.errors)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not request.url.path.startswith("/api"):
        return await http_exception_handler(request, exc)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404:
        message = f"no such endpoint: {request.url.path} (see /docs for the API)"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path} (see /docs)"
    return error_response(exc.status_code, message)


async def _internal(request: Request, exc: Exception) -> Response:
    log.exception("error answering %s %s", request.method, request.url.path)
    return error_response(500, "internal server error; the server log has the details")


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` in the JSON shape above (pages keep HTML 404s)."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _internal)
