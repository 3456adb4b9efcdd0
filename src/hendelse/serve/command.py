"""``hendelse serve``: the web server (FastAPI under uvicorn) over an event store."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

err_console = Console(stderr=True)


def serve_command(
    db: Annotated[
        Path, typer.Option("--db", help="The store to serve (a DuckDB file), opened read-only.")
    ] = Path("events.duckdb"),
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on; 0.0.0.0 makes the server reachable from others."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8765,
    max_extract_chars: Annotated[
        int,
        typer.Option(
            "--max-extract-chars",
            min=1,
            help="Longest text POST /api/extract takes (characters); longer is a 413.",
        ),
    ] = 100_000,
    cache: Annotated[
        int,
        typer.Option(
            "--cache",
            min=0,
            help="API answers kept in memory to answer repeats (0: none). The store "
            "cannot change while served, so they stay right.",
        ),
    ] = 512,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes; each opens the store and keeps its own cache. More "
            "than the machine's cores does not help.",
        ),
    ] = 1,
) -> None:
    """Serve a store: the web pages, the REST API under /api and its documentation at /docs.

    Works with no network at all. The store is opened read-only (no ingest
    can write it while the server runs). Stop with Ctrl-C.

    Examples:

      hendelse serve --db hendelser.duckdb

      hendelse serve --db hendelser.duckdb --port 8080

      hendelse serve --db hendelser.duckdb --host 0.0.0.0 --workers 2
    """
    import uvicorn

    from hendelse.serve.app import SETTINGS_ENV, create_app
    from hendelse.store.db import Store, StoreError

    try:
        if workers == 1:
            app = create_app(db, max_extract_chars=max_extract_chars, cache_entries=cache)
        else:  # the worker processes build their own app (and index); this one checks
            Store.open(db, read_only=True).close()
    except StoreError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(1) from None
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"hendelse serves {db} at http://{shown}:{port}/ (API docs: /docs; Ctrl-C stops)")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    # Worker processes build their own app (uvicorn imports it by name).
    settings = {"db": str(db), "max_extract_chars": max_extract_chars, "cache_entries": cache}
    os.environ[SETTINGS_ENV] = json.dumps(settings)
    uvicorn.run(
        "hendelse.serve.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )
