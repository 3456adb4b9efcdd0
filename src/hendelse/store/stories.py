"""Story events: one story for the events of many articles that describe the same event.

``update_stories(store)`` puts every event of the store that is not yet in a
story (new, or of an article stored again since) into one, incrementally:
new events are compared with each other and with stored events of the same
type and nearby dates (:func:`hendelse.store.story_rules.compare`); the
compatible ones are linked, and every connected group (a *chain*) is cut
into stories no longer than ``Rules.max_span_days``. Chains are the
connected components of the compatibility graph, and the cut depends only on
a chain's members, so the stories do not depend on the order or batches in
which articles were stored: ingesting A and B, then C, gives the stories
that ingesting A, B and C at once gives, ids included (a story's id is a
hash of its earliest event's key).

An article stored again (changed) or removed leaves memberships pointing at
rows that are gone: they are recognised by the article's ``ingested_at``,
and their chains are dissolved and clustered again.

:func:`list_stories` and :func:`get_story` read the tables for the CLI and
the web API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from hendelse.store import schema
from hendelse.store.db import Store, StoreError
from hendelse.store.story_rules import (
    COARSE_FEATURES,
    RULES,
    Party,
    Rules,
    StoryEvent,
    compare,
    window,
)

Key = tuple[str, str]  # (article_id, event_id)


@dataclass
class StoryUpdate:
    """What :func:`update_stories` did."""

    events_assigned: int = 0
    stories_written: int = 0
    stories_removed: int = 0
    chains_dissolved: int = 0
    stories_total: int = 0
    multi_article_stories: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"seconds": round(self.seconds, 2)}


# -- loading events ----------------------------------------------------------------

_PARTIES = """coalesce((SELECT list([x.name, n.kb, x.country, x.sector] ORDER BY x.ord)
    FROM {table} x LEFT JOIN entities n ON n.article_id = x.article_id AND n.id = x.entity_id
    WHERE x.article_id = e.article_id AND x.event_id = e.id), [])"""

_SELECT = f"""SELECT e.article_id, e.id, e.ord, e.type, e.quad, e.factuality,
  e.event_date, e.event_date_end, e.time_value,
  e.place_name, e.place_country, e.place_lat, e.place_lon, e.place_feature,
  a.published, a.published_first, a.published_last, a.source, a.title, a.ingested_at,
  e.sentence_text, e.trigger_text,
  {_PARTIES.format(table="event_actors")} AS actors,
  {_PARTIES.format(table="event_recipients")} AS recipients,
  s.chain, se.joined_at
FROM events e JOIN articles a ON a.id = e.article_id
LEFT JOIN story_events se ON se.article_id = e.article_id AND se.event_id = e.id
LEFT JOIN stories s ON s.id = se.story_id"""


@dataclass
class _Loaded:
    event: StoryEvent
    chain: str | None
    joined_at: dt.datetime | None


def _load(con: Any, where: str, params: Sequence[Any] = ()) -> list[_Loaded]:
    rows = con.execute(f"{_SELECT} WHERE {where}", list(params)).fetchall()
    out = []
    for row in rows:
        *fields, actors, recipients, chain, joined_at = row
        event = StoryEvent(
            *fields,
            actors=tuple(Party(*p) for p in actors),
            recipients=tuple(Party(*p) for p in recipients),
        )
        out.append(_Loaded(event, chain, joined_at))
    return out


# -- grouping ----------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, item: Any) -> Any:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=repr)] = min(ra, rb, key=repr)


def _overlapping_pairs(
    events: Sequence[StoryEvent], rules: Rules
) -> Iterator[tuple[StoryEvent, StoryEvent]]:
    """Pairs of same-type events whose date windows overlap (a sweep by window start)."""
    by_type: dict[str, list[tuple[tuple[dt.date, dt.date], StoryEvent]]] = defaultdict(list)
    for event in events:
        if event.type and (days := window(event, rules)) is not None:
            by_type[event.type].append((days, event))
    for items in by_type.values():
        items.sort(key=lambda item: (item[0][0], item[1].sort_key))
        for i, (days, event) in enumerate(items):
            for other_days, other in items[i + 1 :]:
                if other_days[0] > days[1]:
                    break
                yield event, other


@dataclass
class _Story:
    members: list[StoryEvent]
    best: dict[Key, tuple[float, Key, dict[str, Any]]]  # event -> (similarity, partner, why)


def _stories_of_chain(members: list[StoryEvent], rules: Rules) -> list[_Story]:
    """Cut a chain into stories: time segments of at most ``max_span_days``, then the
    connected groups within each segment. Depends only on the members."""
    members = sorted(members, key=lambda e: e.sort_key)
    segments: list[list[StoryEvent]] = []
    start: dt.date | None = None
    for event in members:
        day = event.day
        if not segments or (
            start is not None and day is not None and (day - start).days > rules.max_span_days
        ):
            segments.append([])
            start = day
        segments[-1].append(event)
    stories = []
    for segment in segments:
        links = _UnionFind()
        best: dict[Key, tuple[float, Key, dict[str, Any]]] = {}
        for event in segment:
            links.find(event.key)
        for a, b in _overlapping_pairs(segment, rules):
            match = compare(a, b, rules)
            if not match.compatible:
                continue
            links.union(a.key, b.key)
            for this, other in ((a, b), (b, a)):
                held = best.get(this.key)
                if held is None or (-match.similarity, other.key) < (-held[0], held[1]):
                    best[this.key] = (match.similarity, other.key, match.why)
        groups: dict[Any, list[StoryEvent]] = defaultdict(list)
        for event in segment:
            groups[links.find(event.key)].append(event)
        for group in groups.values():
            stories.append(_Story(group, {e.key: best[e.key] for e in group if e.key in best}))
    return stories


def _short_hash(prefix: str, key: Key) -> str:
    digest = hashlib.sha1(f"{key[0]}\x00{key[1]}".encode()).hexdigest()[:12]
    return f"{prefix}{digest}"


# -- updating ----------------------------------------------------------------------


def update_stories(
    store: Store,
    article_ids: Iterable[str] | None = None,
    *,
    rebuild: bool = False,
    rules: Rules = RULES,
) -> StoryUpdate:
    """Put every event that is in no story yet into one, in one transaction.

    Events of articles stored (again) since the last update are such events;
    so are the events of ``article_ids`` (their stories are redone) and, with
    ``rebuild``, every event. Stories that lost events to a changed or removed
    article are dissolved and their events clustered again.
    """
    if store.read_only:
        raise StoreError(f"{store.path} is open read-only; stories need a writable store")
    _require_story_tables(store)
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    result = StoryUpdate()
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        if rebuild:
            result.stories_removed = con.execute("SELECT count(*) FROM stories").fetchone()[0]
            con.execute("DELETE FROM story_events")
            con.execute("DELETE FROM stories")
        joined = _dissolve_stale(store, article_ids, result)
        _assign(store, rules, now, joined, result)
        row = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE n_articles > 1) FROM stories"
        ).fetchone()
        result.stories_total, result.multi_article_stories = row
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    result.seconds = time.monotonic() - started
    return result


def _dissolve_stale(
    store: Store, article_ids: Iterable[str] | None, result: StoryUpdate
) -> dict[Key, tuple[dt.datetime, dt.datetime]]:
    """Remove the chains that hold events of changed, removed or named articles.

    Returns when each still-current event of them had joined its story, so
    that regrouping keeps that time."""
    con = store.con
    stale = {
        chain
        for (chain,) in con.execute(
            "SELECT DISTINCT s.chain FROM story_events se JOIN stories s ON s.id = se.story_id "
            "LEFT JOIN articles a ON a.id = se.article_id "
            "WHERE a.id IS NULL OR a.ingested_at <> se.article_ingested_at"
        ).fetchall()
    }
    if article_ids is not None and (ids := sorted(set(article_ids))):
        # Named articles are redone even where their memberships are current.
        stale |= {
            chain
            for (chain,) in con.execute(
                "SELECT DISTINCT s.chain FROM story_events se JOIN stories s "
                "ON s.id = se.story_id WHERE se.article_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids],
            ).fetchall()
        }
    if not stale:
        return {}
    chains = sorted(stale)
    joined = {
        (a, e): (joined_at, ingested)
        for a, e, joined_at, ingested in con.execute(
            "SELECT se.article_id, se.event_id, se.joined_at, se.article_ingested_at "
            "FROM story_events se JOIN stories s ON s.id = se.story_id "
            "WHERE s.chain IN (SELECT unnest(?::VARCHAR[]))",
            [chains],
        ).fetchall()
    }
    result.chains_dissolved += len(chains)
    result.stories_removed += _delete_chains(con, chains)
    return joined


def _delete_chains(con: Any, chains: Sequence[str]) -> int:
    removed = con.execute(
        "SELECT count(*) FROM stories WHERE chain IN (SELECT unnest(?::VARCHAR[]))", [chains]
    ).fetchone()[0]
    con.execute(
        "DELETE FROM story_events WHERE story_id IN (SELECT id FROM stories "
        "WHERE chain IN (SELECT unnest(?::VARCHAR[])))",
        [chains],
    )
    con.execute("DELETE FROM stories WHERE chain IN (SELECT unnest(?::VARCHAR[]))", [chains])
    return removed


def _assign(
    store: Store,
    rules: Rules,
    now: dt.datetime,
    joined: dict[Key, tuple[dt.datetime, dt.datetime]],
    result: StoryUpdate,
) -> None:
    con = store.con
    new = [item.event for item in _load(con, "se.story_id IS NULL")]
    if not new:
        return
    result.events_assigned = len(new)
    # Stored events that a new one could be compatible with: same type, near in time.
    candidates: dict[Key, _Loaded] = {}
    margin = dt.timedelta(days=rules.margin_days)
    by_type: dict[str, list[StoryEvent]] = defaultdict(list)
    for event in new:
        if event.type and event.day is not None:
            by_type[event.type].append(event)
    for event_type, events in sorted(by_type.items()):
        days = [e.day for e in events if e.day is not None]
        for item in _load(
            con,
            "se.story_id IS NOT NULL AND e.type = ? AND "
            "coalesce(e.event_date, a.published_first) BETWEEN ? AND ?",
            [event_type, min(days) - margin, max(days) + margin],
        ):
            candidates[item.event.key] = item
    links = _UnionFind()
    for event in new:
        links.find(("event", event.key))
    for key, item in candidates.items():
        links.union(("event", key), ("chain", item.chain))
    pool = new + [item.event for item in candidates.values()]
    fresh = {e.key for e in new}
    for a, b in _overlapping_pairs(pool, rules):
        if (a.key in fresh or b.key in fresh) and compare(a, b, rules).compatible:
            links.union(("event", a.key), ("event", b.key))
    # Every group that holds a new event becomes one chain: its new events and
    # all members of the stored chains it reached.
    groups: dict[Any, set[str]] = defaultdict(set)
    for event in new:
        groups[links.find(("event", event.key))]
    for key, item in candidates.items():
        root = links.find(("event", key))
        if root in groups:
            groups[root].add(item.chain)
    touched = sorted({chain for chains in groups.values() for chain in chains})
    members: dict[str, list[StoryEvent]] = defaultdict(list)
    if touched:
        for item in _load(con, "s.chain IN (SELECT unnest(?::VARCHAR[]))", [touched]):
            members[item.chain].append(item.event)
            joined[item.event.key] = (item.joined_at, item.event.ingested_at)
        result.stories_removed += _delete_chains(con, touched)
    by_root: dict[Any, list[StoryEvent]] = defaultdict(list)
    for event in new:
        by_root[links.find(("event", event.key))].append(event)
    story_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    for root, events in by_root.items():
        chain_members = events + [e for chain in groups[root] for e in members[chain]]
        anchor = min(chain_members, key=lambda e: e.sort_key)
        chain_id = _short_hash("C", anchor.key)
        for story in _stories_of_chain(chain_members, rules):
            rows = _story_rows(story, chain_id, now, joined)
            story_rows.append(rows[0])
            member_rows += rows[1]
    store._insert(schema.STORIES, story_rows)
    store._insert(schema.STORY_EVENTS, member_rows)
    result.stories_written = len(story_rows)


# -- rows --------------------------------------------------------------------------


def history_order(event: StoryEvent) -> tuple[Any, ...]:
    """How a story's events are told: by publication, then the event's own date."""
    return (
        event.published_first or dt.date.max,
        event.event_date or dt.date.max,
        event.article_id,
        event.ord,
    )


def _story_rows(
    story: _Story,
    chain_id: str,
    now: dt.datetime,
    joined: dict[Key, tuple[dt.datetime, dt.datetime]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    members = sorted(story.members, key=history_order)
    anchor = min(members, key=lambda e: e.sort_key)
    story_id = _short_hash("S", anchor.key)
    actors, actor_keys = _parties(p for e in members for p in e.actors)
    recipients, recipient_keys = _parties(p for e in members for p in e.recipients)
    place = _place(members)
    own = [e for e in members if e.event_date is not None]
    dated = own or [e for e in members if e.published_first is not None]
    first = min((e.event_date or e.published_first for e in dated), default=None)
    last = max(
        (
            (e.event_date_end or e.event_date) if e.event_date else (e.published_last or first)
            for e in dated
        ),
        default=None,
    )
    published = [e.published_first for e in members if e.published_first is not None]
    published_last = [e.published_last or e.published_first for e in members if e.published_first]
    sources = list(dict.fromkeys(e.source for e in members if e.source))  # first seen first
    path = _path([e.factuality or "unknown" for e in members])
    row = {
        "id": story_id,
        "chain": chain_id,
        "type": anchor.type,
        "quad": anchor.quad,
        "actors": actors,
        "actor_keys": actor_keys,
        "recipients": recipients,
        "recipient_keys": recipient_keys,
        "place": place[0],
        "place_country": place[1],
        "lat": place[2],
        "lon": place[3],
        "date_first": first,
        "date_last": last,
        "first_seen": min(published, default=None),
        "last_seen": max(published_last, default=None),
        "n_articles": len({e.article_id for e in members}),
        "n_events": len(members),
        "n_sources": len(sources),
        "sources": sources,
        "factuality": members[-1].factuality,
        "factuality_path": path,
        "changes": [f"{a}→{b}" for a, b in pairwise(path)],
        "updated_at": now,
    }
    member_rows = []
    for event in members:
        earlier = joined.get(event.key)
        kept = earlier is not None and earlier[1] == event.ingested_at
        similarity, why = None, {"alone": "no other event of this type with matching "
                                 "participants, place and dates"}  # fmt: skip
        if event.key in story.best:
            similarity, partner, reasons = story.best[event.key]
            why = {"closest": {"article_id": partner[0], "event_id": partner[1]}} | reasons
        member_rows.append(
            {
                "story_id": story_id,
                "article_id": event.article_id,
                "event_id": event.event_id,
                "article_ingested_at": event.ingested_at,
                "joined_at": earlier[0] if kept and earlier else now,
                "similarity": similarity,
                "why": why,
            }
        )
    return row, member_rows


def _parties(parties: Iterable[Party]) -> tuple[list[str], list[str]]:
    """Names and keys of the distinct parties, most often named first."""
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for party in parties:
        counts[party.key] += 1
        if party.name:
            names[party.key][" ".join(party.name.split())] += 1
    keys = sorted(counts, key=lambda k: (-counts[k], k))
    shown = [min(names[k], key=lambda n: (-names[k][n], n)) if names[k] else k for k in keys]
    return shown, keys


def _place(members: Sequence[StoryEvent]) -> tuple[str | None, str | None, Any, Any]:
    """The place most often named, a finer one before a country or region."""
    counts: Counter[tuple[Any, ...]] = Counter()
    for e in members:
        if e.place or e.place_country:
            name = " ".join(e.place.split()) if e.place else None
            counts[(e.place_feature in COARSE_FEATURES, name, e.place_country, e.lat, e.lon)] += 1
    if not counts:
        return None, None, None, None
    _, name, country, lat, lon = min(counts, key=lambda k: (k[0], -counts[k], repr(k)))
    return name, country, lat, lon


def _path(factualities: Sequence[str]) -> list[str]:
    """Factualities in order with repeats run together: planned, asserted."""
    path: list[str] = []
    for value in factualities:
        if not path or path[-1] != value:
            path.append(value)
    return path


# -- reading -----------------------------------------------------------------------


def _require_story_tables(store: Store) -> None:
    found = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() AND table_name IN ('stories', 'story_events')"
    ).fetchone()[0]
    if found < 2:
        raise StoreError(
            f"{store.path} was made by an older hendelse and has no story tables yet: "
            f"run `hendelse stories --db {store.path}` once (it adds and fills them)"
        )


def pending_events(store: Store) -> int:
    """Events not in a story, or in one made before their article was stored again."""
    _require_story_tables(store)
    return store.con.execute(
        "SELECT (SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM story_events se "
        "WHERE se.article_id = e.article_id AND se.event_id = e.id)) + (SELECT count(*) "
        "FROM story_events se LEFT JOIN articles a ON a.id = se.article_id "
        "WHERE a.id IS NULL OR a.ingested_at <> se.article_ingested_at)"
    ).fetchone()[0]


#: The columns of :func:`list_stories`' rows.
STORY_COLUMNS = (
    "id",
    "type",
    "quad",
    "actors",
    "recipients",
    "place",
    "place_country",
    "lat",
    "lon",
    "date_first",
    "date_last",
    "first_seen",
    "last_seen",
    "n_articles",
    "n_events",
    "n_sources",
    "sources",
    "factuality",
    "factuality_path",
    "changes",
)


def list_stories(
    store: Store | str | Path,
    *,
    type: str | Sequence[str] | None = None,
    actor: str | None = None,
    min_articles: int = 1,
    limit: int | None = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Stories that pass the filters, most recently seen first: ``(total, rows)``.

    - ``type``: PLOVER categories ("CONSULT" or "CONSULT,AID" or a list).
    - ``actor``: an actor or recipient of any of the story's events, as for
      ``hendelse query --actor``: a name substring, or a country or sector
      code in capitals ("NOR", "GOV"), or ``name:``/``country:``/``sector:``.
    - ``min_articles``: stories told by at least this many articles.
    - ``limit`` (None or 0: all) rows after skipping ``offset``; ``total``
      counts every story that passes the filters.
    """
    from hendelse.store.query import _entity_condition, _opened, _values

    where = ["s.n_articles >= ?"]
    params: list[Any] = [int(min_articles)]
    if types := _values(type):
        where.append(f"s.type IN ({', '.join('?' for _ in types)})")
        params += [t.upper() for t in types]
    if actor:
        conditions = []
        for table in ("event_actors", "event_recipients"):
            condition = _entity_condition("x", actor, params, sector=True)
            conditions.append(
                f"EXISTS (SELECT 1 FROM story_events m JOIN {table} x ON x.article_id = "
                f"m.article_id AND x.event_id = m.event_id WHERE m.story_id = s.id AND {condition})"
            )
        where.append(f"({' OR '.join(conditions)})")
    clause = " AND ".join(where)
    with _opened(store) as opened:
        _require_story_tables(opened)
        con = opened.con
        total = con.execute(f"SELECT count(*) FROM stories s WHERE {clause}", params).fetchone()[0]
        statement = (
            f"SELECT {', '.join('s.' + c for c in STORY_COLUMNS)} FROM stories s WHERE {clause} "
            "ORDER BY s.last_seen DESC NULLS LAST, s.n_articles DESC, s.id"
        )
        if limit:
            statement += f" LIMIT {int(limit)}"
        if offset:
            statement += f" OFFSET {int(offset)}"
        rows = con.execute(statement, params).fetchall()
    return total, [_jsonable(dict(zip(STORY_COLUMNS, row, strict=True))) for row in rows]


def get_story(store: Store | str | Path, story_id: str) -> dict[str, Any] | None:
    """A story with its articles, events in time order and factuality history; None when
    there is no story with that id."""
    from hendelse.store.query import _opened

    with _opened(store) as opened:
        _require_story_tables(opened)
        con = opened.con
        row = con.execute(
            f"SELECT {', '.join(STORY_COLUMNS)} FROM stories WHERE id = ?", [story_id]
        ).fetchone()
        if row is None:
            return None
        story = _jsonable(dict(zip(STORY_COLUMNS, row, strict=True)))
        members = con.execute(
            "SELECT se.article_id, se.event_id, se.similarity, se.why, se.joined_at, "
            "a.title, a.published, a.published_first, a.source, a.url, "
            "e.ord, e.factuality, e.time_value, e.event_date, e.sentence_text, e.trigger_text "
            "FROM story_events se JOIN articles a ON a.id = se.article_id "
            "JOIN events e ON e.article_id = se.article_id AND e.id = se.event_id "
            "WHERE se.story_id = ? "
            "ORDER BY a.published_first NULLS LAST, e.event_date NULLS LAST, se.article_id, e.ord",
            [story_id],
        ).fetchall()
    events, articles, history = [], {}, []
    for (
        article_id, event_id, similarity, why, joined_at, title, published, _first, source,
        url, _ord, factuality, time_value, event_date, sentence, trigger,
    ) in members:  # fmt: skip
        articles.setdefault(
            article_id,
            {"id": article_id, "title": title, "published": published, "source": source,
             "url": url},
        )  # fmt: skip
        date = event_date.isoformat() if event_date else None
        events.append(
            {
                "article_id": article_id,
                "event_id": event_id,
                "factuality": factuality,
                "date": date,
                "time_value": time_value,
                "published": published,
                "sentence": sentence,
                "trigger": trigger,
                "similarity": similarity,
                "why": json.loads(why) if isinstance(why, str) else why,
                "joined_at": joined_at.isoformat() if joined_at else None,
            }
        )
        history.append(
            {
                "date": published,
                "event_date": date,
                "factuality": factuality,
                "article_id": article_id,
                "event_id": event_id,
            }
        )
    story["articles"] = list(articles.values())
    # Events in the order they happened: own date, else publication date.
    story["events"] = sorted(events, key=lambda e: e["date"] or _day(e["published"]))
    story["factuality_history"] = history
    return story


def _day(published: str | None) -> str:
    """A publication date's first day as text (sorts with ISO dates); "~" after all."""
    from hendelse.store.dates import date_range

    first, _ = date_range(published)
    return first.isoformat() if first else "~"


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    for key, value in row.items():
        if isinstance(value, dt.date | dt.datetime):
            row[key] = value.isoformat()
    return row
