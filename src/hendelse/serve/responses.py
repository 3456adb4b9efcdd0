"""JSON answers written straight with :mod:`json` (dates as ISO 8601, UTF-8 as is).

FastAPI's default path runs every answer through ``jsonable_encoder``, which
is slow for pages of nested events and large GeoJSON; the API builds plain
dicts and lists itself, so they are dumped directly.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi.responses import JSONResponse, Response


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(content: Any) -> str:
    """JSON text as the API writes it: compact, UTF-8 as is, dates as ISO 8601."""
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=_default)


class Json(JSONResponse):
    """A JSON response; ``content`` may hold dates."""

    def render(self, content: Any) -> bytes:
        return dumps(content).encode("utf-8")


class JsonText(Response):
    """A JSON response whose text is already written (parts of it kept by the server)."""

    media_type = "application/json"


def listing(total: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    """The shape of every list: ``{"total", "limit", "offset", "items"}``."""
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def joined(head: dict[str, Any], name: str, parts: list[bytes]) -> bytes:
    """``head`` with one more key, ``name``: the list of ``parts`` (JSON in UTF-8)."""
    start = dumps(head)[:-1] + ("," if head else "") + f'"{name}":['
    return b"".join((start.encode(), b",".join(parts), b"]}"))
