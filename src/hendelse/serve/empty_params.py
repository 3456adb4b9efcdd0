"""Query parameters given empty (``?limit=&q=``) count as not given.

HTML forms send every field, the empty ones as ``name=``; the form on
``/docs`` and a hand-typed URL alike then mean "no filter", not "a limit
that is not a number". A pure ASGI middleware drops them from the query
string of ``/api/`` requests before FastAPI (and the answer cache) reads it;
the other parameters are passed on byte for byte.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from hendelse.serve.cache import ASGIApp, Receive, Scope, Send


def _empty(part: bytes) -> bool:
    """``name=``, ``name=+`` or ``name=%20``: a parameter with no value but blanks."""
    _, sep, value = part.partition(b"=")
    return bool(sep) and not unquote_plus(value.decode("latin-1")).strip()


class DropEmptyParams:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw: bytes = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if raw and scope["path"].startswith("/api/"):
            parts = raw.split(b"&")
            kept = [part for part in parts if part and not _empty(part)]
            if len(kept) != len(parts):
                scope = {**scope, "query_string": b"&".join(kept)}
        await self.app(scope, receive, send)
