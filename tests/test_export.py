"""Exports: every format written from a real store and read back with a real reader.

Two stores: one made by the real ingest (reader, Norwegian pipeline,
extractor) from the articles in ``fixtures/export/artikler.jsonl``, whose
exports are compared with the store's own rows whatever the extractor finds;
and one of hand-written records (``Store.put``), whose exports are checked
value by value: GDELT's date precision, actor codes, geography and FIPS codes,
POLECAT's multi-valued fields, the Parquet partitions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
import typer
from shapely.geometry import Point, shape
from typer.testing import CliRunner

from hendelse.reader.article import Article
from hendelse.store import Store, ingest, query
from hendelse.store.export import FORMATS, ExportError, export
from hendelse.store.export.codes import cameo_levels, fips, global_event_id, goldstein
from hendelse.store.export.command import export_command
from hendelse.store.export.events import iter_events
from hendelse.store.export.flat import FLAT_COLUMNS
from hendelse.store.export.gdelt import GDELT_COLUMNS
from hendelse.store.export.plover import EXTRA_FIELDS, POLECAT_FIELDS, plover_record
from hendelse.store.query import event_filter

from .conftest import FIXTURES

ARTICLES = FIXTURES / "export" / "artikler.jsonl"
QUADS = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3}
QUADS["material conflict"] = 4


# -- stores --------------------------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store made by the real ingest (with story events) from five Norwegian articles."""
    db = tmp_path_factory.mktemp("ingested") / "hendelser.duckdb"
    summary = ingest([ARTICLES], db, workers=1, progress=False)
    assert summary.stored == 5, summary.skipped
    return db


def _store_events(db: Path) -> dict[str, dict]:
    """The store's events by ``ARTICLE_ID:EVENT_ID``, read from the tables with SQL."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute(
            "SELECT e.article_id || ':' || e.id AS key, e.*, a.url, a.ingested_at, "
            "(SELECT count(*) FROM event_mentions m WHERE m.article_id = e.article_id "
            "AND m.event_id = e.id) AS n_mentions, se.story_id, st.n_articles, st.n_sources, "
            "(SELECT count(*) FROM story_events x JOIN event_mentions m "
            "ON m.article_id = x.article_id AND m.event_id = x.event_id "
            "WHERE x.story_id = se.story_id) + st.n_events AS story_mentions "
            "FROM events e JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN story_events se ON se.article_id = e.article_id AND se.event_id = e.id "
            "LEFT JOIN stories st ON st.id = se.story_id"
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    return {r["key"]: r for r in rows}


def _actors(db: Path, table: str) -> dict[str, list[dict]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute(
            f"SELECT article_id || ':' || event_id, name, country, sector FROM {table} "
            "ORDER BY article_id, event_id, ord"
        )
        out: dict[str, list[dict]] = {}
        for key, name, country, sector in cursor.fetchall():
            out.setdefault(key, []).append({"name": name, "country": country, "sector": sector})
    finally:
        con.close()
    return out


def sp(text: str, sub: str) -> dict:
    start = text.index(sub)
    return {"start": start, "end": start + len(sub), "text": sub}


HAND_TEXT = (
    "Støre og Kristersson møttes i Tromsø tirsdag, melder NTB.\n\n"
    "Støre lovet militær hjelp til Ukraina i september.\n\n"
    "Natur og Ungdom demonstrerte på Vestlandet forrige uke.\n\n"
    "FN holdt et møte i Washington.\n\n"
    "Møtet i Tromsø varte i to timer."
)
UNDATED_TEXT = "Demonstranter protesterte foran Stortinget."


def _entity(eid, name, etype, country, sector, role=None, kb=None) -> dict:
    return {"id": eid, "name": name, "type": etype, "country": country, "sector": sector,
            "role": role, "kb": kb, "mentions": [sp(HAND_TEXT, name.split()[0])],
            "explain": []}  # fmt: skip


def _place(pid, name, country, admin1, lat, lon, feature, gazetteer_id) -> dict:
    return {"id": pid, "name": name, "country": country, "admin1": admin1, "lat": lat,
            "lon": lon, "feature": feature, "gazetteer_id": gazetteer_id,
            "mentions": [sp(HAND_TEXT, name)], "explain": []}  # fmt: skip


def _event(eid, etype, quad, cameo, trigger, sentence, text=HAND_TEXT, **fields) -> dict:
    base = {"id": eid, "type": etype, "mode": None, "context": [], "cameo": cameo,
            "quad": quad, "actor": [], "recipient": [], "location": None, "time": None,
            "factuality": "asserted", "attribution": [], "trigger": sp(text, trigger),
            "sentence": sp(text, sentence), "mentions": [], "confidence": 0.8,
            "explain": {}}  # fmt: skip
    base.update(fields)
    return base


def _role(eid: str, words: str) -> dict:
    return {"entity": eid, "span": sp(HAND_TEXT, words)}


def _record(article: Article, entities: list, places: list, events: list) -> dict:
    meta = {k: getattr(article, k) for k in ("id", "title", "published", "source", "url")}
    return {"schema": "hendelse/1", "article": {**meta, "language": "nb"},
            "entities": entities, "places": places, "events": events,
            "warnings": []}  # fmt: skip


def _time(value: str, granularity: str, words: str) -> dict:
    return {"value": value, "granularity": granularity, "weekday": None, "part": None,
            "span": sp(HAND_TEXT, words)}  # fmt: skip


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of hand-written records: every export field can be predicted."""
    db = tmp_path_factory.mktemp("handmade") / "hendelser.duckdb"
    t = HAND_TEXT
    article = Article(text=t, id="h1", title="Nordisk møte i Tromsø", published="2023-09-13",
                      source="NTB", url="https://example.no/h1")  # fmt: skip
    s1, s2, s3, s4 = (line for line in t.split("\n\n")[:4])
    entities = [
        _entity("E1", "Støre", "PER", "NOR", "GOV", "head of government", "nor-store-jonas-gahr"),
        _entity("E2", "Kristersson", "PER", "SWE", "GOV", "head of government"),
        _entity("E3", "FN", "ORG", "IGO", "IGO"),
        _entity("E4", "NTB", "ORG", "NOR", "MED", "news agency"),
        _entity("E5", "Natur og Ungdom", "ORG", "NOR", "PTY"),
        _entity("E6", "Ukraina", "GPE", "UKR", "GOV"),
    ]
    places = [
        _place("P1", "Tromsø", "NOR", "Troms", 69.6489, 18.95508, "city", "geonames:3133895"),
        _place("P2", "Ukraina", "UKR", None, 48.38, 31.17, "country", "geonames:690791"),
        _place("P3", "Vestlandet", "NOR", None, 61.0, 6.0, "region", "hendelse:region:west"),
        _place("P4", "Washington", "USA", None, 38.89511, -77.03637, "city", "geonames:4140963"),
    ]
    events = [
        _event("V1", "CONSULT", "verbal cooperation", "043", "møttes", s1, mode="meet",
               context=["diplomatic"],
               actor=[_role("E1", "Støre"), _role("E2", "Kristersson")],
               location={"place": "P1", "span": sp(t, "Tromsø")},
               time=_time("2023-09-12", "day", "tirsdag"),
               attribution=[{"entity": "E4", "span": sp(t, "NTB"), "cue": sp(t, "melder")}],
               mentions=[sp(t, "Møtet i Tromsø varte i to timer.")]),
        _event("V2", "AID", "material cooperation", "072", "lovet", s2,
               actor=[_role("E1", "Støre")], recipient=[_role("E6", "Ukraina")],
               location={"place": "P2", "span": sp(t, "Ukraina")},
               time=_time("2023-09", "month", "i september"), factuality="planned"),
        _event("V3", "PROTEST", "material conflict", "141", "demonstrerte", s3,
               actor=[_role("E5", "Natur og Ungdom")],
               location={"place": "P3", "span": sp(t, "Vestlandet")},
               time=_time("2023-W35", "week", "forrige uke")),
        _event("V4", "CONSULT", "verbal cooperation", "040", "møte", s4,
               actor=[_role("E3", "FN")],
               location={"place": "P4", "span": sp(t, "Washington")}),
    ]  # fmt: skip
    undated = Article(text=UNDATED_TEXT, id="h2", title=None, published=None)
    protest = _event(
        "V1", "PROTEST", "material conflict", "14", "protesterte", UNDATED_TEXT, UNDATED_TEXT
    )
    with Store.open(db) as store:
        store.put(_record(article, entities, places, events), article, extractor="test")
        store.put(_record(undated, [], [], [protest]), undated, extractor="test")
    return db


# -- codes -----------------------------------------------------------------------


def test_codes():
    assert [fips(c) for c in ("NOR", "SWE", "UKR", "RUS", "USA", "DEU")] == [
        "NO", "SW", "UP", "RS", "US", "GM"
    ]  # fmt: skip
    assert fips("IGO") is None and fips(None) is None
    # Goldstein: own score, else the base code's, else the root's.
    assert goldstein("0874") == 10.0
    assert goldstein("0211") == 3.4  # from 021
    assert goldstein("040") == 1.0  # from 04
    assert goldstein("195") == -10.0  # from 19
    assert goldstein("057") == 8.0
    assert goldstein("99") is None and goldstein(None) is None
    assert cameo_levels("0841") == ("0841", "084", "08")
    assert cameo_levels("10") == ("10", "10", "10")
    number = global_event_id("a1", "V1")
    assert number == global_event_id("a1", "V1") != global_event_id("a1", "V2")
    assert 0 < number < 2**53
    assert global_event_id("a1", "V1") != global_event_id("a1V", "1")


# -- the hand-written store, value by value ---------------------------------------


def _gdelt_rows(db: Path, **filters) -> dict[str, dict[str, str]]:
    out = io.StringIO()
    export(db, "gdelt-tsv", out, **filters)
    out.seek(0)
    rows = list(csv.reader(out, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(len(r) == 61 for r in rows)
    by_id = {}
    for row in rows:
        by_id[row[0]] = dict(zip(GDELT_COLUMNS, row, strict=True))
    return by_id


def test_gdelt_columns_are_gdelts_61():
    assert len(GDELT_COLUMNS) == 61 == len(set(GDELT_COLUMNS))
    assert GDELT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
        "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    )  # fmt: skip
    assert GDELT_COLUMNS[35] == "Actor1Geo_Type" and GDELT_COLUMNS[51] == "ActionGeo_Type"
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_values(handmade: Path):
    rows = _gdelt_rows(handmade)
    assert len(rows) == 5
    meet = rows[str(global_event_id("h1", "V1"))]
    # A day: every date column; FractionDate by GDELT's formula (MONTH*30+DAY)/365.
    assert (meet["SQLDATE"], meet["MonthYear"], meet["Year"]) == ("20230912", "202309", "2023")
    assert meet["FractionDate"] == f"{2023 + (9 * 30 + 12) / 365:.4f}"
    # A meeting between equals: the second actor is Actor2.
    assert meet["Actor1Code"] == "NORGOV" and meet["Actor1Name"] == "STØRE"
    assert meet["Actor1CountryCode"] == "NOR" and meet["Actor1Type1Code"] == "GOV"
    assert meet["Actor2Code"] == "SWEGOV" and meet["Actor2Name"] == "KRISTERSSON"
    assert (meet["EventCode"], meet["EventBaseCode"], meet["EventRootCode"]) == ("043", "043", "04")
    assert meet["QuadClass"] == "1" and meet["GoldsteinScale"] == "2.8"
    assert (meet["NumMentions"], meet["NumSources"], meet["NumArticles"]) == ("2", "1", "1")
    assert meet["IsRootEvent"] == "1" and meet["AvgTone"] == ""
    assert meet["Actor1Geo_Type"] == "0" and meet["Actor2Geo_Type"] == "0"
    assert meet["Actor1Geo_FullName"] == meet["Actor2Geo_Lat"] == ""
    assert meet["ActionGeo_Type"] == "4"  # a city outside the US
    assert meet["ActionGeo_FullName"] == "Tromsø, Troms, Norway"
    assert meet["ActionGeo_CountryCode"] == "NO"
    assert (meet["ActionGeo_Lat"], meet["ActionGeo_Long"]) == ("69.6489", "18.95508")
    assert meet["ActionGeo_FeatureID"] == "3133895"
    assert meet["SOURCEURL"] == "https://example.no/h1"
    assert len(meet["DATEADDED"]) == 14 and meet["DATEADDED"].startswith("20")

    aid = rows[str(global_event_id("h1", "V2"))]
    # "i september": no day is invented.
    assert (aid["SQLDATE"], aid["MonthYear"], aid["Year"], aid["FractionDate"]) == (
        "", "202309", "2023", ""
    )  # fmt: skip
    assert aid["Actor2Code"] == "UKRGOV" and aid["Actor2Name"] == "UKRAINA"
    assert aid["QuadClass"] == "2" and aid["GoldsteinScale"] == "8.3"
    assert aid["IsRootEvent"] == "0"
    # A country: type 1, GDELT's FIPS code as ADM1Code and FeatureID.
    assert aid["ActionGeo_Type"] == "1" and aid["ActionGeo_FullName"] == "Ukraine"
    assert aid["ActionGeo_CountryCode"] == aid["ActionGeo_ADM1Code"] == "UP"
    assert aid["ActionGeo_FeatureID"] == "UP"

    protest = rows[str(global_event_id("h1", "V3"))]
    # Week 35 of 2023 runs from 28 August to 3 September: only the year is sure.
    assert (protest["SQLDATE"], protest["MonthYear"], protest["Year"]) == ("", "", "2023")
    # PTY has no CAMEO type: the code is the country alone.
    assert protest["Actor1Code"] == "NOR" and protest["Actor1Type1Code"] == ""
    assert protest["ActionGeo_Type"] == "5" and protest["ActionGeo_FeatureID"] == ""
    assert protest["ActionGeo_FullName"] == "Vestlandet, Norway"

    un = rows[str(global_event_id("h1", "V4"))]
    # No time of its own: the article's day.
    assert un["SQLDATE"] == "20230913"
    assert un["Actor1Code"] == "IGO" and un["Actor1CountryCode"] == ""
    assert un["Actor1Type1Code"] == "IGO" and un["Actor2Code"] == ""
    assert un["ActionGeo_Type"] == "3"  # a US city
    assert un["ActionGeo_CountryCode"] == "US"
    assert un["ActionGeo_FullName"] == "Washington, United States"

    undated = rows[str(global_event_id("h2", "V1"))]
    assert undated["SQLDATE"] == undated["MonthYear"] == undated["Year"] == ""
    assert undated["ActionGeo_Type"] == "0" and undated["ActionGeo_Lat"] == ""
    assert undated["SOURCEURL"] == "hendelse:h2"  # GDELT's citation form: no URL


def test_gdelt_header(handmade: Path):
    out = io.StringIO()
    export(handmade, "gdelt-tsv", out, header=True)
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t") == list(GDELT_COLUMNS)
    assert len(lines) == 6


def test_plover_values(handmade: Path):
    out = io.StringIO()
    result = export(handmade, "plover-json", out)
    records = {r["event_id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert result.events == result.written == len(records) == 5
    for record in records.values():
        assert tuple(record) == POLECAT_FIELDS + EXTRA_FIELDS
    meet = records["h1:V1"]
    assert meet["event_date"] == "2023-09-12" and meet["event_type"] == "CONSULT"
    assert meet["event_mode"] == "meet" and meet["contexts"] == "diplomatic"
    assert meet["quad_code"] == "VERBAL COOPERATION"
    assert meet["actor_name"] == "Støre; Kristersson"
    assert meet["actor_country"] == "NOR; SWE" and meet["actor_sectors"] == "GOV"
    assert meet["primary_actor_sector"] == "GOV"
    assert meet["actor_title"] == "head of government; head of government"
    assert meet["recipient_name"] is None
    assert (meet["placename"], meet["city"], meet["province"], meet["country"]) == (
        "Tromsø", "Tromsø", "Troms", "NOR"
    )  # fmt: skip
    assert (meet["latitude"], meet["longitude"], meet["geonames_id"]) == (
        69.6489,
        18.95508,
        3133895,
    )
    assert meet["feature_type"] == "city" and meet["raw_placename"] == "Tromsø"
    assert meet["story_id"] == "h1" and meet["headline"] == "Nordisk møte i Tromsø"
    assert meet["story_people"] == "Støre; Kristersson"
    assert meet["story_organizations"] == "FN; NTB; Natur og Ungdom"
    assert meet["story_locations"] == "Tromsø; Ukraina; Vestlandet; Washington"
    assert meet["version"] == "test" and meet["source"] == "NTB"
    assert meet["hendelse_attribution"][0]["name"] == "NTB"
    assert meet["hendelse_attribution"][0]["cue"] == "melder"
    assert meet["hendelse_actors"][0]["kb"] == "nor-store-jonas-gahr"
    assert meet["hendelse_trigger"]["text"] == "møttes"
    assert meet["hendelse_global_event_id"] == global_event_id("h1", "V1")
    aid = records["h1:V2"]
    assert aid["event_date"] is None  # a month, not a day
    assert aid["hendelse_time"] == {"value": "2023-09", "granularity": "month"}
    assert (aid["hendelse_date_first"], aid["hendelse_date_last"]) == ("2023-09-01", "2023-09-30")
    assert aid["hendelse_factuality"] == "planned"
    assert aid["city"] is None and aid["country"] == "UKR"
    protest = records["h1:V3"]
    assert protest["primary_actor_sector"] == "PTY" and protest["geonames_id"] is None
    assert protest["hendelse_story_id"] is None  # put without stories


def test_parquet_partitions(handmade: Path, tmp_path: Path):
    out = tmp_path / "parquet"
    result = export(handmade, "parquet", out)
    assert result.written == 5
    dirs = sorted(str(p.parent.relative_to(out)) for p in out.rglob("*.parquet"))
    null = "__HIVE_DEFAULT_PARTITION__"
    assert dirs == sorted(
        [
            "year=2023/month=9/day=12",  # V1
            "year=2023/month=9/day=13",  # V4, dated by its article
            f"year=2023/month=9/day={null}",  # V2, "i september"
            f"year=2023/month={null}/day={null}",  # V3, week 35
            f"year={null}/month={null}/day={null}",  # the undated article
        ]
    )
    rows = {
        (r["article_id"], r["event_id"]): r
        for r in ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
    }
    assert (rows["h1", "V2"]["year"], rows["h1", "V2"]["month"], rows["h1", "V2"]["day"]) == (
        2023, 9, None
    )  # fmt: skip
    assert rows["h2", "V1"]["year"] is None
    assert rows["h1", "V1"]["actors"] == ["Støre", "Kristersson"]
    assert rows["h1", "V1"]["date_first"] == dt.date(2023, 9, 12)
    found = duckdb.sql(
        f"SELECT event_id, year, month, day FROM read_parquet('{out}/**/*.parquet', "
        "hive_partitioning = true) WHERE article_id = 'h1' ORDER BY event_id"
    ).fetchall()
    assert found == [("V1", 2023, 9, 12), ("V2", 2023, 9, None), ("V3", 2023, None, None),
                     ("V4", 2023, 9, 13)]  # fmt: skip


def test_geojson_points(handmade: Path):
    out = io.StringIO()
    result = export(handmade, "geojson", out)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    features = {f["id"]: f for f in collection["features"]}
    assert result.written == len(features) == 4 and result.events == 5
    washington = features["h1:V4"]
    assert washington["geometry"] == {"type": "Point", "coordinates": [-77.03637, 38.89511]}
    assert shape(washington["geometry"]).equals(Point(-77.03637, 38.89511))
    assert washington["properties"]["place_country"] == "USA"
    assert washington["properties"]["date_first"] == "2023-09-13"


# -- the ingested store: every format against the store's rows ---------------------


def test_plover_json_matches_store(ingested: Path, tmp_path: Path):
    path = tmp_path / "hendelser.jsonl"
    result = export(ingested, "plover-json", path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    stored = _store_events(ingested)
    actors = _actors(ingested, "event_actors")
    assert result.written == len(records) == len(stored) > 0
    assert {r["event_id"] for r in records} == set(stored)
    for record in records:
        row = stored[record["event_id"]]
        assert record["event_type"] == row["type"]
        assert record["quad_code"] == row["quad"].upper()
        assert record["hendelse_cameo"] == row["cameo"]
        assert record["hendelse_factuality"] == row["factuality"]
        assert record["hendelse_confidence"] == row["confidence"]
        assert record["latitude"] == row["place_lat"] and record["longitude"] == row["place_lon"]
        assert record["event_text"] == " ".join(row["sentence_text"].split())
        assert record["hendelse_url"] == row["url"]
        assert record["hendelse_story_id"] == row["story_id"]
        names = [a["name"] for a in actors.get(record["event_id"], [])]
        assert [a["name"] for a in record["hendelse_actors"]] == names
        assert record["actor_name"] == ("; ".join(names) if names else None)
        if row["event_date"] is not None and row["event_date"] == row["event_date_end"]:
            assert record["event_date"] == row["event_date"].isoformat()


def test_gdelt_tsv_matches_store(ingested: Path):
    stored = _store_events(ingested)
    rows = _gdelt_rows(ingested)
    ids = {str(global_event_id(*key.split(":"))): key for key in stored}
    assert set(rows) == set(ids)
    for number, row in rows.items():
        event = stored[ids[number]]
        assert row["EventCode"] == event["cameo"] and row["EventRootCode"] == event["cameo"][:2]
        assert row["QuadClass"] == str(QUADS[event["quad"]])
        if event["story_id"] is None:
            assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == (
                str(1 + event["n_mentions"]), "1", "1"
            )  # fmt: skip
        else:  # the story's counts: all its articles and their mentions of the event
            assert row["NumMentions"] == str(event["story_mentions"])
            assert row["NumSources"] == str(max(event["n_sources"], 1))
            assert row["NumArticles"] == str(event["n_articles"])
        assert row["DATEADDED"] == event["ingested_at"].strftime("%Y%m%d%H%M%S")
        assert row["SOURCEURL"] == (event["url"] or f"hendelse:{event['article_id']}")
        if event["place_lat"] is None:
            assert row["ActionGeo_Type"] == "0" and row["ActionGeo_Lat"] == ""
        else:
            assert float(row["ActionGeo_Lat"]) == event["place_lat"]
            assert float(row["ActionGeo_Long"]) == event["place_lon"]
            assert row["ActionGeo_CountryCode"] == (fips(event["place_country"]) or "")
        day = event["event_date"]
        if day is not None and day == event["event_date_end"]:
            assert row["SQLDATE"] == day.strftime("%Y%m%d")
    # The fixture has located events, a city in the US, events with a day and without one.
    assert any(r["ActionGeo_Type"] == "3" for r in rows.values())
    assert any(r["ActionGeo_Type"] == "4" for r in rows.values())
    assert any(r["SQLDATE"] for r in rows.values())
    assert any(not r["SQLDATE"] and r["MonthYear"] for r in rows.values())
    # Two articles tell of the same meeting: one story event.
    assert any(r["NumArticles"] == "2" for r in rows.values())


def test_duckdb_reads_the_text_formats(ingested: Path, tmp_path: Path):
    """DuckDB's own readers, as docs/export.md says to call them."""
    tsv, jsonl = tmp_path / "hendelser.tsv", tmp_path / "hendelser.jsonl"
    export(ingested, "gdelt-tsv", tsv)
    export(ingested, "plover-json", jsonl)
    stored = _store_events(ingested)
    relation = duckdb.sql(
        f"SELECT * FROM read_csv('{tsv}', delim = '\\t', header = false, quote = '', "
        "all_varchar = true)"
    )
    assert len(relation.columns) == 61
    codes = sorted(r[0] for r in relation.select("column26").fetchall())  # EventCode
    assert codes == sorted(r["cameo"] for r in stored.values())
    records = duckdb.sql(f"SELECT event_id, event_type FROM read_json('{jsonl}')").fetchall()
    assert sorted(records) == sorted((k, r["type"]) for k, r in stored.items())


def test_csv_matches_query(ingested: Path, tmp_path: Path):
    path = tmp_path / "hendelser.csv"
    export(ingested, "csv", path)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == FLAT_COLUMNS
        rows = list(reader)
    expected = query(ingested, limit=None)
    assert len(rows) == len(expected) > 0
    for row, want in zip(rows, expected, strict=True):  # the same order: newest first
        for column, value in want.items():
            if isinstance(value, list):
                value = "; ".join("" if v is None else str(v) for v in value)
            assert row[column] == ("" if value is None else str(value)), column
        key = f"{row['article_id']}:{row['event_id']}"
        assert row["global_event_id"] == str(global_event_id(*key.split(":")))


def test_parquet_matches_query(ingested: Path, tmp_path: Path):
    out = tmp_path / "parquet"
    result = export(ingested, "parquet", out)
    expected = {(r["article_id"], r["event_id"]): r for r in query(ingested, limit=None)}
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == result.written == len(expected)
    assert set(FLAT_COLUMNS) | {"year", "month", "day"} == set(table.column_names)
    for row in table.to_pylist():
        want = expected[row["article_id"], row["event_id"]]
        assert row["type"] == want["type"] and row["actors"] == want["actors"]
        assert row["lat"] == want["lat"] and row["confidence"] == want["confidence"]
        first, last = row["date_first"], row["date_last"]
        assert (first.isoformat() if first else None) == want["date_first"]
        assert row["year"] == (first.year if first and first.year == last.year else None)
        assert row["day"] == (first.day if first and first == last else None)
    count, dated = duckdb.sql(
        f"SELECT count(*), count(day) FROM read_parquet('{out}/**/*.parquet', "
        "hive_partitioning = true)"
    ).fetchall()[0]
    assert count == len(expected)
    assert dated == sum(1 for r in expected.values() if r["date_first"] == r["date_last"])


def test_geojson_matches_store(ingested: Path, tmp_path: Path):
    path = tmp_path / "hendelser.geojson"
    export(ingested, "geojson", path)
    collection = json.loads(path.read_text(encoding="utf-8"))
    stored = _store_events(ingested)
    located = {k for k, r in stored.items() if r["place_lat"] is not None}
    assert {f["id"] for f in collection["features"]} == located != set()
    for item in collection["features"]:
        row = stored[item["id"]]
        point = shape(item["geometry"])
        assert (point.x, point.y) == (row["place_lon"], row["place_lat"])  # [lon, lat]
        assert item["properties"]["type"] == row["type"]


def test_filters_are_query_filters(ingested: Path):
    stored = _store_events(ingested)
    for filters in (
        {"type": "CONSULT"},
        {"quad": "verbal conflict"},
        {"place": "NOR"},
        {"actor": "country:NOR"},
        {"date_from": "2024-09", "date_to": "2024-09"},
        {"factuality": "asserted", "min_confidence": 0.7},
        {"near": (59.91, 10.75, 25)},
    ):
        out = io.StringIO()
        export(ingested, "plover-json", out, **filters)
        got = [json.loads(line)["event_id"] for line in out.getvalue().splitlines()]
        want = [
            f"{r['article_id']}:{r['event_id']}" for r in query(ingested, limit=None, **filters)
        ]
        assert got == want, filters
        assert 0 < len(got) < len(stored), filters


def test_batches_give_the_same_events(ingested: Path):
    """Events are read in batches through a temporary table, which is dropped."""
    with Store.open(ingested, read_only=True) as store:
        f = event_filter()
        whole = [plover_record(e) for e in iter_events(store, f)]
        in_twos = [plover_record(e) for e in iter_events(store, f, batch_size=2)]
        assert in_twos == whole and len(whole) > 4
        stopped = iter_events(store, f, batch_size=2)
        next(stopped)
        stopped.close()  # a reader that stops early
        temporary = "SELECT count(*) FROM duckdb_tables() WHERE temporary"
        assert store.con.execute(temporary).fetchone()[0] == 0


def test_a_lake_exports_as_its_store(ingested: Path, tmp_path: Path):
    """A Parquet lake (``--db FOLDER``) gives the same export as the store it holds."""
    from hendelse.store.lake import write_lake_from_store

    lake = tmp_path / "lake"
    with Store.open(ingested, read_only=True) as store:
        write_lake_from_store(store, lake)
    from_store, from_lake = io.StringIO(), io.StringIO()
    export(ingested, "plover-json", from_store)
    export(lake, "plover-json", from_lake)
    assert from_lake.getvalue() == from_store.getvalue() != ""


def test_named_pipe_is_written_not_replaced(handmade: Path, tmp_path: Path):
    """Devices and pipes (/dev/null, a FIFO) are written to, never renamed over."""
    fifo = tmp_path / "rør"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(
        target=lambda: received.append(fifo.read_text(encoding="utf-8")), daemon=True
    )
    reader.start()
    result = export(handmade, "gdelt-tsv", fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert len(received[0].splitlines()) == result.written == 5
    assert not list(tmp_path.glob(".*.part"))


# -- the command -------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(export_command)
    return app


def test_command_writes_stdout_and_files(ingested: Path, tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(_app(), ["--db", str(ingested), "--format", "csv", "--type", "CONSULT"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["type"] for r in rows} == {"CONSULT"}
    target = tmp_path / "ut" / "hendelser.tsv"
    result = runner.invoke(
        _app(), ["--db", str(ingested), "-f", "gdelt-tsv", "-o", str(target), "--header"]
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").split("\n", 1)[0].startswith("GLOBALEVENTID\t")
    assert "events to" in result.stderr
    assert not list(target.parent.glob(".*.part"))


def test_command_as_a_process(ingested: Path):
    """The installed command, writing GeoJSON to a pipe."""
    command = Path(sys.executable).with_name("hendelse")
    proc = subprocess.run(
        [str(command), "export", "--db", str(ingested), "-f", "geojson"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["type"] == "FeatureCollection"
    assert "located events" in proc.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-f", "xml"], 2, "unknown format 'xml'"),
        (["-f", "parquet"], 2, "give --output DIR"),
        (["-f", "csv", "--header"], 2, "--header is for --format gdelt-tsv"),
        (["-f", "csv", "--from", "2023-13"], 2, "is not a date"),
        (["-f", "csv", "--near", "60,5"], 2, "LAT,LON,KM"),
    ],
)
def test_command_refuses_bad_options(ingested: Path, args, code, message):
    result = CliRunner().invoke(_app(), ["--db", str(ingested), *args])
    assert result.exit_code == code, result.output
    assert message in " ".join(result.output.split())


def test_command_missing_store(tmp_path: Path):
    missing = tmp_path / "ingen.duckdb"
    result = CliRunner().invoke(_app(), ["--db", str(missing), "-f", "csv"])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "no store at" in output and "hendelse ingest" in output
    assert not missing.exists()


def test_parquet_never_overwrites(handmade: Path, tmp_path: Path):
    out = tmp_path / "parquet"
    export(handmade, "parquet", out)
    with pytest.raises(ExportError, match="is not empty"):
        export(handmade, "parquet", out)
    a_file = tmp_path / "fil.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        export(handmade, "parquet", a_file)
    with pytest.raises(ExportError, match="is a directory"):
        export(handmade, "csv", out)


def test_every_format_is_documented():
    from .conftest import REPO

    doc = (REPO / "docs" / "export.md").read_text(encoding="utf-8")
    for fmt in FORMATS:
        assert f"## `{fmt}`" in doc, fmt
    for column in GDELT_COLUMNS:
        assert f"| {column} |" in doc, column
    for name in POLECAT_FIELDS + EXTRA_FIELDS + FLAT_COLUMNS:
        assert f"`{name}`" in doc, name
