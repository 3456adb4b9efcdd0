"""Events as the API gives them: a filtered, paged list, and one event in full.

A page is read in two steps. First the keys of the matching events, newest
first, with ``LIMIT``/``OFFSET``: the filters of
:func:`hendelse.store.query.event_filter` over
:data:`~hendelse.store.query.EVENT_ROWS` (the dates of ``event_summary``
without its lists of names, which DuckDB would compute for every event).
Then the page's events, roles and articles, read by article id (an indexed
lookup) and put together here. Every value is a bound parameter.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from hendelse.store.query import EVENT_ROWS, ORDER_BY, event_filter

if TYPE_CHECKING:
    import duckdb

Key = tuple[str, str]  # (article_id, event_id)

#: An event's own columns (``explain``, large, only for one event).
_EVENT_COLUMNS = """e.article_id, e.id AS event_id, e.type, e.mode, e.context, e.quad, e.cameo,
  e.factuality, e.confidence, e.time_value, e.time_granularity, e.time_weekday, e.time_part,
  e.time_start, e.time_end, e.time_text,
  e.place_id, e.place_name, e.place_country, e.place_lat, e.place_lon, e.place_feature,
  e.location_start, e.location_end, e.location_text, e.trigger_start, e.trigger_end,
  e.trigger_text, e.sentence_start, e.sentence_end, e.sentence_text"""
#: The key columns of a page: the event and the days it can lie in.
_KEY_COLUMNS = "s.article_id, s.event_id, s.date_first, s.date_last, s.date_basis"

_ROLE_COLUMNS = "entity_id, name, type, country, sector, span_start, span_end, span_text"
ROLE_TABLES = {"actors": "event_actors", "recipients": "event_recipients"}


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count_events(con: duckdb.DuckDBPyConnection, filters: dict[str, Any]) -> int:
    f = event_filter(**filters)
    return int(con.execute(f"SELECT count(*) FROM {EVENT_ROWS} s{f.where}", f.params).fetchone()[0])


def list_events(
    con: duckdb.DuckDBPyConnection, filters: dict[str, Any], limit: int, offset: int
) -> list[dict[str, Any]]:
    """One page of matching events, newest first, as API items."""
    f = event_filter(**filters)
    keys = _dicts(
        con.execute(
            f"SELECT {_KEY_COLUMNS}{f.select_extra} FROM {EVENT_ROWS} s{f.where}"
            f"{ORDER_BY} LIMIT ? OFFSET ?",
            [*f.select_params, *f.params, limit, offset],
        )
    )
    items = event_items(con, keys)
    if f.select_extra:  # near: the distance from the point
        for item, key in zip(items, keys, strict=True):
            item["distance_km"] = key["distance_km"]
    return items


def get_event(
    con: duckdb.DuckDBPyConnection, article_id: str, event_id: str
) -> dict[str, Any] | None:
    """One event with everything: the list item plus explain, mentions, the time's weekday
    and part of day, and the attribution chain."""
    keys = _dicts(
        con.execute(
            f"SELECT {_KEY_COLUMNS} FROM {EVENT_ROWS} s WHERE s.article_id = ? AND s.event_id = ?",
            [article_id, event_id],
        )
    )
    items = event_items(con, keys, full=True)
    if not items:
        return None
    item = items[0]
    mentions = con.execute(
        "SELECT span_start, span_end, span_text FROM event_mentions "
        "WHERE article_id = ? AND event_id = ? ORDER BY ord",
        [article_id, event_id],
    ).fetchall()
    item["mentions"] = [{"start": s, "end": e, "text": t} for s, e, t in mentions]
    item["attribution_chain"] = attribution_chain(item["attribution"])
    return item


def event_items(
    con: duckdb.DuckDBPyConnection, keys: Sequence[dict[str, Any]], *, full: bool = False
) -> list[dict[str, Any]]:
    """API items for the events of ``keys`` (rows of ``_KEY_COLUMNS``, in that order);
    ``full`` adds explain and the time's weekday and part of day."""
    if not keys:
        return []
    articles = sorted({key["article_id"] for key in keys})
    marks = _marks(articles)
    explain = ", e.explain" if full else ""
    rows = {
        (r["article_id"], r["event_id"]): r
        for r in _dicts(
            con.execute(
                f"SELECT {_EVENT_COLUMNS}{explain} FROM events e WHERE e.article_id IN ({marks})",
                articles,
            )
        )
    }
    about = {
        row[0]: {"title": row[1], "published": row[2], "source": row[3]}
        for row in con.execute(
            f"SELECT id, title, published, source FROM articles WHERE id IN ({marks})", articles
        ).fetchall()
    }
    roles = {name: participants(con, table, articles) for name, table in ROLE_TABLES.items()}
    roles["attribution"] = participants(con, "attributions", articles, cue=True)
    items = []
    for key in keys:
        event = (key["article_id"], key["event_id"])
        row = rows.get(event)
        if row is None:
            continue
        item = event_item(
            row | key,
            about[key["article_id"]],
            {name: found.get(event, []) for name, found in roles.items()},
        )
        if full:
            item["explain"] = json.loads(row["explain"]) if row["explain"] else None
            if item["time"] is not None:
                item["time"] |= {"weekday": row["time_weekday"], "part": row["time_part"]}
        items.append(item)
    return items


def participants(
    con: duckdb.DuckDBPyConnection, table: str, articles: Sequence[str], *, cue: bool = False
) -> dict[Key, list[dict[str, Any]]]:
    """The entries of ``table`` (actors, recipients, sources) of these articles' events,
    in record order, by event."""
    columns = _ROLE_COLUMNS + (", cue_start, cue_end, cue_text" if cue else "")
    rows = con.execute(
        f"SELECT article_id, event_id, {columns} FROM {table} "
        f"WHERE article_id IN ({_marks(articles)}) ORDER BY article_id, event_id, ord",
        list(articles),
    ).fetchall()
    found: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        entry = {
            "entity_id": row[2],
            "name": row[3],
            "type": row[4],
            "country": row[5],
            "sector": row[6],
            "span": _span_of(row[7:10]),
        }
        if cue:
            entry["cue"] = _span_of(row[10:13])
        found[(row[0], row[1])].append(entry)
    return found


def names(
    con: duckdb.DuckDBPyConnection, table: str, articles: Iterable[str]
) -> dict[Key, list[str]]:
    """The names in ``table`` of these articles' events, in record order, by event."""
    articles = sorted(set(articles))
    if not articles:
        return {}
    rows = con.execute(
        f"SELECT article_id, event_id, name FROM {table} "
        f"WHERE article_id IN ({_marks(articles)}) ORDER BY article_id, event_id, ord",
        articles,
    ).fetchall()
    found: dict[Key, list[str]] = defaultdict(list)
    for article, event, name in rows:
        if name:
            found[(article, event)].append(name)
    return found


def attribution_chain(attribution: list[dict[str, Any]]) -> str | None:
    """Who says the event happened, outermost first: "NTB → Reuters" (NTB cites Reuters)."""
    names = [a.get("name") or (a.get("span") or {}).get("text") or "?" for a in attribution]
    return " → ".join(names) if names else None


def _span_of(values: Sequence[Any]) -> dict[str, Any] | None:
    start, end, text = values
    return None if start is None else {"start": start, "end": end, "text": text}


def _span(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    return _span_of((row[f"{prefix}_start"], row[f"{prefix}_end"], row[f"{prefix}_text"]))


def event_links(article_id: str, event_id: str) -> dict[str, str]:
    aid, eid = quote(article_id, safe=""), quote(event_id, safe="")
    return {"api": f"/api/events/{aid}/{eid}", "page": f"/articles/{aid}#event-{eid}"}


def day_of(first: Any, last: Any) -> str | None:
    """The event's day when the days it can lie in narrow to one, else None."""
    return first.isoformat() if first is not None and first == last else None


def event_item(
    row: dict[str, Any], article: dict[str, Any], roles: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """An API event from its row (``_EVENT_COLUMNS`` and ``_KEY_COLUMNS``), its article's
    title, date and source, and its participants."""
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
        "actors": roles["actors"],
        "recipients": roles["recipients"],
        "place": place,
        "time": time,
        "attribution": roles["attribution"],
        "date": day_of(first, last),
        "date_range": {
            "first": first.isoformat() if first else None,
            "last": last.isoformat() if last else None,
            "basis": row["date_basis"],
        },
        "article": article,
        "links": event_links(row["article_id"], row["event_id"]),
    }
