"""Hostile articles in the web pages: markup is shown as text and nothing runs.

The fixture article ``ui-skadelig`` (tests/fixtures/ui/articles.jsonl) has a
``<script>`` in its title and text, ``<img … onerror=…>`` in its text and
source, a Markdown ``javascript:`` link, an ``<a href="javascript:…">`` and a
``javascript:`` URL. Each script would set ``window.__pwned`` and open an
alert. In real headless Chromium against a real server, every page that
shows the article must show those strings literally, run none of them (no
dialog, no flag), load nothing from other hosts and contain no element the
article's markup would have made. The pages also send a Content-Security-
Policy that forbids inline scripts, and the form echoes hostile query
parameters as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import REPO
from .ui_helpers import UI_ARTICLES, page_fixture, require_chromium

require_chromium()

from playwright.sync_api import expect  # noqa: E402

SERVE = REPO / "src" / "hendelse" / "serve"
TIMEOUT = 20_000
EXTRACT_TIMEOUT = 120_000
HOSTILE = next(
    json.loads(line)
    for line in UI_ARTICLES.read_text(encoding="utf-8").splitlines()
    if json.loads(line)["id"] == "ui-skadelig"
)
PAGES = ["/", "/map", "/timeline", "/network", "/stories", "/paste", "/articles/x"]


@pytest.fixture
def server(ui_server: Any) -> Any:
    return ui_server


@pytest.fixture
def browser(ui_browser: Any) -> Any:
    return ui_browser


@pytest.fixture
def page(browser: Any, server: Any) -> Iterator[Any]:
    yield from page_fixture(browser, str(server.base_url))


def assert_nothing_ran(page: Any) -> None:
    """No script of the article's ran, and its markup made no elements."""
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("main script, main img, main iframe, main object").count() == 0
    hrefs = page.locator("a[href]").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    handlers = page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
    )
    assert handlers == []
    scripts = page.locator("script").evaluate_all(
        "ss => ss.map(s => [s.getAttribute('src'), s.getAttribute('type')])"
    )
    for src, kind in scripts:  # only the pages' own modules and the JSON text block
        assert (src or "").startswith("/static/") or kind == "application/json", (src, kind)


def test_the_article_view_shows_markup_as_text(page: Any) -> None:
    page.goto(f"/articles/{HOSTILE['id']}")
    expect(page.locator("#article-text")).to_be_visible(timeout=TIMEOUT)
    assert page.locator("#article-text").inner_text() == HOSTILE["text"]
    expect(page.locator("#article-title")).to_have_text(HOSTILE["title"])
    expect(page.locator(".article-header .meta")).to_contain_text(HOSTILE["source"])
    # The javascript: URL of the article is not made a link.
    assert page.locator(".article-header a").count() == 0
    # Selecting its event still highlights from offsets without making markup.
    page.locator("button.event-button").first.click()
    expect(page.locator("#event-panel-heading")).to_be_visible()
    assert page.locator("#article-text").inner_text() == HOSTILE["text"]
    expect(page.locator(".chain-steps")).to_contain_text(HOSTILE["source"])
    assert_nothing_ran(page)


def test_lists_map_and_stories_show_hostile_titles_and_sources_as_text(
    page: Any, server: Any
) -> None:
    page.goto(f"/?article={HOSTILE['id']}")
    row = page.locator("tr.event-row").first
    expect(row).to_be_visible(timeout=TIMEOUT)
    expect(row.locator(".article .title")).to_have_text(HOSTILE["title"])
    expect(row.locator(".article small")).to_contain_text(HOSTILE["source"])
    assert_nothing_ran(page)

    page.goto("/stories")
    expect(page.locator("tr.story-row").first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#story-list")).to_contain_text(HOSTILE["source"])
    assert_nothing_ran(page)

    located = server.get("/api/map", params={"article": HOSTILE["id"]}).json()["features"]
    assert located, "the hostile article's event is located (Trondheim)"
    page.goto(f"/map?article={HOSTILE['id']}")
    marker = page.locator("g.marker").first
    expect(marker).to_be_attached(timeout=TIMEOUT)
    marker.click()
    expect(page.locator("#map-popup")).to_contain_text(located[0]["properties"]["label"])
    assert_nothing_ran(page)

    for path in ("/timeline", "/network"):
        page.goto(f"{path}?article={HOSTILE['id']}")
        page.wait_for_load_state("networkidle")
        assert_nothing_ran(page)


def test_pasted_hostile_text_is_shown_as_text(page: Any) -> None:
    page.goto("/paste")
    page.locator("#paste-title").fill(HOSTILE["title"])
    page.locator("#paste-text").fill(HOSTILE["text"])
    page.locator("#paste-submit").click()
    expect(page.locator("#article-text")).to_be_visible(timeout=EXTRACT_TIMEOUT)
    assert page.locator("#article-text").inner_text() == HOSTILE["text"]
    expect(page.locator("#article-title")).to_have_text(HOSTILE["title"])
    assert_nothing_ran(page)


@pytest.mark.parametrize(
    "value",
    [
        '"><script>window.__pwned=true;alert(1)</script>',
        "' onfocus='alert(2)' autofocus='",
        "javascript:alert(3)",
        "<img src=x onerror=alert(4)>",
    ],
)
def test_hostile_query_parameters_are_echoed_as_text(page: Any, value: str) -> None:
    page.goto(f"/?q={quote(value)}&actor={quote(value)}&lang={quote(value)}")
    expect(page.locator("#f-q")).to_have_value(value)
    expect(page.locator("#f-actor")).to_have_value(value)
    expect(page.locator("html")).to_have_attribute("lang", "nb")  # an unknown lang is ignored
    expect(page.locator("#events-total")).to_be_visible(timeout=TIMEOUT)
    assert_nothing_ran(page)


def test_a_hostile_article_id_in_the_path_is_harmless(page: Any) -> None:
    hostile_id = "<script>alert(7)</script>"
    page.goto(f"/articles/{quote(hostile_id, safe='')}", wait_until="networkidle")
    assert page.locator("#article-view").get_attribute("data-article-id") == hostile_id
    switch = page.locator("#lang-switch").get_attribute("href")
    assert switch == f"/articles/{quote(hostile_id)}?lang=en"
    assert_nothing_ran(page)


@pytest.mark.parametrize("path", PAGES)
def test_pages_forbid_inline_scripts(server: Any, path: str) -> None:
    response = server.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    # No inline script in what the server sends (the text block is JSON, not run).
    for match in re.finditer(r"<script([^>]*)>(.*?)</script>", response.text, re.S):
        attributes, body = match.groups()
        assert 'src="/static/' in attributes or (
            'type="application/json"' in attributes and json.loads(body)
        ), match.group(0)[:200]


def test_no_external_urls_in_pages_or_assets() -> None:
    """Nothing the UI ships points at another host (the SVG namespace is a name, not a fetch)."""
    allowed = {"http://www.w3.org/2000/svg"}
    for path in [*(SERVE / "static").rglob("*"), *(SERVE / "templates").rglob("*.html")]:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        found = set(re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"')]*", text, re.I))
        assert found <= allowed, f"{path.relative_to(REPO)} refers to {sorted(found - allowed)}"
    for name in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        for script in (SERVE / "static").glob("*.js"):
            assert name not in script.read_text(encoding="utf-8"), f"{script.name} uses {name}"


def test_the_country_shapes_come_from_the_installed_package(server: Any, tmp_path: Any) -> None:
    from hendelse.serve import shapes

    response = server.get("/map/countries.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    served = response.json()
    assert response.headers["content-encoding"] == "gzip"  # httpx asks for gzip and inflates
    plain = server.get("/map/countries.geojson", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == served
    codes = {f["properties"]["iso3"] for f in served["features"]}
    assert {"NOR", "SWE", "UKR", "RUS", "FRA"} <= codes  # NOR and FRA lack ISO_A3 in the source
    norway = next(f for f in served["features"] if f["properties"]["iso3"] == "NOR")
    assert norway["properties"]["name_nb"] == "Norge"
    # Building into an empty cache folder gives the same file, and writes it there.
    shapes.countries_geojson.cache_clear()
    built = shapes.countries_geojson(tmp_path)
    assert json.loads(built) == served
    assert shapes.cache_path(tmp_path).exists()
    assert len(built) < 1_000_000  # simplified: the shapefile is ~5 MB zipped
