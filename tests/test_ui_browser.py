"""End-to-end tests of the web pages in real headless Chromium against a real server.

The store is built by the real ingest from tests/fixtures/ui/articles.jsonl,
the server is uvicorn on a free port, the browser is Debian's Chromium
(skipped only when /usr/bin/chromium is absent). What the pages show is
compared with what the API answers for the same question, so the tests
check the pages, not the extractor. Every page is watched for script
errors, dialogs and requests to other hosts (tests/ui_helpers.py).

Screenshots of every page (1280×800) go to a temporary folder, or, with
HENDELSE_UPDATE_SCREENSHOTS=1, to docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from .conftest import REPO
from .ui_helpers import page_fixture, require_chromium

require_chromium()

from playwright.sync_api import expect  # noqa: E402

SERVE = REPO / "src" / "hendelse" / "serve"
SCREENSHOTS = REPO / "docs" / "screenshots"
TIMEOUT = 20_000  # ms, for anything the server answers from the store
EXTRACT_TIMEOUT = 120_000  # ms: the first POST /api/extract loads the model


@pytest.fixture
def server(ui_server: Any) -> Any:
    return ui_server


@pytest.fixture
def browser(ui_browser: Any) -> Any:
    return ui_browser


@pytest.fixture
def page(browser: Any, server: Any) -> Iterator[Any]:
    yield from page_fixture(browser, str(server.base_url))


def api(server: Any, path: str, **params: Any) -> Any:
    response = server.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def shown_total(page: Any) -> int:
    total = page.locator("#events-total")
    expect(total).to_be_visible(timeout=TIMEOUT)
    return int(total.get_attribute("data-total"))


# -- the event list ---------------------------------------------------------------


def test_event_list_shows_every_event_with_links_to_evidence(page: Any, server: Any) -> None:
    everything = api(server, "/api/events", limit=500)
    page.goto("/")
    assert shown_total(page) == everything["total"] > 0
    rows = page.locator("tr.event-row")
    expect(rows).to_have_count(min(everything["total"], 25))
    first = everything["items"][0]
    row = rows.first
    assert row.get_attribute("data-article-id") == first["article_id"]
    assert first["trigger"]["text"] in row.locator("mark.trigger").inner_text()
    assert row.locator("a.evidence").get_attribute("href") == first["links"]["page"]


def test_filters_shrink_the_list(page: Any, server: Any) -> None:
    everything = api(server, "/api/events", limit=500)
    quads = Counter(item["quad"] for item in everything["items"])
    quad, expected = min(quads.items(), key=lambda kv: kv[1])  # the rarest quad class
    assert expected < everything["total"]
    page.goto("/")
    assert shown_total(page) == everything["total"]
    page.get_by_role("checkbox", name=re.compile(quad_label(quad), re.I)).check()
    page.locator("#f-apply").click()
    page.wait_for_url(re.compile(r"quad="))
    assert shown_total(page) == expected
    for value in page.locator("tr.event-row").evaluate_all("rows => rows.map(r => r.dataset.quad)"):
        assert value == quad
    # A category and a text search on top: again what the API says.
    kind = next(item["type"] for item in everything["items"] if item["quad"] == quad)
    page.locator("#f-type").select_option(kind)
    page.locator("#f-apply").click()
    page.wait_for_url(re.compile(r"type="))
    assert shown_total(page) == api(server, "/api/events", quad=quad, type=kind)["total"]
    page.goto("/?q=zzzz-ikke-i-noen-setning")
    expect(page.locator("#events-total")).to_have_attribute("data-total", "0", timeout=TIMEOUT)
    expect(page.locator("#events-total")).to_contain_text("Ingen hendelser")
    # The form keeps what was asked, escaped.
    expect(page.locator("#f-q")).to_have_value("zzzz-ikke-i-noen-setning")


def quad_label(quad: str) -> str:
    from hendelse.serve.pages import texts_for

    return re.escape(texts_for("nb")["quad_names"][quad])


def test_paging_through_the_list(page: Any, server: Any) -> None:
    total = api(server, "/api/events")["total"]
    page.goto("/?offset=5")
    expect(page.locator("#events-total")).to_have_text(f"Viser 6–{total} av {total}")
    expect(page.locator("tr.event-row")).to_have_count(total - 5)
    expected = api(server, "/api/events", limit=25, offset=5)["items"][0]
    row = page.locator("tr.event-row").first
    assert row.get_attribute("data-article-id") == expected["article_id"]
    assert row.get_attribute("data-event-id") == expected["id"]


def test_country_and_date_filters(page: Any, server: Any) -> None:
    expected = api(server, "/api/events", country="RUS")["total"]
    page.goto("/")
    page.locator("#f-country").fill("RUS")
    page.locator("#f-since").fill("2024-03")
    page.locator("#f-until").fill("2024-03")
    page.locator("#f-apply").click()
    page.wait_for_url(re.compile(r"country=RUS"))
    assert (
        shown_total(page)
        == (api(server, "/api/events", country="RUS", since="2024-03", until="2024-03")["total"])
    )
    assert 0 < expected < api(server, "/api/events")["total"]


# -- the article view ---------------------------------------------------------------


def test_clicking_an_event_opens_the_article_with_highlights_and_its_panel(
    page: Any, server: Any
) -> None:
    attributed = next(
        item for item in api(server, "/api/events", limit=500)["items"] if item["attribution"]
    )
    full = api(server, attributed["links"]["api"])
    page.goto("/?" + f"article={attributed['article_id']}")
    row = page.locator(
        f'tr.event-row[data-article-id="{attributed["article_id"]}"]'
        f'[data-event-id="{attributed["id"]}"]'
    )
    row.locator("a.evidence").click()
    page.wait_for_url(re.compile(re.escape(f"#event-{attributed['id']}") + "$"))
    heading = page.locator("#event-panel-heading")
    expect(heading).to_contain_text(f"{attributed['id']}: {attributed['type']}", timeout=TIMEOUT)
    # Highlights: the selected trigger, its actors, its attribution and the cue.
    selected = page.locator("#article-text a.trigger.sel")
    assert "".join(selected.all_inner_texts()) == attributed["trigger"]["text"]
    for actor in attributed["actors"]:
        assert actor["span"]["text"] in " ".join(
            page.locator("#article-text .actor").all_inner_texts()
        )
    cue = attributed["attribution"][0]["cue"]["text"]
    assert cue in " ".join(page.locator("#article-text .attribution.cue").all_inner_texts())
    # The panel: fields, the attribution chain, the explain rules.
    panel = page.locator("#event-panel")
    from hendelse.serve.pages import texts_for

    factuality = texts_for("nb")["factuality_names"][attributed["factuality"]]
    expect(panel.locator("dl.fields .chip.fact-" + attributed["factuality"])).to_have_text(
        factuality
    )
    chain = panel.locator(".chain-steps li")
    assert chain.count() == len(attributed["attribution"]) + 2  # article, sources, event
    expect(chain.nth(1)).to_contain_text(cue)
    explain_keys = panel.locator("dl.explain > dt").all_inner_texts()
    assert set(full["explain"]) <= set(explain_keys)
    expect(panel.locator("dl.explain")).to_contain_text(full["explain"]["entry"])


def test_selecting_another_event_moves_the_highlight(page: Any, server: Any) -> None:
    article = next(
        a
        for a in api(server, "/api/articles", limit=50)["items"]
        if len(api(server, "/api/events", article=a["id"])["items"]) >= 2
    )
    events = api(server, "/api/events", article=article["id"])["items"]
    page.goto(f"/articles/{article['id']}")
    buttons = page.locator("button.event-button")
    expect(buttons).to_have_count(len(events), timeout=TIMEOUT)
    expect(page.locator("#event-panel")).to_contain_text("Velg en hendelse")
    second = events[1]
    page.locator(f"#event-{second['id']}").click()
    expect(page.locator(f"#event-{second['id']}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#event-panel-heading")).to_contain_text(second["id"])
    assert page.url.endswith(f"#event-{second['id']}")
    sentence = page.locator("#article-text .in-sentence")
    assert second["trigger"]["text"] in "".join(sentence.all_inner_texts())
    # Every event's trigger is a link in the text; following one selects that event.
    first = events[0]
    page.locator(f'#article-text a.trigger[data-event="{first["id"]}"]').first.click()
    expect(page.locator("#event-panel-heading")).to_contain_text(first["id"])


# -- map, timeline, network ----------------------------------------------------------


def test_map_shows_located_events_clusters_and_popups(page: Any, server: Any) -> None:
    located = api(server, "/api/map")
    spots = Counter(tuple(f["geometry"]["coordinates"]) for f in located["features"])
    assert located["features"] and max(spots.values()) >= 2  # the fixtures have two in Oslo
    page.goto("/map")
    expect(page.locator("#map-status")).to_have_attribute(
        "data-count", str(len(located["features"])), timeout=TIMEOUT
    )
    expect(page.locator("path.country").first).to_be_attached(timeout=TIMEOUT)
    assert page.locator("path.country").count() > 200  # Natural Earth's admin-0 countries
    markers = page.locator("g.marker")
    counts = [int(c) for c in markers.evaluate_all("ms => ms.map(m => m.dataset.count)")]
    assert sum(counts) == len(located["features"])
    # Events at one spot stay a cluster; choosing it lists them in a popup.
    page.locator(f'g.marker.cluster[data-count="{max(spots.values())}"]').first.click()
    popup = page.locator("#map-popup")
    expect(popup).to_be_visible()
    expect(popup.locator("li")).to_have_count(max(spots.values()))
    page.keyboard.press("Escape")
    expect(popup).to_be_hidden()
    # Zooming changes the view and back; a single marker's popup links to its event.
    before = map_view(page)
    page.locator("#map-zoom-in").click()
    assert map_view(page)[2] == pytest.approx(before[2] * 1.5)
    page.locator("#map-zoom-out").click()
    assert map_view(page) == pytest.approx(before)
    single = page.locator('g.marker.single[data-count="1"]').first
    single.click()
    link = popup.locator("a.popup-link").first
    href = link.get_attribute("href")
    assert href in {f["properties"]["url"] for f in located["features"]}
    link.click()
    page.wait_for_url(re.compile(r"/articles/.+#event-"))
    expect(page.locator("#event-panel-heading")).to_be_visible(timeout=TIMEOUT)


def map_view(page: Any) -> list[float]:
    """The countries layer's translate x, y and scale."""
    transform = page.locator("g.countries").get_attribute("transform")
    return [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", transform)]


def test_map_with_a_filter_shows_only_matching_events(page: Any, server: Any) -> None:
    located = api(server, "/api/map", type="PROTEST")
    page.goto("/map?type=PROTEST")
    expect(page.locator("#map-status")).to_have_attribute(
        "data-count", str(len(located["features"])), timeout=TIMEOUT
    )
    assert len(located["features"]) < len(api(server, "/api/map")["features"])
    expect(page.locator("#map-list tbody tr")).to_have_count(len(located["features"]))


def test_timeline_brush_filters_the_list(page: Any, server: Any) -> None:
    timeline = api(server, "/api/stats/timeline", interval="day", by="quad")
    dates = [b["date"] for b in timeline["buckets"]]
    assert len(dates) >= 3
    page.goto("/timeline")
    bars = page.locator("g.bar")
    expect(bars.first).to_be_attached(timeout=TIMEOUT)
    counted = {
        b["date"]: b["count"]
        for b in bars.evaluate_all(
            "bs => bs.map(b => ({date: b.dataset.date, count: +b.dataset.count}))"
        )
    }
    for bucket in timeline["buckets"]:
        assert counted[bucket["date"]] == sum(bucket["counts"].values())
    everything = shown_total(page)
    # Drag from the first bar to the one of the second date with events.
    catcher = page.locator("rect.catcher").bounding_box()
    slots = len(counted)
    index = sorted(counted).index(dates[1])
    y = catcher["y"] + catcher["height"] / 2
    page.mouse.move(catcher["x"] + catcher["width"] * 0.5 / slots, y)
    page.mouse.down()
    page.mouse.move(catcher["x"] + catcher["width"] * (index + 0.5) / slots, y, steps=5)
    page.mouse.up()
    selection = page.locator("#timeline-selection")
    expect(selection).to_have_attribute("data-since", dates[0])
    expect(selection).to_have_attribute("data-until", dates[1])
    expected = api(server, "/api/events", since=dates[0], until=dates[1])["total"]
    expect(page.locator("#events-total")).to_have_attribute("data-total", str(expected))
    assert 0 < expected < everything
    expect(page.locator("#timeline-open")).to_have_attribute(
        "href", re.compile(f"since={dates[0]}.*until={dates[1]}")
    )
    # The keyboard: → picks the first bar, Shift+→ widens the selection, Esc clears it.
    page.locator("svg.timeline-svg").focus()
    page.keyboard.press("Escape")
    expect(selection).not_to_have_attribute("data-since", re.compile("."))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    days = sorted(counted)
    expect(selection).to_have_attribute("data-since", days[0])
    expect(selection).to_have_attribute("data-until", days[2])
    expected = api(server, "/api/events", since=days[0], until=days[2])["total"]
    expect(page.locator("#events-total")).to_have_attribute("data-total", str(expected))
    # Weeks: one bar per week, keyed by its Monday (also chosen by the URL).
    page.locator('input[name="interval"][value="week"]').check()
    weeks = api(server, "/api/stats/timeline", interval="week", by="quad")["buckets"]
    expect(page.locator("g.bar").first).to_have_attribute("data-date", weeks[0]["date"])
    for day in page.locator("g.bar").evaluate_all("bs => bs.map(b => b.dataset.date)"):
        assert dt.date.fromisoformat(day).weekday() == 0
    # Colour by factuality: the bars are redrawn by factuality class.
    page.locator('input[name="by"][value="factuality"]').check()
    expect(page.locator("g.bar rect[class^='fact-']").first).to_be_attached(timeout=TIMEOUT)
    assert page.locator("g.bar rect[class^='quad-']").count() == 0
    page.goto("/timeline?by=factuality&interval=week")
    expect(page.locator('input[name="interval"][value="week"]')).to_be_checked()
    expect(page.locator("g.bar").first).to_have_attribute("data-date", weeks[0]["date"])
    assert page.locator("g.bar rect[class^='quad-']").count() == 0


def test_network_draws_actors_and_weighted_coloured_edges(page: Any, server: Any) -> None:
    network = api(server, "/api/network")
    edges = [e for e in network["edges"] if e["source"] != e["target"]]
    nodes = {n for e in edges for n in (e["source"], e["target"])}
    assert edges
    page.goto("/network")
    expect(page.locator("a.node")).to_have_count(len(nodes), timeout=TIMEOUT)
    lines = page.locator("line.edge")
    expect(lines).to_have_count(len(edges))
    drawn = lines.evaluate_all(
        "ls => ls.map(l => ({source: l.dataset.source, target: l.dataset.target,"
        " weight: +l.dataset.weight, cls: l.getAttribute('class'),"
        " width: +l.getAttribute('stroke-width')}))"
    )
    by_pair = {(e["source"], e["target"]): e for e in edges}
    for line in drawn:
        edge = by_pair[(line["source"], line["target"])]
        assert line["weight"] == edge["weight"]
        assert "quad-" + edge["quad"].replace(" ", "-") in line["cls"]
        assert line["width"] > 0
    quads = {e["quad"] for e in edges}
    assert len(quads) >= 2  # colours differ by quad class
    # A node links to the event list filtered by that actor (or recipient, if it never acts).
    for node_id in sorted(nodes):
        node = page.locator(f'a.node[data-id="{node_id}"]')
        label = node.locator("text").text_content()
        role = "actor" if any(e["source"] == node_id for e in edges) else "recipient"
        assert node.get_attribute("href") == "/?" + urlencode({role: f"name:{label}"})
    node.click()
    page.wait_for_url(re.compile(rf"/\?{role}="))
    assert shown_total(page) == api(server, "/api/events", **{role: f"name:{label}"})["total"] > 0


# -- stories ----------------------------------------------------------------------


def test_story_list_filters(page: Any, server: Any) -> None:
    page.goto("/stories")
    expect(page.locator("#stories-total")).to_have_attribute(
        "data-total", str(api(server, "/api/stories")["total"]), timeout=TIMEOUT
    )
    page.locator("#s-min-articles").fill("2")
    page.locator("#s-apply").click()
    page.wait_for_url(re.compile(r"min_articles=2"))
    several = api(server, "/api/stories", min_articles=2)["total"]
    assert 0 < several < api(server, "/api/stories")["total"]
    expect(page.locator("#stories-total")).to_have_attribute(
        "data-total", str(several), timeout=TIMEOUT
    )
    expect(page.locator("#s-min-articles")).to_have_value("2")


def test_story_page_shows_how_factuality_changed(page: Any, server: Any) -> None:
    stories = api(server, "/api/stories", min_articles=2)["items"]
    story = next(s for s in stories if len(s["factuality_path"]) > 1)
    full = api(server, f"/api/stories/{story['id']}")
    page.goto("/stories")
    expect(page.locator("tr.story-row")).to_have_count(
        api(server, "/api/stories")["total"], timeout=TIMEOUT
    )
    page.locator(f'a[href="/stories/{story["id"]}"]').click()
    page.wait_for_url(re.compile(f"/stories/{story['id']}$"))
    steps = page.locator("#story-history li.step")
    expect(steps).to_have_count(len(full["factuality_history"]), timeout=TIMEOUT)
    shown = steps.evaluate_all("ss => ss.map(s => s.dataset.factuality)")
    assert shown == [h["factuality"] for h in full["factuality_history"]]
    assert page.locator("#story-history li.step.changed").count() >= 1
    from hendelse.serve.pages import texts_for

    names = texts_for("nb")["factuality_names"]
    first, last = story["factuality_path"][0], story["factuality_path"][-1]
    expect(page.locator("#story-changes")).to_contain_text(f"{names[first]} → {names[last]}")
    for article in full["articles"]:
        expect(page.locator("main")).to_contain_text(article["title"])


# -- paste ------------------------------------------------------------------------


def test_paste_extracts_and_shows_the_article_view(page: Any) -> None:
    text = (
        "Statsminister Jonas Gahr Støre møtte Sveriges statsminister Ulf Kristersson "
        "i Stockholm mandag.\n\nDe to lederne diskuterte forsvarssamarbeid i Norden."
    )
    page.goto("/paste")
    page.locator("#paste-title").fill("Støre i Stockholm")
    page.locator("#paste-text").fill(text)
    page.locator("#paste-submit").click()
    buttons = page.locator("button.event-button")
    expect(buttons.first).to_be_visible(timeout=EXTRACT_TIMEOUT)
    expect(page.locator("#article-title")).to_have_text("Støre i Stockholm")
    assert page.locator("#article-text").inner_text() == text
    buttons.first.click()
    expect(page.locator("#event-panel-heading")).to_be_visible()
    trigger = "".join(page.locator("#article-text a.trigger.sel").all_inner_texts())
    assert trigger and trigger in text
    expect(page.locator("#event-panel dl.explain")).to_be_visible()


def test_paste_refuses_an_empty_text(page: Any) -> None:
    page.goto("/paste")
    page.locator("#paste-text").fill("   ")
    page.locator("#paste-form").evaluate("f => f.requestSubmit()")
    expect(page.locator("#paste-status")).to_have_text("Lim inn en tekst først.")


def test_paste_shows_the_servers_message_for_a_bad_date(page: Any, server: Any) -> None:
    body = {"text": "Støre møtte Kristersson i Oslo.", "published": "i fjor"}
    refused = server.post("/api/extract", json=body)
    assert refused.status_code == 422
    page.goto("/paste")
    page.locator("#paste-text").fill(body["text"])
    page.locator("#paste-published").fill(body["published"])
    page.locator("#paste-submit").click()
    error = page.locator("#article-view .error")
    expect(error).to_be_visible(timeout=TIMEOUT)
    expect(error).to_contain_text(refused.json()["message"])


# -- language and keyboard ------------------------------------------------------------


def test_language_toggle_switches_and_is_remembered(page: Any) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Hendelser")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    page.locator("#lang-switch").click()
    expect(page.locator("h1")).to_have_text("Events")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#events-total")).to_contain_text("Showing", timeout=TIMEOUT)
    page.goto("/map")  # remembered in a cookie
    expect(page.locator("h1")).to_have_text("Map of events")
    expect(page.locator("nav")).to_contain_text("Timeline")
    page.locator("#lang-switch").click()
    expect(page.locator("h1")).to_have_text("Kart over hendelser")


def test_keyboard_reaches_filters_and_rows_and_enter_opens_an_event(page: Any) -> None:
    page.goto("/")
    expect(page.locator("tr.event-row").first).to_be_visible(timeout=TIMEOUT)
    seen: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement;"
            " return (a.id || '') + '|' + (a.className || '') + '|' + a.tagName; }"
        )
        seen.append(focused)
        if "evidence" in focused:
            break
    assert any(item.startswith("f-q|") for item in seen), seen
    assert any(item.startswith("f-apply|") for item in seen), seen
    assert "evidence" in seen[-1], seen
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    expect(page.locator("#event-panel-heading")).to_be_visible(timeout=TIMEOUT)
    # In the article, Tab reaches the event buttons and Enter selects one.
    page.locator("button.event-button").last.focus()
    page.keyboard.press("Enter")
    last_id = page.locator("button.event-button").last.get_attribute("data-event")
    expect(page.locator("#event-panel-heading")).to_contain_text(last_id)


def test_skip_link_and_headings(page: Any) -> None:
    page.goto("/timeline")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


# -- screenshots ------------------------------------------------------------------


def test_screenshots_of_every_page(page: Any, server: Any, tmp_path: Path) -> None:
    folder = SCREENSHOTS if os.environ.get("HENDELSE_UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    attributed = next(
        item for item in api(server, "/api/events", limit=500)["items"] if item["attribution"]
    )
    story = api(server, "/api/stories", min_articles=2)["items"][0]
    shots = {
        "events": ("/", "#events-total"),
        "article": (attributed["links"]["page"], "#event-panel-heading"),
        "map": ("/map", "g.marker"),
        "timeline": ("/timeline", "g.bar"),
        "network": ("/network", "a.node"),
        "stories": ("/stories", "tr.story-row"),
        "story": (f"/stories/{story['id']}", "#story-history"),
    }
    for name, (path, ready) in shots.items():
        page.goto(path)
        expect(page.locator(ready).first).to_be_visible(timeout=TIMEOUT)
        page.screenshot(path=str(folder / f"{name}.png"))
    page.goto("/paste")
    page.locator("#paste-title").fill("Nordisk forsvarsmøte")
    page.locator("#paste-text").fill(
        "Forsvarsminister Bjørn Arild Gram møtte sin svenske kollega Pål Jonson i Oslo "
        "tirsdag, opplyser Forsvarsdepartementet.\n\nDe to vil styrke samarbeidet om "
        "luftforsvar, ifølge departementet."
    )
    page.locator("#paste-submit").click()
    expect(page.locator("button.event-button").first).to_be_visible(timeout=EXTRACT_TIMEOUT)
    page.locator("button.event-button").first.click()
    page.screenshot(path=str(folder / "paste.png"))
    for name in [*shots, "paste"]:
        assert (folder / f"{name}.png").stat().st_size > 10_000


def test_every_text_key_the_pages_use_exists_in_both_languages() -> None:
    from hendelse.serve.pages import LANGUAGES, texts, texts_for

    used: set[str] = set()
    for template in (SERVE / "templates").glob("*.html"):
        source = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\.(\w+)", source))
        used |= set(re.findall(r"\bt\[\"(\w+)\"\]", source))
    for script in (SERVE / "static").glob("*.js"):
        used |= set(re.findall(r"\bt\(\"(\w+)\"", script.read_text(encoding="utf-8")))
    used |= {f"nav_{key}" for key in ("events", "map", "timeline", "network", "stories", "paste")}
    known = texts()
    missing = sorted(k for k in used if k not in known)
    assert not missing, f"texts.yaml lacks {missing}"
    for lang in LANGUAGES:
        assert json.dumps(texts_for(lang))  # every value is plain data
