"""The embedded event store: event records in one DuckDB file, and archive ingest.

- :class:`Store` (``db``): open or create a store, put an article's record.
- :func:`ingest` (``ingest``): read, extract (in worker processes) and store an archive.
- :func:`query` and :func:`sql` (``query``): filter events, or run read-only SQL.

The tables are described in ``docs/store.md`` and :mod:`hendelse.store.schema`.
Names are imported on first use, so that ``import hendelse.store.cli_commands``
(done by every ``hendelse`` command) does not load DuckDB.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hendelse.store.db import SchemaVersionError, Store, StoreError, content_hash
    from hendelse.store.ingest import IngestError, IngestSummary, Skipped, ingest
    from hendelse.store.query import ReadOnlyError, SqlError, SqlResult, query, sql
    from hendelse.store.schema import SCHEMA_VERSION

_WHERE = {
    "SCHEMA_VERSION": "schema",
    "IngestError": "ingest",
    "IngestSummary": "ingest",
    "ReadOnlyError": "query",
    "SchemaVersionError": "db",
    "Skipped": "ingest",
    "SqlError": "query",
    "SqlResult": "query",
    "Store": "db",
    "StoreError": "db",
    "content_hash": "db",
    "ingest": "ingest",
    "query": "query",
    "sql": "query",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'hendelse.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"hendelse.store.{module}"), name)
    globals()[name] = value
    return value
