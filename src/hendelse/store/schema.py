"""The event store's tables: one DuckDB file, one row set per article.

Every table but ``schema_version`` carries ``article_id``: storing an article
deletes and re-inserts exactly the rows with its id, in one transaction (see
:meth:`hendelse.store.db.Store.put`). Entity and place ids ("E1", "P3") and
event ids ("V2") are the record's own, unique within their article only, so
the key of an event is ``(article_id, id)``.

Values that the tables flatten (actor names and countries, place coordinates)
are copies from the record, which is kept whole in ``articles.record``.
Changing a column is a new :data:`SCHEMA_VERSION`; a store of another version
is refused with a message saying what to do, unless :func:`migration` can
bring it up to date.

The story tables (:data:`STORY_TABLES`) are not per article: they are
derived from the events by :mod:`hendelse.store.stories`, which keeps them
current after every ingest.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Bump on every change to the tables below (2: the story tables).
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type and constraints)
    doc: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def ddl(self) -> str:
        cols = ",\n  ".join(f"{name} {kind}" for name, kind in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"


def _span(prefix: str) -> tuple[tuple[str, str], ...]:
    """A span's three columns: ``prefix_start``, ``prefix_end``, ``prefix_text``."""
    return (
        (f"{prefix}_start", "INTEGER"),
        (f"{prefix}_end", "INTEGER"),
        (f"{prefix}_text", "VARCHAR"),
    )


ARTICLES = Table(
    "articles",
    (
        ("id", "VARCHAR PRIMARY KEY"),
        ("content_hash", "VARCHAR NOT NULL"),
        ("title", "VARCHAR"),
        ("published", "VARCHAR"),
        ("published_first", "DATE"),
        ("published_last", "DATE"),
        ("source", "VARCHAR"),
        ("url", "VARCHAR"),
        ("language", "VARCHAR"),
        ("origin", "VARCHAR"),
        ("text", "VARCHAR NOT NULL"),
        ("schema", "VARCHAR"),
        ("extractor", "VARCHAR"),
        ("ingested_at", "TIMESTAMP NOT NULL"),
        ("record", "JSON NOT NULL"),
    ),
    "One row per article: its metadata, text and the whole event record.",
)

ENTITIES = Table(
    "entities",
    (
        ("article_id", "VARCHAR NOT NULL"),
        ("id", "VARCHAR NOT NULL"),
        ("name", "VARCHAR"),
        ("type", "VARCHAR"),
        ("country", "VARCHAR"),
        ("sector", "VARCHAR"),
        ("role", "VARCHAR"),
        ("kb", "VARCHAR"),
        ("explain", "JSON"),
    ),
    "Actors of an article (people, organisations, governments, groups).",
)

ENTITY_MENTIONS = Table(
    "entity_mentions",
    (
        ("article_id", "VARCHAR NOT NULL"),
        ("entity_id", "VARCHAR NOT NULL"),
        ("ord", "INTEGER NOT NULL"),
        *_span("span"),
    ),
    "Every place in the text where an entity is named or referred to.",
)

PLACES = Table(
    "places",
    (
        ("article_id", "VARCHAR NOT NULL"),
        ("id", "VARCHAR NOT NULL"),
        ("name", "VARCHAR"),
        ("country", "VARCHAR"),
        ("admin1", "VARCHAR"),
        ("lat", "DOUBLE"),
        ("lon", "DOUBLE"),
        ("feature", "VARCHAR"),
        ("gazetteer_id", "VARCHAR"),
        ("explain", "JSON"),
    ),
    "Places of an article, resolved against the gazetteer where possible.",
)

PLACE_MENTIONS = Table(
    "place_mentions",
    (
        ("article_id", "VARCHAR NOT NULL"),
        ("place_id", "VARCHAR NOT NULL"),
        ("ord", "INTEGER NOT NULL"),
        *_span("span"),
    ),
    "Every place in the text where a place is named.",
)

EVENTS = Table(
    "events",
    (
        ("article_id", "VARCHAR NOT NULL"),
        ("id", "VARCHAR NOT NULL"),
        ("ord", "INTEGER NOT NULL"),
        ("type", "VARCHAR"),
        ("mode", "VARCHAR"),
        ("context", "VARCHAR[]"),
        ("cameo", "VARCHAR"),
        ("quad", "VARCHAR"),
        ("factuality", "VARCHAR"),
        ("confidence", "DOUBLE"),
        ("time_value", "VARCHAR"),
        ("time_granularity", "VARCHAR"),
        ("time_weekday", "VARCHAR"),
        ("time_part", "VARCHAR"),
        *_span("time"),
        ("event_date", "DATE"),
        ("event_date_end", "DATE"),
        ("place_id", "VARCHAR"),
        ("place_name", "VARCHAR"),
        ("place_country", "VARCHAR"),
        ("place_lat", "DOUBLE"),
        ("place_lon", "DOUBLE"),
        ("place_feature", "VARCHAR"),
        *_span("location"),
        *_span("trigger"),
        *_span("sentence"),
        ("explain", "JSON"),
    ),
    "One row per event (PLOVER category, time, place, factuality, evidence).",
)


def _participant(name: str, doc: str, *extra: tuple[str, str]) -> Table:
    """An entity taking part in an event (actor, recipient, source), in record order."""
    return Table(
        name,
        (
            ("article_id", "VARCHAR NOT NULL"),
            ("event_id", "VARCHAR NOT NULL"),
            ("ord", "INTEGER NOT NULL"),
            ("entity_id", "VARCHAR"),
            ("name", "VARCHAR"),
            ("type", "VARCHAR"),
            ("country", "VARCHAR"),
            ("sector", "VARCHAR"),
            *_span("span"),
            *extra,
        ),
        doc,
    )


EVENT_ACTORS = _participant("event_actors", "Who did it: an event's actors, in record order.")
EVENT_RECIPIENTS = _participant("event_recipients", "To whom: an event's recipients.")

ATTRIBUTIONS = _participant(
    "attributions",
    "According to whom: an event's sources, outermost first (ord 0).",
    *_span("cue"),
)

EVENT_MENTIONS = Table(
    "event_mentions",
    (
        ("article_id", "VARCHAR NOT NULL"),
        ("event_id", "VARCHAR NOT NULL"),
        ("ord", "INTEGER NOT NULL"),
        *_span("span"),
    ),
    "Other sentences of the article that refer to the same event.",
)

#: Every per-article table; ``articles`` last, so children are deleted first.
TABLES: tuple[Table, ...] = (
    ENTITY_MENTIONS,
    PLACE_MENTIONS,
    EVENT_MENTIONS,
    ATTRIBUTIONS,
    EVENT_ACTORS,
    EVENT_RECIPIENTS,
    EVENTS,
    ENTITIES,
    PLACES,
    ARTICLES,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

STORIES = Table(
    "stories",
    (
        ("id", "VARCHAR PRIMARY KEY"),
        ("chain", "VARCHAR NOT NULL"),
        ("type", "VARCHAR"),
        ("quad", "VARCHAR"),
        ("actors", "VARCHAR[]"),
        ("actor_keys", "VARCHAR[]"),
        ("recipients", "VARCHAR[]"),
        ("recipient_keys", "VARCHAR[]"),
        ("place", "VARCHAR"),
        ("place_country", "VARCHAR"),
        ("lat", "DOUBLE"),
        ("lon", "DOUBLE"),
        ("date_first", "DATE"),
        ("date_last", "DATE"),
        ("first_seen", "DATE"),
        ("last_seen", "DATE"),
        ("n_articles", "INTEGER NOT NULL"),
        ("n_events", "INTEGER NOT NULL"),
        ("n_sources", "INTEGER NOT NULL"),
        ("sources", "VARCHAR[]"),
        ("factuality", "VARCHAR"),
        ("factuality_path", "VARCHAR[]"),
        ("changes", "VARCHAR[]"),
        ("updated_at", "TIMESTAMP NOT NULL"),
    ),
    "Story events: events of several articles (or one) that describe the same "
    "real-world event, with their articles, sources and factuality over time.",
)

STORY_EVENTS = Table(
    "story_events",
    (
        ("story_id", "VARCHAR NOT NULL"),
        ("article_id", "VARCHAR NOT NULL"),
        ("event_id", "VARCHAR NOT NULL"),
        ("article_ingested_at", "TIMESTAMP NOT NULL"),
        ("joined_at", "TIMESTAMP NOT NULL"),
        ("similarity", "DOUBLE"),
        ("why", "JSON NOT NULL"),
    ),
    "Which story each event belongs to, and why: its closest fellow member and "
    "the rules that matched (type, actor keys, place distance, date overlap).",
)

#: The derived story tables; ``stories`` last, so memberships are deleted first.
STORY_TABLES: tuple[Table, ...] = (STORY_EVENTS, STORIES)

SCHEMA_VERSION_DDL = """CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER NOT NULL,
  hendelse VARCHAR,
  created_at TIMESTAMP NOT NULL
)"""

#: Indexes for deleting an article's rows and for the common filters.
INDEXES: tuple[tuple[str, str, str], ...] = (
    ("idx_entities_article", "entities", "article_id"),
    ("idx_entity_mentions_article", "entity_mentions", "article_id"),
    ("idx_places_article", "places", "article_id"),
    ("idx_place_mentions_article", "place_mentions", "article_id"),
    ("idx_events_article", "events", "article_id"),
    ("idx_events_type", "events", "type"),
    ("idx_events_date", "events", "event_date"),
    ("idx_events_country", "events", "place_country"),
    ("idx_event_actors_article", "event_actors", "article_id"),
    ("idx_event_actors_name", "event_actors", "name"),
    ("idx_event_actors_country", "event_actors", "country"),
    ("idx_event_recipients_article", "event_recipients", "article_id"),
    ("idx_event_recipients_name", "event_recipients", "name"),
    ("idx_event_recipients_country", "event_recipients", "country"),
    ("idx_attributions_article", "attributions", "article_id"),
    ("idx_event_mentions_article", "event_mentions", "article_id"),
    ("idx_articles_published", "articles", "published_first"),
    ("idx_story_events_story", "story_events", "story_id"),
    ("idx_story_events_event", "story_events", "article_id"),
    ("idx_stories_chain", "stories", "chain"),
    ("idx_stories_type", "stories", "type"),
)

#: One row per event with what a reader wants to see, names already joined in.
#: ``date_first``/``date_last`` is the range of days the event can lie in: its
#: own time value's when it has one, else its article's publication date's.
EVENT_SUMMARY_VIEW = """CREATE OR REPLACE VIEW event_summary AS
SELECT
  e.article_id,
  e.id AS event_id,
  e.ord,
  e.type,
  e.mode,
  e.quad,
  e.cameo,
  e.factuality,
  e.confidence,
  e.time_value,
  e.time_granularity,
  e.event_date,
  e.event_date_end,
  CASE WHEN e.event_date IS NOT NULL THEN 'event' WHEN a.published_first IS NOT NULL
       THEN 'published' END AS date_basis,
  COALESCE(e.event_date, a.published_first) AS date_first,
  CASE WHEN e.event_date IS NOT NULL THEN e.event_date_end ELSE a.published_last END
    AS date_last,
  coalesce((SELECT list(x.name ORDER BY x.ord) FROM event_actors x
    WHERE x.article_id = e.article_id AND x.event_id = e.id), []::VARCHAR[]) AS actors,
  coalesce((SELECT list(x.country ORDER BY x.ord) FROM event_actors x
    WHERE x.article_id = e.article_id AND x.event_id = e.id), []::VARCHAR[]) AS actor_countries,
  coalesce((SELECT list(x.name ORDER BY x.ord) FROM event_recipients x
    WHERE x.article_id = e.article_id AND x.event_id = e.id), []::VARCHAR[]) AS recipients,
  coalesce((SELECT list(x.country ORDER BY x.ord) FROM event_recipients x
    WHERE x.article_id = e.article_id AND x.event_id = e.id), []::VARCHAR[]) AS recipient_countries,
  e.place_name AS place,
  e.place_country,
  e.place_lat AS lat,
  e.place_lon AS lon,
  coalesce((SELECT list(x.name ORDER BY x.ord) FROM attributions x
    WHERE x.article_id = e.article_id AND x.event_id = e.id), []::VARCHAR[]) AS attributed_to,
  e.trigger_text AS trigger,
  e.sentence_text AS sentence,
  a.title,
  a.published,
  a.source AS article_source,
  a.url
FROM events e JOIN articles a ON a.id = e.article_id"""


def all_ddl() -> list[str]:
    """Every statement that creates the store's tables, indexes and views."""
    statements = [SCHEMA_VERSION_DDL]
    statements += [table.ddl() for table in reversed(TABLES)]
    statements += [table.ddl() for table in reversed(STORY_TABLES)]
    statements += [f"CREATE INDEX IF NOT EXISTS {n} ON {t} ({c})" for n, t, c in INDEXES]
    statements.append(EVENT_SUMMARY_VIEW)
    return statements


def migration(version: int | None) -> list[str] | None:
    """The statements that bring a store of ``version`` to :data:`SCHEMA_VERSION`,
    or None when it cannot be migrated (it must be ingested again).

    Version 1 lacks only the story tables: every statement of :func:`all_ddl`
    is ``IF NOT EXISTS`` or ``OR REPLACE``, so running them adds what is new
    and leaves the rest alone. The stories themselves are then computed by
    :func:`hendelse.store.stories.update_stories`.
    """
    if version == 1:
        return all_ddl()
    return None
