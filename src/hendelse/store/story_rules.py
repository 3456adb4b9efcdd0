"""When two events describe the same real-world event: the rules behind story events.

Pure functions over :class:`StoryEvent` (one stored event with what the
rules need); :mod:`hendelse.store.stories` loads them from the store and
groups them. Two events are *compatible* when all of these hold:

- **type**: the same PLOVER category. Factuality does not matter: a planned
  meeting and the meeting reported as held are one story.
- **participants**: for CONSULT, AGREE and COOPERATE, where who is actor and
  who recipient is often a matter of phrasing, actors and recipients are
  pooled and at least two participants must match (one, when either event
  names only one). For other types the actors must match (at least one) and
  so must the recipients, each only when both events name some. At least one
  participant must match in all. Two participants match by their strongest
  shared key: the knowledge-base id when both have one (different ids never
  match), else country and sector ("NOR/GOV") when both have them, else the
  normalised name.
- **place**: the same resolved place name; or, both located on the map at a
  finer grain than a region, at most ``radius_km`` apart; or, when one of
  them is a country or region (or has no coordinates), the same country. An
  event without a place is compatible with any place.
- **date**: the date windows overlap. An event with its own time covers its
  days ± ``tolerance_days``; without one, a planned or expected event covers
  its article's publication date and ``lookahead_days`` after it, any other
  event the publication date and ``report_lag_days`` before it. Historical
  events without their own time, events without any date, and events whose
  own time spans more than ``max_window_days`` ("in 2023") get no window
  and stay alone. An event whose date (its own, else its article's) spans
  more than ``vague_days`` ("i juni", an article dated only "2024-06")
  matches only where both events have a place and they agree: a month and
  the same actors alone are too little.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from hendelse.resolve.text import strip_combining

#: Types whose actor and recipient are interchangeable ("A met B" = "B met A").
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
#: Factualities that look forward from the publication date.
FORWARD = frozenset({"planned", "expected"})
#: Place features too coarse for a distance: compared by country instead.
COARSE_FEATURES = frozenset({"country", "admin1", "region"})
EARTH_RADIUS_KM = 6371.0

# How strong a participant match is (a description for the similarity, not a probability).
KB_MATCH, NAME_MATCH, SECTOR_MATCH = 1.0, 0.9, 0.7
UNKNOWN = 0.5  # one side has no place


@dataclass(frozen=True)
class Rules:
    """The thresholds of the story rules (see the module's doc)."""

    radius_km: float = 100.0
    tolerance_days: int = 1
    report_lag_days: int = 3
    lookahead_days: int = 14
    max_window_days: int = 31
    #: A date longer than this ("i juni", an article dated "2024-06") matches only
    #: where both places are known.
    vague_days: int = 7
    #: A chain of compatible events longer than this is cut into stories.
    max_span_days: int = 30

    @property
    def margin_days(self) -> int:
        """How far a window can reach beyond an event's own or publication days."""
        return (
            self.max_window_days
            + self.lookahead_days
            + self.report_lag_days
            + 2 * self.tolerance_days
        )


RULES = Rules()


@dataclass(frozen=True)
class Party:
    """An actor or recipient as the rules see it."""

    name: str | None
    kb: str | None
    country: str | None
    sector: str | None

    @cached_property
    def key(self) -> str:
        """The strongest key: ``kb:ID``, ``NOR/GOV``, ``name:…`` or ``country:NOR``."""
        if self.kb:
            return f"kb:{self.kb}"
        if self.country and self.sector:
            return f"{self.country}/{self.sector}"
        if norm := normalise_name(self.name):
            return f"name:{norm}"
        return f"country:{self.country}" if self.country else "unknown"


@dataclass
class StoryEvent:
    """One stored event with the fields the story rules and the story rows need."""

    article_id: str
    event_id: str
    ord: int
    type: str
    quad: str | None
    factuality: str | None
    event_date: dt.date | None
    event_date_end: dt.date | None
    time_value: str | None
    place: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    place_feature: str | None
    published: str | None
    published_first: dt.date | None
    published_last: dt.date | None
    source: str | None
    title: str | None
    ingested_at: dt.datetime
    sentence: str | None
    trigger: str | None
    actors: tuple[Party, ...]
    recipients: tuple[Party, ...]
    #: :func:`window` per :class:`Rules`, computed once (events are compared many times).
    windows: dict[Rules, tuple[dt.date, dt.date] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def roles(self) -> dict[str, tuple[Party, ...]]:
        """The participants the rules compare, each once: actors and recipients pooled
        for the symmetric types, apart for the others."""
        if self.type in SYMMETRIC_TYPES:
            return {"participants": _distinct(self.actors + self.recipients)}
        return {"actors": _distinct(self.actors), "recipients": _distinct(self.recipients)}

    @property
    def key(self) -> tuple[str, str]:
        return self.article_id, self.event_id

    @property
    def day(self) -> dt.date | None:
        """The event's first day: its own, else its article's publication date."""
        return self.event_date or self.published_first

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """Canonical order: by date, then article and position in the record."""
        return (self.day or dt.date.max, self.article_id, self.ord, self.event_id)


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str | None) -> str:
    """Lower case, accents and punctuation gone, spaces evened out."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = strip_combining(text)
    return re.sub(r"[\W_]+", " ", text).strip()


def window(event: StoryEvent, rules: Rules = RULES) -> tuple[dt.date, dt.date] | None:
    """The days the event can lie in, widened by the rules' tolerances; None: none."""
    if rules not in event.windows:
        event.windows[rules] = _window(event, rules)
    return event.windows[rules]


def _window(event: StoryEvent, rules: Rules) -> tuple[dt.date, dt.date] | None:
    if event.event_date is not None:
        last = event.event_date_end or event.event_date
        if (last - event.event_date).days + 1 > rules.max_window_days:
            return None
        tolerance = dt.timedelta(days=rules.tolerance_days)
        return event.event_date - tolerance, last + tolerance
    if event.published_first is None or event.factuality == "historical":
        return None
    last = event.published_last or event.published_first
    if (last - event.published_first).days + 1 > rules.max_window_days:
        return None
    if event.factuality in FORWARD:
        return event.published_first, last + dt.timedelta(days=rules.lookahead_days)
    return event.published_first - dt.timedelta(days=rules.report_lag_days), last


@dataclass
class Match:
    """Why two events are (or are not) the same story."""

    compatible: bool
    similarity: float
    why: dict[str, Any]


def compare(a: StoryEvent, b: StoryEvent, rules: Rules = RULES) -> Match:
    """Whether ``a`` and ``b`` describe the same real-world event, and why."""
    if a.type != b.type or a.type is None:
        return Match(False, 0.0, {"type": f"{a.type} ≠ {b.type}"})
    why: dict[str, Any] = {"type": a.type}
    window_a, window_b = window(a, rules), window(b, rules)
    if window_a is None or window_b is None:
        return Match(False, 0.0, why | {"dates": "an event without a usable date"})
    if window_a[0] > window_b[1] or window_b[0] > window_a[1]:
        why["dates"] = f"windows {_span(window_a)} and {_span(window_b)} do not overlap"
        return Match(False, 0.0, why)
    # Participants before the rest: they tell most pairs apart, and cheaply.
    party_ok, party_score, matched = _participants(a, b)
    why |= matched
    if not party_ok:
        return Match(False, 0.0, why)
    date_score, why["dates"] = _dates(window_a, window_b)
    place = _places(a, b, rules)
    why["place"] = place.reason
    if place.km is not None:
        why["place_km"] = round(place.km, 1)
    if not place.ok:
        return Match(False, 0.0, why)
    if not place.known and max(_base_days(a), _base_days(b)) > rules.vague_days:
        why["dates"] += f"; a date of more than {rules.vague_days} days needs a place to agree"
        return Match(False, 0.0, why)
    return Match(True, round((date_score + party_score + place.score) / 3, 3), why)


def _base_days(event: StoryEvent) -> int:
    """How many days the event's date spans before any tolerance: its own time's, else
    its article's publication date's ("2024-06": 30)."""
    first, last = event.event_date, event.event_date_end
    if first is None:
        first, last = event.published_first, event.published_last
    if first is None:
        return 0
    return ((last or first) - first).days + 1


def _dates(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> tuple[float, str]:
    """How well two overlapping windows agree (overlap / the shorter one), and why."""
    first, last = max(a[0], b[0]), min(a[1], b[1])
    shorter = min((a[1] - a[0]).days, (b[1] - b[0]).days) + 1
    overlap = (last - first).days + 1
    if a == b:
        return 1.0, f"same window {_span(a)}"
    return overlap / shorter, f"windows {_span(a)} and {_span(b)} overlap {overlap} days"


def _span(days: tuple[dt.date, dt.date]) -> str:
    first, last = days
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


def _party_match(x: Party, y: Party) -> tuple[str, float] | None:
    if x.kb and y.kb:
        return (f"kb:{x.kb}", KB_MATCH) if x.kb == y.kb else None
    if x.country and x.sector and y.country and y.sector:
        if (x.country, x.sector) == (y.country, y.sector):
            return f"{x.country}/{x.sector}", SECTOR_MATCH
        return None
    name = normalise_name(x.name)
    if name and name == normalise_name(y.name):
        return f"name:{name}", NAME_MATCH
    return None


def _pair_up(xs: tuple[Party, ...], ys: tuple[Party, ...]) -> list[tuple[str, float]]:
    """Match participants one to one, strongest matches first (deterministic)."""
    options = []
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            if found := _party_match(x, y):
                options.append((-found[1], found[0], i, j))
    used_x: set[int] = set()
    used_y: set[int] = set()
    pairs = []
    for negative, key, i, j in sorted(options):
        if i in used_x or j in used_y:
            continue
        used_x.add(i)
        used_y.add(j)
        pairs.append((key, -negative))
    return pairs


def _distinct(parties: tuple[Party, ...]) -> tuple[Party, ...]:
    seen: dict[str, Party] = {}
    for party in parties:
        seen.setdefault(party.key, party)
    return tuple(seen.values())


def _participants(a: StoryEvent, b: StoryEvent) -> tuple[bool, float, dict[str, Any]]:
    wanted = 2 if a.type in SYMMETRIC_TYPES else 1  # per role; a and b share the type
    why: dict[str, Any] = {}
    strengths: list[float] = []
    for role, xs in a.roles.items():
        ys = b.roles[role]
        if not xs or not ys:
            why[role] = "not named in both"
            continue
        pairs = _pair_up(xs, ys)
        need = min(wanted, len(xs), len(ys))
        why[role] = [key for key, _ in pairs]
        if len(pairs) < need:
            why[role] = f"{len(pairs)} of {need} needed match ({', '.join(why[role]) or 'none'})"
            return False, 0.0, why
        strengths += [strength for _, strength in pairs]
    if not strengths:
        why["none"] = "no participant named in both events"
        return False, 0.0, why
    return True, sum(strengths) / len(strengths), why


class PlaceMatch(NamedTuple):
    ok: bool
    score: float
    reason: str
    km: float | None  # when both are points
    known: bool  # False: one side had no place to compare


def _places(a: StoryEvent, b: StoryEvent, rules: Rules) -> PlaceMatch:
    """Whether the places agree, how well, why, and their distance when both are points."""
    if not (a.place or a.place_country) or not (b.place or b.place_country):
        return PlaceMatch(True, UNKNOWN, "no place in one of them", None, False)
    km = None
    if _fine(a) and _fine(b):
        km = distance_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
    name_a, name_b = normalise_name(a.place), normalise_name(b.place)
    if name_a and name_a == name_b and a.place_country == b.place_country:
        return PlaceMatch(True, 1.0, f"same place ({name_a})", km, True)
    if km is not None:
        if km > rules.radius_km:
            reason = f"{km:.0f} km apart (more than {rules.radius_km:g})"
            return PlaceMatch(False, 0.0, reason, km, True)
        return PlaceMatch(True, 1.0 - km / rules.radius_km, f"{km:.0f} km apart", km, True)
    if a.place_country and b.place_country:
        if a.place_country != b.place_country:
            reason = f"countries {a.place_country} ≠ {b.place_country}"
            return PlaceMatch(False, 0.0, reason, None, True)
        return PlaceMatch(True, 0.6, f"same country ({a.place_country})", None, True)
    return PlaceMatch(True, UNKNOWN, "a place without a country", None, False)


def _fine(event: StoryEvent) -> bool:
    return (
        event.lat is not None
        and event.lon is not None
        and event.place_feature not in COARSE_FEATURES
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
