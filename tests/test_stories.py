"""Story events: events of different articles that describe the same real-world event.

Two kinds of tests:

- The fixture articles (``tests/fixtures/stories``, written for these tests)
  go through the real ingest: the model reads them, the extractor finds the
  events and ``update_stories`` groups them in a real DuckDB file.
- The rules (``story_rules``) and the incremental bookkeeping (chains that
  merge and are cut) are checked on hand-written records, so that each case
  is exactly the one meant.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from hendelse.cli import app
from hendelse.reader.article import Article
from hendelse.store import SCHEMA_VERSION, Store, StoreError, ingest
from hendelse.store.stories import get_story, list_stories, pending_events, update_stories
from hendelse.store.story_rules import Party, Rules, StoryEvent, compare, window

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "stories"
ARTICLES = FIXTURES / "artikler.jsonl"
CHANGED = FIXTURES / "endret.jsonl"

runner = CliRunner()


def _lines(*ids: str) -> str:
    """The fixture articles with these ids, as JSONL."""
    wanted = set(ids)
    lines = ARTICLES.read_text(encoding="utf-8").splitlines()
    return "".join(line + "\n" for line in lines if json.loads(line)["id"] in wanted)


ALL_IDS = [json.loads(line)["id"] for line in ARTICLES.read_text("utf-8").splitlines()]


def _story_tables(path: Path) -> tuple[list[tuple], list[tuple]]:
    """Stories and memberships without the columns that record when they were written."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        stories = con.execute("SELECT * EXCLUDE (updated_at) FROM stories ORDER BY id").fetchall()
        members = con.execute(
            "SELECT story_id, article_id, event_id, similarity, why::VARCHAR FROM story_events "
            "ORDER BY story_id, article_id, event_id"
        ).fetchall()
    finally:
        con.close()
    return stories, members


def _groups(path: Path) -> set[frozenset[str]]:
    """Each story as the set of its events' keys ("article/event")."""
    _, members = _story_tables(path)
    groups: dict[str, set[str]] = {}
    for story_id, article_id, event_id, *_ in members:
        groups.setdefault(story_id, set()).add(f"{article_id}/{event_id}")
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture article ingested at once (stories on, as by default)."""
    path = tmp_path_factory.mktemp("stories") / "batch.duckdb"
    summary = ingest([ARTICLES], path, progress=False)
    assert summary.stored == len(ALL_IDS)
    assert summary.stories is not None and summary.stories["events_assigned"] > 0
    return path


def _story_of(path: Path, article_id: str, event_type: str) -> dict[str, Any]:
    _, rows = list_stories(path, type=event_type, limit=None)
    for row in rows:
        story = get_story(path, row["id"])
        if any(a["id"] == article_id for a in story["articles"]):
            return story
    raise AssertionError(f"no {event_type} story with {article_id}")


# -- the fixture articles through the real ingest ---------------------------------------


def test_a_planned_meeting_reported_as_held_is_one_story(batch: Path):
    story = _story_of(batch, "mote-holdt", "CONSULT")
    assert [a["id"] for a in story["articles"]] == ["mote-varsel", "mote-holdt", "mote-omtale"]
    assert story["sources"] == ["NTB", "NRK", "Aftenposten"]
    assert story["n_articles"] == 3 and story["n_sources"] == 3
    assert (story["first_seen"], story["last_seen"]) == ("2023-09-11", "2023-09-15")
    assert (story["date_first"], story["date_last"]) == ("2023-09-14", "2023-09-14")
    assert story["place"] == "Tromsø" and story["place_country"] == "NOR"
    assert set(story["actors"]) == {"Jonas Gahr Støre", "Petteri Orpo"}
    assert story["factuality_path"] == ["planned", "asserted"]
    assert story["changes"] == ["planned→asserted"]
    assert story["factuality"] == "asserted"
    history = [(h["date"], h["factuality"], h["article_id"]) for h in story["factuality_history"]]
    assert history == [
        ("2023-09-11", "planned", "mote-varsel"),
        ("2023-09-14", "asserted", "mote-holdt"),
        ("2023-09-15", "asserted", "mote-omtale"),
    ]
    for event in story["events"]:
        why = event["why"]
        # Actor and recipient are pooled for meetings: both leaders matched by their kb ids.
        assert sorted(why["participants"]) == ["kb:fin-orpo-petteri", "kb:nor-store-jonas-gahr"]
        assert why["type"] == "CONSULT"
        assert "tromsø" in why["place"] and why["place_km"] == 0.0
        assert "dates" in why and event["similarity"] > 0.9
        assert why["closest"]["article_id"] != event["article_id"]


def test_a_reported_delivery_then_denied_is_one_story(batch: Path):
    story = _story_of(batch, "levering-nekter", "AID")
    assert [a["id"] for a in story["articles"]] == ["levering-pastand", "levering-nekter"]
    assert story["sources"] == ["VG", "NTB"]
    assert story["actors"] == ["Nord-Korea"] and story["recipients"] == ["Russland"]
    assert story["factuality_path"] == ["asserted", "denied"]
    assert story["changes"] == ["asserted→denied"]
    assert story["events"][0]["why"]["actors"] == ["PRK/GOV"]


def test_other_meetings_and_events_stay_apart(batch: Path):
    total, rows = list_stories(batch, min_articles=2)
    assert total == 2 and {r["type"] for r in rows} == {"CONSULT", "AID"}
    groups = _groups(batch)
    # Another meeting in Tromsø the same day, between other ministers.
    assert frozenset({"mote-annet/V1"}) in groups
    # The same two leaders two months later.
    assert frozenset({"mote-helsingfors/V1"}) in groups
    # The agreement of the same meeting is another type; the denial is its own event.
    assert frozenset({"mote-holdt/V2"}) in groups
    assert frozenset({"levering-nekter/V1"}) in groups
    events = sum(len(g) for g in groups)
    count = duckdb.connect(str(batch), read_only=True)
    try:
        assert events == count.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        count.close()
    alone = get_story(batch, _story_of(batch, "mote-annet", "CONSULT")["id"])
    assert alone["events"][0]["similarity"] is None
    assert "alone" in alone["events"][0]["why"]


def test_list_stories_filters_and_pages(batch: Path):
    total, rows = list_stories(batch, actor="Orpo")
    assert total == 3  # Tromsø, the agreement, Helsingfors
    assert all("Petteri Orpo" in r["actors"] for r in rows)
    assert list_stories(batch, actor="country:PRK", min_articles=2)[0] == 1
    assert list_stories(batch, type="aid,consult", min_articles=2)[0] == 2
    total, first = list_stories(batch, limit=2)
    _, second = list_stories(batch, limit=2, offset=2)
    assert (
        total == 6 and len(first) == 2 and not {r["id"] for r in first} & {r["id"] for r in second}
    )
    seen = [r["last_seen"] for r in list_stories(batch, limit=None)[1]]
    assert seen == sorted(seen, reverse=True)
    assert get_story(batch, "S-no-such-story") is None


def test_ingesting_in_batches_gives_the_same_stories(batch: Path, tmp_path: Path):
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text(_lines("mote-varsel", "levering-nekter"), encoding="utf-8")
    rest.write_text(_lines(*ALL_IDS[2:], "mote-holdt"), encoding="utf-8")
    path = tmp_path / "incremental.duckdb"
    ingest([first], path, progress=False)
    middle = _groups(path)
    assert frozenset({"mote-varsel/V1"}) in middle  # alone until the others come
    ingest([rest], path, progress=False)
    assert _story_tables(path) == _story_tables(batch)


def test_storing_one_article_at_a_time_in_reverse_gives_the_same_stories(
    batch: Path, tmp_path: Path
):
    path = tmp_path / "reverse.duckdb"
    with Store.open(batch, read_only=True) as source, Store.open(path) as target:
        for article_id in reversed(ALL_IDS):
            target.put(source.record(article_id), _article(source, article_id))
            update_stories(target)
    assert _story_tables(path) == _story_tables(batch)


def _article(store: Store, article_id: str) -> Article:
    row = store.con.execute(
        "SELECT text, title, published, source, url FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    text, title, published, source, url = row
    return Article(text, article_id, title, published, source, url)


def test_a_changed_article_leaves_its_story_and_the_stories_stay_consistent(
    batch: Path, tmp_path: Path
):
    path = tmp_path / "changed.duckdb"
    shutil.copy(batch, path)
    summary = ingest([CHANGED], path, progress=False)
    assert summary.stored == 1 and summary.stories["chains_dissolved"] == 1
    story = _story_of(path, "mote-holdt", "CONSULT")
    assert [a["id"] for a in story["articles"]] == ["mote-varsel", "mote-holdt"]
    assert story["factuality_path"] == ["planned", "asserted"]
    assert story["last_seen"] == "2023-09-14"
    # The article now announces a meeting in Bodø in October: a story of its own.
    bodo = _story_of(path, "mote-omtale", "CONSULT")
    assert bodo["n_articles"] == 1 and bodo["place"] == "Bodø"
    assert bodo["factuality"] == "planned"
    _assert_consistent(path)
    # The incremental result is what clustering everything again gives.
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(path, rebuilt)
    with Store.open(rebuilt) as store:
        update_stories(store, rebuild=True)
    assert _story_tables(rebuilt) == _story_tables(path)


def test_a_removed_article_drops_its_memberships_and_empty_stories(batch: Path, tmp_path: Path):
    path = tmp_path / "removed.duckdb"
    shutil.copy(batch, path)
    denial = _story_of(path, "levering-nekter", "REJECT")["id"]
    with Store.open(path) as store:
        assert store.delete("levering-nekter")
        assert pending_events(store) == 2  # its two memberships point at nothing now
        done = update_stories(store)
        assert pending_events(store) == 0
    assert done.events_assigned == 1 and done.stories_removed == 2
    assert get_story(path, denial) is None
    story = _story_of(path, "levering-pastand", "AID")
    assert story["n_articles"] == 1 and story["factuality_path"] == ["asserted"]
    assert story["changes"] == []
    _assert_consistent(path)


def test_naming_articles_redoes_their_stories_only(batch: Path, tmp_path: Path):
    path = tmp_path / "named.duckdb"
    shutil.copy(batch, path)
    with Store.open(path) as store:
        before = dict(
            store.con.execute(
                "SELECT article_id || '/' || event_id, joined_at FROM story_events"
            ).fetchall()
        )
        done = update_stories(store, ["mote-holdt"])
        after = dict(
            store.con.execute(
                "SELECT article_id || '/' || event_id, joined_at FROM story_events"
            ).fetchall()
        )
    # Its two stories (the meeting with its three articles, the agreement) are redone.
    assert (done.chains_dissolved, done.events_assigned, done.stories_written) == (2, 4, 2)
    assert _story_tables(path) == _story_tables(batch)
    assert after == before  # the events were there before: they keep when they joined


def _assert_consistent(path: Path) -> None:
    """Every event in exactly one story; stories' counts match their memberships."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        orphans = con.execute(
            "SELECT count(*) FROM story_events se LEFT JOIN events e ON e.article_id = "
            "se.article_id AND e.id = se.event_id WHERE e.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        assert con.execute(
            "SELECT count(*) FROM events e WHERE (SELECT count(*) FROM story_events se "
            "WHERE se.article_id = e.article_id AND se.event_id = e.id) <> 1"
        ).fetchone() == (0,)
        mismatched = con.execute(
            "SELECT count(*) FROM stories s WHERE n_events <> (SELECT count(*) FROM "
            "story_events se WHERE se.story_id = s.id) OR n_articles <> (SELECT "
            "count(DISTINCT article_id) FROM story_events se WHERE se.story_id = s.id)"
        ).fetchone()[0]
        assert mismatched == 0
    finally:
        con.close()


# -- the command line ---------------------------------------------------------------------


def test_stories_command_lists_and_shows(batch: Path):
    result = runner.invoke(app, ["stories", "--db", str(batch)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for word in ("CONSULT", "AID", "Tromsø (NOR)", "VG, NTB", "planned→", "asserted→", "denied"):
        assert word in out
    assert "2 stories told by at least 2 article(s)" in result.stderr
    result = runner.invoke(app, ["stories", "--db", str(batch), "--format", "json", "-t", "AID"])
    stories = [json.loads(line) for line in result.stdout.splitlines()]
    assert [s["changes"] for s in stories] == [["asserted→denied"]]
    assert [e["factuality"] for e in stories[0]["events"]] == ["asserted", "denied"]
    story_id = stories[0]["id"]
    result = runner.invoke(app, ["stories", "--db", str(batch), "--id", story_id])
    assert result.exit_code == 0 and story_id in result.stdout
    assert "asserted → denied" in result.stdout and "PRK/GOV" in result.stdout
    result = runner.invoke(app, ["stories", "--db", str(batch), "--min-articles", "1"])
    assert "6 stories told by at least 1 article(s)" in result.stderr
    result = runner.invoke(app, ["stories", "--db", str(batch), "--actor", "Huitfeldt"])
    assert "no stories match" in result.stderr


def test_stories_command_errors(tmp_path: Path, batch: Path):
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no store at" in result.stderr
    result = runner.invoke(app, ["stories", "--db", str(batch), "--format", "csv"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["stories", "--db", str(batch), "--id", "S000"])
    assert result.exit_code == 1 and "no story S000" in result.stderr


def test_ingest_no_stories_then_the_stories_command_catches_up(tmp_path: Path):
    source = tmp_path / "to.jsonl"
    source.write_text(_lines("levering-pastand", "levering-nekter"), encoding="utf-8")
    path = tmp_path / "later.duckdb"
    result = runner.invoke(
        app, ["ingest", str(source), "--db", str(path), "--no-stories", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "events clustered" not in result.stdout
    with Store.open(path, read_only=True) as store:
        assert pending_events(store) == 3
    result = runner.invoke(app, ["stories", "--db", str(path)])
    assert result.exit_code == 0
    assert "stories updated: 3 events clustered into 2 stories" in result.stderr
    assert "asserted→" in result.stdout
    with Store.open(path, read_only=True) as store:
        assert pending_events(store) == 0
    # With stories on (the default) the ingest places the new article's event itself.
    result = runner.invoke(app, ["ingest", str(CHANGED), "--db", str(path), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "1 events clustered; 3 stories, 1 told by several articles" in result.stdout


def test_a_version_1_store_is_migrated_and_gets_its_stories(batch: Path, tmp_path: Path):
    path = tmp_path / "old.duckdb"
    shutil.copy(batch, path)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE story_events")
    con.execute("DROP TABLE stories")
    con.execute("UPDATE schema_version SET version = 1")
    con.close()
    with Store.open(path, read_only=True) as store:  # read-only: readable as it is
        assert store.version == 1
        with pytest.raises(StoreError, match="hendelse stories --db"):
            list_stories(store)
    result = runner.invoke(app, ["stories", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "stories updated: 9 events clustered into 6 stories" in result.stderr
    with Store.open(path, read_only=True) as store:
        assert store.version == SCHEMA_VERSION
    assert _story_tables(path) == _story_tables(batch)


# -- the rules, on hand-made events ---------------------------------------------------------

STORE = Party("Jonas Gahr Støre", "nor-store-jonas-gahr", "NOR", "GOV")
ORPO = Party("Petteri Orpo", "fin-orpo-petteri", "FIN", "GOV")
HUITFELDT = Party("Anniken Huitfeldt", "nor-huitfeldt-anniken", "NOR", "GOV")
REGJERINGEN = Party("regjeringen", None, "NOR", "GOV")
OSLO = ("Oslo", "NOR", 59.91, 10.75, "city")
DRAMMEN = ("Drammen", "NOR", 59.74, 10.20, "city")
BERGEN = ("Bergen", "NOR", 60.39, 5.32, "city")
NORGE = ("Norge", "NOR", 64.5, 11.5, "country")
SVERIGE = ("Sverige", "SWE", 62.0, 15.0, "country")


def ev(
    article_id: str = "a",
    *,
    type: str = "CONSULT",
    actors: tuple[Party, ...] = (STORE, ORPO),
    recipients: tuple[Party, ...] = (),
    day: str | None = "2023-09-14",
    day_end: str | None = None,
    published: str = "2023-09-14",
    factuality: str = "asserted",
    place: tuple | None = OSLO,
) -> StoryEvent:
    name, country, lat, lon, feature = place or (None, None, None, None, None)
    first = dt.date.fromisoformat(day) if day else None
    return StoryEvent(
        article_id=article_id, event_id="V1", ord=0, type=type, quad=None,
        factuality=factuality, event_date=first,
        event_date_end=dt.date.fromisoformat(day_end) if day_end else first, time_value=day,
        place=name, place_country=country, lat=lat, lon=lon, place_feature=feature,
        published=published, published_first=dt.date.fromisoformat(published),
        published_last=dt.date.fromisoformat(published), source="NTB", title=None,
        ingested_at=dt.datetime(2024, 1, 1), sentence=None, trigger=None,
        actors=actors, recipients=recipients,
    )  # fmt: skip


def test_participants_match_by_kb_id_else_country_and_sector_else_name():
    assert compare(ev("a"), ev("b", actors=(ORPO, STORE))).compatible  # order does not matter
    # Two people with knowledge-base ids are different people even in one government.
    assert not compare(ev("a"), ev("b", actors=(HUITFELDT, ORPO))).compatible
    # "regjeringen" has no id: it matches Støre as NOR/GOV.
    match = compare(ev("a"), ev("b", actors=(REGJERINGEN, ORPO)))
    assert match.compatible and sorted(match.why["participants"]) == [
        "NOR/GOV",
        "kb:fin-orpo-petteri",
    ]
    unnamed = Party("Natur og Ungdom", None, None, None)
    same_name = Party("natur og ungdom", None, None, None)
    assert compare(
        ev("a", type="PROTEST", actors=(unnamed,)), ev("b", type="PROTEST", actors=(same_name,))
    ).compatible


def test_meetings_need_two_participants_in_common_when_both_name_two():
    assert not compare(ev("a"), ev("b", actors=(STORE, HUITFELDT))).compatible
    assert compare(ev("a"), ev("b", actors=(ORPO,))).compatible  # one named: one is enough
    # Symmetric: the visitor as actor in one, as recipient in the other.
    assert compare(ev("a"), ev("b", actors=(ORPO,), recipients=(STORE,))).compatible


def test_directed_events_match_actors_and_recipients_separately():
    russia = Party("Russland", None, "RUS", "GOV")
    korea = Party("Nord-Korea", None, "PRK", "GOV")
    aid = ev("a", type="AID", actors=(korea,), recipients=(russia,), place=None)
    assert compare(aid, ev("b", type="AID", actors=(korea,), recipients=(), place=None)).compatible
    reverse = ev("b", type="AID", actors=(russia,), recipients=(korea,), place=None)
    assert not compare(aid, reverse).compatible
    nobody = ev("b", type="AID", actors=(), recipients=(), place=None)
    assert not compare(aid, nobody).compatible  # no participant in common at all
    assert not compare(aid, ev("b", type="ASSAULT", actors=(korea,), place=None)).compatible


def test_places_within_the_radius_or_the_same_country():
    assert compare(ev("a", place=OSLO), ev("b", place=DRAMMEN)).why["place_km"] < 40
    far = compare(ev("a", place=OSLO), ev("b", place=BERGEN))
    assert not far.compatible and far.why["place_km"] > 300
    assert compare(ev("a", place=OSLO), ev("b", place=BERGEN), Rules(radius_km=400)).compatible
    assert compare(ev("a", place=OSLO), ev("b", place=NORGE)).compatible  # a country: by code
    assert not compare(ev("a", place=OSLO), ev("b", place=SVERIGE)).compatible
    assert compare(ev("a", place=OSLO), ev("b", place=None)).compatible


def test_date_windows_look_forward_for_plans_and_back_for_reports():
    planned = ev("a", day=None, published="2023-09-01", factuality="planned")
    assert window(planned) == (dt.date(2023, 9, 1), dt.date(2023, 9, 15))
    report = ev("b", day=None, published="2023-09-10")
    assert window(report) == (dt.date(2023, 9, 7), dt.date(2023, 9, 10))
    own = ev("c", day="2023-09-14")
    assert window(own) == (dt.date(2023, 9, 13), dt.date(2023, 9, 15))
    assert compare(planned, report).compatible and compare(planned, own).compatible
    assert not compare(report, own).compatible
    assert window(ev("d", day=None, factuality="historical")) is None
    assert window(ev("e", day="2023-01-01", day_end="2023-12-31")) is None  # "i 2023"
    assert not compare(ev("e", day="2023-01-01", day_end="2023-12-31"), own).compatible


def test_a_month_long_date_needs_places_that_agree():
    september = ev("a", day="2023-09-01", day_end="2023-09-30")
    assert compare(september, ev("b", day="2023-09-14")).compatible  # both in Oslo
    unplaced = compare(ev("a", day="2023-09-01", day_end="2023-09-30", place=None), ev("b"))
    assert not unplaced.compatible and "needs a place" in unplaced.why["dates"]
    week = ev("a", day="2023-09-11", day_end="2023-09-17", place=None)
    assert compare(week, ev("b", day="2023-09-14")).compatible  # a week is precise enough


# -- chains: merging and cutting, on hand-written records in a real store -------------------


def _put(store: Store, article_id: str, time: str | None, published: str) -> None:
    """Store an article with one meeting between Støre and Orpo in Oslo."""
    text = "Jonas Gahr Støre møtte Petteri Orpo i Oslo."

    def span(sub: str) -> dict:
        start = text.index(sub)
        return {"start": start, "end": start + len(sub), "text": sub}

    people = [("E1", STORE), ("E2", ORPO)]
    record = {
        "schema": "hendelse/1",
        "article": {"id": article_id, "published": published},
        "entities": [
            {"id": eid, "name": p.name, "type": "PER", "country": p.country, "sector": p.sector,
             "role": None, "kb": p.kb, "mentions": [span(p.name)], "explain": []}
            for eid, p in people
        ],
        "places": [
            {"id": "P1", "name": "Oslo", "country": "NOR", "admin1": None, "lat": 59.91,
             "lon": 10.75, "feature": "city", "gazetteer_id": "test:oslo",
             "mentions": [span("Oslo")], "explain": []}
        ],
        "events": [
            {"id": "V1", "type": "CONSULT", "mode": None, "context": [], "cameo": "040",
             "quad": "verbal cooperation",
             "actor": [{"entity": eid, "span": span(p.name)} for eid, p in people],
             "recipient": [], "location": {"place": "P1", "span": span("Oslo")},
             "time": {"value": time, "granularity": "week" if "W" in time else "day",
                      "weekday": None, "part": None, "span": None} if time else None,
             "factuality": "planned" if time is None else "asserted", "attribution": [],
             "trigger": span("møtte"), "sentence": span(text), "mentions": [],
             "confidence": 0.7, "explain": {}}
        ],
        "warnings": [],
    }  # fmt: skip
    store.put(record, Article(text, article_id, None, published, "NTB", None))


def test_an_event_that_bridges_two_stories_merges_them_as_a_batch_would(tmp_path: Path):
    # A: planned, no time, published Sept 1 (window Sept 1-15). C: held Sept 18
    # (Sept 17-19). They do not overlap; B, "in week 37" (Sept 10-18), overlaps both.
    articles = [("a", None, "2023-09-01"), ("c", "2023-09-18", "2023-09-19"),
                ("b", "2023-W37", "2023-09-20")]  # fmt: skip
    step = tmp_path / "step.duckdb"
    with Store.open(step) as store:
        _put(store, *articles[0])
        update_stories(store)
        _put(store, *articles[1])
        update_stories(store)
        assert _count(store, "stories") == 2
        _put(store, *articles[2])
        done = update_stories(store)
        assert done.stories_removed == 2 and done.stories_written == 1
    once = tmp_path / "once.duckdb"
    with Store.open(once) as store:
        for article in reversed(articles):
            _put(store, *article)
        update_stories(store)
    assert _groups(step) == {frozenset({"a/V1", "b/V1", "c/V1"})}
    assert _story_tables(step) == _story_tables(once)


def test_a_long_chain_is_cut_into_stories_of_at_most_max_span_days(tmp_path: Path):
    # Weekly meetings, each week's window touching the next: one chain of ten weeks.
    path = tmp_path / "chain.duckdb"
    with Store.open(path) as store:
        for week in range(30, 40):
            _put(store, f"uke{week}", f"2023-W{week}", f"2023-09-{week - 29:02d}")
        update_stories(store)
        rows = store.con.execute(
            "SELECT chain, date_first, date_last, n_events FROM stories ORDER BY date_first"
        ).fetchall()
    assert len({chain for chain, *_ in rows}) == 1
    assert [n for *_, n in rows] == [5, 5]
    assert all((last - first).days <= 30 + 6 for _, first, last, _ in rows)


def _count(store: Store, table: str) -> int:
    return store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
