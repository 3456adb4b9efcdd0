"""Ask the store: filter events (:func:`query`) or run read-only SQL (:func:`sql`).

Filters that name an actor, a recipient, a source or a place take a name
substring (case-insensitive), or a three-letter code in capitals: "NOR"
means the country (for actors, recipients and sources also a sector:
"GOV", "MED"), or a name that is exactly those letters ("NTB", "NRK").
Prefix a value to say which you mean: ``name:``, ``country:``, ``sector:``
("name:NRK" is any name containing "nrk"; "country:NOR" only the country).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hendelse.store.dates import parse_day
from hendelse.store.db import Store, StoreError

_CODE = re.compile(r"^[A-Z]{3}$")
#: Statement types :func:`sql` runs; the connection is read-only as well.
READ_ONLY_TYPES = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL"})
#: Columns of :func:`query`'s rows, in order.
COLUMNS = (
    "article_id",
    "event_id",
    "type",
    "mode",
    "quad",
    "cameo",
    "factuality",
    "confidence",
    "time_value",
    "time_granularity",
    "event_date",
    "event_date_end",
    "date_basis",
    "date_first",
    "date_last",
    "actors",
    "actor_countries",
    "recipients",
    "recipient_countries",
    "place",
    "place_country",
    "lat",
    "lon",
    "attributed_to",
    "trigger",
    "sentence",
    "title",
    "published",
    "article_source",
    "url",
)
EARTH_RADIUS_KM = 6371.0


class SqlError(StoreError):
    """A statement that DuckDB refused or that :func:`sql` does not run."""


class ReadOnlyError(SqlError):
    """A statement that would change the store (or write files)."""


@contextmanager
def _opened(db: Store | str | Path) -> Iterator[Store]:
    if isinstance(db, Store):
        yield db
        return
    store = Store.open(db, read_only=True)
    try:
        yield store
    finally:
        store.close()


def _values(value: str | Sequence[str] | None) -> list[str]:
    """A filter's values: a list, or a string with commas ("ASSAULT,COERCE")."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v and v.strip()]


def _entity_condition(alias: str, value: str, params: list[Any], *, sector: bool) -> str:
    """SQL for "this entity is ``value``": name substring, country or sector code."""
    kind, _, rest = value.partition(":")
    kind = kind.strip().lower()
    if rest and kind in ("name", "country", "sector"):
        value = rest.strip()
    elif _CODE.match(value.strip()):
        kind = "code"
        value = value.strip()
    else:
        kind = "name"
    if kind == "name":
        params.append(value.lower())
        return f"contains(lower({alias}.name), ?)"
    if kind == "country":
        params.append(value.upper())
        return f"{alias}.country = ?"
    if kind == "sector":
        params.append(value.upper())
        return f"{alias}.sector = ?"
    # A code, or a name that is just those letters ("NTB", "NRK").
    if sector:
        params += [value, value, value.lower()]
        return f"({alias}.country = ? OR {alias}.sector = ? OR lower({alias}.name) = ?)"
    params += [value, value.lower()]
    return f"({alias}.country = ? OR lower({alias}.name) = ?)"


def _exists(table: str, value: str, params: list[Any], *, sector: bool = True) -> str:
    condition = _entity_condition("x", value, params, sector=sector)
    return (
        f"EXISTS (SELECT 1 FROM {table} x WHERE x.article_id = s.article_id "
        f"AND x.event_id = s.event_id AND {condition})"
    )


def _in(column: str, values: list[str], params: list[Any]) -> str:
    params += values
    return f"{column} IN ({', '.join('?' for _ in values)})"


@dataclass
class EventFilter:
    """A WHERE clause over ``event_summary s`` with its bound parameters.

    ``select_extra`` (with ``select_params``, bound before ``params``) adds
    computed columns: ``distance_km`` for a ``near`` filter.
    """

    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    select_extra: str = ""
    select_params: list[Any] = field(default_factory=list)

    @property
    def where(self) -> str:
        """`` WHERE …`` (with a leading space), or an empty string without filters."""
        return " WHERE " + " AND ".join(self.conditions) if self.conditions else ""


def event_filter(
    type: str | Sequence[str] | None = None,
    quad: str | Sequence[str] | None = None,
    actor: str | None = None,
    recipient: str | None = None,
    place: str | None = None,
    near: tuple[float, float, float] | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    factuality: str | Sequence[str] | None = None,
    source: str | None = None,
    text: str | None = None,
    min_confidence: float | None = None,
    country: str | None = None,
    article: str | None = None,
    story: str | None = None,
    *,
    country_list: str | None = None,
    lowercase: bool = False,
) -> EventFilter:
    """The SQL of :func:`query`'s filters, for other queries over ``event_summary s``.

    ``country`` is an actor's or a recipient's country code; ``article`` an
    article id; ``story`` a story id (needs the ``story_events`` table).
    ``country_list`` names a column of ``s`` that lists every country of the
    event's actors and recipients (the web server's index has one): the
    ``country`` filter then reads it instead of the role tables, with the same
    meaning. ``lowercase`` says that ``s`` has ``quad_lower`` and
    ``factuality_lower``, the two in lower case (the server's index has them):
    the quad and factuality filters then compare those instead of lowering
    every event's values. Raises ``ValueError`` for a bad date or ``near``.
    """
    f = EventFilter()
    where, params = f.conditions, f.params
    if types := _values(type):
        where.append(_in("s.type", [t.upper() for t in types], params))
    if quads := _values(quad):
        column = "s.quad_lower" if lowercase else "lower(s.quad)"
        where.append(_in(column, [q.lower() for q in quads], params))
    if factualities := _values(factuality):
        column = "s.factuality_lower" if lowercase else "lower(s.factuality)"
        where.append(_in(column, [f.lower() for f in factualities], params))
    if actor:
        where.append(_exists("event_actors", actor, params))
    if recipient:
        where.append(_exists("event_recipients", recipient, params))
    if source:
        where.append(_exists("attributions", source, params))
    if country and country_list:
        where.append(f"list_contains(s.{country_list}, ?)")
        params.append(country.strip().upper())
    elif country:
        code = country.strip().upper()
        where.append(
            "(EXISTS (SELECT 1 FROM event_actors x WHERE x.article_id = s.article_id "
            "AND x.event_id = s.event_id AND x.country = ?) OR EXISTS (SELECT 1 FROM "
            "event_recipients x WHERE x.article_id = s.article_id AND x.event_id = s.event_id "
            "AND x.country = ?))"
        )
        params += [code, code]
    if article is not None:
        where.append("s.article_id = ?")
        params.append(article)
    if story is not None:
        where.append(
            "EXISTS (SELECT 1 FROM story_events x WHERE x.story_id = ? "
            "AND x.article_id = s.article_id AND x.event_id = s.event_id)"
        )
        params.append(story)
    if place:
        kind, _, rest = place.partition(":")
        if rest and kind.lower() == "country":
            where.append("s.place_country = ?")
            params.append(rest.strip().upper())
        elif _CODE.match(place.strip()):  # a country code, or a place called that
            where.append("(s.place_country = ? OR lower(s.place) = ?)")
            params += [place.strip(), place.strip().lower()]
        else:
            where.append("contains(lower(s.place), ?)")
            params.append((rest if rest and kind.lower() == "name" else place).strip().lower())
    if near is not None:
        lat, lon, km = (float(v) for v in near)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
            raise ValueError("near needs a latitude (-90..90), a longitude (-180..180) and km > 0")
        distance = (
            f"2 * {EARTH_RADIUS_KM} * asin(sqrt(pow(sin(radians(s.lat - ?) / 2), 2) + "
            "cos(radians(?)) * cos(radians(s.lat)) * pow(sin(radians(s.lon - ?) / 2), 2)))"
        )
        f.select_extra = f", round({distance}, 1) AS distance_km"
        f.select_params = [lat, lat, lon]
        dlat = km / 111.0
        where.append("s.lat BETWEEN ? AND ?")
        params += [lat - dlat, lat + dlat]
        cos_lat = math.cos(math.radians(lat))
        if cos_lat > 0.01 and km / (111.32 * cos_lat) < 180:
            dlon = km / (111.32 * cos_lat)
            where.append("s.lon BETWEEN ? AND ?")
            params += [lon - dlon, lon + dlon]
        where.append(f"{distance} <= ?")
        params += [lat, lat, lon, km]
    if date_from is not None:
        where.append("s.date_first >= ?")
        params.append(parse_day(date_from))
    if date_to is not None:
        where.append("s.date_last <= ?")
        params.append(parse_day(date_to, end=True))
    if text:
        where.append("contains(lower(s.sentence), ?)")
        params.append(text.lower())
    if min_confidence is not None:
        where.append("s.confidence >= ?")
        params.append(float(min_confidence))
    return f


#: The order of :func:`query`'s rows: newest first.
ORDER_BY = " ORDER BY s.date_first DESC NULLS LAST, s.article_id, s.ord"

#: The columns of ``event_summary`` that :func:`event_filter` and :data:`ORDER_BY`
#: read, with the same meaning (see ``schema.EVENT_SUMMARY_VIEW``), as a relation to
#: alias ``s``. It leaves out the view's lists of names, which DuckDB computes for every
#: row even when a query does not use them: counting or paging events through it is
#: many times faster than through the view.
EVENT_ROWS = """(SELECT e.article_id, e.id AS event_id, e.ord, e.type, e.quad, e.factuality,
  e.confidence, e.place_name AS place, e.place_country, e.place_lat AS lat,
  e.place_lon AS lon, e.sentence_text AS sentence,
  CASE WHEN e.event_date IS NOT NULL THEN 'event' WHEN a.published_first IS NOT NULL
       THEN 'published' END AS date_basis,
  COALESCE(e.event_date, a.published_first) AS date_first,
  CASE WHEN e.event_date IS NOT NULL THEN e.event_date_end ELSE a.published_last END
    AS date_last
FROM events e JOIN articles a ON a.id = e.article_id)"""


def query(
    db: Store | str | Path,
    type: str | Sequence[str] | None = None,
    quad: str | Sequence[str] | None = None,
    actor: str | None = None,
    recipient: str | None = None,
    place: str | None = None,
    near: tuple[float, float, float] | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    factuality: str | Sequence[str] | None = None,
    source: str | None = None,
    text: str | None = None,
    min_confidence: float | None = None,
    limit: int | None = 100,
    *,
    offset: int = 0,
    country: str | None = None,
    article: str | None = None,
    story: str | None = None,
) -> list[dict[str, Any]]:
    """Events that pass every filter given, newest first, as dicts (see :data:`COLUMNS`).

    - ``type``: PLOVER categories ("ASSAULT" or "ASSAULT,COERCE" or a list).
    - ``quad``: "verbal cooperation", "material cooperation", "verbal conflict",
      "material conflict" (one or several).
    - ``actor`` / ``recipient`` / ``source`` (who the event is attributed to):
      a name substring, or a country or sector code ("RUS", "GOV"); see the
      module's doc for ``name:``/``country:``/``sector:``.
    - ``place``: a place name substring, or a country code ("UKR").
    - ``near``: ``(lat, lon, km)``: events located within km of the point; the
      rows then carry ``distance_km``.
    - ``date_from`` / ``date_to``: the days the event can lie in must fall
      within the bounds (inclusive; "2023", "2023-09" or "2023-09-12"). An
      event's days come from its own time value, else from its article's
      publication date (``date_basis`` says which); "2023-09" is the whole
      month, so a query for 2023-09-01..2023-09-15 leaves it out.
    - ``factuality``: "asserted", "planned", … (one or several).
    - ``text``: a substring of the event's sentence (case-insensitive).
    - ``min_confidence``: events at least this confident.
    - ``country``: an actor's or a recipient's country code ("RUS").
    - ``article``, ``story``: events of this article or story (by id).
    - ``limit``: at most this many rows (None or 0: all), after skipping ``offset``.
    """
    f = event_filter(
        type=type,
        quad=quad,
        actor=actor,
        recipient=recipient,
        place=place,
        near=near,
        date_from=date_from,
        date_to=date_to,
        factuality=factuality,
        source=source,
        text=text,
        min_confidence=min_confidence,
        country=country,
        article=article,
        story=story,
    )
    columns = ", ".join("s." + c for c in COLUMNS)
    with _opened(db) as store:
        if not limit:
            statement = f"SELECT {columns}{f.select_extra} FROM event_summary s{f.where}{ORDER_BY}"
            if offset:
                statement += f" OFFSET {int(offset)}"
            cursor = store.con.execute(statement, f.select_params + f.params)
            names = [d[0] for d in cursor.description]
            return [_jsonable(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
        # A page in two steps: the page's keys from the lean EVENT_ROWS, then the
        # view's full rows of the page's articles only. Through the view alone, DuckDB
        # builds every event's name lists before it sorts (about 3 times slower at
        # 100,000 events).
        statement = (
            f"SELECT s.article_id, s.event_id{f.select_extra} FROM {EVENT_ROWS} s"
            f"{f.where}{ORDER_BY} LIMIT {int(limit)}"
        )
        if offset:
            statement += f" OFFSET {int(offset)}"
        cursor = store.con.execute(statement, f.select_params + f.params)
        extra = [d[0] for d in cursor.description][2:]
        keys = cursor.fetchall()
        if not keys:
            return []
        articles = sorted({key[0] for key in keys})
        marks = ", ".join("?" * len(articles))
        cursor = store.con.execute(
            f"SELECT {columns} FROM event_summary s WHERE s.article_id IN ({marks})", articles
        )
        full = {(row[0], row[1]): row for row in cursor.fetchall()}
        rows = []
        for article_id, event_id, *values in keys:
            row = dict(zip(COLUMNS, full[(article_id, event_id)], strict=True))
            row.update(zip(extra, values, strict=True))
            rows.append(_jsonable(row))
        return rows


def count(db: Store | str | Path, **filters: Any) -> int:
    """How many events pass the filters (the keyword arguments of :func:`event_filter`)."""
    f = event_filter(**filters)
    with _opened(db) as store:
        row = store.con.execute(f"SELECT count(*) FROM {EVENT_ROWS} s{f.where}", f.params)
        return int(row.fetchone()[0])


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    for key, value in row.items():
        if isinstance(value, dt.date | dt.datetime):
            row[key] = value.isoformat()
    return row


@dataclass
class SqlResult:
    """A statement's result: column names and rows."""

    columns: list[str]
    rows: list[tuple]
    types: list[str] = field(default_factory=list)  # DuckDB type names: "VARCHAR", "JSON"

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def sql(db: Store | str | Path, statement: str) -> SqlResult:
    """Run one read-only SQL statement (SELECT, EXPLAIN, PRAGMA, CALL) on the store.

    The store is opened read-only and statements that change anything
    (INSERT, UPDATE, DELETE, CREATE, COPY, ATTACH, …) are refused with a
    :class:`ReadOnlyError`. The store's schema version is not checked, so an
    old store can still be read (and exported).
    """
    import duckdb

    try:
        statements = duckdb.extract_statements(statement)
    except duckdb.Error as err:
        raise SqlError(f"the SQL does not parse: {err}") from None
    if not statements:
        raise SqlError("no SQL statement given")
    if len(statements) > 1:
        raise SqlError(f"give one statement at a time (got {len(statements)})")
    kind = statements[0].type.name
    if kind not in READ_ONLY_TYPES:
        raise ReadOnlyError(
            f"{kind} statements are refused: `hendelse sql` only reads the store "
            f"({', '.join(sorted(READ_ONLY_TYPES))}). The store is written by "
            "`hendelse ingest`; to export rows use --format csv or json."
        )
    if isinstance(db, Store):
        return _run(db, statement)
    store = Store.open(db, read_only=True, check_version=False)
    try:
        return _run(store, statement)
    finally:
        store.close()


def _run(store: Store, statement: str) -> SqlResult:
    import duckdb

    try:
        cursor = store.con.execute(statement)
    except duckdb.Error as err:
        message = str(err)
        if "read-only" in message:
            raise ReadOnlyError(
                f"refused: the statement would change the store, which `hendelse sql` "
                f"opens read-only ({message})"
            ) from None
        raise SqlError(message) from None
    if cursor.description is None:
        return SqlResult([], [])
    description = cursor.description
    return SqlResult(
        [d[0] for d in description], cursor.fetchall(), [str(d[1]) for d in description]
    )
