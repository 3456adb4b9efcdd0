"""The server's read-only handle on an event store, and a DuckDB cursor per request.

DuckDB connections are not safe to share between threads, and FastAPI runs
plain ``def`` endpoints in a thread pool; every request therefore works on a
cursor of its own (a new connection to the same database instance, which is
cheap) and closes it afterwards.

The store is opened read-only, which in DuckDB also means no other process can
write the file while the server has it open: what the server reads cannot
change under it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from hendelse.store.db import Store

if TYPE_CHECKING:
    import duckdb


class Database:
    """One read-only store for the life of the application."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.store = Store.open(self.path, read_only=True)
        tables = {
            name
            for (name,) in self.store.con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_catalog = current_database()"
            ).fetchall()
        }
        #: Whether the store has story tables (older stores have none).
        self.has_stories = {"stories", "story_events"} <= tables

    def cursors(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A FastAPI dependency: a fresh cursor for one request, closed after it."""
        cursor = self.store.con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def close(self) -> None:
        self.store.close()
