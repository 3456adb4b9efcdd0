"""The server's in-memory index of the store's events: what lists, maps and timelines read.

Read straight from the store, a page of events costs DuckDB 40-60 ms of CPU
at 100,000 events: every event's days come from a join with its article
(for the filters and the order), and the page's events and their actors,
recipients and sources are fetched row by row from compressed columns.
The store cannot change while the server reads it (it is open read-only,
and DuckDB lets no other process write it meanwhile), so the server puts it
together once, when it starts:

- :data:`TABLE`, an in-memory table of the columns of
  :data:`hendelse.store.query.EVENT_ROWS` (what
  :func:`~hendelse.store.query.event_filter`'s conditions read, so every
  filter keeps its meaning), ``pos``, the event's place in
  :data:`~hendelse.store.query.ORDER_BY` (newest first, from 1), so that a
  page is ``ORDER BY pos``, and ``countries``, every actor's and recipient's
  country, which the ``country`` filter reads instead of the role tables;
- :attr:`EventIndex.items`: every event's API list item, as JSON text, by
  ``pos``; and :attr:`EventIndex.features`, every located event's GeoJSON
  map feature.

A page is then the ``pos`` of its events (one query on an in-memory table, a
few ms) and the JSON of their items joined. Python's dicts and JSON
encoding took as long as the queries; reading full rows back from DuckDB
cost about 0.1 ms an event. It costs memory and time at start, in each
server process (``--workers``): at 100,000 events about 6 s of CPU, and
the process holds about 350 MB (105 MB of it the items' JSON, 35 MB the
table) where the server without the index started at 80 MB and grew to
about 430 MB under load as DuckDB cached the store's blocks.

DuckDB opens a store file read-only in a database that cannot hold tables
of its own, so the index lives in an in-memory database that attaches the
store read-only and sees its tables through views of the same names
(:func:`attach_store`); the read-only connection the server opened first stays
open and keeps other processes from writing. A lake (``Store.open`` of a
folder) already is an in-memory database of views, and gets the index as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from hendelse.serve.responses import dumps
from hendelse.store import schema
from hendelse.store.query import EVENT_ROWS, EventFilter, event_filter

if TYPE_CHECKING:
    import duckdb

#: The index's table, in the server's in-memory database.
TABLE = "event_index"
#: The order of pages over :data:`TABLE`: the same as ``query.ORDER_BY``.
ORDER_BY = " ORDER BY s.pos"
#: The store's database, as attached by :func:`attach_store`.
STORE_ALIAS = "store"

_ROLE_FIELDS = ("entity_id", "name", "type", "country", "sector", "span_start", "span_end")


def _roles(table: str, *, cue: bool = False) -> str:
    """An event's entries of a role table as a list of structs, in record order."""
    fields = [*_ROLE_FIELDS, "span_text"] + (["cue_start", "cue_end", "cue_text"] if cue else [])
    struct = ", ".join(f"'{name}': {name}" for name in fields)
    return (
        f"SELECT article_id, event_id, list({{{struct}}} ORDER BY ord) AS roles, "
        "list(country ORDER BY ord) FILTER (WHERE country IS NOT NULL) AS countries "
        f"FROM {table} GROUP BY article_id, event_id"
    )


#: Everything the index is made of, in one table (dropped once the index is built).
_FULL = f"{TABLE}_build"
_BUILD = f"""CREATE TABLE {_FULL} AS
SELECT row_number() OVER (ORDER BY s.date_first DESC NULLS LAST, s.article_id, s.ord) AS pos,
  s.*,
  e.mode, e.context, e.cameo, e.time_value, e.time_granularity, e.time_start, e.time_end,
  e.time_text, e.place_id, e.place_feature, e.location_start, e.location_end, e.location_text,
  e.trigger_start, e.trigger_end, e.trigger_text, e.sentence_start, e.sentence_end,
  a.title, a.published, a.source AS article_source,
  coalesce(ac.roles, []) AS actors,
  coalesce(rc.roles, []) AS recipients,
  coalesce(sr.roles, []) AS attribution,
  list_distinct(coalesce(ac.countries, []) || coalesce(rc.countries, [])) AS countries
FROM {EVENT_ROWS} s
JOIN events e ON e.article_id = s.article_id AND e.id = s.event_id
JOIN articles a ON a.id = s.article_id
LEFT JOIN ({_roles("event_actors")}) ac
  ON ac.article_id = s.article_id AND ac.event_id = s.event_id
LEFT JOIN ({_roles("event_recipients")}) rc
  ON rc.article_id = s.article_id AND rc.event_id = s.event_id
LEFT JOIN ({_roles("attributions", cue=True)}) sr
  ON sr.article_id = s.article_id AND sr.event_id = s.event_id
ORDER BY pos"""


def _bucket(interval: str) -> str:
    """The day or week (its Monday) an event's days fall in, or NULL when they span more
    than one (or it has none): its bucket on a timeline by ``interval``."""
    first, last = (f"date_trunc('{interval}', {day})" for day in ("date_first", "date_last"))
    return f"CASE WHEN {first} = {last} THEN {first}::DATE END AS {interval}"


#: What a timeline splits its counts by.
SPLITS = ("quad", "factuality")


def _rank(column: str) -> str:
    """``column``'s value as its rank among the values (1 for the first in sort order; NULL
    stays NULL): grouping by it is a few times faster than by the text."""
    return (
        f"CASE WHEN {column} IS NOT NULL THEN dense_rank() OVER (ORDER BY {column}) END "
        f"AS {column}_rank"
    )


#: The columns of :data:`TABLE`: what the filters, the order and the aggregates read;
#: ``day`` and ``week`` are the event's timeline buckets, ``quad_lower`` and
#: ``factuality_lower`` what the filters compare (lowering every event's value cost
#: about 1 ms a filter at 100,000 events).
_LEAN = f"""pos, article_id, event_id, ord, type, quad, factuality, confidence, place,
  place_country, lat, lon, sentence, date_basis, date_first, date_last, countries,
  lower(quad) AS quad_lower, lower(factuality) AS factuality_lower,
  {_bucket("day")}, {_bucket("week")}, {", ".join(_rank(c) for c in SPLITS)}"""

#: The columns of an API list item (named as :func:`event_item` reads them).
ITEM_COLUMNS = """s.pos, s.article_id, s.event_id, s.type, s.mode, s.context, s.quad, s.cameo,
  s.factuality, s.confidence, s.time_value, s.time_granularity, s.time_start, s.time_end,
  s.time_text, s.place_id, s.place AS place_name, s.place_country, s.lat AS place_lat,
  s.lon AS place_lon, s.place_feature, s.location_start, s.location_end, s.location_text,
  s.trigger_start, s.trigger_end, s.trigger_text, s.sentence_start, s.sentence_end,
  s.sentence AS sentence_text, s.date_first, s.date_last, s.date_basis, s.title, s.published,
  s.article_source, s.actors, s.recipients, s.attribution"""


def index_filter(filters: dict[str, Any]) -> EventFilter:
    """The event filters as conditions on :data:`TABLE` (alias ``s``)."""
    return event_filter(**filters, country_list="countries", lowercase=True)


def attach_store(path: Path, tables: list[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the store file at ``path`` attached read-only and a view
    of the same name for each of its ``tables``, and ``event_summary``."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")  # the index is built at start
        target = str(Path(path).resolve()).replace("'", "''")
        con.execute(f"ATTACH '{target}' AS {STORE_ALIAS} (READ_ONLY)")
        for name in tables:
            con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM {STORE_ALIAS}.main."{name}"')
        con.execute(schema.EVENT_SUMMARY_VIEW)
    except BaseException:
        con.close()
        raise
    return con


def event_links(article_id: str, event_id: str) -> dict[str, str]:
    """An event's API address and page."""
    aid, eid = quote(article_id, safe=""), quote(event_id, safe="")
    return {"api": f"/api/events/{aid}/{eid}", "page": f"/articles/{aid}#event-{eid}"}


def day_of(first: Any, last: Any) -> str | None:
    """The event's day when the days it can lie in narrow to one, else None."""
    return first.isoformat() if first is not None and first == last else None


def event_label(actors: list[str] | None, recipients: list[str] | None, type: str | None) -> str:
    """A short summary: "Kim Jong-un → Vladimir Putin: CONSULT"."""
    who = ", ".join(a for a in actors or [] if a)
    whom = ", ".join(r for r in recipients or [] if r)
    label = f"{who} → {whom}" if whom else who
    return f"{label}: {type}" if label else str(type)


def _span_of(start: Any, end: Any, text: Any) -> dict[str, Any] | None:
    return None if start is None else {"start": start, "end": end, "text": text}


def _span(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    return _span_of(row[f"{prefix}_start"], row[f"{prefix}_end"], row[f"{prefix}_text"])


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


def event_item(row: dict[str, Any]) -> dict[str, Any]:
    """An API event from its row of :data:`ITEM_COLUMNS`."""
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


def map_feature(item: dict[str, Any]) -> dict[str, Any]:
    """A located event's GeoJSON feature, from its API item."""
    place = item["place"]
    label = event_label(
        [a["name"] for a in item["actors"]], [r["name"] for r in item["recipients"]], item["type"]
    )
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
        "properties": {
            "article_id": item["article_id"],
            "id": item["id"],
            "type": item["type"],
            "quad": item["quad"],
            "factuality": item["factuality"],
            "place": place["name"],
            "country": place["country"],
            "date": item["date"],
            "label": label,
            "url": item["links"]["page"],
            "api": item["links"]["api"],
        },
    }


@dataclass
class EventIndex:
    """The index of a store's events: ``con``'s :data:`TABLE`, the items and the features."""

    #: Every event's API list item as JSON in UTF-8 (as bytes: a text with one character
    #: beyond Latin-1 takes two or four bytes a character as a ``str``); the event at
    #: ``pos`` is ``items[pos - 1]``.
    items: list[bytes] = field(default_factory=list)
    #: The GeoJSON feature of every located event, as JSON in UTF-8, by ``pos``.
    features: dict[int, bytes] = field(default_factory=dict)
    #: The values of each of :data:`SPLITS` by their rank (``quad_rank``, …).
    ranked: dict[str, dict[int, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, con: duckdb.DuckDBPyConnection) -> EventIndex:
        """Create :data:`TABLE` in ``con`` (a database that sees the store's tables), and
        the items and features."""
        index = cls()
        con.execute(_BUILD)
        try:
            cursor = con.execute(f"SELECT {ITEM_COLUMNS} FROM {_FULL} s ORDER BY s.pos")
            names = [d[0] for d in cursor.description]
            while rows := cursor.fetchmany(10_000):
                for row in rows:
                    item = event_item(dict(zip(names, row, strict=True)))
                    index.items.append(dumps(item).encode())
                    if item["place"] is not None and item["place"]["lat"] is not None:
                        index.features[row[0]] = dumps(map_feature(item)).encode()
            con.execute(f"CREATE TABLE {TABLE} AS SELECT {_LEAN} FROM {_FULL} ORDER BY pos")
        finally:
            con.execute(f"DROP TABLE {_FULL}")
        for column in SPLITS:
            values = con.execute(
                f"SELECT DISTINCT {column}_rank, {column} FROM {TABLE} WHERE {column} IS NOT NULL"
            ).fetchall()
            index.ranked[column] = dict(values)
        return index
