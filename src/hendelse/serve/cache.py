"""A cache of whole API answers: the store cannot change while the server reads it.

The server opens the store read-only, and DuckDB lets no process write a
file that another has open, so an answer to ``GET /api/…?query`` stays
right for as long as the server runs. The pages a user clicks through send
the same requests again and again (the first page of events, the timeline
of the current filters); this keeps the most recent ``entries`` answers of
200 in memory, up to ``max_bytes`` each, and answers repeats from there
(``x-cache: hit``). It is a pure ASGI middleware, keyed by the path and the
raw query string.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ResponseCache:
    """Keep the last ``entries`` successful ``GET /api/`` answers (``POST`` never)."""

    def __init__(self, app: ASGIApp, entries: int = 512, max_bytes: int = 2_000_000) -> None:
        self.app = app
        self.entries = entries
        self.max_bytes = max_bytes
        self.stored: OrderedDict[tuple[str, bytes], tuple[Message, bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.entries <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        if (hit := self.stored.get(key)) is not None:
            self.stored.move_to_end(key)
            start, body = hit
            await send({**start, "headers": [*start["headers"], (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
                message = {**message, "headers": [*message["headers"], (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and size <= self.max_bytes:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                done = not message.get("more_body")
                if done and start and start["status"] == 200 and size <= self.max_bytes:
                    self._store(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _store(self, key: tuple[str, bytes], start: Message, body: bytes) -> None:
        self.stored[key] = (start, body)
        self.stored.move_to_end(key)
        while len(self.stored) > self.entries:
            self.stored.popitem(last=False)
