"""A store of about 100,000 events, and how fast typical queries on it answer.

The store is built from real records: the corpus is extracted once (by the
parse/extract stage) and its records are stored again and again under new
article ids (``ID~2``, ``ID~3`` …) with :meth:`Store.put_many`, until the
events reach the target. Every copy holds the same articles with the same
events, so each filter but one keeps the selectivity it has on the corpus.
The exception is time: an archive of 100,000 events spans months, so the
articles without a publication date of their own (NorQuAD's, NDT's) are
dated by their copy, the copies spread evenly over :data:`YEAR` (copy 1 on
its first day). Events without a time of their own are dated by their
article in queries, as in any store.

Queries go through :func:`hendelse.store.query.query` (what ``hendelse
query`` runs) with its default limit of 100 rows:

- *cold*: a fresh read-only connection, the query's first run on it
  (opening the store is timed apart); the file itself is in the page cache.
- *warm*: the same connection, the query run again and again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_corpus import Corpus

#: Articles per write transaction while building (the ingest writes 16; this
#: is only the building, which is not what the stage measures).
WRITE_BATCH = 128
#: The year the copies' publication dates spread over.
YEAR = 2023

#: Typical filters: a name, and query()'s keyword arguments.
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("type", {"type": "ASSAULT"}),
    ("quad", {"quad": "material conflict"}),
    ("actor country", {"actor": "country:RUS"}),
    ("actor name", {"actor": "politiet"}),
    ("place radius", {"near": (59.91, 10.75, 50)}),
    ("place country", {"place": "NOR"}),
    ("date range", {"date_from": f"{YEAR}-03", "date_to": f"{YEAR}-05"}),
    ("factuality", {"factuality": "reported,planned"}),
    ("text search", {"text": "regjeringen"}),
    (
        "combination",
        {
            "type": "ASSAULT,COERCE",
            "actor": "GOV",
            "factuality": "asserted",
            "date_from": f"{YEAR}-06",
        },
    ),
    ("no filter", {}),
]


def build(
    corpora: list[Corpus], records: dict[str, list[dict]], db: Path, target_events: int
) -> dict[str, Any]:
    """Store the corpus's records repeatedly until ``target_events`` events are stored."""
    from hendelse.store import Store

    pairs = [
        (record, article)
        for corpus in corpora
        for record, article in zip(records[corpus.name], corpus.articles, strict=True)
    ]
    per_copy = sum(len(record["events"]) for record, _ in pairs)
    if per_copy == 0:
        raise ValueError("the corpus gave no events: nothing to build a store from")
    needed = -(-target_events // per_copy)
    db.unlink(missing_ok=True)
    events = articles = copies = 0
    write_seconds = 0.0
    with Store.open(db) as store:
        while events < target_events:
            copies += 1
            day = dt.date(YEAR, 1, 1) + dt.timedelta(days=(copies - 1) * 365 // needed)
            batch: list[tuple[dict, Any, str]] = []
            for record, article in pairs:
                if events >= target_events:
                    break
                batch.append(_copy(record, article, copies, day))
                events += len(record["events"])
                if len(batch) == WRITE_BATCH:
                    write_seconds += _write(store, batch)
                    articles += len(batch)
                    batch = []
            if batch:
                write_seconds += _write(store, batch)
                articles += len(batch)
        stored = store.counts()
    size = db.stat().st_size
    return {
        "db": str(db),
        "events_per_corpus_copy": per_copy,
        "copies": copies,
        "published_spread": f"{YEAR} (articles without a date)",
        "articles": stored["articles"],
        "events": stored["events"],
        "write_batch": WRITE_BATCH,
        "write_seconds": round(write_seconds, 2),
        "write_articles_per_s": articles / write_seconds,
        "db_bytes": size,
        "db_mb_per_1000_articles": size / 2**20 / stored["articles"] * 1000,
    }


def _copy(record: dict, article: Any, copy: int, day: dt.date) -> tuple[dict, Any, str]:
    """The copy'th copy of an article and its record: a new id, and a date if it had none."""
    from hendelse.store import content_hash

    new_id = article.id if copy == 1 else f"{article.id}~{copy}"
    published = article.published or day.isoformat()
    meta = {**record["article"], "id": new_id, "published": published}
    article = dataclasses.replace(article, id=new_id, published=published)
    return {**record, "article": meta}, article, content_hash(article)


def _write(store: Any, batch: list[tuple[dict, Any, str]]) -> float:
    started = time.perf_counter()
    store.put_many(batch, extractor="bench")
    return time.perf_counter() - started


def _stats(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"median_ms": statistics.median(ms), "p95_ms": p95, "runs": len(ms)}


def _timed(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - started, result


def run_queries(db: Path, cold_runs: int, warm_runs: int) -> dict[str, Any]:
    """Median and p95 latency of each typical query, cold and warm."""
    from hendelse.store import Store, query, sql

    total = sql(db, "SELECT count(*) FROM events").rows[0][0]
    opens: list[float] = []
    rows: list[dict[str, Any]] = []
    for name, filters in QUERIES:
        cold: list[float] = []
        for _ in range(cold_runs):
            seconds, store = _timed(Store.open, db, read_only=True)
            opens.append(seconds)
            try:
                cold.append(_timed(query, store, **filters)[0])
            finally:
                store.close()
        with Store.open(db, read_only=True) as store:
            returned = len(query(store, **filters))
            matches = len(query(store, **filters, limit=0))
            warm = [_timed(query, store, **filters)[0] for _ in range(warm_runs)]
        rows.append(
            {
                "query": name,
                "filters": {k: list(v) if isinstance(v, tuple) else v for k, v in filters.items()},
                "matches": matches,
                "returned": returned,
                "cold": _stats(cold),
                "warm": _stats(warm),
            }
        )
    return {"events": total, "open": _stats(opens), "queries": rows}
