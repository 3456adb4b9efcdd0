"""One flat row per event, for ``csv``, ``parquet`` and the properties of ``geojson``.

The columns (:data:`FLAT_COLUMNS`) are ``hendelse query``'s
(:data:`hendelse.store.query.COLUMNS`), after a numeric ``global_event_id``,
followed by the event's contexts, the sectors of its actors and recipients,
the place's admin1, feature and gazetteer id, and the id of the story event
the event belongs to. :data:`FLAT_KINDS` gives
each column's kind, from which the Parquet schema is built: lists stay lists
in Parquet and JSON and are joined with "; " in CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal, TextIO

from hendelse.store.export.events import ExportEvent
from hendelse.store.query import COLUMNS

Kind = Literal["int", "float", "str", "date", "list"]

_QUERY_KINDS: dict[str, Kind] = {
    "confidence": "float",
    "lat": "float",
    "lon": "float",
    "event_date": "date",
    "event_date_end": "date",
    "date_first": "date",
    "date_last": "date",
    "actors": "list",
    "actor_countries": "list",
    "recipients": "list",
    "recipient_countries": "list",
    "attributed_to": "list",
}

#: Every column of a flat row with its kind, in order.
FLAT_KINDS: dict[str, Kind] = {
    "global_event_id": "int",
    **{c: _QUERY_KINDS.get(c, "str") for c in COLUMNS},
    "context": "list",
    "actor_sectors": "list",
    "recipient_sectors": "list",
    "place_admin1": "str",
    "place_feature": "str",
    "place_gazetteer_id": "str",
    "story_id": "str",
}
FLAT_COLUMNS: tuple[str, ...] = tuple(FLAT_KINDS)
#: Separator of list items in a CSV cell (as in ``hendelse query --format csv``).
LIST_SEPARATOR = "; "


def flat_row(event: ExportEvent) -> dict[str, Any]:
    """The event's flat columns: dates as ``datetime.date``, lists as lists."""
    row: dict[str, Any] = {"global_event_id": event.global_event_id}
    row.update((c, event[c]) for c in COLUMNS)
    row["context"] = list(event.context)
    row["actor_sectors"] = [p.sector for p in event.actors]
    row["recipient_sectors"] = [p.sector for p in event.recipients]
    row["place_admin1"] = event.place_admin1
    row["place_feature"] = event.place_feature
    row["place_gazetteer_id"] = event.place_gazetteer_id
    row["story_id"] = event.story.id if event.story else None
    return row


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """A flat row with dates as ISO strings."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(events: Iterable[ExportEvent], out: TextIO) -> int:
    """A header row, then one row per event (RFC 4180 quoting, "\\n" line ends).

    Returns the number of events written.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLAT_COLUMNS)
    n = 0
    for event in events:
        row = flat_row(event)
        writer.writerow([_csv_cell(row[c]) for c in FLAT_COLUMNS])
        n += 1
    return n
