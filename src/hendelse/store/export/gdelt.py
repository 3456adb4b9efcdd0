"""``gdelt-tsv``: events as rows of the GDELT 2.0 Events table (61 tab-separated columns).

The columns are GDELT's, in its order (:data:`GDELT_COLUMNS`); GDELT's files
have no header line, and neither has this export unless asked
(``header=True``). hendelse fills what its records know and leaves the rest
empty; ``docs/export.md`` says column by column what is filled and how:

- dates only as precise as the event's days are (SQLDATE empty for an event
  "in September", MonthYear filled);
- Actor1 is the first actor, Actor2 the first recipient, or, when there is
  none, the second actor (a meeting between equals);
- the event's place is ActionGeo, with GDELT's FIPS 10-4 country codes;
  Actor1Geo and Actor2Geo stay empty (type 0), as hendelse does not place actors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from hendelse.resolve.countries import by_iso3
from hendelse.store.export.codes import (
    CAMEO_TYPES,
    QUAD_CLASS,
    cameo_levels,
    fips,
    geonames_id,
    goldstein,
    one_line,
)
from hendelse.store.export.events import ExportEvent, Participant

_ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_FIELDS = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)

#: The 61 columns of the GDELT 2.0 Events table, in order.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED",
    "SOURCEURL",
)

#: GDELT's geographic match types.
GEO_NONE, GEO_COUNTRY, GEO_US_STATE, GEO_US_CITY, GEO_WORLD_CITY, GEO_WORLD_STATE = 0, 1, 2, 3, 4, 5
#: The source-citation form of SOURCEURL for an article without a URL.
CITATION_PREFIX = "hendelse:"


def _actor(person: Participant | None) -> list[Any]:
    """The ten Actor columns: CAMEO-style code, name in capitals, country, type."""
    if person is None:
        return [None] * len(_ACTOR_FIELDS)
    is_igo = person.country == "IGO"
    country = None if is_igo else person.country
    kind = person.sector if person.sector in CAMEO_TYPES else None
    # GDELT's Actor1Code strings country and type codes together ("NORGOV");
    # an international organisation has "IGO" in the place of a country.
    parts = ["IGO" if is_igo else country, None if (is_igo and kind == "IGO") else kind]
    code = "".join(p for p in parts if p) or None
    name = one_line(person.name)
    return [code, name.upper() if name else None, country, None, None, None, None, kind, None, None]


def _action_geo(event: ExportEvent) -> list[Any]:
    """ActionGeo: the event's place, at GDELT's match types."""
    if not event.located:
        return [GEO_NONE] + [None] * (len(_GEO_FIELDS) - 1)
    country = event["place_country"]
    country_code = fips(country)
    known = by_iso3(country) if country else None
    country_name = known.name_en if known else country
    feature = event.place_feature
    name = one_line(event["place"])
    in_us = country == "USA"
    if feature == "country":
        kind, full_name = GEO_COUNTRY, country_name or name
        feature_id: Any = country_code  # GDELT: the country code for country matches
        adm1 = country_code
    else:
        if feature in ("admin1", "region"):  # GDELT's nearest: a (US) state
            kind = GEO_US_STATE if in_us and feature == "admin1" else GEO_WORLD_STATE
            parts = [name, country_name]
        else:  # a city, a facility, or a place of unknown kind with coordinates
            kind = GEO_US_CITY if in_us else GEO_WORLD_CITY
            parts = [name, one_line(event.place_admin1), country_name]
        full_name = ", ".join(p for p in dict.fromkeys(parts) if p)
        feature_id = geonames_id(event.place_gazetteer_id)
        adm1 = None
    return [kind, full_name, country_code, adm1, None, event["lat"], event["lon"], feature_id]


def _counts(event: ExportEvent) -> tuple[int, int, int]:
    """NumMentions, NumSources, NumArticles: the event's story's, else its article's."""
    if event.story is not None:
        story = event.story
        return story.mentions, max(story.sources, 1), story.articles
    return 1 + event.other_mentions, 1, 1


def gdelt_row(event: ExportEvent) -> list[Any]:
    """One event as the 61 values of a GDELT 2.0 Events row (None for an empty cell)."""
    day, month, year = event.day, event.month, event.year
    actor1 = event.actors[0] if event.actors else None
    if event.recipients:
        actor2: Participant | None = event.recipients[0]
    else:
        actor2 = event.actors[1] if len(event.actors) > 1 else None
    code, base, root = cameo_levels(event["cameo"])
    url = event["url"] or f"{CITATION_PREFIX}{event['article_id']}"
    return [
        event.global_event_id,
        day.strftime("%Y%m%d") if day else None,
        f"{month[0]:04d}{month[1]:02d}" if month else None,
        year,
        f"{day.year + (day.month * 30 + day.day) / 365:.4f}" if day else None,
        *_actor(actor1),
        *_actor(actor2),
        1 if event.in_lead else 0,
        code,
        base,
        root,
        QUAD_CLASS.get((event["quad"] or "").lower()),
        goldstein(event["cameo"]),
        *_counts(event),
        None,
        GEO_NONE, *[None] * (len(_GEO_FIELDS) - 1),
        GEO_NONE, *[None] * (len(_GEO_FIELDS) - 1),
        *_action_geo(event),
        event.ingested_at.strftime("%Y%m%d%H%M%S"),
        one_line(url),
    ]  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return one_line(value) or ""
    return str(value)


def write_gdelt(events: Iterable[ExportEvent], out: TextIO, *, header: bool = False) -> int:
    """Tab-separated rows with "\\n" line ends and no quoting, as GDELT writes them.

    No cell holds a tab or a line break (:func:`_cell` evens out whitespace),
    so quotes and backslashes can stay as they are. Returns the number of rows
    (events) written, the header not counted.
    """
    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    n = 0
    for event in events:
        out.write("\t".join(_cell(v) for v in gdelt_row(event)) + "\n")
        n += 1
    return n
