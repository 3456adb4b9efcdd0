"""Events as the API gives them: a filtered, paged list, and one event in full.

Both read the server's event index (:mod:`hendelse.serve.index`): a page is
the ``pos`` of its events, the filters of
:func:`hendelse.store.query.event_filter` over the index's table, newest
first, with ``LIMIT``/``OFFSET``; its items are the index's JSON texts of
those events. Every value is a bound parameter.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from hendelse.serve.index import ORDER_BY, TABLE, EventIndex, index_filter
from hendelse.serve.responses import dumps

if TYPE_CHECKING:
    import duckdb


def first_positions(
    con: duckdb.DuckDBPyConnection, where: str, params: list[Any], limit: int, offset: int
) -> tuple[int, list[int]]:
    """How many events of :data:`~hendelse.serve.index.TABLE` pass ``where``, and the ``pos``
    of those of the page, in one pass: ``min(pos, n)`` keeps the n first, where a count
    and an ``ORDER BY … LIMIT`` would each evaluate the filters over every event."""
    total, first = con.execute(
        f"SELECT count(*), min(s.pos, ?) FROM {TABLE} s{where}", [offset + limit, *params]
    ).fetchone()
    return int(total), (first or [])[offset:]


def list_events(
    con: duckdb.DuckDBPyConnection,
    index: EventIndex,
    filters: dict[str, Any],
    limit: int,
    offset: int,
) -> tuple[int, list[bytes]]:
    """How many events match, and one page of them, newest first, as the JSON of their API
    items (with ``near``, each with its ``distance_km`` from the point)."""
    f = index_filter(filters)
    if not f.select_extra:
        total, positions = first_positions(con, f.where, f.params, limit, offset)
        return total, [index.items[pos - 1] for pos in positions]
    # near: the item and the distance, as if "distance_km" had been its last key
    total = con.execute(f"SELECT count(*) FROM {TABLE} s{f.where}", f.params).fetchone()[0]
    rows = con.execute(
        f"SELECT s.pos{f.select_extra} FROM {TABLE} s{f.where}{ORDER_BY} LIMIT ? OFFSET ?",
        [*f.select_params, *f.params, limit, offset],
    ).fetchall()
    return int(total), [
        index.items[pos - 1][:-1] + f',"distance_km":{dumps(km)}}}'.encode() for pos, km in rows
    ]


def get_event(
    con: duckdb.DuckDBPyConnection, index: EventIndex, article_id: str, event_id: str
) -> dict[str, Any] | None:
    """One event with everything: the list item plus explain, mentions, the time's weekday
    and part of day, and the attribution chain."""
    found = con.execute(
        f"SELECT s.pos FROM {TABLE} s WHERE s.article_id = ? AND s.event_id = ?",
        [article_id, event_id],
    ).fetchone()
    if found is None:
        return None
    item = json.loads(index.items[found[0] - 1])
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


def attribution_chain(attribution: list[dict[str, Any]]) -> str | None:
    """Who says the event happened, outermost first: "NTB → Reuters" (NTB cites Reuters)."""
    names = [a.get("name") or (a.get("span") or {}).get("text") or "?" for a in attribution]
    return " → ".join(names) if names else None
