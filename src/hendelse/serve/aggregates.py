"""Counts over the store: the summary, the timeline, the map and the actor network.

All but the summary take the event filters of ``/api/events``
(:func:`hendelse.store.query.event_filter`), so a map, a timeline and a
network always show the same events as the list with the same parameters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from hendelse.serve.events import first_positions
from hendelse.serve.index import SPLITS, TABLE, EventIndex, index_filter
from hendelse.serve.responses import joined

if TYPE_CHECKING:
    import duckdb


def _counts(con: duckdb.DuckDBPyConnection, column: str) -> dict[str, int]:
    rows = con.execute(
        f"SELECT {column}, count(*) AS n FROM events GROUP BY ALL ORDER BY n DESC, {column}"
    ).fetchall()
    return {str(key): int(n) for key, n in rows if key is not None}


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """How much the store holds: articles, events, located events, dates, counts by kind."""
    articles, events, located = con.execute(
        "SELECT (SELECT count(*) FROM articles), count(*), count(place_lat) FROM events"
    ).fetchone()
    date_min, date_max = con.execute(
        f"SELECT min(date_first), max(date_last) FROM {TABLE}"
    ).fetchone()
    return {
        "articles": int(articles),
        "events": int(events),
        "located": int(located),
        "date_min": date_min.isoformat() if date_min else None,
        "date_max": date_max.isoformat() if date_max else None,
        "by_quad": _counts(con, "quad"),
        "by_factuality": _counts(con, "factuality"),
        "by_type": _counts(con, "type"),
    }


def timeline(
    con: duckdb.DuckDBPyConnection,
    index: EventIndex,
    filters: dict[str, Any],
    interval: str,
    by: str,
) -> dict[str, Any]:
    """Events per day or week (keyed by its Monday), counted by quad class or factuality.

    An event is counted in the bucket its days fall in (the index's ``day`` or
    ``week``); one whose days span more than one bucket ("2023-09" by day) or
    that has no date at all is counted in ``undated`` instead, so no event is
    placed on a day it may not be.
    """
    if interval not in ("day", "week") or by not in SPLITS:
        raise ValueError(f"interval {interval!r} / by {by!r}")
    f = index_filter(filters)
    # By the value's rank (in the order of the values), named after the query.
    ranked = con.execute(
        f"SELECT s.{interval} AS bucket, s.{by}_rank AS key, count(*) FROM {TABLE} s{f.where} "
        "GROUP BY ALL ORDER BY bucket NULLS LAST, key",
        f.params,
    ).fetchall()
    names = index.ranked[by]
    rows = [(bucket, names.get(rank), n) for bucket, rank, n in ranked]
    buckets: dict[Any, dict[str, int]] = {}
    undated = 0
    keys: Counter[str] = Counter()
    for bucket, key, n in rows:
        if bucket is None:
            undated += n
            continue
        name = key or "unknown"
        buckets.setdefault(bucket, {})[name] = int(n)
        keys[name] += n
    return {
        "interval": interval,
        "by": by,
        "keys": [k for k, _ in keys.most_common()],
        "buckets": [
            {"date": day.isoformat(), "counts": counts, "total": sum(counts.values())}
            for day, counts in buckets.items()
        ],
        "undated": undated,
    }


def event_map(
    con: duckdb.DuckDBPyConnection,
    index: EventIndex,
    filters: dict[str, Any],
    limit: int,
    offset: int,
) -> bytes:
    """Located events as a GeoJSON FeatureCollection (newest first, paged like a list), as
    JSON text: the page's features are the index's, built when the server started."""
    f = index_filter(filters)
    located = f.where + (" AND " if f.where else " WHERE ") + "s.lat IS NOT NULL"
    total, positions = first_positions(con, located, f.params, limit, offset)
    head = {"type": "FeatureCollection", "total": total, "limit": limit, "offset": offset}
    return joined(head, "features", [index.features[pos] for pos in positions])


def _participants(table: str) -> str:
    """An event's participants in ``table`` as network nodes: the knowledge-base id, else
    the name."""
    return (
        "SELECT x.article_id, x.event_id, coalesce(en.kb, x.name) AS node, x.name, x.country, "
        f"x.sector FROM {table} x "
        "JOIN k ON k.article_id = x.article_id AND k.event_id = x.event_id "
        "LEFT JOIN entities en ON en.article_id = x.article_id AND en.id = x.entity_id "
        "WHERE x.name IS NOT NULL"
    )


def network(con: duckdb.DuckDBPyConnection, filters: dict[str, Any], limit: int) -> dict[str, Any]:
    """Who acts on whom: actor → recipient edges weighted by their events, by quad class.

    The ``limit`` heaviest edges are kept (ties by name); nodes are their
    ends, with the number of matching events each takes part in.
    """
    f = index_filter(filters)
    k = f"k AS (SELECT s.article_id, s.event_id, s.quad FROM {TABLE} s{f.where})"
    edge_rows = con.execute(
        f"WITH {k}, a AS ({_participants('event_actors')}), "
        f"r AS ({_participants('event_recipients')}) "
        "SELECT a.node, r.node, k.quad, count(DISTINCT (k.article_id, k.event_id)) "
        "FROM k JOIN a ON a.article_id = k.article_id AND a.event_id = k.event_id "
        "JOIN r ON r.article_id = k.article_id AND r.event_id = k.event_id "
        "WHERE a.node <> r.node GROUP BY ALL",
        f.params,
    ).fetchall()
    edges: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for source, target, quad, n in edge_rows:
        edges[(source, target)][quad or "unknown"] += int(n)
    ranked = sorted(edges.items(), key=lambda e: (-sum(e[1].values()), e[0]))
    kept = ranked[:limit]
    wanted = sorted({node for (s, t), _ in kept for node in (s, t)})
    nodes = []
    if wanted:
        node_rows = con.execute(
            f"WITH {k}, a AS ({_participants('event_actors')}), "
            f"r AS ({_participants('event_recipients')}), "
            "b AS (SELECT * FROM a UNION ALL SELECT * FROM r) "
            "SELECT node, mode(name), mode(country), mode(sector), "
            "count(DISTINCT (article_id, event_id)) FROM b WHERE list_contains(?, node) "
            "GROUP BY node ORDER BY node",
            [*f.params, wanted],
        ).fetchall()
        nodes = [
            {"id": node, "label": name, "country": country, "sector": sector, "events": int(n)}
            for node, name, country, sector, n in node_rows
        ]
    return {
        "nodes": nodes,
        "edges": [
            {
                "source": source,
                "target": target,
                "weight": sum(by_quad.values()),
                "by_quad": dict(by_quad.most_common()),
                "quad": by_quad.most_common(1)[0][0],
            }
            for (source, target), by_quad in kept
        ],
        "total_edges": len(ranked),
    }
