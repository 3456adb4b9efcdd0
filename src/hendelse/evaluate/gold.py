"""Load gold event annotations (the format of ``shared/gold/README.md``).

A gold file describes one article: where its text is, what the extractor is
told about the publication date, the events a reader finds in it, and optional
checks on entities, places and names that must never be actors. ``variants``
repeat the article with another ``published`` value; each becomes a case of its
own with the listed events' ``time`` fields overridden.

Every problem is reported as a :class:`GoldError` naming the file and the
field (``events[g2].time.weekday``), so that a typo in a hand-written file is
found at once instead of silently costing recall.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hendelse.reader.article import ArticleError, normalise_published, normalise_text
from hendelse.resolve.text import strip_combining

#: The 16 PLOVER event categories.
PLOVER_TYPES: frozenset[str] = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }
)
FACTUALITY: frozenset[str] = frozenset(
    {"asserted", "planned", "expected", "possible", "reported", "denied", "negated", "historical"}
)
WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
PARTS_OF_DAY: frozenset[str] = frozenset({"morning", "afternoon", "evening", "night"})
#: Radius used when a gold location gives coordinates but no ``km``.
DEFAULT_KM = 50.0


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and the field."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        where = f"{path}: {field}" if field else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.field = field
        self.problem = problem


def normalise_name(name: str) -> str:
    """Case- and accent-insensitive form of a name, with whitespace squeezed.

    Accents are dropped by Unicode decomposition, so "Håkon" matches "Hakon";
    letters that do not decompose (ø, æ) are kept as they are.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = strip_combining(decomposed)
    return " ".join(stripped.split())


@dataclass(frozen=True)
class GoldParty:
    """An actor, recipient or source as the gold describes it: a country code and/or names."""

    country: str | None = None
    names: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(normalise_name(n) for n in self.names)

    def label(self) -> str:
        names = "/".join(self.names[:2])
        return " ".join(p for p in (self.country, names) if p)


@dataclass(frozen=True)
class GoldLocation:
    names: tuple[str, ...] = ()
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    km: float = DEFAULT_KM


@dataclass(frozen=True)
class GoldTime:
    value: str | None = None
    weekday: str | None = None
    part: str | None = None


@dataclass(frozen=True)
class GoldEvent:
    id: str
    required: bool
    types: tuple[str, ...]
    evidence: tuple[str, ...]
    actor: tuple[GoldParty, ...] = ()
    recipient: tuple[GoldParty, ...] = ()
    symmetric: bool = False
    mode: str | None = None
    #: The attributes below are scored only when not None. An empty
    #: ``attribution`` tuple means "the event must have no attribution".
    location: GoldLocation | None = None
    time: GoldTime | None = None
    factuality: tuple[str, ...] | None = None
    attribution: tuple[GoldParty, ...] | None = None


@dataclass(frozen=True)
class GoldEntity:
    names: tuple[str, ...]
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class GoldPlace:
    names: tuple[str, ...]
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class GoldCase:
    """One article as the extractor sees it: text, ``published`` and the gold to score against."""

    doc: str
    case_id: str  # doc for the article itself, "doc@v1" … for its variants
    path: Path
    text_path: Path
    text: str
    published: str | None
    events: list[GoldEvent]
    entities: list[GoldEntity] = field(default_factory=list)
    places: list[GoldPlace] = field(default_factory=list)
    not_actors: list[str] = field(default_factory=list)
    variant: int = 0  # 0 for the article itself


# --------------------------------------------------------------------------- reading


class _Reader:
    """Typed access to a JSON object that reports the field path on every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> GoldError:
        return GoldError(self.path, where, problem)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a JSON object, not {_kind(value)}")
        return value

    def str_(self, value: Any, where: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"must be a non-empty string, not {_kind(value)}")
        return value

    def strs(self, value: Any, where: str, *, optional: bool = False) -> tuple[str, ...]:
        if value is None and optional:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list of strings, not {_kind(value)}")
        return tuple(self.str_(v, f"{where}[{i}]") or "" for i, v in enumerate(value))

    def number(self, value: Any, where: str, *, optional: bool = False) -> float | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"must be a number, not {_kind(value)}")
        return float(value)

    def bool_(self, value: Any, where: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(where, f"must be true or false, not {_kind(value)}")
        return value

    def unknown_keys(self, data: dict[str, Any], allowed: set[str], where: str) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            raise self.fail(
                f"{where}.{extra[0]}" if where else extra[0],
                f"unknown field (expected one of: {', '.join(sorted(allowed))})",
            )


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _party(r: _Reader, data: Any, where: str) -> GoldParty:
    data = r.obj(data, where)
    r.unknown_keys(data, {"country", "names"}, where)
    country = r.str_(data.get("country"), f"{where}.country", optional=True)
    names = r.strs(data.get("names"), f"{where}.names", optional=True)
    if country is None and not names:
        raise r.fail(where, "needs a 'country' or 'names' to match predicted entities against")
    return GoldParty(country=country, names=names)


def _parties(r: _Reader, data: Any, where: str) -> tuple[GoldParty, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise r.fail(where, f"must be a list of entries, not {_kind(data)}")
    return tuple(_party(r, item, f"{where}[{i}]") for i, item in enumerate(data))


def _location(r: _Reader, data: Any, where: str) -> GoldLocation | None:
    if data is None:
        return None
    data = r.obj(data, where)
    r.unknown_keys(data, {"names", "country", "lat", "lon", "km"}, where)
    lat = r.number(data.get("lat"), f"{where}.lat", optional=True)
    lon = r.number(data.get("lon"), f"{where}.lon", optional=True)
    if (lat is None) != (lon is None):
        raise r.fail(where, "give both 'lat' and 'lon' or neither")
    if lat is not None and not -90 <= lat <= 90:
        raise r.fail(f"{where}.lat", f"{lat} is not a latitude")
    if lon is not None and not -180 <= lon <= 180:
        raise r.fail(f"{where}.lon", f"{lon} is not a longitude")
    country = r.str_(data.get("country"), f"{where}.country", optional=True)
    if lat is None and country is None:
        raise r.fail(where, "needs coordinates ('lat', 'lon') or a 'country' to be scored")
    km = r.number(data.get("km"), f"{where}.km", optional=True)
    if km is not None and km <= 0:
        raise r.fail(f"{where}.km", "must be positive")
    return GoldLocation(
        names=r.strs(data.get("names"), f"{where}.names", optional=True),
        country=country,
        lat=lat,
        lon=lon,
        km=DEFAULT_KM if km is None else km,
    )


def _time_fields(r: _Reader, data: Any, where: str) -> dict[str, str | None]:
    data = r.obj(data, where)
    r.unknown_keys(data, {"value", "weekday", "part"}, where)
    out: dict[str, str | None] = {}
    for key in ("value", "weekday", "part"):
        if key in data:
            out[key] = r.str_(data[key], f"{where}.{key}", optional=True)
    if out.get("weekday") is not None and out["weekday"] not in WEEKDAYS:
        raise r.fail(f"{where}.weekday", f"{out['weekday']!r} is not one of {', '.join(WEEKDAYS)}")
    if out.get("part") is not None and out["part"] not in PARTS_OF_DAY:
        raise r.fail(
            f"{where}.part", f"{out['part']!r} is not one of {', '.join(sorted(PARTS_OF_DAY))}"
        )
    return out


def _time(r: _Reader, data: Any, where: str) -> GoldTime | None:
    if data is None:
        return None
    fields = _time_fields(r, data, where)
    time = GoldTime(**fields)
    if time == GoldTime():
        raise r.fail(where, "an empty time cannot be scored; leave 'time' out instead")
    return time


def _event(r: _Reader, data: Any, where: str) -> GoldEvent:
    data = r.obj(data, where)
    event_id = r.str_(data.get("id"), f"{where}.id") or ""
    where = f"events[{event_id}]"
    r.unknown_keys(
        data,
        {
            "id",
            "required",
            "types",
            "mode",
            "actor",
            "recipient",
            "symmetric",
            "location",
            "time",
            "factuality",
            "attribution",
            "evidence",
            "note",
        },
        where,
    )
    types = r.strs(data.get("types"), f"{where}.types")
    if not types:
        raise r.fail(f"{where}.types", "must list at least one PLOVER type")
    for i, t in enumerate(types):
        if t not in PLOVER_TYPES:
            raise r.fail(f"{where}.types[{i}]", f"{t!r} is not a PLOVER event type")
    evidence = r.strs(data.get("evidence"), f"{where}.evidence")
    if not evidence:
        raise r.fail(f"{where}.evidence", "must hold at least one string from the text")
    factuality = None
    if data.get("factuality") is not None:
        factuality = r.strs(data["factuality"], f"{where}.factuality")
        for i, f in enumerate(factuality):
            if f not in FACTUALITY:
                raise r.fail(
                    f"{where}.factuality[{i}]",
                    f"{f!r} is not one of {', '.join(sorted(FACTUALITY))}",
                )
        if not factuality:
            raise r.fail(f"{where}.factuality", "must list at least one value, or be left out")
    attribution = None
    if "attribution" in data and data["attribution"] is not None:
        attribution = _parties(r, data["attribution"], f"{where}.attribution")
    if "required" not in data:
        raise r.fail(f"{where}.required", "missing: say true (counts for recall) or false")
    return GoldEvent(
        id=event_id,
        required=r.bool_(data.get("required"), f"{where}.required", True),
        types=types,
        evidence=evidence,
        actor=_parties(r, data.get("actor"), f"{where}.actor"),
        recipient=_parties(r, data.get("recipient"), f"{where}.recipient"),
        symmetric=r.bool_(data.get("symmetric"), f"{where}.symmetric", False),
        mode=r.str_(data.get("mode"), f"{where}.mode", optional=True),
        location=_location(r, data.get("location"), f"{where}.location"),
        time=_time(r, data.get("time"), f"{where}.time"),
        factuality=factuality,
        attribution=attribution,
    )


def _entity(r: _Reader, data: Any, where: str) -> GoldEntity:
    data = r.obj(data, where)
    r.unknown_keys(data, {"names", "country", "sector"}, where)
    names = r.strs(data.get("names"), f"{where}.names")
    if not names:
        raise r.fail(f"{where}.names", "must list at least one name")
    return GoldEntity(
        names=names,
        country=r.str_(data.get("country"), f"{where}.country", optional=True),
        sector=r.str_(data.get("sector"), f"{where}.sector", optional=True),
    )


def _place(r: _Reader, data: Any, where: str) -> GoldPlace:
    data = r.obj(data, where)
    r.unknown_keys(data, {"names", "country", "lat", "lon"}, where)
    names = r.strs(data.get("names"), f"{where}.names")
    if not names:
        raise r.fail(f"{where}.names", "must list at least one name")
    lat = r.number(data.get("lat"), f"{where}.lat", optional=True)
    lon = r.number(data.get("lon"), f"{where}.lon", optional=True)
    if (lat is None) != (lon is None):
        raise r.fail(where, "give both 'lat' and 'lon' or neither")
    return GoldPlace(
        names=names,
        country=r.str_(data.get("country"), f"{where}.country", optional=True),
        lat=lat,
        lon=lon,
    )


def _read_text(r: _Reader, text_path: Path) -> str:
    """The article text exactly as the extractor reads a plain-text file."""
    try:
        data = text_path.read_bytes()
    except OSError as err:
        raise r.fail("text_file", f"cannot read {text_path} ({err.strerror})") from None
    try:
        return normalise_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise r.fail("text_file", f"{text_path} is not valid UTF-8 (byte {err.start})") from None


def _published(r: _Reader, value: Any, where: str) -> str | None:
    value = r.str_(value, where, optional=True)
    if value is None:
        return None
    try:
        return normalise_published(value, where)
    except ArticleError as err:
        raise r.fail(where, err.problem) from None


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every occurrence of ``needle`` in ``text`` as (start, end), overlapping ones included."""
    spans = []
    start = text.find(needle)
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans


def load_gold(path: Path | str, *, check_evidence: bool = True) -> list[GoldCase]:
    """Load one gold file: the article's case first, then one case per variant.

    With ``check_evidence`` (the default) every evidence string must occur in
    the text: one that does not could never be matched and would silently cost
    recall.
    """
    path = Path(path)
    r = _Reader(path)
    try:
        raw = json.loads(path.read_text("utf-8"))
    except OSError as err:
        raise GoldError(path, "", f"cannot read the file ({err.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GoldError(path, "", f"not a JSON file ({err})") from None
    data = r.obj(raw, "")
    r.unknown_keys(
        data,
        {
            "doc",
            "text_file",
            "published",
            "variants",
            "events",
            "entities",
            "places",
            "not_actors",
            "note",
        },
        "",
    )
    doc = r.str_(data.get("doc"), "doc") or ""
    text_name = r.str_(data.get("text_file"), "text_file", optional=True)
    text_path = path.parent / text_name if text_name else path.with_suffix(".txt")
    text = _read_text(r, text_path)
    published = _published(r, data.get("published"), "published")

    if not isinstance(data.get("events"), list):
        raise r.fail("events", f"must be a list of events, not {_kind(data.get('events'))}")
    events = [_event(r, e, f"events[{i}]") for i, e in enumerate(data["events"])]
    seen: set[str] = set()
    for event in events:
        if event.id in seen:
            raise r.fail(f"events[{event.id}].id", "the id is used twice")
        seen.add(event.id)
        if check_evidence:
            for i, evidence in enumerate(event.evidence):
                if evidence not in text:
                    raise r.fail(
                        f"events[{event.id}].evidence[{i}]",
                        f"{evidence!r} does not occur in {text_path.name}",
                    )

    def items(key: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise r.fail(key, f"must be a list, not {_kind(value)}")
        return value

    base = GoldCase(
        doc=doc,
        case_id=doc,
        path=path,
        text_path=text_path,
        text=text,
        published=published,
        events=events,
        entities=[_entity(r, e, f"entities[{i}]") for i, e in enumerate(items("entities"))],
        places=[_place(r, p, f"places[{i}]") for i, p in enumerate(items("places"))],
        not_actors=[r.str_(n, f"not_actors[{i}]") or "" for i, n in enumerate(items("not_actors"))],
    )
    cases = [base]
    for number, variant in enumerate(items("variants"), start=1):
        cases.append(_variant(r, base, variant, number))
    return cases


def _variant(r: _Reader, base: GoldCase, data: Any, number: int) -> GoldCase:
    """The article again with another ``published`` and per-event time overrides.

    Overrides are field-wise: a listed field replaces the base one, ``null``
    removes it, unlisted fields (a ``weekday`` kept from the base) stay.
    """
    where = f"variants[{number - 1}]"
    data = r.obj(data, where)
    r.unknown_keys(data, {"published", "times", "note"}, where)
    if "published" not in data:
        raise r.fail(f"{where}.published", "missing: a variant exists to change 'published'")
    published = _published(r, data["published"], f"{where}.published")
    times = data.get("times") or {}
    times = r.obj(times, f"{where}.times")
    by_id = {e.id: e for e in base.events}
    overrides: dict[str, GoldTime | None] = {}
    for event_id, fields in times.items():
        field_where = f"{where}.times.{event_id}"
        if event_id not in by_id:
            raise r.fail(field_where, f"no event with id {event_id!r} in 'events'")
        old = by_id[event_id].time or GoldTime()
        merged = replace(old, **_time_fields(r, fields, field_where))
        overrides[event_id] = None if merged == GoldTime() else merged
    events = [replace(e, time=overrides[e.id]) if e.id in overrides else e for e in base.events]
    return replace(
        base,
        case_id=f"{base.doc}@v{number}",
        published=published,
        events=events,
        variant=number,
    )


def gold_files(path: Path | str) -> Iterator[Path]:
    """The gold files of a file or folder (``*.json`` in name order, hidden files skipped)."""
    path = Path(path)
    if path.is_dir():
        for child in sorted(path.rglob("*.json")):
            if child.is_file() and not any(
                p.startswith(".") for p in child.relative_to(path).parts
            ):
                yield child
    elif path.exists():
        yield path
    else:
        raise GoldError(path, "", "no such file or folder")


def load_gold_paths(paths: Iterable[Path | str], *, check_evidence: bool = True) -> list[GoldCase]:
    """All cases of the gold files in ``paths`` (files or folders)."""
    cases: list[GoldCase] = []
    for path in paths:
        for file in gold_files(path):
            cases.extend(load_gold(file, check_evidence=check_evidence))
    ids = [c.case_id for c in cases]
    for case_id in ids:
        if ids.count(case_id) > 1:
            first = next(c for c in cases if c.case_id == case_id)
            raise GoldError(first.path, "doc", f"the doc id {case_id!r} is used by two gold files")
    return cases
