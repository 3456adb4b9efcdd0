"""SQL injection against every filter of every list endpoint, over real HTTP.

Each classic injection string goes into each filter of each list endpoint.
The answer must be a 4xx, or a 200 equal to the same query's legitimately
empty answer: never a 5xx, never rows the filter does not select. Path
parameters get the same strings (a 404). Afterwards the store's file is
byte for byte what it was.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from .serve_helpers import ARTICLES, build_store, file_digest, running_server

INJECTIONS = (
    "' OR 1=1 --",
    "' OR '1'='1",
    "1; DROP TABLE events",
    "1); DROP TABLE articles; --",
    '" UNION SELECT id, text FROM articles --',
    "' UNION SELECT NULL, NULL, NULL --",
    "%' --",
    "%",
    "_",
    "’ OR ’1’=’1",  # typographic quotes
    "＇ OR 1=1 --",  # a fullwidth apostrophe
    "ʼ; DELETE FROM events; --",
    "') OR ('a'='a",
    "*/ SELECT * FROM articles /*",
    "1' AND (SELECT count(*) FROM articles) > 0 --",
    "\\'; COPY events TO '/tmp/x.csv'; --",
)

EVENT_FILTERS = (
    "type",
    "quad",
    "factuality",
    "actor",
    "recipient",
    "country",
    "place",
    "near",
    "since",
    "until",
    "source",
    "q",
    "min_confidence",
    "article",
    "story",
    "limit",
    "offset",
)
#: Every list endpoint and its filters.
ENDPOINTS: dict[str, tuple[str, ...]] = {
    "/api/events": EVENT_FILTERS,
    "/api/map": EVENT_FILTERS,
    "/api/stats/timeline": (*EVENT_FILTERS[:-2], "interval", "by"),
    "/api/network": (*EVENT_FILTERS[:-2], "limit"),
    "/api/articles": ("q", "source", "since", "until", "limit", "offset"),
    "/api/entities": ("q", "country", "sector", "type", "limit", "offset"),
    "/api/places": ("q", "country", "limit", "offset"),
    "/api/stories": ("type", "actor", "min_articles", "limit", "offset"),
}
#: A filter value that matches nothing, for the legitimately empty answer.
NOTHING = "zzqx-ingen-treff"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api-security"))


@pytest.fixture(scope="module")
def client(store: Path):
    before = file_digest(store)
    with running_server(store) as client:
        yield client
    assert file_digest(store) == before, "the store changed while the server ran"


def _empty(client: httpx.Client, path: str) -> dict | None:
    """The endpoint's answer when its text filter matches nothing (None: it has none)."""
    parameter = {"/api/stories": "actor"}.get(path, "q")
    response = client.get(path, params={parameter: NOTHING})
    if response.status_code == 503:  # no story clustering in this hendelse
        return None
    assert response.status_code == 200, response.text
    return response.json()


def _without_paging(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in ("limit", "offset")}


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_injection_in_every_filter(client: httpx.Client, path: str):
    empty = _empty(client, path)
    full = client.get(path)
    if empty is None:
        assert full.status_code == 503
        pytest.skip("this hendelse has no story clustering")
    assert full.status_code == 200
    for parameter in ENDPOINTS[path]:
        for value in INJECTIONS:
            response = client.get(path, params={parameter: value})
            where = f"{path}?{parameter}={value!r}"
            assert response.status_code < 500, f"{where}: {response.status_code} {response.text}"
            assert response.headers["content-type"].startswith("application/json"), where
            body = response.json()
            if response.status_code >= 400:
                assert 400 <= body["status"] < 500 and body["message"], where
                assert "Traceback" not in response.text and "duckdb" not in response.text.lower()
                continue
            assert _without_paging(body) == _without_paging(empty), where


@pytest.mark.parametrize(
    "template",
    ["/api/events/{}/V1", "/api/events/api-angrep-kyiv/{}", "/api/articles/{}", "/api/stories/{}"],
)
def test_injection_in_path_parameters(client: httpx.Client, template: str):
    for value in INJECTIONS:
        path = template.format(quote(value, safe=""))
        response = client.get(path)
        assert response.status_code in (404, 422, 503), f"{path}: {response.text}"
        assert response.json()["message"]


def test_injection_in_the_extract_body_is_only_text(client: httpx.Client):
    """Posted text is never SQL: extraction reads it and the store is not touched."""
    response = client.post(
        "/api/extract",
        json={"text": "Politiet pågrep to personer i Oslo. '; DROP TABLE events; --"},
    )
    assert response.status_code == 200
    assert client.get("/api/stats/summary").json()["articles"] == ARTICLES


def test_the_store_is_read_only_for_the_server(client: httpx.Client, store: Path):
    from hendelse.store.db import Store, StoreError

    # The server holds the file open read-only; DuckDB then refuses a writer in this
    # process (another configuration) as it would in another process (the lock).
    with pytest.raises(StoreError):
        Store.open(store)
    assert client.get("/api/stats/summary").status_code == 200


def test_no_other_process_can_write_the_store_while_it_is_served(client: httpx.Client, store: Path):
    # The server reads through an in-memory database that attaches the file; the
    # read-only connection it opened first must still hold the file against writers.
    writer = subprocess.run(
        [sys.executable, "-c", "import sys, duckdb; duckdb.connect(sys.argv[1])", str(store)],
        capture_output=True,
        text=True,
    )
    assert writer.returncode != 0 and "lock" in writer.stderr.lower(), writer.stderr
    assert client.get("/api/stats/summary").status_code == 200
