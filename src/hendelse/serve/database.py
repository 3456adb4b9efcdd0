"""The server's read-only handle on an event store, and a DuckDB cursor per request.

DuckDB connections are not safe to share between threads, and FastAPI runs
plain ``def`` endpoints in a thread pool; every request therefore works on a
cursor of its own (a new connection to the same database instance, which is
cheap) and closes it afterwards.

The store is opened read-only, which in DuckDB also means no other process can
write the file while the server has it open: what the server reads cannot
change under it. That is what lets it build its index of the events once
(:mod:`hendelse.serve.index`); requests read the store and the index through
an in-memory database that attaches the store read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from hendelse.serve.index import EventIndex, attach_store
from hendelse.store.db import Store

if TYPE_CHECKING:
    import duckdb


class Database:
    """One read-only store for the life of the application, with its event index."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.store = Store.open(self.path, read_only=True)
        con = None
        try:
            tables = dict(
                self.store.con.execute(
                    "SELECT table_name, table_type FROM information_schema.tables "
                    "WHERE table_schema = 'main' AND table_catalog = current_database()"
                ).fetchall()
            )
            if self.path.is_dir():  # a lake: an in-memory database of views already
                con = self.store.con
            else:
                base = sorted(name for name, kind in tables.items() if kind == "BASE TABLE")
                con = attach_store(self.path, base)
            index = EventIndex.build(con)
            if con is not self.store.con:
                # One thread a query: requests run side by side in uvicorn's thread pool,
                # and the store's queries are small; DuckDB's own worker threads only
                # cost wake-ups (about 1.5 ms of CPU a request, measured). A lake's
                # connection keeps its settings (they are locked).
                con.execute("SET threads = 1")
        except BaseException:
            if con is not None and con is not self.store.con:
                con.close()
            self.store.close()
            raise
        #: Whether the store has story tables (older stores have none).
        self.has_stories = {"stories", "story_events"} <= tables.keys()
        #: Where requests read: the store's tables (as views) and the index.
        self.con = con
        #: The events as lists, maps and timelines read them.
        self.index = index

    def cursors(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A FastAPI dependency: a fresh cursor for one request, closed after it."""
        cursor = self.con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def close(self) -> None:
        if self.con is not self.store.con:
            self.con.close()
        self.store.close()
