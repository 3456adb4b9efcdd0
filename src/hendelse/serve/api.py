"""The REST API's endpoints (mounted under ``/api``); docs/api.md describes them.

Endpoints are plain ``def`` functions, so FastAPI runs them in its thread
pool and a slow query does not hold up the others; each works on its own
DuckDB cursor. The SQL lives in the helper modules (``events``,
``catalog``, ``aggregates``); every value in it is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from hendelse.serve import events
from hendelse.serve.errors import NotFound
from hendelse.serve.params import Page, event_filters, page
from hendelse.serve.responses import Json, listing

if TYPE_CHECKING:
    import duckdb

router = APIRouter(default_response_class=Json)

Filters = Annotated[dict[str, Any], Depends(event_filters)]
Paging = Annotated[Page, Depends(page)]
ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "A parameter was refused; the JSON names it."}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such item."},
    **ERRORS,
}


@contextmanager
def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB cursor of this request's own (connections are not shared by threads)."""
    yield from request.app.state.database.cursors()


@router.get("/events", summary="Events, filtered and paged", responses=ERRORS)
def list_events(request: Request, filters: Filters, paging: Paging) -> Json:
    """Events that pass every filter given, newest first (by the first day they can
    lie in: their own time's, else their article's publication date).

    Filters mean what they mean for `hendelse query`. Each item has the event's
    category, roles, place, time, factuality, attribution, evidence spans
    (offsets into the article's text) and links to itself.
    """
    with cursor(request) as con:
        total = events.count_events(con, filters)
        items = events.list_events(con, filters, paging.limit, paging.offset) if total else []
    return Json(listing(total, paging.limit, paging.offset, items))


@router.get(
    "/events/{article_id:path}/{event_id}",
    summary="One event, with the rules that produced it",
    responses=NOT_FOUND,
)
def get_event(
    request: Request,
    article_id: Annotated[str, Path(max_length=300, description="The article's id.")],
    event_id: Annotated[str, Path(max_length=50, description="The event's id (V1, V2, …).")],
) -> Json:
    """One event: everything a list item has, plus `explain` (which lexicon entry and
    rules produced each field), `mentions` (other sentences about it) and the
    `attribution_chain` ("NTB → Reuters": NTB says Reuters says)."""
    with cursor(request) as con:
        item = events.get_event(con, article_id, event_id)
    if item is None:
        raise NotFound(f"no event {event_id!r} in article {article_id!r}")
    return Json(item)
