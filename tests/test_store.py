"""The event store: schema, writing, versions, queries and read-only SQL.

Built from hand-written records (no model needed): the store must not depend
on what the extractor happens to find.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from hendelse.reader.article import Article, content_id
from hendelse.store import (
    SCHEMA_VERSION,
    SchemaVersionError,
    Store,
    StoreError,
    content_hash,
    query,
    sql,
)
from hendelse.store.cli_commands import query_command, sql_command
from hendelse.store.dates import date_range, parse_day
from hendelse.store.db import table_rows
from hendelse.store.query import ReadOnlyError, SqlError, _run
from hendelse.store.schema import INDEXES, STORY_TABLES, TABLES

# -- hand-written records ----------------------------------------------------------


def sp(text: str, sub: str, nth: int = 0) -> dict:
    """The span of the nth occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return {"start": start, "end": start + len(sub), "text": sub}


def entity(eid, name, etype, country, sector, text, *mentions):
    return {
        "id": eid,
        "name": name,
        "type": etype,
        "country": country,
        "sector": sector,
        "role": None,
        "kb": None,
        "mentions": [sp(text, m) for m in mentions],
        "explain": [f"test entity {name}"],
    }


def place(pid, name, country, lat, lon, text):
    return {
        "id": pid,
        "name": name,
        "country": country,
        "admin1": None,
        "lat": lat,
        "lon": lon,
        "feature": "city",
        "gazetteer_id": f"test:{name}",
        "mentions": [sp(text, name)],
        "explain": [],
    }


def event(eid, etype, quad, text, trigger, sentence, **fields):
    base = {
        "id": eid,
        "type": etype,
        "mode": fields.pop("mode", None),
        "context": fields.pop("context", []),
        "cameo": fields.pop("cameo", None),
        "quad": quad,
        "actor": [],
        "recipient": [],
        "location": None,
        "time": None,
        "factuality": "asserted",
        "attribution": [],
        "trigger": sp(text, trigger),
        "sentence": sp(text, sentence),
        "mentions": [],
        "confidence": 0.8,
        "explain": {"entry": f"test {etype}"},
    }
    base.update(fields)
    return base


def role(text, eid, sub):
    return {"entity": eid, "span": sp(text, sub)}


def record(article: Article, entities, places, events) -> dict:
    return {
        "schema": "hendelse/1",
        "article": {
            "id": article.id,
            "title": article.title,
            "published": article.published,
            "source": article.source,
            "url": article.url,
            "language": article.language,
        },
        "entities": entities,
        "places": places,
        "events": events,
        "warnings": [],
    }


TEXT_A = (
    "Russiske styrker angrep Kyiv tirsdag, ifølge ukrainske myndigheter. "
    "Vladimir Putin møtte Kim Jong-un i Vladivostok denne uka."
)
TEXT_B = (
    "Statsminister Jonas Gahr Støre besøkte Tromsø. "
    "Han kunngjorde ny støtte til Ukraina, melder NTB."
)
TEXT_C = "Demonstranter protesterte i Bergen i 2019."


def article_a(text: str = TEXT_A) -> Article:
    return Article(text=text, id="a1", title="Angrep på Kyiv", published="2023-09-13",
                   source="NTB", url="https://example.no/a1", origin="a.jsonl:1")  # fmt: skip


def record_a(article: Article | None = None) -> dict:
    article = article or article_a()
    t = article.text
    s1 = "Russiske styrker angrep Kyiv tirsdag, ifølge ukrainske myndigheter."
    s2 = "Vladimir Putin møtte Kim Jong-un i Vladivostok denne uka."
    return record(
        article,
        [
            entity("E1", "Russiske styrker", "GROUP", "RUS", "MIL", t, "Russiske styrker"),
            entity("E2", "ukrainske myndigheter", "GROUP", "UKR", "GOV", t,
                   "ukrainske myndigheter"),
            entity("E3", "Vladimir Putin", "PER", "RUS", "GOV", t, "Vladimir Putin"),
            entity("E4", "Kim Jong-un", "PER", "PRK", "GOV", t, "Kim Jong-un"),
        ],
        [
            place("P1", "Kyiv", "UKR", 50.45, 30.52, t),
            place("P2", "Vladivostok", "RUS", 43.12, 131.89, t),
        ],
        [
            event(
                "V1", "ASSAULT", "material conflict", t, "angrep", s1,
                mode="aerial", context=["military"], cameo="195",
                actor=[role(t, "E1", "Russiske styrker")],
                location={"place": "P1", "span": sp(t, "Kyiv")},
                time={"value": "2023-09-12", "granularity": "day", "weekday": "tuesday",
                      "part": None, "span": sp(t, "tirsdag")},
                attribution=[{"entity": "E2", "span": sp(t, "ukrainske myndigheter"),
                              "cue": sp(t, "ifølge")}],
                confidence=0.85,
            ),
            event(
                "V2", "CONSULT", "verbal cooperation", t, "møtte", s2,
                mode="meet", cameo="043",
                actor=[role(t, "E3", "Vladimir Putin"), role(t, "E4", "Kim Jong-un")],
                location={"place": "P2", "span": sp(t, "Vladivostok")},
                time={"value": "2023-W37", "granularity": "week", "weekday": None,
                      "part": None, "span": sp(t, "denne uka")},
                factuality="reported",
                mentions=[sp(t, s1)],
                confidence=0.6,
            ),
        ],
    )  # fmt: skip


def article_b() -> Article:
    return Article(text=TEXT_B, id="b1", title="Støre i Tromsø", published="2023-09",
                   source="NRK", origin="b.txt")  # fmt: skip


def record_b() -> dict:
    a = article_b()
    t = a.text
    s1 = "Statsminister Jonas Gahr Støre besøkte Tromsø."
    s2 = "Han kunngjorde ny støtte til Ukraina, melder NTB."
    return record(
        a,
        [
            entity("E1", "Jonas Gahr Støre", "PER", "NOR", "GOV", t, "Jonas Gahr Støre", "Han"),
            entity("E2", "Ukraina", "GPE", "UKR", "GOV", t, "Ukraina"),
            entity("E3", "NTB", "ORG", "NOR", "MED", t, "NTB"),
        ],
        [place("P1", "Tromsø", "NOR", 69.65, 18.96, t)],
        [
            event("V1", "CONSULT", "verbal cooperation", t, "besøkte", s1, mode="visit",
                  actor=[role(t, "E1", "Jonas Gahr Støre")],
                  location={"place": "P1", "span": sp(t, "Tromsø")}, confidence=0.9),
            event("V2", "AID", "material cooperation", t, "kunngjorde ny støtte", s2,
                  actor=[role(t, "E1", "Han")], recipient=[role(t, "E2", "Ukraina")],
                  factuality="planned",
                  attribution=[{"entity": "E3", "span": sp(t, "NTB"), "cue": sp(t, "melder")}],
                  confidence=0.75),
        ],
    )  # fmt: skip


def article_c() -> Article:
    return Article(text=TEXT_C, id="c1", origin="c.txt")


def record_c() -> dict:
    a = article_c()
    t = a.text
    return record(
        a,
        [entity("E1", "Demonstranter", "GROUP", None, "CVL", t, "Demonstranter")],
        [place("P1", "Bergen", "NOR", 60.39, 5.32, t)],
        [
            event("V1", "PROTEST", "material conflict", t, "protesterte", TEXT_C,
                  actor=[role(t, "E1", "Demonstranter")],
                  location={"place": "P1", "span": sp(t, "Bergen")},
                  time={"value": "2019", "granularity": "year", "weekday": None, "part": None,
                        "span": sp(t, "2019")},
                  factuality="historical", confidence=0.7),
        ],
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "events.duckdb") as s:
        yield s


def _fill(path: Path) -> Path:
    with Store.open(path) as s:
        s.put(record_a(), article_a())
        s.put(record_b(), article_b())
        s.put(record_c(), article_c())
    return path


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A closed store holding articles a1, b1 and c1, for tests that change it."""
    return _fill(tmp_path / "filled.duckdb")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same store, made once for the tests that only read it."""
    return _fill(tmp_path_factory.mktemp("store") / "shared.duckdb")


def ids(rows: list[dict]) -> list[str]:
    return [f"{r['article_id']}/{r['event_id']}" for r in rows]


# -- schema ------------------------------------------------------------------------


def test_schema_is_created_with_tables_indexes_view_and_version(store: Store):
    tables = {
        name
        for (name,) in store.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    }
    assert tables == {t.name for t in TABLES + STORY_TABLES} | {"schema_version"}
    found = store.con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()
    indexes = {name for (name,) in found}
    assert {name for name, _, _ in INDEXES} <= indexes
    views = store.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal")
    assert ("event_summary",) in views.fetchall()
    assert store.version == SCHEMA_VERSION
    assert all(n == 0 for n in store.counts().values())


def test_reopening_keeps_the_data(tmp_path: Path):
    path = tmp_path / "s.duckdb"
    with Store.open(path) as s:
        s.put(record_a(), article_a())
    with Store.open(path, read_only=True) as s:
        assert s.counts()["events"] == 2
        assert s.record("a1") == record_a()


# -- writing -----------------------------------------------------------------------


def test_put_flattens_the_record(store: Store):
    assert store.put(record_a(), article_a(), extractor="test 1") == 2
    counts = store.counts()
    assert counts["articles"] == 1
    assert counts["entities"] == 4
    assert counts["places"] == 2
    assert counts["events"] == 2
    assert counts["event_actors"] == 3
    assert counts["attributions"] == 1
    assert counts["event_mentions"] == 1
    row = store.con.execute(
        "SELECT content_hash, title, published, published_first, published_last, source, url,"
        " language, origin, text, schema, extractor FROM articles"
    ).fetchone()
    assert row == (
        content_hash(article_a()), "Angrep på Kyiv", "2023-09-13", dt.date(2023, 9, 13),
        dt.date(2023, 9, 13), "NTB", "https://example.no/a1", "nb", "a.jsonl:1", TEXT_A,
        "hendelse/1", "test 1",
    )  # fmt: skip
    v1 = store.con.execute(
        "SELECT type, mode, context, cameo, quad, factuality, confidence, time_value, "
        "time_granularity, time_weekday, event_date, event_date_end, place_name, "
        "place_country, place_lat, place_lon, trigger_text, sentence_start, "
        "explain->>'$.entry' FROM events WHERE id = 'V1'"
    ).fetchone()
    assert v1 == (
        "ASSAULT", "aerial", ["military"], "195", "material conflict", "asserted", 0.85,
        "2023-09-12", "day", "tuesday", dt.date(2023, 9, 12), dt.date(2023, 9, 12),
        "Kyiv", "UKR", 50.45, 30.52, "angrep", 0, "test ASSAULT",
    )  # fmt: skip
    week = store.con.execute(
        "SELECT event_date, event_date_end FROM events WHERE id = 'V2'"
    ).fetchone()
    assert week == (dt.date(2023, 9, 11), dt.date(2023, 9, 17))
    actors = store.con.execute(
        "SELECT ord, entity_id, name, country, sector, span_text FROM event_actors "
        "WHERE event_id = 'V2' ORDER BY ord"
    ).fetchall()
    assert actors == [
        (0, "E3", "Vladimir Putin", "RUS", "GOV", "Vladimir Putin"),
        (1, "E4", "Kim Jong-un", "PRK", "GOV", "Kim Jong-un"),
    ]
    source = store.con.execute(
        "SELECT name, country, sector, cue_text FROM attributions"
    ).fetchone()
    assert source == ("ukrainske myndigheter", "UKR", "GOV", "ifølge")
    # Every stored span still indexes the stored text.
    for table in ("entity_mentions", "place_mentions", "event_mentions", "event_actors"):
        for start, end, text in store.con.execute(
            f"SELECT span_start, span_end, span_text FROM {table}"
        ).fetchall():
            assert TEXT_A[start:end] == text


def test_put_replaces_all_rows_of_the_article_and_nothing_else(store: Store):
    store.put(record_a(), article_a())
    store.put(record_b(), article_b())
    b_before = {t: [r for r in rows if "b1" in r] for t, rows in table_rows(store).items()}
    changed = article_a(TEXT_A + " Flere ble skadd.")
    new = record_a(changed)
    new["events"] = new["events"][:1]
    new["entities"] = new["entities"][:2]
    new["places"] = new["places"][:1]
    store.put(new, changed)
    counts = store.counts()
    assert counts["articles"] == 2
    a_rows = store.con.execute("SELECT count(*) FROM events WHERE article_id = 'a1'").fetchone()
    assert a_rows == (1,)
    assert store.con.execute(
        "SELECT count(*) FROM entities WHERE article_id = 'a1'"
    ).fetchone() == (2,)
    assert store.con.execute(
        "SELECT count(*) FROM event_mentions WHERE article_id = 'a1'"
    ).fetchone() == (0,)
    assert store.stored_hash("a1") == content_hash(changed)
    assert store.record("a1") == new
    b_after = {t: [r for r in rows if "b1" in r] for t, rows in table_rows(store).items()}
    assert b_after == b_before


def test_putting_the_same_article_twice_stores_it_once(store: Store):
    store.put(record_a(), article_a())
    first = table_rows(store)
    store.put(record_a(), article_a())
    assert table_rows(store) == first
    assert store.counts()["articles"] == 1


def test_an_article_without_id_is_stored_under_its_content_id(store: Store):
    text = "Regjeringen la fram statsbudsjettet i Oslo."
    article = Article(text=text)
    assert article.id == content_id(text)
    rec = record(article, [], [], [])
    store.put(rec, article)
    same = Article(text="Regjeringen  la fram\nstatsbudsjettet i Oslo.")  # spacing differs
    assert same.id == article.id
    store.put(record(same, [], [], []), same)
    assert store.con.execute("SELECT id FROM articles").fetchall() == [(article.id,)]


def test_content_hash_follows_what_the_extractor_reads():
    base = content_hash(article_a())
    assert content_hash(article_a()) == base
    assert content_hash(article_a(TEXT_A + " ")) != base
    other = article_a()
    other.published = "2023-09-14"
    assert content_hash(other) != base
    other = article_a()
    other.origin = "moved/a.jsonl:7"  # where it was read from does not change the record
    assert content_hash(other) == base


def test_a_failure_inside_put_leaves_the_previous_version(store: Store):
    store.put(record_a(), article_a())
    before = table_rows(store)

    def crash() -> None:
        raise RuntimeError("simulated crash after the delete")

    store.in_transaction_hook = crash
    changed = article_a(TEXT_A + " Mer tekst.")
    with pytest.raises(RuntimeError, match="simulated"):
        store.put(record_a(changed), changed)
    store.in_transaction_hook = None
    assert table_rows(store) == before
    assert store.stored_hash("a1") == content_hash(article_a())


def test_put_many_is_one_transaction(store: Store):
    store.put(record_a(), article_a())
    before = table_rows(store)
    changed = article_a(TEXT_A + " Flere ble skadd.")

    def crash() -> None:
        raise RuntimeError("simulated crash")

    store.in_transaction_hook = crash
    with pytest.raises(RuntimeError):
        store.put_many([(record_a(changed), changed, None), (record_b(), article_b(), None)])
    assert table_rows(store) == before  # neither the new a1 nor b1
    store.in_transaction_hook = None
    events = store.put_many(
        [
            (record_b(), article_b(), None),
            (record_a(), article_a(), None),  # an id given twice: the last one wins
            (record_a(changed), changed, None),
            (record_c(), article_c(), None),
        ]
    )
    assert events == 2 + 2 + 1
    assert store.counts()["articles"] == 3
    assert store.stored_hash("a1") == content_hash(changed)
    assert store.put_many([]) == 0


def test_delete_removes_every_row(store: Store):
    store.put(record_a(), article_a())
    store.put(record_b(), article_b())
    assert store.delete("a1") is True
    assert store.delete("a1") is False
    for rows in table_rows(store).values():
        assert all("a1" not in row for row in rows)


# -- opening and versions -------------------------------------------------------------


def _set_version(path: Path, version: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_version SET version = ?", [version])
    con.close()


def test_an_older_store_is_refused_with_what_to_do(filled: Path):
    _set_version(filled, 0)  # older than any version schema.migration() can upgrade
    with pytest.raises(SchemaVersionError) as info:
        Store.open(filled)
    message = str(info.value)
    assert "version 0" in message
    assert "hendelse ingest" in message and "new.duckdb" in message
    with pytest.raises(SchemaVersionError):
        query(filled)
    # The old store can still be read with sql, e.g. to export its articles.
    result = sql(filled, "SELECT id, title, text FROM articles ORDER BY id")
    assert [row[0] for row in result.rows] == ["a1", "b1", "c1"]


def test_a_newer_store_is_refused_asking_for_an_upgrade(filled: Path):
    _set_version(filled, SCHEMA_VERSION + 1)
    with pytest.raises(SchemaVersionError, match=r"newer hendelse.*Upgrade hendelse"):
        Store.open(filled, read_only=True)


def test_a_foreign_database_is_not_taken_for_a_store(tmp_path: Path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE things (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a hendelse store"):
        Store.open(path)


def test_reading_a_missing_store_says_how_to_make_one(tmp_path: Path):
    with pytest.raises(StoreError, match="hendelse ingest"):
        Store.open(tmp_path / "missing.duckdb", read_only=True)
    with pytest.raises(StoreError, match="hendelse ingest"):
        query(tmp_path / "missing.duckdb")
    assert not (tmp_path / "missing.duckdb").exists()


def test_a_read_only_store_refuses_put(filled: Path):
    with Store.open(filled, read_only=True) as s, pytest.raises(StoreError, match="read-only"):
        s.put(record_a(), article_a())


# -- dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2023", "2023-01-01", "2023-12-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-09-12", "2023-09-12", "2023-09-12"),
        ("2023-09-13TAF", "2023-09-13", "2023-09-13"),
        ("2023-09-13T14:00", "2023-09-13", "2023-09-13"),
        ("2023-09-12T18:00:00+02:00", "2023-09-12", "2023-09-12"),
        ("2023-W37", "2023-09-11", "2023-09-17"),
        ("2023-W37-WE", "2023-09-16", "2023-09-17"),
        ("2023-Q4", "2023-10-01", "2023-12-31"),
        ("2023-H1", "2023-01-01", "2023-06-30"),
    ],
)
def test_date_range(value: str, first: str, last: str):
    assert date_range(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


@pytest.mark.parametrize("value", [None, "", "PRESENT_REF", "XXXX-09", "2023-13", "2023-W60"])
def test_date_range_of_values_without_days(value):
    assert date_range(value) == (None, None)


def test_parse_day_bounds():
    assert parse_day("2023-09") == dt.date(2023, 9, 1)
    assert parse_day("2023-09", end=True) == dt.date(2023, 9, 30)
    with pytest.raises(ValueError, match="not a date"):
        parse_day("yesterday")
    with pytest.raises(ValueError, match="not a date"):
        parse_day("2023-W37")


# -- query -------------------------------------------------------------------------


def test_query_without_filters_gives_every_event_newest_first(shared: Path):
    rows = query(shared)
    assert ids(rows) == ["a1/V1", "a1/V2", "b1/V1", "b1/V2", "c1/V1"]
    first = rows[0]
    assert first["actors"] == ["Russiske styrker"]
    assert first["actor_countries"] == ["RUS"]
    assert first["recipients"] == []
    assert first["attributed_to"] == ["ukrainske myndigheter"]
    assert first["place"] == "Kyiv" and first["lat"] == 50.45
    assert first["date_basis"] == "event" and first["date_first"] == "2023-09-12"
    assert first["title"] == "Angrep på Kyiv" and first["article_source"] == "NTB"
    json.dumps(rows)  # rows are JSON-ready
    b1 = rows[2]
    assert b1["date_basis"] == "published"
    assert (b1["date_first"], b1["date_last"]) == ("2023-09-01", "2023-09-30")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"type": "ASSAULT"}, ["a1/V1"]),
        ({"type": "consult,aid"}, ["a1/V2", "b1/V1", "b1/V2"]),
        ({"type": ["PROTEST", "AID"]}, ["b1/V2", "c1/V1"]),
        ({"quad": "material conflict"}, ["a1/V1", "c1/V1"]),
        ({"quad": "Verbal Cooperation"}, ["a1/V2", "b1/V1"]),
        ({"actor": "Putin"}, ["a1/V2"]),
        ({"actor": "kim jong"}, ["a1/V2"]),
        ({"actor": "RUS"}, ["a1/V1", "a1/V2"]),
        ({"actor": "PRK"}, ["a1/V2"]),
        ({"actor": "MIL"}, ["a1/V1"]),
        ({"actor": "CVL"}, ["c1/V1"]),
        ({"actor": "country:nor"}, ["b1/V1", "b1/V2"]),
        ({"actor": "sector:GOV"}, ["a1/V2", "b1/V1", "b1/V2"]),
        ({"actor": "name:NTB"}, []),
        ({"recipient": "UKR"}, ["b1/V2"]),
        ({"recipient": "ukraina"}, ["b1/V2"]),
        ({"recipient": "RUS"}, []),
        ({"place": "Kyiv"}, ["a1/V1"]),
        ({"place": "bergen"}, ["c1/V1"]),
        ({"place": "RUS"}, ["a1/V2"]),
        ({"place": "country:nor"}, ["b1/V1", "c1/V1"]),
        ({"date_from": "2023-09-12", "date_to": "2023-09-12"}, ["a1/V1"]),
        ({"date_from": "2023-09-11", "date_to": "2023-09-17"}, ["a1/V1", "a1/V2"]),
        ({"date_from": "2023-09", "date_to": "2023-09"}, ["a1/V1", "a1/V2", "b1/V1", "b1/V2"]),
        ({"date_from": dt.date(2023, 9, 12)}, ["a1/V1"]),
        ({"date_from": "2023"}, ["a1/V1", "a1/V2", "b1/V1", "b1/V2"]),
        ({"date_to": "2020"}, ["c1/V1"]),
        ({"factuality": "planned"}, ["b1/V2"]),
        ({"factuality": "asserted,historical"}, ["a1/V1", "b1/V1", "c1/V1"]),
        ({"source": "NTB"}, ["b1/V2"]),  # a name that looks like a code
        ({"source": "country:NTB"}, []),
        ({"source": "UKR"}, ["a1/V1"]),
        ({"source": "MED"}, ["b1/V2"]),
        ({"source": "myndigheter"}, ["a1/V1"]),
        ({"text": "KUNNGJORDE"}, ["b1/V2"]),
        ({"text": "i bergen i 2019"}, ["c1/V1"]),
        ({"text": "100%"}, []),
        ({"min_confidence": 0.8}, ["a1/V1", "b1/V1"]),
        ({"type": "CONSULT", "actor": "NOR"}, ["b1/V1"]),
        ({"limit": 2}, ["a1/V1", "a1/V2"]),
        ({"limit": None}, ["a1/V1", "a1/V2", "b1/V1", "b1/V2", "c1/V1"]),
    ],
)
def test_query_filters(shared: Path, filters: dict, expected: list[str]):
    assert ids(query(shared, **filters)) == expected


def test_query_near_a_point(shared: Path):
    rows = query(shared, near=(60.39, 5.32, 50))  # Bergen
    assert ids(rows) == ["c1/V1"]
    assert rows[0]["distance_km"] == 0.0
    rows = query(shared, near=(69.68, 18.94, 10))  # central Tromsø, 3-4 km off
    assert ids(rows) == ["b1/V1"]
    assert 2 < rows[0]["distance_km"] < 5
    assert query(shared, near=(59.91, 10.75, 100)) == []  # Oslo: nothing within 100 km
    assert len(query(shared, near=(60.0, 20.0, 5000))) == 3  # all located ones but Vladivostok
    with pytest.raises(ValueError, match="latitude"):
        query(shared, near=(95.0, 0.0, 10))


def test_query_accepts_an_open_store(shared: Path):
    with Store.open(shared, read_only=True) as s:
        assert ids(query(s, type="AID")) == ["b1/V2"]


# -- read-only SQL -----------------------------------------------------------------


def test_sql_reads(shared: Path):
    result = sql(shared, "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type")
    assert result.columns == ["type", "n"]
    assert result.rows == [("AID", 1), ("ASSAULT", 1), ("CONSULT", 2), ("PROTEST", 1)]
    assert result.dicts()[0] == {"type": "AID", "n": 1}
    described = sql(shared, "DESCRIBE events")
    assert "event_date" in [row[0] for row in described.rows]
    assert sql(shared, "SELECT record FROM articles LIMIT 1").types == ["JSON"]
    assert sql(shared, "PRAGMA table_info('articles')").rows


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO articles (id) VALUES ('x')",
        "DELETE FROM events",
        "UPDATE events SET type = 'AID'",
        "DROP TABLE events",
        "CREATE TABLE t (x INTEGER)",
        "COPY events TO 'copy.csv'",
        "ATTACH 'other.duckdb' AS other",
        "ALTER TABLE events ADD COLUMN x INTEGER",
    ],
)
def test_sql_refuses_writes(shared: Path, statement: str, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = sql(shared, "SELECT count(*) FROM events").rows
    with pytest.raises(ReadOnlyError, match="refused"):
        sql(shared, statement)
    assert sql(shared, "SELECT count(*) FROM events").rows == before
    assert not (tmp_path / "copy.csv").exists()
    assert not (tmp_path / "other.duckdb").exists()


def test_the_connection_itself_is_read_only(shared: Path):
    with Store.open(shared, read_only=True) as s, pytest.raises(ReadOnlyError, match="read-only"):
        _run(s, "DELETE FROM events")


def test_sql_errors_are_clear(shared: Path):
    with pytest.raises(SqlError, match="one statement at a time"):
        sql(shared, "SELECT 1; SELECT 2")
    with pytest.raises(SqlError, match="no SQL statement"):
        sql(shared, "  ")
    with pytest.raises(SqlError):
        sql(shared, "SELEC 1")
    with pytest.raises(SqlError, match="no_such_table"):
        sql(shared, "SELECT * FROM no_such_table")


# -- the commands ------------------------------------------------------------------


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer(rich_markup_mode=None)
    app.command("query")(query_command)
    app.command("sql")(sql_command)
    return app


def test_query_command_formats(cli: typer.Typer, shared: Path):
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(cli, ["query", "--db", str(shared), "--type", "ASSAULT,AID",
                                 "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["article_id"], r["type"]) for r in lines] == [("a1", "ASSAULT"), ("b1", "AID")]
    result = runner.invoke(cli, ["query", "--db", str(shared), "--near", "60.39,5.32,50",
                                 "-f", "csv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()
    assert header.split(",")[0] == "article_id" and header.endswith("distance_km")
    assert row.startswith("c1,V1,PROTEST")
    result = runner.invoke(cli, ["query", "--db", str(shared), "--actor", "Putin"])
    assert result.exit_code == 0, result.output
    assert "Vladimir Putin (RUS)" in result.stdout
    assert "Kim Jong-un (PRK)" in result.stdout


def test_query_command_rejects_bad_options(cli: typer.Typer, shared: Path):
    runner = CliRunner()
    for args in (["--format", "xml"], ["--near", "60,5"], ["--from", "i går"]):
        result = runner.invoke(cli, ["query", "--db", str(shared), *args])
        assert result.exit_code == 2, (args, result.output)


def test_sql_command(cli: typer.Typer, shared: Path):
    runner = CliRunner()
    result = runner.invoke(cli, ["sql", "SELECT id, published_first, record FROM articles "
                                 "ORDER BY id", "--db", str(shared), "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["id"] == "a1" and first["published_first"] == "2023-09-13"
    assert first["record"]["events"][0]["type"] == "ASSAULT"  # JSON columns stay JSON
    result = runner.invoke(cli, ["sql", "SELECT name, country FROM entities WHERE "
                                 "article_id = 'b1' ORDER BY id", "--db", str(shared),
                                 "--format", "csv"])  # fmt: skip
    assert result.stdout.splitlines() == [
        "name,country",
        "Jonas Gahr Støre,NOR",
        "Ukraina,UKR",
        "NTB,NOR",
    ]
    result = runner.invoke(cli, ["sql", "DELETE FROM events", "--db", str(shared)])
    assert result.exit_code == 1
    assert "refused" in result.output
    result = runner.invoke(cli, ["sql", "SELECT 1", "--db", str(shared.with_name("no.duckdb"))])
    assert result.exit_code == 1
    assert "hendelse ingest" in result.output


@pytest.mark.parametrize(
    "filters",
    [{}, {"near": (60.39, 5.32, 2000)}, {"type": "CONSULT,ASSAULT"}, {"factuality": "asserted"}],
)
def test_pages_are_slices_of_the_whole_result(shared: Path, filters: dict):
    """query() reads a page in two steps; it must be exactly a slice of the full list."""
    everything = query(shared, limit=None, **filters)
    assert everything, filters
    for limit, offset in ((1, 0), (2, 1), (3, 0), (100, 2)):
        page = query(shared, limit=limit, offset=offset, **filters)
        assert page == everything[offset : offset + limit]
