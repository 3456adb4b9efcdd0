"""Query parameters of the API, validated before any SQL is built.

Every value a client sends is checked here: categories against PLOVER's,
quad classes and factuality values against their closed lists, codes
against ``[A-Z]{3}``, dates and ``near`` parsed. A bad value is a 422 that
names the parameter (:class:`~hendelse.serve.errors.ParameterError`).
Free-text filters (names, places, words) are only bounded in length: they
reach the SQL as bound parameters, never as SQL text.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query

from hendelse.serve.errors import ParameterError
from hendelse.store.dates import parse_day

QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
FACTUALITIES = (
    "asserted",
    "planned",
    "expected",
    "possible",
    "reported",
    "denied",
    "negated",
    "historical",
)
MAX_LIMIT = 500
#: Longest free-text filter value accepted (names, places, words, ids).
MAX_TEXT = 300
_CODE = re.compile(r"^[A-Z]{3}$")


@functools.cache
def plover_types() -> tuple[str, ...]:
    """PLOVER's 16 event categories, from the extractor's ``plover.yaml``."""
    from hendelse.extract.lexicon import data_file

    return tuple(data_file("plover.yaml")["categories"])


def _split(values: list[str] | None) -> list[str]:
    """Repeated parameters and comma lists alike: ``?type=A&type=B`` = ``?type=A,B``."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def _choices(name: str, values: list[str] | None, allowed: tuple[str, ...], *, upper: bool):
    chosen = [v.upper() if upper else v.lower() for v in _split(values)]
    for value in chosen:
        if value not in allowed:
            raise ParameterError(
                name, f"{value!r} is not one of {', '.join(allowed)} (any case; several: a,b)"
            )
    return chosen or None


def text_value(name: str, value: str | None) -> str | None:
    """A free-text filter: stripped, bounded, control characters refused."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > MAX_TEXT:
        raise ParameterError(name, f"at most {MAX_TEXT} characters (got {len(value)})")
    if any(ord(c) < 32 for c in value):
        raise ParameterError(name, "control characters are not allowed")
    return value


def code_value(name: str, value: str | None) -> str | None:
    """A three-letter code (ISO 3166-1 alpha-3 country, IGO, or a sector such as GOV)."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not _CODE.match(code):
        raise ParameterError(name, f"{value!r} is not a three-letter code (NOR, RUS, IGO, GOV)")
    return code


def day_value(name: str, value: str | None, *, end: bool = False) -> dt.date | None:
    """A date bound: 2023, 2023-09 or 2023-09-12 (the first day, or the last with ``end``)."""
    if value is None or not value.strip():
        return None
    try:
        return parse_day(value.strip(), end=end)
    except ValueError:
        raise ParameterError(
            name, f"{value[:40]!r} is not a date (use 2023, 2023-09 or 2023-09-12)"
        ) from None


def near_value(value: str | None) -> tuple[float, float, float] | None:
    """``lat,lon,km``: a point and a radius in kilometres."""
    if value is None or not value.strip():
        return None
    parts = value.replace(" ", "").split(",")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise ParameterError("near", "give lat,lon,km, e.g. 60.39,5.32,50") from None
    if not all(math.isfinite(v) for v in (lat, lon, km)):
        raise ParameterError("near", "lat, lon and km must be finite numbers")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= 20_000):
        raise ParameterError(
            "near", "lat must be in -90..90, lon in -180..180 and km in (0, 20000]"
        )
    return lat, lon, km


@dataclass
class Page:
    """``limit`` (1..500) and ``offset`` of a list."""

    limit: int
    offset: int


# The dependencies below are ``async def`` although they wait for nothing: FastAPI runs a
# plain ``def`` dependency in its thread pool, a hand-over that cost more CPU than the
# validation itself (about 1 ms a request for the three of an event list).
async def page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1..500).")] = 50,
    offset: Annotated[
        int, Query(ge=0, le=10_000_000, description="Items to skip (for the next page).")
    ] = 0,
) -> Page:
    return Page(limit, offset)


TextParam = Annotated[str | None, Query(max_length=MAX_TEXT)]


async def event_filters(
    type: Annotated[
        list[str] | None,
        Query(
            description="PLOVER categories: repeat the parameter or separate with commas "
            "(ASSAULT,COERCE)."
        ),
    ] = None,
    quad: Annotated[
        list[str] | None,
        Query(
            description="Quad classes (repeatable): verbal cooperation, material cooperation, "
            "verbal conflict, material conflict."
        ),
    ] = None,
    factuality: Annotated[
        list[str] | None,
        Query(
            description="Repeatable: asserted, planned, expected, possible, reported, denied, "
            "negated, historical."
        ),
    ] = None,
    actor: Annotated[
        str | None,
        Query(
            max_length=MAX_TEXT,
            description="An actor's name (substring, any case), or a country or sector code "
            "in capitals (RUS, GOV); prefix name:, country: or sector: to be explicit.",
        ),
    ] = None,
    recipient: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="A recipient, as for actor.")
    ] = None,
    country: Annotated[
        str | None,
        Query(max_length=MAX_TEXT, description="An actor's or a recipient's country (ISO3)."),
    ] = None,
    place: Annotated[
        str | None,
        Query(
            max_length=MAX_TEXT,
            description="A place name (substring), or a country code in capitals (UKR).",
        ),
    ] = None,
    near: Annotated[
        str | None,
        Query(max_length=100, description="lat,lon,km: located within km of the point."),
    ] = None,
    since: Annotated[
        str | None,
        Query(
            max_length=40,
            description="On or after: 2023, 2023-09 or 2023-09-12. Every day the event can "
            "mean must lie within since..until.",
        ),
    ] = None,
    until: Annotated[
        str | None,
        Query(max_length=40, description="On or before (2023-09 = up to 30 September)."),
    ] = None,
    source: Annotated[
        str | None,
        Query(
            max_length=MAX_TEXT,
            description='Who the event is attributed to ("ifølge"), as for actor: NTB, MED.',
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=MAX_TEXT, description="Words in the event's sentence (substring)."),
    ] = None,
    min_confidence: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Events at least this sure (0..1).")
    ] = None,
    article: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Events of this article (its id).")
    ] = None,
    story: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Events of this story (its id).")
    ] = None,
) -> dict[str, Any]:
    """The event filters, validated, as keyword arguments of
    :func:`hendelse.store.query.event_filter`."""
    since_day = day_value("since", since)
    until_day = day_value("until", until, end=True)
    if since_day and until_day and since_day > until_day:
        raise ParameterError("until", f"{until} is before since ({since})")
    return {
        "type": _choices("type", type, plover_types(), upper=True),
        "quad": _choices("quad", quad, QUADS, upper=False),
        "factuality": _choices("factuality", factuality, FACTUALITIES, upper=False),
        "actor": text_value("actor", actor),
        "recipient": text_value("recipient", recipient),
        "country": code_value("country", country),
        "place": text_value("place", place),
        "near": near_value(near),
        "date_from": since_day,
        "date_to": until_day,
        "source": text_value("source", source),
        "text": text_value("q", q),
        "min_confidence": min_confidence,
        "article": text_value("article", article),
        "story": text_value("story", story),
    }


class Interval(StrEnum):
    day = "day"
    week = "week"


class By(StrEnum):
    quad = "quad"
    factuality = "factuality"


#: Entity types of the event record.
ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "GROUP")
#: Most features ``/api/map`` gives at once.
MAX_MAP = 10_000


def plover_type(name: str, value: str | None) -> str | None:
    """One PLOVER category (any case), or None."""
    chosen = _choices(name, [value] if value else None, plover_types(), upper=True)
    if chosen and len(chosen) > 1:
        raise ParameterError(name, "give one category")
    return chosen[0] if chosen else None
