"""What a Spark task does with its share of the articles: choose, extract, flatten.

:func:`process_partition` is the function given to ``mapPartitions``. Its
input is the articles grouped by id (every version of an id read anywhere
in the archive lands in the same group, with ``(STORED, content hash)``
when the lake already holds that id); its output is tagged tuples:

- ``(TABLE, values)``: a row of a store table, values in the table's column
  order (``hendelse.store.schema``) and then the lake's ``date`` partition;
- ``(SKIPPED, (order key, Skipped))``: an input that was not stored;
- ``(REPLACED, article id)``: an article of the lake stored again (changed, or
  forced): its old rows are to go;
- ``(COUNTS, {"articles_read": …, "duplicates": …, "unchanged": …,
  "replaced": …, "rows": {table: n}, "extractor": name})``: once per
  partition, for the summary.

The Norwegian pipeline and the extractor are loaded once per Python worker
process and kept for every later task it runs (the module-level cache of
:func:`hendelse.store.ingest.extract_batch`, which the single-process ingest
uses too). Rows come from :func:`hendelse.store.db.record_rows`, the
function the DuckDB store writes with, so the lake and the store cannot
drift apart.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from typing import Any

from hendelse.reader.article import Article, ArticleError
from hendelse.scale.inputs import OrderKey
from hendelse.store import schema
from hendelse.store.db import content_hash, record_rows
from hendelse.store.ingest import BATCH_SIZE, Skipped
from hendelse.store.lake import json_text, partition_days

SKIPPED = "__skipped__"
COUNTS = "__counts__"
REPLACED = "__replaced__"
#: Marks the content hash the lake holds for an id, among that id's read versions.
STORED = "\x00stored"
#: BLAS and OpenMP threads per Python worker: Spark runs one worker per core.
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

#: One version of an article: where it was read, its content hash, the article.
Version = tuple[OrderKey, str, Article]


def stored_item(article_id: str, digest: str) -> tuple[str, tuple[str, str]]:
    """Key the content hash the lake holds for an id, to be grouped with the new versions."""
    return article_id, (STORED, digest)


def key_item(item: tuple[OrderKey, Article | ArticleError]) -> tuple[str, Any]:
    """Key a read item for grouping: an article by its id, an error by its own key."""
    key, value = item
    if isinstance(value, ArticleError):
        return f"\x00error {key!r}", (key, Skipped(value.where, "read", value.problem))
    return value.id, (key, content_hash(value), value)


def choose(versions: Iterable[Version]) -> tuple[Version, int]:
    """The version of an id that the single-process ingest ends up storing, and how many
    versions it skips as duplicates.

    Read in input order, a version with the content of the version before it
    is a duplicate; one with other content replaces it. So the result is the
    first of the last run of equal versions.
    """
    ordered = sorted(versions, key=lambda v: v[0])
    winner, duplicates = ordered[0], 0
    for version in ordered[1:]:
        if version[1] == winner[1]:
            duplicates += 1
        else:
            winner = version
    return winner, duplicates


def process_partition(
    groups: Iterable[tuple[str, Iterable[Any]]],
    *,
    ingested_at: dt.datetime,
    batch_size: int = BATCH_SIZE,
    force: bool = False,
) -> Iterator[tuple[str, Any]]:
    """Choose each id's version, extract the chosen articles in batches, yield rows.

    An id the lake holds with the content of every version read is unchanged
    and not extracted (unless ``force``), as the single-process ingest skips
    an article whose stored content hash is the same.
    """
    for name in THREAD_ENV:
        os.environ.setdefault(name, "1")
    chosen: list[tuple[Version, bool]] = []  # the version, and whether it replaces one
    counts: dict[str, Any] = {
        "articles_read": 0,
        "duplicates": 0,
        "unchanged": 0,
        "replaced": 0,
        "rows": {},
    }
    for key, values in groups:
        values = list(values)
        if key.startswith("\x00error"):
            for order, skipped in values:
                yield SKIPPED, (order, skipped)
            continue
        stored = next((v[1] for v in values if v[0] == STORED), None)
        versions = [v for v in values if v[0] != STORED]
        if not versions:  # in the lake, not in this batch
            continue
        counts["articles_read"] += len(versions)
        winner, repeats = choose(versions)
        counts["duplicates"] += repeats
        if not force and stored is not None:
            first = min(versions, key=lambda v: v[0])
            counts["unchanged"] += first[1] == stored
            if all(v[1] == stored for v in versions):
                continue
        chosen.append((winner, stored is not None))
    chosen.sort(key=lambda c: c[0][0])  # the same batches however the shuffle delivered them
    tables = counts["rows"]
    for start in range(0, len(chosen), batch_size):
        for tag, value in _extract(chosen[start : start + batch_size], ingested_at, counts):
            if tag == REPLACED:
                counts["replaced"] += 1
            elif tag != SKIPPED:
                tables[tag] = tables.get(tag, 0) + 1
            yield tag, value
    yield COUNTS, counts


def _extract(
    batch: list[tuple[Version, bool]], ingested_at: dt.datetime, counts: dict[str, Any]
) -> Iterator[tuple[str, Any]]:
    from hendelse.store.ingest import extract_batch

    name, results = extract_batch([article for (_, _, article), _ in batch])
    counts["extractor"] = name
    for ((order, digest, article), replaces), (record, error) in zip(batch, results, strict=True):
        if record is None:  # the lake keeps what it held under this id
            where = article.origin or article.id
            yield SKIPPED, (order, Skipped(where, "extract", error or "", article.id))
            continue
        if replaces:
            yield REPLACED, article.id
        rows = record_rows(record, article, digest, extractor=name, now=ingested_at)
        days = partition_days(rows)
        for table in schema.TABLES:
            for row, day in zip(rows[table.name], days[table.name], strict=True):
                yield table.name, (*row_values(table, row), day)


def row_values(table: schema.Table, row: dict[str, Any]) -> tuple[Any, ...]:
    """A row's values in column order, as Spark's types take them (JSON as text)."""
    values = []
    for name, kind in table.columns:
        value = row[name]
        base = kind.split()[0]
        if value is not None:
            if base == "JSON":
                value = json_text(value)
            elif base == "DOUBLE":
                value = float(value)
            elif base == "INTEGER":
                value = int(value)
        values.append(value)
    return tuple(values)
