"""The FastAPI application: the REST API under ``/api``, its documentation at ``/docs``.

``create_app(db)`` opens the store read-only once; every request reads it
through a cursor of its own (:mod:`hendelse.serve.database`). Errors are
JSON (:mod:`hendelse.serve.errors`). The documentation page is rendered
here from the OpenAPI schema, so ``/docs`` needs no network.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from hendelse import __version__
from hendelse.serve import api, docs_page, errors, pages
from hendelse.serve.cache import ResponseCache
from hendelse.serve.database import Database
from hendelse.serve.empty_params import DropEmptyParams
from hendelse.serve.extracting import Extractor

#: Longest text ``POST /api/extract`` takes, in characters.
MAX_EXTRACT_CHARS = 100_000
#: API answers kept for repeats.
CACHE_ENTRIES = 512
#: How ``hendelse serve --workers N`` passes its settings to the worker processes.
SETTINGS_ENV = "HENDELSE_SERVE_SETTINGS"

DESCRIPTION = """\
Events from Norwegian news (PLOVER: who did what to whom, where, when,
according to whom, how certain), read from a hendelse event store.
Every list takes `limit` (1–500) and `offset` and answers
`{"total", "limit", "offset", "items"}`; errors are JSON with `status`,
`message` and the parameters refused (`errors`). docs/api.md has examples.
"""


def create_app(
    db: Path, *, max_extract_chars: int = MAX_EXTRACT_CHARS, cache_entries: int = CACHE_ENTRIES
) -> FastAPI:
    """The web application over the store ``db`` (opened read-only).

    ``cache_entries`` answers of ``GET /api/…`` are kept in memory and answer
    repeats (:mod:`hendelse.serve.cache`); 0 turns that off.

    Raises :class:`hendelse.store.StoreError` when ``db`` is no readable store.
    """
    database = Database(Path(db))
    app = FastAPI(
        title="hendelse",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # FastAPI's pages load Swagger UI / ReDoc from a CDN
        redoc_url=None,
    )
    app.state.database = database
    app.state.max_extract_chars = max_extract_chars
    app.state.extractor = Extractor()  # loads the model on the first POST /api/extract
    errors.install(app)
    app.include_router(api.router, prefix="/api")
    app.include_router(docs_page.router)
    app.add_middleware(ResponseCache, entries=cache_entries)
    app.add_middleware(DropEmptyParams)  # outside the cache: `?q=` is the same as none
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    return app


def app_from_environment() -> FastAPI:
    """:func:`create_app` for uvicorn's worker processes (``hendelse serve --workers N``):
    the settings come as JSON in ``$HENDELSE_SERVE_SETTINGS``, set by the command."""
    raw = os.environ.get(SETTINGS_ENV)
    if not raw:
        raise RuntimeError(f"{SETTINGS_ENV} is not set: start the server with `hendelse serve`")
    settings = json.loads(raw)
    return create_app(
        Path(settings["db"]),
        max_extract_chars=settings["max_extract_chars"],
        cache_entries=settings["cache_entries"],
    )
