"""A real store and a real HTTP server for the API tests (tests/test_api*.py).

The store is built by the real ingest from the Bokmål articles in
tests/fixtures/api/; the server is uvicorn on a free port of 127.0.0.1,
running in a thread of the test process, and is spoken to over real HTTP.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from .conftest import FIXTURES

API_ARTICLES = FIXTURES / "api" / "articles.jsonl"
ARTICLES = 6  # in API_ARTICLES


def build_store(folder: Path) -> Path:
    """Ingest the API test articles into ``folder/events.duckdb``."""
    from hendelse.store.ingest import ingest

    db = folder / "events.duckdb"
    summary = ingest([API_ARTICLES], db, workers=1, progress=False)
    assert summary.stored == ARTICLES and not summary.skipped, summary.to_dict()
    return db


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def running_server(db: Path, **options: int) -> Iterator[httpx.Client]:
    """Serve ``db`` with uvicorn in a thread; yields an HTTP client for its address."""
    from hendelse.serve.app import create_app

    app = create_app(db, **options)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.database.close()
