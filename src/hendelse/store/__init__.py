"""The embedded event store: event records in one DuckDB file, and archive ingest.

- :class:`Store` (``db``): open or create a store, put an article's record.
- :func:`ingest` (``ingest``): read, extract (in worker processes) and store an archive.
- :func:`query` and :func:`sql` (``query``): filter events, or run read-only SQL.

The tables are described in ``docs/store.md`` and :mod:`hendelse.store.schema`.
DuckDB is imported when a store is opened, so that importing this package
(as every ``hendelse`` command does for its command list) stays cheap.
"""

from hendelse.store.db import SchemaVersionError, Store, StoreError, content_hash
from hendelse.store.ingest import IngestError, IngestSummary, Skipped, ingest
from hendelse.store.query import ReadOnlyError, SqlError, SqlResult, query, sql
from hendelse.store.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "IngestError",
    "IngestSummary",
    "ReadOnlyError",
    "SchemaVersionError",
    "Skipped",
    "SqlError",
    "SqlResult",
    "Store",
    "StoreError",
    "content_hash",
    "ingest",
    "query",
    "sql",
]
