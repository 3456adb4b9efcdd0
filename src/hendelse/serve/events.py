"""Events as the API gives them: a filtered, paged list, and one event in full.

A page is read with one statement: the keys of the matching events (the
filters on the ``event_summary`` view, newest first, ``LIMIT``/``OFFSET``)
joined to the events' columns, roles and article. The filters' SQL comes
from :func:`hendelse.store.query.event_filter`; every value is a bound
parameter.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from hendelse.store.query import ORDER_BY, EventFilter, event_filter

if TYPE_CHECKING:
    import duckdb


def _roles(table: str, *, cue: bool = False) -> str:
    """A list of an event's participants in ``table`` (in record order), as structs."""
    extra = ", 'cue': {'start': x.cue_start, 'end': x.cue_end, 'text': x.cue_text}" if cue else ""
    return (
        "coalesce((SELECT list({'entity_id': x.entity_id, 'name': x.name, 'type': x.type, "
        "'country': x.country, 'sector': x.sector, "
        f"'span': {{'start': x.span_start, 'end': x.span_end, 'text': x.span_text}}{extra}}} "
        f"ORDER BY x.ord) FROM {table} x "
        "WHERE x.article_id = p.article_id AND x.event_id = p.event_id), [])"
    )


#: The columns of an event item, read for the keys in ``p``.
ITEM_COLUMNS = f"""p.article_id, p.event_id, p.date_first, p.date_last, p.date_basis,
  e.type, e.mode, e.context, e.quad, e.cameo, e.factuality, e.confidence,
  e.time_value, e.time_granularity, e.time_start, e.time_end, e.time_text,
  e.place_id, e.place_name, e.place_country, e.place_lat, e.place_lon, e.place_feature,
  e.location_start, e.location_end, e.location_text,
  e.trigger_start, e.trigger_end, e.trigger_text,
  e.sentence_start, e.sentence_end, e.sentence_text,
  a.title, a.published, a.source,
  {_roles("event_actors")} AS actors,
  {_roles("event_recipients")} AS recipients,
  {_roles("attributions", cue=True)} AS attribution"""

_JOINS = (
    "JOIN events e ON e.article_id = p.article_id AND e.id = p.event_id "
    "JOIN articles a ON a.id = p.article_id"
)
_PAGE_ORDER = ORDER_BY.replace("s.", "p.")


def count_events(con: duckdb.DuckDBPyConnection, filters: dict[str, Any]) -> int:
    f = event_filter(**filters)
    return int(
        con.execute(f"SELECT count(*) FROM event_summary s{f.where}", f.params).fetchone()[0]
    )


def list_events(
    con: duckdb.DuckDBPyConnection, filters: dict[str, Any], limit: int, offset: int
) -> list[dict[str, Any]]:
    """One page of matching events, newest first, as API items."""
    f: EventFilter = event_filter(**filters)
    statement = (
        "WITH p AS (SELECT s.article_id, s.event_id, s.ord, s.date_first, s.date_last, "
        f"s.date_basis{f.select_extra} FROM event_summary s{f.where}{ORDER_BY} "
        f"LIMIT ? OFFSET ?) SELECT {ITEM_COLUMNS}"
        + (", p.distance_km" if f.select_extra else "")
        + f" FROM p {_JOINS}{_PAGE_ORDER}"
    )
    cursor = con.execute(statement, [*f.select_params, *f.params, limit, offset])
    return [event_item(row) for row in _dicts(cursor)]


def get_event(
    con: duckdb.DuckDBPyConnection, article_id: str, event_id: str
) -> dict[str, Any] | None:
    """One event with everything: the list item plus explain, mentions and the attribution chain."""
    statement = (
        "WITH p AS (SELECT s.article_id, s.event_id, s.ord, s.date_first, s.date_last, "
        "s.date_basis FROM event_summary s WHERE s.article_id = ? AND s.event_id = ?) "
        f"SELECT {ITEM_COLUMNS}, e.time_weekday, e.time_part, e.explain, "
        "coalesce((SELECT list({'start': m.span_start, 'end': m.span_end, 'text': m.span_text} "
        "ORDER BY m.ord) FROM event_mentions m WHERE m.article_id = p.article_id "
        f"AND m.event_id = p.event_id), []) AS mentions FROM p {_JOINS}"
    )
    rows = _dicts(con.execute(statement, [article_id, event_id]))
    if not rows:
        return None
    row = rows[0]
    item = event_item(row)
    item["time"] = item["time"] and {
        **item["time"],
        "weekday": row["time_weekday"],
        "part": row["time_part"],
    }
    item["mentions"] = row["mentions"]
    item["explain"] = json.loads(row["explain"]) if row["explain"] else None
    item["attribution_chain"] = attribution_chain(item["attribution"])
    return item


def attribution_chain(attribution: list[dict[str, Any]]) -> str | None:
    """Who says the event happened, outermost first: "NTB → Reuters" (NTB cites Reuters)."""
    names = [a.get("name") or (a.get("span") or {}).get("text") or "?" for a in attribution]
    return " → ".join(names) if names else None


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _span(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    if row[f"{prefix}_start"] is None:
        return None
    return {
        "start": row[f"{prefix}_start"],
        "end": row[f"{prefix}_end"],
        "text": row[f"{prefix}_text"],
    }


def event_links(article_id: str, event_id: str) -> dict[str, str]:
    aid, eid = quote(article_id, safe=""), quote(event_id, safe="")
    return {"api": f"/api/events/{aid}/{eid}", "page": f"/articles/{aid}#event-{eid}"}


def event_item(row: dict[str, Any]) -> dict[str, Any]:
    """An API event from a row of :data:`ITEM_COLUMNS`."""
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
    item = {
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
        "actors": row["actors"],
        "recipients": row["recipients"],
        "place": place,
        "time": time,
        "attribution": row["attribution"],
        # The event's day when its days narrow to one, else null (see date_range).
        "date": first.isoformat() if first is not None and first == last else None,
        "date_range": {
            "first": first.isoformat() if first else None,
            "last": last.isoformat() if last else None,
            "basis": row["date_basis"],
        },
        "article": {"title": row["title"], "published": row["published"], "source": row["source"]},
        "links": event_links(row["article_id"], row["event_id"]),
    }
    if "distance_km" in row:
        item["distance_km"] = row["distance_km"]
    return item
