"""Events as the API gives them: a filtered, paged list, and one event in full.

Both read the server's event index (:mod:`hendelse.serve.index`): a page is
one query, the filters of :func:`hendelse.store.query.event_filter` over the
index's table, newest first, with ``LIMIT``/``OFFSET``; each row holds
everything its item shows. Every value is a bound parameter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hendelse.serve.index import ITEM_COLUMNS, ORDER_BY, TABLE, day_of, event_links, index_filter

if TYPE_CHECKING:
    import duckdb


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count_events(con: duckdb.DuckDBPyConnection, filters: dict[str, Any]) -> int:
    f = index_filter(filters)
    return int(con.execute(f"SELECT count(*) FROM {TABLE} s{f.where}", f.params).fetchone()[0])


def list_events(
    con: duckdb.DuckDBPyConnection, filters: dict[str, Any], limit: int, offset: int
) -> list[dict[str, Any]]:
    """One page of matching events, newest first, as API items."""
    f = index_filter(filters)
    rows = _dicts(
        con.execute(
            f"SELECT {ITEM_COLUMNS}{f.select_extra} FROM {TABLE} s{f.where}"
            f"{ORDER_BY} LIMIT ? OFFSET ?",
            [*f.select_params, *f.params, limit, offset],
        )
    )
    items = [event_item(row) for row in rows]
    if f.select_extra:  # near: the distance from the point
        for item, row in zip(items, rows, strict=True):
            item["distance_km"] = row["distance_km"]
    return items


def get_event(
    con: duckdb.DuckDBPyConnection, article_id: str, event_id: str
) -> dict[str, Any] | None:
    """One event with everything: the list item plus explain, mentions, the time's weekday
    and part of day, and the attribution chain."""
    rows = _dicts(
        con.execute(
            f"SELECT {ITEM_COLUMNS} FROM {TABLE} s WHERE s.article_id = ? AND s.event_id = ?",
            [article_id, event_id],
        )
    )
    if not rows:
        return None
    item = event_item(rows[0])
    explain, weekday, part = con.execute(
        "SELECT explain, time_weekday, time_part FROM events WHERE article_id = ? AND id = ?",
        [article_id, event_id],
    ).fetchone()
    item["explain"] = json.loads(explain) if explain else None
    if item["time"] is not None:
        item["time"] |= {"weekday": weekday, "part": part}
    mentions = con.execute(
        "SELECT span_start, span_end, span_text FROM event_mentions "
        "WHERE article_id = ? AND event_id = ? ORDER BY ord",
        [article_id, event_id],
    ).fetchall()
    item["mentions"] = [{"start": s, "end": e, "text": t} for s, e, t in mentions]
    item["attribution_chain"] = attribution_chain(item["attribution"])
    return item


def _role(entry: dict[str, Any], *, cue: bool = False) -> dict[str, Any]:
    """An actor, recipient or source as the API gives it, from the index's struct."""
    role = {
        "entity_id": entry["entity_id"],
        "name": entry["name"],
        "type": entry["type"],
        "country": entry["country"],
        "sector": entry["sector"],
        "span": _span(entry, "span"),
    }
    if cue:
        role["cue"] = _span(entry, "cue")
    return role


def attribution_chain(attribution: list[dict[str, Any]]) -> str | None:
    """Who says the event happened, outermost first: "NTB → Reuters" (NTB cites Reuters)."""
    names = [a.get("name") or (a.get("span") or {}).get("text") or "?" for a in attribution]
    return " → ".join(names) if names else None


def _span_of(values: Sequence[Any]) -> dict[str, Any] | None:
    start, end, text = values
    return None if start is None else {"start": start, "end": end, "text": text}


def _span(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    return _span_of((row[f"{prefix}_start"], row[f"{prefix}_end"], row[f"{prefix}_text"]))


def event_item(row: dict[str, Any]) -> dict[str, Any]:
    """An API event from its row of the index (:data:`~hendelse.serve.index.ITEM_COLUMNS`)."""
    place = None
    if row["place_id"] is not None:
        place = {
            "id": row["place_id"],
            "name": row["place_name"],
            "country": row["place_country"],
            "lat": row["place_lat"],
            "lon": row["place_lon"],
            "feature": row["place_feature"],
            "span": _span(row, "location"),
        }
    time = None
    if row["time_value"] is not None or row["time_start"] is not None:
        time = {
            "value": row["time_value"],
            "granularity": row["time_granularity"],
            **(_span(row, "time") or {"start": None, "end": None, "text": None}),
        }
    first, last = row["date_first"], row["date_last"]
    return {
        "article_id": row["article_id"],
        "id": row["event_id"],
        "type": row["type"],
        "mode": row["mode"],
        "context": list(row["context"] or []),
        "quad": row["quad"],
        "cameo": row["cameo"],
        "factuality": row["factuality"],
        "confidence": row["confidence"],
        "sentence": _span(row, "sentence"),
        "trigger": _span(row, "trigger"),
        "actors": [_role(entry) for entry in row["actors"]],
        "recipients": [_role(entry) for entry in row["recipients"]],
        "place": place,
        "time": time,
        "attribution": [_role(entry, cue=True) for entry in row["attribution"]],
        "date": day_of(first, last),
        "date_range": {
            "first": first.isoformat() if first else None,
            "last": last.isoformat() if last else None,
            "basis": row["date_basis"],
        },
        "article": {
            "title": row["title"],
            "published": row["published"],
            "source": row["article_source"],
        },
        "links": event_links(row["article_id"], row["event_id"]),
    }
