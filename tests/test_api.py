"""The REST API over real HTTP: a store built by the real ingest, uvicorn on a free port.

What the API answers is checked against the store itself: the same filters
through :func:`hendelse.store.query.query` (what `hendelse query` runs) or
plain SQL on the DuckDB file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import httpx
import pytest

from hendelse.store.query import query

from .serve_helpers import ARTICLES, build_store, running_server

MAX_CHARS = 3000


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(store: Path):
    with running_server(store, max_extract_chars=MAX_CHARS) as client:
        yield client


@pytest.fixture(scope="module")
def sql(store: Path):
    con = duckdb.connect(str(store), read_only=True)

    def run(statement: str, params: list | None = None) -> list[tuple]:
        return con.execute(statement, params or []).fetchall()

    yield run
    con.close()


def keys(items: list[dict]) -> list[tuple[str, str]]:
    return [(i["article_id"], i["id"]) for i in items]


def all_items(client: httpx.Client, path: str, params: dict | None = None) -> list[dict]:
    """Every item of a list endpoint, page by page."""
    items: list[dict] = []
    while True:
        page = client.get(path, params={**(params or {}), "limit": 4, "offset": len(items)})
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        if not body["items"]:
            assert len(items) == body["total"]
            return items


# -- events ------------------------------------------------------------------------


def test_event_pages_cover_the_store_in_query_order(client, store):
    expected = [(r["article_id"], r["event_id"]) for r in query(store, limit=None)]
    assert len(expected) >= 10
    assert keys(all_items(client, "/api/events")) == expected
    body = client.get("/api/events", params={"limit": 3, "offset": 2}).json()
    assert (body["total"], body["limit"], body["offset"]) == (len(expected), 3, 2)
    assert keys(body["items"]) == expected[2:5]
    past = client.get("/api/events", params={"offset": 1000}).json()
    assert past["total"] == len(expected) and past["items"] == []


def _filter_cases(sql) -> list[tuple[dict, dict]]:
    """(API parameters, query() arguments) with values taken from the store."""
    (top_type,), (other_type,) = sql(
        "SELECT type FROM events GROUP BY type ORDER BY count(*) DESC, type LIMIT 2"
    )
    (quad,) = sql("SELECT quad FROM events ORDER BY quad LIMIT 1")[0]
    (factuality,) = sql("SELECT factuality FROM events ORDER BY factuality LIMIT 1")[0]
    (actor_country,) = sql(
        "SELECT country FROM event_actors WHERE country IS NOT NULL "
        "GROUP BY country ORDER BY count(*) DESC, country LIMIT 1"
    )[0]
    (actor_name,) = sql("SELECT name FROM event_actors WHERE type = 'PER' ORDER BY name")[0]
    (recipient,) = sql("SELECT name FROM event_recipients ORDER BY name LIMIT 1")[0]
    (place, place_country, lat, lon) = sql(
        "SELECT place_name, place_country, place_lat, place_lon FROM events "
        "WHERE place_lat IS NOT NULL ORDER BY place_name LIMIT 1"
    )[0]
    (source,) = sql("SELECT name FROM attributions WHERE name IS NOT NULL ORDER BY name")[0]
    (sentence,) = sql("SELECT sentence_text FROM events ORDER BY article_id, ord LIMIT 1")[0]
    word = max(re.findall(r"\w+", sentence), key=len)
    (confidence,) = sql("SELECT median(confidence) FROM events")[0]
    (month,) = sql("SELECT strftime(min(published_first), '%Y-%m') FROM articles")[0]
    both = f"{top_type},{other_type}"
    return [
        ({"type": top_type}, {"type": top_type}),
        ({"type": both.lower()}, {"type": both}),
        ({"quad": quad}, {"quad": quad}),
        ({"factuality": factuality}, {"factuality": factuality}),
        ({"actor": actor_country}, {"actor": actor_country}),
        ({"actor": actor_name[2:8].lower()}, {"actor": actor_name[2:8]}),
        ({"recipient": recipient}, {"recipient": recipient}),
        ({"place": place[1:]}, {"place": place[1:]}),
        ({"place": place_country}, {"place": place_country}),
        ({"near": f"{lat},{lon},30"}, {"near": (lat, lon, 30)}),
        ({"since": month, "until": month}, {"date_from": month, "date_to": month}),
        ({"since": "2024-05-01"}, {"date_from": "2024-05-01"}),
        ({"until": "2024-04"}, {"date_to": "2024-04"}),
        ({"source": source}, {"source": source}),
        ({"q": word.upper()}, {"text": word}),
        ({"min_confidence": confidence}, {"min_confidence": confidence}),
        (
            {"type": top_type, "since": "2024-01", "min_confidence": 0.1},
            {"type": top_type, "date_from": "2024-01", "min_confidence": 0.1},
        ),
    ]


def test_event_filters_match_hendelse_query(client, store, sql):
    total = client.get("/api/events").json()["total"]
    for params, arguments in _filter_cases(sql):
        expected = [(r["article_id"], r["event_id"]) for r in query(store, **arguments, limit=None)]
        got = all_items(client, "/api/events", params)
        assert keys(got) == expected, params
        assert len(expected) > 0, f"{params} should find something in the test store"
        if set(params) != {"min_confidence"} and "until" not in params:
            assert len(expected) < total, f"{params} should leave some events out"


def test_repeated_parameters_equal_comma_lists(client, sql):
    types = [t for (t,) in sql("SELECT DISTINCT type FROM events ORDER BY type LIMIT 3")]
    repeated = client.get("/api/events", params=[("type", t) for t in types]).json()
    commas = client.get("/api/events", params={"type": ",".join(types)}).json()
    assert repeated == commas and repeated["total"] > 0


def test_country_article_and_story_filters(client, sql):
    (country,) = sql("SELECT country FROM event_recipients WHERE country IS NOT NULL LIMIT 1")[0]
    expected = {
        tuple(row)
        for row in sql(
            "SELECT article_id, event_id FROM event_actors WHERE country = ? UNION "
            "SELECT article_id, event_id FROM event_recipients WHERE country = ?",
            [country, country],
        )
    }
    got = all_items(client, "/api/events", {"country": country.lower()})
    assert set(keys(got)) == expected and expected
    (article,) = sql("SELECT id FROM articles ORDER BY id LIMIT 1")[0]
    got = all_items(client, "/api/events", {"article": article})
    assert {a for a, _ in keys(got)} == {article}
    assert len(got) == sql("SELECT count(*) FROM events WHERE article_id = ?", [article])[0][0]
    story = client.get("/api/events", params={"story": "ingen-slik-sak"})
    assert story.status_code in (200, 404)
    if story.status_code == 200:
        assert story.json()["total"] == 0
    else:
        assert "story" in story.json()["message"]


def test_event_items_carry_spans_into_their_article(client):
    items = client.get("/api/events", params={"limit": 500}).json()["items"]
    texts: dict[str, str] = {}
    for item in items:
        aid = item["article_id"]
        if aid not in texts:
            texts[aid] = client.get(
                item["links"]["api"].rsplit("/", 1)[0].replace("/api/events/", "/api/articles/")
            ).json()["text"]
        text = texts[aid]
        for span in [item["sentence"], item["trigger"]] + [
            role["span"] for role in item["actors"] + item["recipients"] + item["attribution"]
        ]:
            assert text[span["start"] : span["end"]] == span["text"]
        assert item["links"]["page"] == f"/articles/{aid}#event-{item['id']}"
        if item["place"]:
            assert {"id", "name", "country", "lat", "lon", "feature"} <= set(item["place"])
        first, last = item["date_range"]["first"], item["date_range"]["last"]
        assert item["date"] == (first if first == last else None)


def test_one_event_with_explain_and_attribution_chain(client, sql):
    aid, eid = sql(
        "SELECT article_id, event_id FROM attributions GROUP BY ALL ORDER BY count(*) DESC LIMIT 1"
    )[0]
    response = client.get(f"/api/events/{aid}/{eid}")
    assert response.status_code == 200
    event = response.json()
    assert (event["article_id"], event["id"]) == (aid, eid)
    assert event["explain"] and isinstance(event["explain"], dict)
    names = [a["name"] for a in event["attribution"]]
    assert event["attribution_chain"] == " → ".join(names)
    assert all("cue" in a for a in event["attribution"])
    assert isinstance(event["mentions"], list)


def test_missing_things_are_json_404s(client):
    for path in (
        "/api/events/api-grensemote/V999",
        "/api/events/ingen-artikkel/V1",
        "/api/articles/ingen-artikkel",
        "/api/finnes-ikke",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        body = response.json()
        assert body["status"] == 404 and body["message"]
    story = client.get("/api/stories/ingen-slik-sak")
    assert story.status_code in (404, 503) and story.json()["message"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "mange"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"since": "2023-13"}, "since"),
        ({"until": "i går"}, "until"),
        ({"since": "2024-05", "until": "2024-04"}, "until"),
        ({"near": "60,5"}, "near"),
        ({"near": "91,5,10"}, "near"),
        ({"near": "nan,5,10"}, "near"),
        ({"type": "KRIG"}, "type"),
        ({"quad": "verbal"}, "quad"),
        ({"factuality": "sikkert"}, "factuality"),
        ({"min_confidence": 1.5}, "min_confidence"),
        ({"country": "NORGE"}, "country"),
        ({"actor": "x" * 301}, "actor"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client, params, parameter):
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422
    assert parameter in [e["parameter"] for e in body["errors"]]
    assert body["message"].startswith(parameter)


# -- articles, entities, places ----------------------------------------------------------


def test_articles_list_filters_and_detail(client, sql):
    everything = all_items(client, "/api/articles")
    assert [a["id"] for a in everything] == [
        i for (i,) in sql("SELECT id FROM articles ORDER BY published_first DESC, id")
    ]
    counts = dict(sql("SELECT article_id, count(*) FROM events GROUP BY ALL"))
    assert all(a["events"] == counts.get(a["id"], 0) for a in everything)
    by_source = all_items(client, "/api/articles", {"source": "nyhetsbyrå"})
    assert {a["source"] for a in by_source} == {"Nyhetsbyrået"} and len(by_source) == 3
    dated = all_items(client, "/api/articles", {"since": "2024-03", "until": "2024-06"})
    assert [a["id"] for a in dated] == [
        "api-bistand-sudan",
        "api-angrep-kyiv",
        "api-helsingfors-besok",
        "api-protest-oslo",
    ]
    found = all_items(client, "/api/articles", {"q": "BØNDER"})
    assert [a["id"] for a in found] == ["api-protest-oslo"]
    article = client.get("/api/articles/api-angrep-kyiv").json()
    assert article["title"] == "Russland angrep Kyiv med droner"
    assert article["record"]["schema"] == "hendelse/1"
    for event in article["record"]["events"]:
        trigger = event["trigger"]
        assert article["text"][trigger["start"] : trigger["end"]] == trigger["text"]


def test_entities_and_places(client, sql):
    entities = all_items(client, "/api/entities")
    assert (
        len(entities)
        == sql(
            "SELECT count(*) FROM (SELECT DISTINCT name, country, sector, type, kb FROM entities)"
        )[0][0]
    )
    assert [e["events"] for e in entities] == sorted((e["events"] for e in entities), reverse=True)
    russia = all_items(client, "/api/entities", {"country": "rus"})
    assert russia and all(e["country"] == "RUS" for e in russia)
    (name, events) = sql(
        "SELECT en.name, count(DISTINCT (r.article_id, r.event_id)) FROM entities en JOIN "
        "(SELECT article_id, event_id, entity_id FROM event_actors UNION "
        "SELECT article_id, event_id, entity_id FROM event_recipients UNION "
        "SELECT article_id, event_id, entity_id FROM attributions) r "
        "ON r.article_id = en.article_id AND r.entity_id = en.id "
        "WHERE en.name = 'Russland' GROUP BY en.name"
    )[0]
    found = [e for e in all_items(client, "/api/entities", {"q": "russland"}) if e["name"] == name]
    assert found and found[0]["events"] == events
    assert client.get("/api/entities", params={"type": "per"}).json()["items"][0]["type"] == "PER"
    places = all_items(client, "/api/places")
    located = sql("SELECT count(*) FROM events WHERE place_id IS NOT NULL")[0][0]
    assert sum(p["events"] for p in places) == located
    norway = all_items(client, "/api/places", {"country": "NOR"})
    assert norway and all(p["country"] == "NOR" for p in norway)


# -- statistics, map, network -------------------------------------------------------------


def test_summary_counts_the_store(client, sql):
    summary = client.get("/api/stats/summary").json()
    assert summary["articles"] == ARTICLES
    assert summary["events"] == sql("SELECT count(*) FROM events")[0][0]
    assert summary["located"] == sql("SELECT count(place_lat) FROM events")[0][0]
    assert summary["by_type"] == dict(sql("SELECT type, count(*) FROM events GROUP BY ALL"))
    assert sum(summary["by_quad"].values()) == summary["events"]
    assert summary["date_min"] <= summary["date_max"]


@pytest.mark.parametrize("interval", ["day", "week"])
@pytest.mark.parametrize("by", ["quad", "factuality"])
def test_timeline_places_every_event_once(client, sql, interval, by):
    params = {"interval": interval, "by": by}
    body = client.get("/api/stats/timeline", params=params).json()
    assert (body["interval"], body["by"]) == (interval, by)
    counted = sum(b["total"] for b in body["buckets"]) + body["undated"]
    assert counted == client.get("/api/events").json()["total"]
    values = {v for (v,) in sql(f"SELECT DISTINCT {by} FROM events")}
    for bucket in body["buckets"]:
        day = dt.date.fromisoformat(bucket["date"])
        assert interval == "day" or day.weekday() == 0
        assert set(bucket["counts"]) <= values
        assert sum(bucket["counts"].values()) == bucket["total"]
    # Single-day events are counted on their day.
    days = Counter(
        d.isoformat()
        for (d,) in sql("SELECT date_first FROM event_summary WHERE date_first = date_last")
    )
    if interval == "day":
        assert {b["date"]: b["total"] for b in body["buckets"]} == dict(days)


def test_timeline_takes_the_event_filters(client):
    quad = "verbal conflict"
    body = client.get("/api/stats/timeline", params={"quad": quad}).json()
    assert all(set(b["counts"]) == {quad} for b in body["buckets"])
    total = client.get("/api/events", params={"quad": quad}).json()["total"]
    assert sum(b["total"] for b in body["buckets"]) + body["undated"] == total
    bad = client.get("/api/stats/timeline", params={"interval": "month"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["parameter"] == "interval"


def test_map_is_geojson_of_located_events(client, sql):
    body = client.get("/api/map").json()
    assert body["type"] == "FeatureCollection"
    located = {
        (a, e): (lon, lat)
        for a, e, lat, lon in sql(
            "SELECT article_id, id, place_lat, place_lon FROM events WHERE place_lat IS NOT NULL"
        )
    }
    assert body["total"] == len(located) == len(body["features"]) > 0
    for feature in body["features"]:
        props = feature["properties"]
        assert feature["geometry"]["type"] == "Point"
        assert (
            tuple(feature["geometry"]["coordinates"]) == located[(props["article_id"], props["id"])]
        )
        assert props["label"].endswith(f": {props['type']}")
        assert props["url"] == f"/articles/{props['article_id']}#event-{props['id']}"
    page = client.get("/api/map", params={"limit": 1, "offset": 1}).json()
    assert page["features"] == body["features"][1:2]
    country = body["features"][0]["properties"]["country"]
    filtered = client.get("/api/map", params={"place": country}).json()
    assert filtered["features"] and all(
        f["properties"]["country"] == country for f in filtered["features"]
    )


def test_map_features_are_the_located_events_of_the_list(client):
    """The map's features (built once when the server starts) say what the event list
    says of the same events, in the same order."""
    located = [
        item
        for item in all_items(client, "/api/events")
        if item["place"] is not None and item["place"]["lat"] is not None
    ]
    features = client.get("/api/map").json()["features"]
    assert [(f["properties"]["article_id"], f["properties"]["id"]) for f in features] == keys(
        located
    )
    for feature, item in zip(features, located, strict=True):
        props = feature["properties"]
        assert feature["geometry"]["coordinates"] == [item["place"]["lon"], item["place"]["lat"]]
        assert (props["type"], props["quad"], props["factuality"], props["date"]) == (
            item["type"],
            item["quad"],
            item["factuality"],
            item["date"],
        )
        assert (props["place"], props["country"]) == (
            item["place"]["name"],
            item["place"]["country"],
        )
        who = ", ".join(a["name"] for a in item["actors"] if a["name"])
        whom = ", ".join(r["name"] for r in item["recipients"] if r["name"])
        label = f"{who} → {whom}" if whom else who
        assert props["label"] == (f"{label}: {item['type']}" if label else item["type"])
        assert (props["url"], props["api"]) == (item["links"]["page"], item["links"]["api"])


def test_a_lake_is_served_as_its_store(store, tmp_path):
    """A lake (a folder of Parquet files) gets the same event index, and the same answers."""
    from hendelse.store.db import Store
    from hendelse.store.lake import write_lake_from_store

    with Store.open(store, read_only=True) as opened:
        write_lake_from_store(opened, tmp_path / "lake")
    paths = [
        "/api/events?limit=500",
        "/api/events?quad=verbal%20conflict&country=NOR&limit=3&offset=1",
        "/api/map",
        "/api/stats/timeline?interval=week&by=factuality",
        "/api/stats/summary",
    ]
    with running_server(store) as from_store, running_server(tmp_path / "lake") as from_lake:
        for path in paths:
            assert from_lake.get(path).json() == from_store.get(path).json(), path


def test_network_edges_count_actor_recipient_pairs(client, sql):
    body = client.get("/api/network", params={"limit": 500}).json()
    pairs = Counter()
    for a, r in sql(
        "SELECT DISTINCT a.article_id || '/' || a.event_id || '|' || coalesce(ea.kb, a.name), "
        "coalesce(er.kb, r.name) FROM event_actors a JOIN event_recipients r "
        "ON r.article_id = a.article_id AND r.event_id = a.event_id "
        "LEFT JOIN entities ea ON ea.article_id = a.article_id AND ea.id = a.entity_id "
        "LEFT JOIN entities er ON er.article_id = r.article_id AND er.id = r.entity_id "
        "WHERE a.name IS NOT NULL AND r.name IS NOT NULL"
    ):
        source = a.split("|", 1)[1]
        if source != r:
            pairs[(source, r)] += 1
    edges = {(e["source"], e["target"]): e for e in body["edges"]}
    assert {k: e["weight"] for k, e in edges.items()} == dict(pairs)
    assert body["total_edges"] == len(pairs)
    node_ids = {n["id"] for n in body["nodes"]}
    assert node_ids == {end for pair in edges for end in pair}
    for edge in body["edges"]:
        assert sum(edge["by_quad"].values()) == edge["weight"]
        assert edge["quad"] in edge["by_quad"]
    top = client.get("/api/network", params={"limit": 1}).json()
    assert len(top["edges"]) == 1 and top["edges"][0]["weight"] == max(pairs.values())


# -- extract ---------------------------------------------------------------------------


def test_extract_posted_text(client):
    text = "Statsminister Jonas Gahr Støre møtte Sveriges statsminister i Stockholm i går."
    response = client.post("/api/extract", json={"text": text, "published": "2024-04-10"})
    assert response.status_code == 200, response.text
    record = response.json()["record"]
    assert record["schema"] == "hendelse/1"
    assert record["article"]["published"] == "2024-04-10"
    assert record["events"], record
    for event in record["events"]:
        assert text[event["trigger"]["start"] : event["trigger"]["end"]] == event["trigger"]["text"]


def test_extract_refuses_too_long_and_bad_bodies(client):
    too_long = client.post("/api/extract", json={"text": "a" * (MAX_CHARS + 1)})
    assert too_long.status_code == 413
    assert str(MAX_CHARS) in too_long.json()["message"]
    # A body far beyond the limit is refused from its declared length, unread.
    huge = client.post(
        "/api/extract",
        content=b'{"text": "' + b"a" * (50 * MAX_CHARS) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413
    for body, parameter in (
        ({}, "body.text"),
        ({"text": ""}, "body.text"),
        ({"text": 12}, "body.text"),
        ({"text": "Hei.", "published": "i fjor"}, "body.published"),
    ):
        response = client.post("/api/extract", json=body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["parameter"] == parameter
    broken = client.post(
        "/api/extract", content=b"{ikke json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422 and broken.json()["errors"][0]["parameter"] == "body"
    assert client.get("/api/extract").status_code == 405


# -- documentation ---------------------------------------------------------------------


def test_openapi_lists_every_endpoint(client):
    from hendelse.serve.api import router

    spec = client.get("/openapi.json").json()
    routes = {
        ("/api" + route.path.replace(":path", ""), method.lower())
        for route in router.routes
        for method in route.methods
    }
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert routes == documented
    assert len(routes) >= 13
    events = spec["paths"]["/api/events"]["get"]
    names = {p["name"] for p in events["parameters"]}
    assert {"type", "quad", "factuality", "actor", "recipient", "country", "place", "near",
            "since", "until", "source", "q", "min_confidence", "article", "story", "limit",
            "offset"} <= names  # fmt: skip


def test_docs_page_works_offline(client):
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.text
    assert "text/html" in response.headers["content-type"]
    external = re.findall(r"""(?:src|href|action)\s*=\s*["']?(\w+:)?//""", html)
    assert external == [], "the docs page must not load anything from elsewhere"
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)", html)
    assert "<script" not in html.lower()
    spec = client.get("/openapi.json").json()
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in html
    assert client.get("/redoc").status_code == 404


# -- the command ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_command_prints_its_address_and_serves(store):
    port = _free_port()
    hendelse = Path(sys.executable).with_name("hendelse")
    process = subprocess.Popen(
        [str(hendelse), "serve", "--db", str(store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                summary = httpx.get(f"http://127.0.0.1:{port}/api/stats/summary", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, process.stderr.read()
                time.sleep(0.1)
        assert summary.json()["articles"] == ARTICLES
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def test_serve_command_refuses_a_missing_store(tmp_path):
    hendelse = Path(sys.executable).with_name("hendelse")
    result = subprocess.run(
        [str(hendelse), "serve", "--db", str(tmp_path / "ingen.duckdb")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "no store at" in result.stderr and "hendelse ingest" in result.stderr


def test_json_answers_are_utf8(client):
    response = client.get("/api/articles", params={"q": "møttes"})
    assert response.headers["content-type"].startswith("application/json")
    assert "Norge og Finland møttes om grensen" in response.content.decode("utf-8")


def test_repeats_are_answered_from_the_cache(client, store):
    url = "/api/events?type=CONSULT,REJECT&limit=3&offset=1"
    first, second = client.get(url), client.get(url)
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert second.headers["content-type"] == first.headers["content-type"]
    bad = [client.get("/api/events?limit=0").headers["x-cache"] for _ in range(2)]
    assert bad == ["miss", "miss"], "errors are not kept"
    with running_server(store, cache_entries=0) as uncached:
        answers = [uncached.get(url) for _ in range(2)]
        assert all("x-cache" not in a.headers for a in answers)
        assert answers[1].content == first.content


def test_empty_parameters_count_as_not_given(client):
    """What the form on /docs sends for the fields left empty."""
    plain = client.get("/api/events")
    empty = client.get("/api/events?type=&quad=&limit=&offset=&min_confidence=&q=+&near=%20")
    assert empty.status_code == 200, empty.text
    assert empty.json() == plain.json()
    assert empty.headers["x-cache"] == "hit"  # the same request as /api/events
    kept = client.get("/api/events?type=CONSULT&limit=&q=")
    assert kept.json() == client.get("/api/events", params={"type": "CONSULT"}).json()


def test_stories_list_one_story_and_its_events(client, sql):
    listed = client.get("/api/stories", params={"min_articles": 2})
    if listed.status_code == 503:
        pytest.skip("this hendelse has no story clustering")
    body = listed.json()
    assert body["total"] == 1, body
    story = body["items"][0]
    assert story["type"] == "CONSULT"
    detail = client.get(f"/api/stories/{story['id']}").json()
    history = detail["factuality_history"]
    assert [h["factuality"] for h in history] == ["planned", "asserted"]
    assert [h["article_id"] for h in history] == ["api-grensemote", "api-helsingfors-besok"]
    members = {
        tuple(row)
        for row in sql(
            "SELECT article_id, event_id FROM story_events WHERE story_id = ?", [story["id"]]
        )
    }
    assert set(keys(all_items(client, "/api/events", {"story": story["id"]}))) == members
    assert (
        client.get("/api/stories", params={"type": "assault", "min_articles": 2}).json()["total"]
        == 0
    )
    everything = client.get("/api/stories", params={"limit": 500}).json()
    assert everything["total"] == sql("SELECT count(*) FROM stories")[0][0]


def test_extractions_take_turns_and_the_rest_goes_on(client):
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        "Politiet pågrep to menn i Tromsø lørdag.",
        "Norge og Sverige signerte en avtale om grensen i Oslo i går.",
        "Russland angrep Kharkiv med raketter natt til søndag.",
    ]
    with ThreadPoolExecutor(4) as pool:
        posts = [
            pool.submit(client.post, "/api/extract", json={"text": t, "published": "2024-06-03"})
            for t in texts
        ]
        listed = pool.submit(client.get, "/api/events", params={"limit": 1}).result()
        answers = [post.result() for post in posts]
    assert listed.status_code == 200
    for text, answer in zip(texts, answers, strict=True):
        assert answer.status_code == 200, answer.text
        record = answer.json()["record"]
        assert record["events"] and all(
            text[e["trigger"]["start"] : e["trigger"]["end"]] == e["trigger"]["text"]
            for e in record["events"]
        )
