"""The events an export writes: the store's rows for the events that pass the filters.

:func:`iter_events` runs :func:`hendelse.store.query.event_filter`'s WHERE
clause (the filters of ``hendelse query``) and gathers, for each event, what
the formats need beyond ``event_summary``: every actor, recipient and source
with its sector, role and knowledge-base id, the place's gazetteer fields, the
spans, the number of other mentions, whether the event is in the headline or
lead, the article's named people, organisations and places, and the story
event it belongs to (``story_events``, when the store has stories).

Events come in ``hendelse query``'s order: newest first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hendelse.store.db import Store
from hendelse.store.export.codes import global_event_id
from hendelse.store.query import COLUMNS, ORDER_BY, EventFilter

#: Layout blocks whose events count as the article's main news (GDELT's IsRootEvent).
ROOT_BLOCKS = frozenset({"headline", "lead"})


@dataclass(frozen=True)
class Participant:
    """An actor, recipient or source of an event, with the entity's facts."""

    name: str | None
    type: str | None
    country: str | None
    sector: str | None
    role: str | None
    kb: str | None
    text: str | None  # the words that name it in the event's sentence
    cue: str | None = None  # sources only: "ifølge", "sier"

    def as_dict(self) -> dict[str, Any]:
        keys = ("name", "type", "country", "sector", "role", "kb", "text")
        out = {k: getattr(self, k) for k in keys}
        if self.cue is not None:
            out["cue"] = self.cue
        return out


@dataclass(frozen=True)
class Story:
    """The story event an event belongs to: the same event told by several articles."""

    id: str
    articles: int
    sources: int
    mentions: int  # the story's events and their other mentions, counted together


@dataclass
class ExportEvent:
    """One event with everything the export formats write.

    ``summary`` holds the ``event_summary`` columns of :data:`COLUMNS` as
    DuckDB returns them (dates as ``datetime.date``, lists as lists).
    """

    summary: dict[str, Any]
    context: list[str]
    place_admin1: str | None
    place_feature: str | None
    place_gazetteer_id: str | None
    location_text: str | None
    trigger_span: dict[str, Any]  # {start, end, text}
    sentence_span: dict[str, Any]
    ingested_at: dt.datetime
    extractor: str | None
    language: str | None
    actors: list[Participant] = field(default_factory=list)
    recipients: list[Participant] = field(default_factory=list)
    sources: list[Participant] = field(default_factory=list)
    other_mentions: int = 0
    in_lead: bool = False
    story_people: list[str] = field(default_factory=list)
    story_organizations: list[str] = field(default_factory=list)
    story_locations: list[str] = field(default_factory=list)
    story: Story | None = None

    def __getitem__(self, column: str) -> Any:
        return self.summary[column]

    @property
    def key(self) -> str:
        """``ARTICLE_ID:EVENT_ID``, unique in the store."""
        return f"{self['article_id']}:{self['event_id']}"

    @property
    def global_event_id(self) -> int:
        return global_event_id(self["article_id"], self["event_id"])

    @property
    def located(self) -> bool:
        return self["lat"] is not None and self["lon"] is not None

    # The days the event can lie in (its own time, else its article's date),
    # at the precision they share: exports never invent a finer date.
    @property
    def day(self) -> dt.date | None:
        """The event's day, when its days are one day."""
        first, last = self["date_first"], self["date_last"]
        return first if first is not None and first == last else None

    @property
    def month(self) -> tuple[int, int] | None:
        """(year, month), when its days lie in one month."""
        first, last = self["date_first"], self["date_last"]
        if first is None or last is None or (first.year, first.month) != (last.year, last.month):
            return None
        return first.year, first.month

    @property
    def year(self) -> int | None:
        """The year, when its days lie in one year."""
        first, last = self["date_first"], self["date_last"]
        if first is None or last is None or first.year != last.year:
            return None
        return first.year


def _participant_sql(table: str, cue: bool) -> str:
    cue_column = ", x.cue_text" if cue else ", NULL"
    return (
        "SELECT x.article_id, x.event_id, x.name, x.type, x.country, x.sector, en.role, en.kb, "
        f"x.span_text{cue_column} FROM k JOIN {table} x "
        "ON x.article_id = k.article_id AND x.event_id = k.event_id "
        "LEFT JOIN entities en ON en.article_id = x.article_id AND en.id = x.entity_id "
        "ORDER BY x.article_id, x.event_id, x.ord"
    )


#: Ids are "E1" … "E12": order them by number, not as text.
_BY_ID = "length(id), id"


#: ``event_summary``'s list columns, filled from the participants read anyway:
#: the view computes them with a subquery per event, which costs more than the
#: whole rest of an export.
LIST_COLUMNS = {
    "actors": ("actors", "name"),
    "actor_countries": ("actors", "country"),
    "recipients": ("recipients", "name"),
    "recipient_countries": ("recipients", "country"),
    "attributed_to": ("sources", "name"),
}
#: The other ``event_summary`` columns, kept in the temporary key table.
SUMMARY_COLUMNS = tuple(c for c in COLUMNS if c not in LIST_COLUMNS)
#: Every event's columns, for the events of one batch of keys (``k``, which
#: holds the :data:`SUMMARY_COLUMNS`), in order.
_EVENT_QUERY = (
    "SELECT "
    + ", ".join(f"k.{c}" for c in SUMMARY_COLUMNS)
    + ", e.context, p.admin1, e.place_feature, p.gazetteer_id, e.location_text, "
    "e.trigger_start, e.trigger_end, e.trigger_text, e.sentence_start, e.sentence_end, "
    "e.sentence_text, a.ingested_at, a.extractor, a.language "
    "FROM k JOIN events e ON e.article_id = k.article_id AND e.id = k.event_id "
    "JOIN articles a ON a.id = k.article_id "
    "LEFT JOIN places p ON p.article_id = e.article_id AND p.id = e.place_id "
    "ORDER BY k.pos"
)
#: Events read and handed on at a time: memory stays flat however large the export.
BATCH_SIZE = 2000


def _event(row: tuple) -> ExportEvent:
    """An event from a row of :data:`_EVENT_QUERY`."""
    n = len(SUMMARY_COLUMNS)
    (context, admin1, feature, gazetteer_id, location_text, t_start, t_end, t_text,
     s_start, s_end, s_text, ingested_at, extractor, language) = row[n:]  # fmt: skip
    return ExportEvent(
        summary=dict(zip(SUMMARY_COLUMNS, row[:n], strict=True)),
        context=list(context or []),
        place_admin1=admin1,
        place_feature=feature,
        place_gazetteer_id=gazetteer_id,
        location_text=location_text,
        trigger_span={"start": t_start, "end": t_end, "text": t_text},
        sentence_span={"start": s_start, "end": s_end, "text": s_text},
        ingested_at=ingested_at,
        extractor=extractor,
        language=language,
    )


def iter_events(
    store: Store, f: EventFilter, batch_size: int = BATCH_SIZE
) -> Iterator[ExportEvent]:
    """The events that pass ``f``, newest first, with what the formats need.

    The ``event_summary`` rows of the events that pass (but its list columns,
    see :data:`LIST_COLUMNS`) are numbered in order
    into a temporary table (DuckDB allows those on a read-only connection,
    and keeps them in its own memory, spilling to disk), so the view is
    computed once; the events are then read ``batch_size`` at a time.
    """
    con = store.con
    keys = f"hendelse_export_{uuid.uuid4().hex}"
    columns = ", ".join(f"s.{c}" for c in SUMMARY_COLUMNS)
    con.execute(
        f"CREATE TEMP TABLE {keys} AS SELECT row_number() OVER ({ORDER_BY.strip()}) AS pos, "
        f"{columns} FROM event_summary s{f.where}",
        f.params,
    )
    try:
        row = con.execute(f"SELECT count(*) FROM {keys}").fetchone()
        total = int(row[0]) if row else 0
        with_stories = _has_table(store, "story_events")
        for first in range(1, total + 1, batch_size):
            batch = (
                f"WITH k AS (SELECT * FROM {keys} WHERE pos BETWEEN {first} "
                f"AND {first + batch_size - 1}) "
            )
            yield from _load_batch(store, batch, with_stories)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {keys}")


def _load_batch(store: Store, batch: str, with_stories: bool) -> list[ExportEvent]:
    """The events of one batch; ``batch`` is the ``WITH k AS (…)`` that selects its keys."""

    def fetch(sql: str) -> list[tuple]:
        return store.con.execute(batch + sql).fetchall()

    events = [_event(row) for row in fetch(_EVENT_QUERY)]
    by_key = {(e["article_id"], e["event_id"]): e for e in events}
    for table, attr, cue in (
        ("event_actors", "actors", False),
        ("event_recipients", "recipients", False),
        ("attributions", "sources", True),
    ):
        for article_id, event_id, *values in fetch(_participant_sql(table, cue)):
            getattr(by_key[article_id, event_id], attr).append(Participant(*values))
    for event in events:
        for column, (attr, field_name) in LIST_COLUMNS.items():
            event.summary[column] = [getattr(p, field_name) for p in getattr(event, attr)]
    mention_starts: dict[tuple[str, str], list[int]] = defaultdict(list)
    for article_id, event_id, start in fetch(
        "SELECT m.article_id, m.event_id, m.span_start FROM k JOIN event_mentions m "
        "ON m.article_id = k.article_id AND m.event_id = k.event_id"
    ):
        mention_starts[article_id, event_id].append(start)
    _mark_lead_events(
        events,
        mention_starts,
        fetch("SELECT id, text, title FROM articles WHERE id IN (SELECT article_id FROM k)"),
    )
    if with_stories:
        for article_id, event_id, *values in fetch(_STORY_SQL):
            by_key[article_id, event_id].story = Story(*values)
    _add_story_names(
        events,
        fetch(
            "SELECT article_id, type, name FROM entities WHERE article_id IN "
            f"(SELECT article_id FROM k) ORDER BY article_id, {_BY_ID}"
        ),
        fetch(
            "SELECT article_id, name FROM places WHERE article_id IN "
            f"(SELECT article_id FROM k) ORDER BY article_id, {_BY_ID}"
        ),
    )
    return events


#: Each event's story with its counts. A membership left by an article stored
#: again since (its ``article_ingested_at`` is not the article's) is stale and
#: not used.
_STORY_SQL = """SELECT se.article_id, se.event_id, st.id, st.n_articles, st.n_sources,
  (SELECT count(*) FROM story_events m WHERE m.story_id = st.id)
  + (SELECT count(*) FROM story_events m JOIN event_mentions em
     ON em.article_id = m.article_id AND em.event_id = m.event_id WHERE m.story_id = st.id)
FROM k JOIN story_events se ON se.article_id = k.article_id AND se.event_id = k.event_id
JOIN articles a ON a.id = se.article_id AND a.ingested_at = se.article_ingested_at
JOIN stories st ON st.id = se.story_id"""


def _has_table(store: Store, name: str) -> bool:
    """Whether the store has this table (stores of schema 1 have no story tables)."""
    row = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() AND table_name = ?",
        [name],
    ).fetchone()
    return bool(row and row[0])


#: How much of an article the headline and lead are looked for in (characters,
#: then to the end of that line).
LEAD_SCAN_CHARS = 3000


def _opening(text: str) -> str:
    """The article's opening, cut at a line end after :data:`LEAD_SCAN_CHARS`.

    The layout is read line by line from the top, so the opening's blocks are
    the whole text's; reading only the opening makes an export of many
    articles several times faster.
    """
    cut = text.find("\n", LEAD_SCAN_CHARS)
    return text if cut == -1 else text[:cut]


def _mark_lead_events(
    events: list[ExportEvent],
    mention_starts: dict[tuple[str, str], list[int]],
    articles: Iterable[tuple[str, str, str | None]],
) -> None:
    """Count other mentions; mark events named in their article's headline or lead."""
    from hendelse.reader.layout import detect_blocks

    lead_spans = {
        article_id: [
            (b.start, b.end) for b in detect_blocks(_opening(text), title) if b.kind in ROOT_BLOCKS
        ]
        for article_id, text, title in articles
    }
    for event in events:
        key = (event["article_id"], event["event_id"])
        starts = mention_starts.get(key, [])
        event.other_mentions = len(starts)
        spans = lead_spans.get(event["article_id"], [])
        offsets = [o for o in (event.trigger_span["start"], *starts) if o is not None]
        event.in_lead = any(start <= o < end for o in offsets for start, end in spans)


def _add_story_names(
    events: list[ExportEvent],
    entities: Iterable[tuple[str, str | None, str | None]],
    places: Iterable[tuple[str, str | None]],
) -> None:
    """Each article's people, organisations and places, named once each, in record order."""
    people: dict[str, list[str]] = defaultdict(list)
    organisations: dict[str, list[str]] = defaultdict(list)
    locations: dict[str, list[str]] = defaultdict(list)
    for article_id, kind, name in entities:
        target = {"PER": people, "ORG": organisations}.get(kind or "")
        if target is not None:
            _add_name(target[article_id], name)
    for article_id, name in places:
        _add_name(locations[article_id], name)
    for event in events:
        article_id = event["article_id"]
        event.story_people = people.get(article_id, [])
        event.story_organizations = organisations.get(article_id, [])
        event.story_locations = locations.get(article_id, [])


def _add_name(names: list[str], name: str | None) -> None:
    if name and (clean := " ".join(name.split())) and clean not in names:
        names.append(clean)
