"""``geojson``: the located events as an RFC 7946 FeatureCollection of points.

Only events whose place has coordinates are written. Each is a Feature with
a Point geometry at ``[longitude, latitude]`` (RFC 7946's order, WGS 84, no
``crs`` member), ``id`` ``ARTICLE_ID:EVENT_ID``, and the event's flat columns
(:mod:`hendelse.store.export.flat`) as ``properties``, lists as JSON arrays.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from hendelse.store.export.events import ExportEvent
from hendelse.store.export.flat import flat_row, jsonable


def feature(event: ExportEvent) -> dict[str, Any]:
    """A located event as a GeoJSON Feature."""
    return {
        "type": "Feature",
        "id": event.key,
        "geometry": {"type": "Point", "coordinates": [event["lon"], event["lat"]]},
        "properties": jsonable(flat_row(event)),
    }


def write_geojson(events: Iterable[ExportEvent], out: TextIO) -> int:
    """Write the FeatureCollection, one Feature a line; returns the number of features."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for event in events:
        if event.located:
            out.write(",\n" if n else "\n")
            out.write(json.dumps(feature(event), ensure_ascii=False))
            n += 1
    out.write("\n]}\n")
    return n
