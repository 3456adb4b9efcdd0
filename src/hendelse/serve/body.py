"""Reading a request body with a size limit, and its validation errors in the API's shape."""

from __future__ import annotations

from fastapi import Request
from pydantic import ValidationError

from hendelse.serve.errors import ApiError


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The body, refused with a 413 as soon as it passes ``max_bytes`` (or declares more):
    an oversized post is never read whole into memory."""
    declared = request.headers.get("content-length", "")
    too_big = f"the request body is larger than this server takes ({max_bytes} bytes)"
    if declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, too_big)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ApiError(413, too_big)
        chunks.append(chunk)
    return b"".join(chunks)


def validation_error(err: ValidationError) -> ApiError:
    """A 422 naming each refused field of the body (``body.text``)."""
    errors = []
    for problem in err.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()))
        errors.append(
            {"parameter": f"body.{where}" if where else "body", "message": problem["msg"]}
        )
    first = errors[0]
    return ApiError(422, f"{first['parameter']}: {first['message']}", errors)
