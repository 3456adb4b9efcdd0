"""Articles, entities and places: the lists and items behind their endpoints.

Entities and places are the record's own, one per article; the lists group
them by what they are (name, country, sector, type and knowledge-base id;
name, country, coordinates and kind) and count the events and articles each
takes part in. Every value is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    import duckdb


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def article_links(article_id: str) -> dict[str, str]:
    aid = quote(article_id, safe="")
    return {"api": f"/api/articles/{aid}", "page": f"/articles/{aid}"}


def list_articles(
    con: duckdb.DuckDBPyConnection,
    *,
    q: str | None,
    source: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    """Articles newest first: ``q`` in the title or text, ``source`` (the outlet, a
    substring), published within ``since``..``until`` (all its possible days)."""
    conditions: list[str] = []
    params: list[Any] = []
    if q:
        conditions.append("(contains(lower(a.title), ?) OR contains(lower(a.text), ?))")
        params += [q.lower(), q.lower()]
    if source:
        conditions.append("contains(lower(a.source), ?)")
        params.append(source.lower())
    if since:
        conditions.append("a.published_first >= ?")
        params.append(since)
    if until:
        conditions.append("a.published_last <= ?")
        params.append(until)
    where = _where(conditions)
    total = con.execute(f"SELECT count(*) FROM articles a{where}", params).fetchone()[0]
    rows = _rows(
        con.execute(
            "SELECT a.id, a.title, a.published, a.source, a.url, a.language, "
            "(SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events "
            f"FROM articles a{where} ORDER BY a.published_first DESC NULLS LAST, a.id "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    )
    for row in rows:
        row["links"] = article_links(row["id"])
    return int(total), rows


def get_article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """An article with its text and its whole ``hendelse/1`` record (spans index ``text``)."""
    rows = _rows(
        con.execute(
            "SELECT id, title, published, source, url, language, text, record "
            "FROM articles WHERE id = ?",
            [article_id],
        )
    )
    if not rows:
        return None
    article = rows[0]
    article["record"] = json.loads(article["record"])
    article["links"] = article_links(article["id"])
    return article


#: Every event an entity takes part in: as actor, recipient or source.
_ROLES = """(SELECT article_id, event_id, entity_id FROM event_actors
  UNION SELECT article_id, event_id, entity_id FROM event_recipients
  UNION SELECT article_id, event_id, entity_id FROM attributions)"""


def list_entities(
    con: duckdb.DuckDBPyConnection,
    *,
    q: str | None,
    country: str | None,
    sector: str | None,
    type: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    """Actors across articles, most events first, with their event and article counts."""
    conditions: list[str] = []
    params: list[Any] = []
    if q:
        conditions.append("contains(lower(en.name), ?)")
        params.append(q.lower())
    for column, value in (("country", country), ("sector", sector), ("type", type)):
        if value:
            conditions.append(f"en.{column} = ?")
            params.append(value)
    where = _where(conditions)
    keys = "en.name, en.country, en.sector, en.type, en.kb"
    total = con.execute(
        f"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM entities en{where})", params
    ).fetchone()[0]
    rows = _rows(
        con.execute(
            f"SELECT {keys}, count(DISTINCT (r.article_id, r.event_id)) AS events, "
            "count(DISTINCT en.article_id) AS articles "
            f"FROM entities en LEFT JOIN {_ROLES} r "
            f"ON r.article_id = en.article_id AND r.entity_id = en.id{where} "
            f"GROUP BY {keys} ORDER BY events DESC, articles DESC, en.name, en.country NULLS LAST, "
            "en.sector NULLS LAST, en.type NULLS LAST, en.kb NULLS LAST LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    )
    return int(total), rows


def list_places(
    con: duckdb.DuckDBPyConnection,
    *,
    q: str | None,
    country: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    """Places across articles, most events first, with their event and article counts."""
    conditions: list[str] = []
    params: list[Any] = []
    if q:
        conditions.append("contains(lower(pl.name), ?)")
        params.append(q.lower())
    if country:
        conditions.append("pl.country = ?")
        params.append(country)
    where = _where(conditions)
    keys = "pl.name, pl.country, pl.lat, pl.lon, pl.feature"
    total = con.execute(
        f"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM places pl{where})", params
    ).fetchone()[0]
    rows = _rows(
        con.execute(
            f"SELECT {keys}, count(e.id) AS events, count(DISTINCT pl.article_id) AS articles "
            "FROM places pl LEFT JOIN events e "
            f"ON e.article_id = pl.article_id AND e.place_id = pl.id{where} "
            f"GROUP BY {keys} ORDER BY events DESC, articles DESC, pl.name, "
            "pl.country NULLS LAST, pl.lat NULLS LAST, pl.lon NULLS LAST, pl.feature NULLS LAST "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    )
    return int(total), rows
