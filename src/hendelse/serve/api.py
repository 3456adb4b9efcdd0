"""The REST API's endpoints (mounted under ``/api``); docs/api.md describes them.

Endpoints are plain ``def`` functions, so FastAPI runs them in its thread
pool and a slow query does not hold up the others; each works on its own
DuckDB cursor. The SQL lives in the helper modules (``events``,
``catalog``, ``aggregates``); every value in it is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import ValidationError

from hendelse.serve import aggregates, catalog, events
from hendelse.serve.body import read_body, validation_error
from hendelse.serve.errors import ApiError, NotFound, ParameterError
from hendelse.serve.extracting import ExtractRequest
from hendelse.serve.params import (
    ENTITY_TYPES,
    MAX_LIMIT,
    MAX_MAP,
    MAX_TEXT,
    By,
    Interval,
    Page,
    code_value,
    day_value,
    event_filters,
    page,
    plover_type,
    text_value,
)
from hendelse.serve.responses import Json, JsonText, joined, listing
from hendelse.store.db import Store

if TYPE_CHECKING:
    import duckdb

router = APIRouter(default_response_class=Json)


async def store_event_filters(
    request: Request, filters: Annotated[dict[str, Any], Depends(event_filters)]
) -> dict[str, Any]:
    """The event filters; a story filter on a store without stories is a 404. (``async``,
    as those of params.py, to stay out of the thread pool.)"""
    if filters["story"] is not None and not request.app.state.database.has_stories:
        raise NotFound(f"no story {filters['story']!r}: this store holds no stories")
    return filters


Filters = Annotated[dict[str, Any], Depends(store_event_filters)]
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
    index = request.app.state.database.index
    with cursor(request) as con:
        total, items = events.list_events(con, index, filters, paging.limit, paging.offset)
    head = {"total": total, "limit": paging.limit, "offset": paging.offset}
    return JsonText(joined(head, "items", items))


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
        item = events.get_event(con, request.app.state.database.index, article_id, event_id)
    if item is None:
        raise NotFound(f"no event {event_id!r} in article {article_id!r}")
    return Json(item)


@router.get("/articles", summary="Articles, filtered and paged", responses=ERRORS)
def list_articles(
    request: Request,
    paging: Paging,
    q: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Words in the title or the text.")
    ] = None,
    source: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="The outlet (substring, any case).")
    ] = None,
    since: Annotated[
        str | None, Query(max_length=40, description="Published on or after (2023, 2023-09).")
    ] = None,
    until: Annotated[
        str | None, Query(max_length=40, description="Published on or before (2023-09-30).")
    ] = None,
) -> Json:
    """Stored articles, newest first, with their number of events (no text: see
    `/api/articles/{id}`)."""
    with cursor(request) as con:
        total, items = catalog.list_articles(
            con,
            q=text_value("q", q),
            source=text_value("source", source),
            since=day_value("since", since),
            until=day_value("until", until, end=True),
            limit=paging.limit,
            offset=paging.offset,
        )
    return Json(listing(total, paging.limit, paging.offset, items))


@router.get(
    "/articles/{article_id:path}", summary="One article with its event record", responses=NOT_FOUND
)
def get_article(
    request: Request,
    article_id: Annotated[str, Path(max_length=MAX_TEXT, description="The article's id.")],
) -> Json:
    """The article's metadata and text, and `record`: its whole `hendelse/1` event record
    (entities, places, events; every span is an offset into `text`)."""
    with cursor(request) as con:
        article = catalog.get_article(con, article_id)
    if article is None:
        raise NotFound(f"no article {article_id!r}")
    return Json(article)


@router.get("/entities", summary="Actors across articles", responses=ERRORS)
def list_entities(
    request: Request,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="Name (substring).")] = None,
    country: Annotated[str | None, Query(max_length=10, description="ISO3 or IGO.")] = None,
    sector: Annotated[
        str | None, Query(max_length=10, description="Sector code: GOV, MIL, MED, …")
    ] = None,
    type: Annotated[str | None, Query(max_length=10, description="PER, ORG, GPE or GROUP.")] = None,
) -> Json:
    """Entities grouped by name, country, sector, type and knowledge-base id, most events
    first; `events` counts the events they are actor, recipient or source of."""
    entity_type = type.strip().upper() if type and type.strip() else None
    if entity_type is not None and entity_type not in ENTITY_TYPES:
        raise ParameterError("type", f"{type!r} is not one of {', '.join(ENTITY_TYPES)}")
    with cursor(request) as con:
        total, items = catalog.list_entities(
            con,
            q=text_value("q", q),
            country=code_value("country", country),
            sector=code_value("sector", sector),
            type=entity_type,
            limit=paging.limit,
            offset=paging.offset,
        )
    return Json(listing(total, paging.limit, paging.offset, items))


@router.get("/places", summary="Places across articles", responses=ERRORS)
def list_places(
    request: Request,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="Name (substring).")] = None,
    country: Annotated[str | None, Query(max_length=10, description="ISO3 country.")] = None,
) -> Json:
    """Places grouped by name, country, coordinates and kind, most events first."""
    with cursor(request) as con:
        total, items = catalog.list_places(
            con,
            q=text_value("q", q),
            country=code_value("country", country),
            limit=paging.limit,
            offset=paging.offset,
        )
    return Json(listing(total, paging.limit, paging.offset, items))


@router.get("/stats/summary", summary="What the store holds")
def stats_summary(request: Request) -> Json:
    """Articles, events, located events, the first and last day, counts by quad class,
    factuality and type."""
    with cursor(request) as con:
        return Json(aggregates.summary(con))


@router.get("/stats/timeline", summary="Events per day or week", responses=ERRORS)
def stats_timeline(
    request: Request,
    filters: Filters,
    interval: Annotated[Interval, Query(description="Bucket size.")] = Interval.day,
    by: Annotated[By, Query(description="What the counts are split by.")] = By.quad,
) -> Json:
    """Matching events per day or per week (keyed by its Monday), split by quad class or
    factuality; buckets without events are left out. An event whose days do not fit in
    one bucket (dated "2023-09" on a daily timeline) is counted in `undated`."""
    with cursor(request) as con:
        index = request.app.state.database.index
        return Json(aggregates.timeline(con, index, filters, interval.value, by.value))


@router.get("/map", summary="Located events as GeoJSON", responses=ERRORS)
def event_map(
    request: Request,
    filters: Filters,
    limit: Annotated[
        int, Query(ge=1, le=MAX_MAP, description=f"Features (1..{MAX_MAP}), newest first.")
    ] = 2000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Json:
    """A GeoJSON FeatureCollection of the matching events that have a location: a Point
    [lon, lat] each, with the event's type, quad, factuality, place, a short `label`
    ("Kim Jong-un → Vladimir Putin: CONSULT") and `url` (its page). `total` counts all
    matching located events."""
    with cursor(request) as con:
        body = aggregates.event_map(con, request.app.state.database.index, filters, limit, offset)
    return JsonText(body)


@router.get("/network", summary="Who acts on whom", responses=ERRORS)
def actor_network(
    request: Request,
    filters: Filters,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="The heaviest edges kept (1..500).")
    ] = 100,
) -> Json:
    """Actor → recipient edges of the matching events, weighted by their number of events
    and split by quad class (`quad` is the commonest). Nodes are knowledge-base ids, or
    names for actors the knowledge base does not know."""
    with cursor(request) as con:
        return Json(aggregates.network(con, filters, limit))


@router.get("/stories", summary="Stories: one real-world event across articles", responses=ERRORS)
def list_stories(
    request: Request,
    paging: Paging,
    type: Annotated[str | None, Query(max_length=20, description="A PLOVER category.")] = None,
    actor: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="An actor (as for events).")
    ] = None,
    min_articles: Annotated[
        int, Query(ge=1, le=100_000, description="Stories told by at least this many articles.")
    ] = 1,
) -> Json:
    """Stories (clusters of events from several articles about the same happening), with
    their type, actors, place, first and last day and number of articles."""
    chosen = plover_type("type", type)
    stories = _stories_module()
    if not request.app.state.database.has_stories:  # no stories clustered in this store
        return Json(listing(0, paging.limit, paging.offset, []))
    with cursor(request) as con:
        total, items = stories.list_stories(
            Store(con, request.app.state.database.path, read_only=True),
            type=chosen,
            actor=text_value("actor", actor),
            min_articles=min_articles,
            limit=paging.limit,
            offset=paging.offset,
        )
    return Json(listing(total, paging.limit, paging.offset, items))


@router.get("/stories/{story_id}", summary="One story", responses=NOT_FOUND)
def get_story(
    request: Request,
    story_id: Annotated[str, Path(max_length=MAX_TEXT, description="The story's id.")],
) -> Json:
    """A story: its type, actors, place, first and last day, articles and sources, its
    events in time order and how its factuality changed (`factuality_history`)."""
    stories = _stories_module()
    if not request.app.state.database.has_stories:
        raise NotFound(f"no story {story_id!r}: this store holds no stories")
    with cursor(request) as con:
        story = stories.get_story(
            Store(con, request.app.state.database.path, read_only=True), story_id
        )
    if story is None:
        raise NotFound(f"no story {story_id!r}")
    return Json(story)


@router.post(
    "/extract",
    summary="Extract events from posted text",
    responses={
        413: {"description": "The text is longer than the server takes."},
        **ERRORS,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ExtractRequest.model_json_schema()}},
        }
    },
)
async def extract(request: Request) -> Json:
    """Run the Norwegian pipeline and the extractor on a posted article and answer
    `{"record": …}`, its `hendelse/1` event record (spans index the posted `text`).
    Nothing is stored. The model is loaded on the first call (a few seconds)."""
    limit = request.app.state.max_extract_chars
    raw = await read_body(request, max_bytes=4 * limit + 65_536)
    try:
        body = ExtractRequest.model_validate_json(raw)
    except ValidationError as err:
        raise validation_error(err) from None
    if len(body.text) > limit:
        raise ApiError(
            413, f"the text has {len(body.text)} characters; this server takes at most {limit}"
        )
    record = await request.app.state.extractor.extract(body)
    return Json({"record": record})


def _stories_module() -> ModuleType:
    """The stories module; a 503 when this hendelse has none."""
    try:
        from hendelse.store import stories
    except ImportError:
        raise ApiError(
            503, "this hendelse has no story clustering (hendelse.store.stories)"
        ) from None
    return stories
