"""The server's in-memory index of the store's events: what lists, maps and timelines read.

Read straight from the store, a page of events costs DuckDB 40-60 ms of CPU
at 100,000 events: every event's days come from a join with its article
(for the filters and the order), and the page's events and their actors,
recipients and sources are fetched row by row from compressed columns.
The store cannot change while the server reads it (it is open read-only,
and DuckDB lets no other process write it meanwhile), so the server puts it
together once, when it starts, in one in-memory table, :data:`TABLE`:

- the columns of :data:`hendelse.store.query.EVENT_ROWS` (what
  :func:`~hendelse.store.query.event_filter`'s conditions read), so every
  filter keeps its meaning;
- ``pos``: the event's place in :data:`~hendelse.store.query.ORDER_BY`
  (newest first), so a page is ``ORDER BY pos``;
- everything an API item shows: the event's spans, its article's title,
  date and source, its actors, recipients and sources as lists in record
  order, and ``countries``, every actor's and recipient's country, which the
  ``country`` filter reads instead of looking through the role tables.

A page is then one scan of an in-memory table: a few ms. The map's GeoJSON
features are built here too, once, for the located events (:attr:`EventIndex.features`),
and a map answer joins those of its page. It costs memory: about 70 MB per
100,000 events, and a second or two at start.

DuckDB opens a store file read-only in a database that cannot hold tables
of its own, so the index lives in an in-memory database that attaches the
store read-only and sees its tables through views of the same names
(:func:`attach_store`); the read-only connection the server opened first stays
open and keeps other processes from writing. A lake (``Store.open`` of a
folder) already is an in-memory database of views, and gets the index as is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

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


BUILD = f"""CREATE TABLE {TABLE} AS
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

#: The columns of an API list item, from :data:`TABLE` (named as ``events.event_item`` reads).
ITEM_COLUMNS = """s.pos, s.article_id, s.event_id, s.type, s.mode, s.context, s.quad, s.cameo,
  s.factuality, s.confidence, s.time_value, s.time_granularity, s.time_start, s.time_end,
  s.time_text, s.place_id, s.place AS place_name, s.place_country, s.lat AS place_lat,
  s.lon AS place_lon, s.place_feature, s.location_start, s.location_end, s.location_text,
  s.trigger_start, s.trigger_end, s.trigger_text, s.sentence_start, s.sentence_end,
  s.sentence AS sentence_text, s.date_first, s.date_last, s.date_basis, s.title, s.published,
  s.article_source, s.actors, s.recipients, s.attribution"""

#: The columns a map feature is built from.
_FEATURE_COLUMNS = """s.pos, s.article_id, s.event_id, s.date_first, s.date_last, s.type,
  s.quad, s.factuality, s.place, s.place_country, s.lat, s.lon, s.actors, s.recipients"""


def index_filter(filters: dict[str, Any]) -> EventFilter:
    """The event filters as conditions on :data:`TABLE` (alias ``s``)."""
    return event_filter(**filters, country_list="countries")


def attach_store(path: Path, tables: list[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the store file at ``path`` attached read-only and a view
    of the same name for each of its ``tables``, and ``event_summary``."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
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


def map_feature(row: tuple) -> dict[str, Any]:
    """A located event as a GeoJSON feature, from a row of ``_FEATURE_COLUMNS``."""
    _, aid, eid, first, last, kind, quad, factuality, place, country, lat, lon, who, whom = row
    links = event_links(aid, eid)
    label = event_label([a["name"] for a in who], [r["name"] for r in whom], kind)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "article_id": aid,
            "id": eid,
            "type": kind,
            "quad": quad,
            "factuality": factuality,
            "place": place,
            "country": country,
            "date": day_of(first, last),
            "label": label,
            "url": links["page"],
            "api": links["api"],
        },
    }


@dataclass
class EventIndex:
    """The index of a store's events in ``con``'s :data:`TABLE`, and the map's features."""

    #: The GeoJSON feature of every located event, as JSON text, by ``pos``.
    features: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, con: duckdb.DuckDBPyConnection) -> EventIndex:
        """Create :data:`TABLE` in ``con`` (a database that sees the store's tables)."""
        con.execute(BUILD)
        rows = con.execute(
            f"SELECT {_FEATURE_COLUMNS} FROM {TABLE} s WHERE s.lat IS NOT NULL"
        ).fetchall()
        features = {
            row[0]: json.dumps(map_feature(row), ensure_ascii=False, separators=(",", ":"))
            for row in rows
        }
        return cls(features)
