"""``plover-json``: PLOVER events in POLECAT's published layout, one JSON object a line.

POLECAT, the PLOVER-coded global event dataset, is published as weekly
tab-separated files with named columns ("Event ID", "Event Date", "Event
Type", …, "Actor Name", "Actor Country", …, "Placename", "Latitude", …). Each
object here has those columns as keys, in snake case and in POLECAT's order
(:data:`POLECAT_FIELDS`), with values in POLECAT's form: several values in
one field are joined with "; " (a missing one in the middle is "None", so
that positions line up), an empty field is ``null``. Keys beginning with
``hendelse_`` (:data:`EXTRA_FIELDS`) are hendelse's additions: factuality,
confidence, attribution, the evidence spans, and actors and recipients as
lists of objects. ``docs/export.md`` describes every field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from hendelse.store.export.codes import geonames_id, one_line
from hendelse.store.export.events import ExportEvent, Participant

#: POLECAT's columns in snake case, in the order of its published files.
POLECAT_FIELDS = (
    "event_id",
    "event_date",
    "event_type",
    "event_mode",
    "event_intensity",
    "quad_code",
    "contexts",
    "actor_name",
    "actor_country",
    "actor_cow",
    "primary_actor_sector",
    "actor_sectors",
    "actor_title",
    "actor_name_raw",
    "wikipedia_actor_id",
    "recipient_name",
    "recipient_country",
    "recipient_cow",
    "primary_recipient_sector",
    "recipient_sectors",
    "recipient_title",
    "recipient_name_raw",
    "wikipedia_recipient_id",
    "placename",
    "city",
    "district",
    "province",
    "country",
    "latitude",
    "longitude",
    "geonames_id",
    "raw_placename",
    "feature_type",
    "source",
    "publication_date",
    "story_people",
    "story_organizations",
    "story_locations",
    "language",
    "version",
    "story_id",
    "headline",
    "event_text",
)

#: hendelse's additions, after POLECAT's fields.
EXTRA_FIELDS = (
    "hendelse_article_id",
    "hendelse_event_id",
    "hendelse_global_event_id",
    "hendelse_cameo",
    "hendelse_factuality",
    "hendelse_confidence",
    "hendelse_time",
    "hendelse_date_first",
    "hendelse_date_last",
    "hendelse_date_basis",
    "hendelse_actors",
    "hendelse_recipients",
    "hendelse_attribution",
    "hendelse_trigger",
    "hendelse_sentence",
    "hendelse_url",
    "hendelse_story_id",
)

#: Place features that are a city (POLECAT's "City" is the place's city).
CITY_FEATURES = frozenset({"city"})


def _joined(values: Sequence[str | None]) -> str | None:
    """POLECAT's form of a multi-valued field: "A; B", "None" for a gap, null if all missing."""
    if all(v is None for v in values):
        return None
    return "; ".join("None" if v is None else v for v in values)


def _participants(prefix: str, people: list[Participant]) -> dict[str, Any]:
    unique_sectors = list(dict.fromkeys(p.sector for p in people if p.sector))
    return {
        f"{prefix}_name": _joined([one_line(p.name) for p in people]),
        f"{prefix}_country": _joined([p.country for p in people]),
        f"{prefix}_cow": None,
        f"primary_{prefix}_sector": people[0].sector if people else None,
        f"{prefix}_sectors": _joined(unique_sectors),
        f"{prefix}_title": _joined([p.role for p in people]),
        f"{prefix}_name_raw": _joined([one_line(p.text) for p in people]),
        f"wikipedia_{prefix}_id": None,
    }


def plover_record(event: ExportEvent) -> dict[str, Any]:
    """One event as a POLECAT-layout object with hendelse's additions."""
    place = one_line(event["place"])
    feature = event.place_feature
    time = None
    if event["time_value"] is not None:
        time = {"value": event["time_value"], "granularity": event["time_granularity"]}
    day = event.day
    return {
        "event_id": event.key,
        "event_date": day.isoformat() if day else None,
        "event_type": event["type"],
        "event_mode": event["mode"],
        "event_intensity": None,
        "quad_code": event["quad"].upper() if event["quad"] else None,
        "contexts": _joined(event.context),
        **_participants("actor", event.actors),
        **_participants("recipient", event.recipients),
        "placename": place,
        "city": place if feature in CITY_FEATURES else None,
        "district": None,
        "province": place if feature == "admin1" else one_line(event.place_admin1),
        "country": event["place_country"],
        "latitude": event["lat"],
        "longitude": event["lon"],
        "geonames_id": geonames_id(event.place_gazetteer_id),
        "raw_placename": one_line(event.location_text),
        "feature_type": feature,
        "source": event["article_source"],
        "publication_date": event["published"],
        "story_people": _joined(event.story_people),
        "story_organizations": _joined(event.story_organizations),
        "story_locations": _joined(event.story_locations),
        "language": event.language,
        "version": event.extractor,
        "story_id": event["article_id"],
        "headline": one_line(event["title"]),
        "event_text": one_line(event["sentence"]),
        "hendelse_article_id": event["article_id"],
        "hendelse_event_id": event["event_id"],
        "hendelse_global_event_id": event.global_event_id,
        "hendelse_cameo": event["cameo"],
        "hendelse_factuality": event["factuality"],
        "hendelse_confidence": event["confidence"],
        "hendelse_time": time,
        "hendelse_date_first": _iso(event["date_first"]),
        "hendelse_date_last": _iso(event["date_last"]),
        "hendelse_date_basis": event["date_basis"],
        "hendelse_actors": [p.as_dict() for p in event.actors],
        "hendelse_recipients": [p.as_dict() for p in event.recipients],
        "hendelse_attribution": [p.as_dict() for p in event.sources],
        "hendelse_trigger": event.trigger_span,
        "hendelse_sentence": event.sentence_span,
        "hendelse_url": event["url"],
        "hendelse_story_id": event.story.id if event.story else None,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def write_plover(events: Iterable[ExportEvent], out: TextIO) -> int:
    """One object a line (JSON Lines, as the PLOVER manual recommends), UTF-8 as is.

    Returns the number of events written.
    """
    n = 0
    for event in events:
        out.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
        n += 1
    return n
