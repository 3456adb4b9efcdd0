"""Acceptance lists for actor and place resolution (``tests/data/resolution``).

The issue asks for at least 300 place mentions and 200 actor mentions in
Norwegian sentences, in set categories, resolved at least 95 % right; each
category is held to 90 % here. The lists are read through the whole pipeline
by :mod:`hendelse.resolve.evaluate`; ``python -m hendelse.resolve.evaluate``
prints the same figures with every failure and its explanation.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from hendelse.resolve import actors, countries
from hendelse.resolve.evaluate import (
    ACTORS_FILE,
    PLACES_FILE,
    REQUIRED_CATEGORY,
    REQUIRED_OVERALL,
    Item,
    ListError,
    _options,
    covering,
    evaluate_lists,
    find_mention,
    load_list,
    score_actor,
    score_place,
)
from hendelse.resolve.gazetteer import FEATURES

# The minimum sizes (written here, not read from the lists).
PLACE_MINIMUMS = {
    "countries": 60,
    "cities": 100,
    "small_places": 60,
    "facilities": 30,
    "regions": 50,
}
ACTOR_MINIMUMS = {
    "heads": 50,
    "ministers": 40,
    "media": 30,
    "igos": 30,
    "unknown_by_title": 30,
    "metonymy": 30,
}
PLACES_TOTAL = 300
ACTORS_TOTAL = 200
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def place_items() -> list[Item]:
    return load_list(PLACES_FILE, "places")


@pytest.fixture(scope="module")
def actor_items() -> list[Item]:
    return load_list(ACTORS_FILE, "actors")


# --------------------------------------------------------------------------- the lists


def test_list_sizes(place_items, actor_items):
    places = Counter(item.category for item in place_items)
    people = Counter(item.category for item in actor_items)
    assert set(places) == set(PLACE_MINIMUMS), sorted(places)
    assert set(people) == set(ACTOR_MINIMUMS), sorted(people)
    short = {c: (places[c], n) for c, n in PLACE_MINIMUMS.items() if places[c] < n}
    short |= {c: (people[c], n) for c, n in ACTOR_MINIMUMS.items() if people[c] < n}
    assert not short, f"categories below their minimum (have, need): {short}"
    assert len(place_items) >= PLACES_TOTAL
    assert len(actor_items) >= ACTORS_TOTAL


def _valid_country(code: str) -> bool:
    return code == "IGO" or countries.by_iso3(code) is not None


def test_place_items_are_well_formed(place_items):
    seen = set()
    for item in place_items:
        where = f"{item.label} {item.mention!r}"
        assert (item.sentence, item.mention) not in seen, f"{where}: duplicate"
        seen.add((item.sentence, item.mention))
        expected = item.expected
        codes, features = _options(expected["country"]), _options(expected["feature"])
        assert all(_valid_country(c) for c in codes), f"{where}: unknown country {codes}"
        assert set(features) <= set(FEATURES), f"{where}: unknown feature {features}"
        if "country" in features:
            continue
        assert -90 <= expected["lat"] <= 90 and -180 <= expected["lon"] <= 180, where
        assert round(expected["lat"], 2) == expected["lat"], f"{where}: 2 decimals"
        assert round(expected["lon"], 2) == expected["lon"], f"{where}: 2 decimals"
        assert expected["km"] > 0, where


def test_actor_items_are_well_formed(actor_items):
    seen = set()
    for item in actor_items:
        where = f"{item.label} {item.mention!r}"
        assert (item.sentence, item.mention) not in seen, f"{where}: duplicate"
        seen.add((item.sentence, item.mention))
        expected = item.expected
        assert _valid_country(expected["country"]), f"{where}: unknown country"
        assert expected["sector"] in actors.SECTORS, f"{where}: unknown sector"
        assert item.published and ISO_DATE.match(item.published), f"{where}: date"
        if expected.get("kb"):
            kb = actors.get(expected["kb"])  # KeyError: an id the knowledge base lacks
            assert kb.type in ("PER", "ORG"), where
    raw = yaml.safe_load(ACTORS_FILE.read_text(encoding="utf-8"))["items"]
    for category in ("heads", "ministers"):
        undated = [e["mention"] for e in raw[category] if "date" not in e]
        assert not undated, f"{category}: office holders need a date: {undated}"


# --------------------------------------------------------------------------- the scorer


def test_find_mention_takes_whole_words():
    assert find_mention("Parisavtalen ble vedtatt i Paris.", "Paris") == (27, 32)
    assert find_mention("Rena leir ligger ved Rena.", "Rena", nth=2) == (21, 25)
    assert find_mention("Hellas' økonomi vokser.", "Hellas'") == (0, 7)
    with pytest.raises(ListError):
        find_mention("Flyet landet i Oslo.", "Bergen")


def test_covering_prefers_most_overlap_then_covering_span():
    holders = [
        {"id": "a", "mentions": [{"start": 0, "end": 6}]},
        {"id": "b", "mentions": [{"start": 0, "end": 13}]},
        {"id": "c", "mentions": [{"start": 20, "end": 25}]},
    ]
    assert covering(holders, 0, 13)["id"] == "b"
    assert covering(holders, 0, 6)["id"] == "a"
    assert covering(holders, 14, 19) is None


def _item(kind: str, expected: dict, category: str = "cities") -> Item:
    return Item(kind, category, 1, "Flyalarmen gikk i Kyiv.", "Kyiv", 18, 22, None, expected)


def test_score_place_checks_country_feature_and_distance():
    expected = {"country": "UKR", "lat": 50.45, "lon": 30.52, "km": 50, "feature": "city"}
    kyiv = {"country": "UKR", "lat": 50.45, "lon": 30.52, "feature": "city"}
    record = {"places": [{**kyiv, "mentions": [{"start": 18, "end": 22}]}], "entities": []}
    assert score_place(_item("places", expected), record).ok
    far = {**kyiv, "lat": 49.0}
    record = {"places": [{**far, "mentions": [{"start": 18, "end": 22}]}], "entities": []}
    outcome = score_place(_item("places", expected), record)
    assert not outcome.ok and "km from the expected point" in outcome.why[0]
    outcome = score_place(_item("places", expected), {"places": [], "entities": []})
    assert not outcome.ok and outcome.got is None


def test_score_actor_checks_country_sector_and_kb():
    expected = {"country": "UKR", "sector": "GOV", "kb": "ukr-zelensky-volodymyr"}
    entity = {"country": "UKR", "sector": "GOV", "kb": "ukr-zelensky-volodymyr"}
    record = {"entities": [{**entity, "mentions": [{"start": 18, "end": 22}]}], "places": []}
    assert score_actor(_item("actors", expected, "metonymy"), record).ok
    record["entities"][0]["kb"] = None
    outcome = score_actor(_item("actors", expected, "metonymy"), record)
    assert not outcome.ok and outcome.why == ["kb None is not ukr-zelensky-volodymyr"]


# --------------------------------------------------------------------------- accuracy


@pytest.fixture(scope="module")
def report(nlp) -> dict:
    return evaluate_lists(PLACES_FILE, ACTORS_FILE)


def _failures(report: dict, kind: str, category: str | None = None, limit: int = 25) -> str:
    lines = []
    for failure in report["failures"]:
        if failure["list"] != kind or (category and failure["category"] != category):
            continue
        lines.append(
            f"  {failure['category']}#{failure['number']} {failure['mention']!r}: "
            f"{'; '.join(failure['why'])}"
        )
    more = f"\n  … and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


#: Lists or categories still below the bar, as strict expected failures: one that
#: reaches the bar fails the run until it is taken off. Empty since 2026-12-03
#: (places 439/439, actors 284/284; docs/resolution.md).
BELOW_THE_BAR: dict[tuple[str, str | None], str] = {}


def _case(kind: str, category: str | None = None):
    reason = BELOW_THE_BAR.get((kind, category))
    marks = [pytest.mark.xfail(reason=f"issue 4 open: {reason}", strict=True)] if reason else []
    return pytest.param(kind, category, marks=marks, id=f"{kind}-{category or 'all'}")


@pytest.mark.parametrize(("kind", "category"), [_case("places"), _case("actors")])
def test_overall_accuracy(report, kind, category):
    part = report[kind]
    assert part["accuracy"] >= REQUIRED_OVERALL, (
        f"{kind}: {part['correct']} of {part['total']} right ({part['accuracy']:.1%}), "
        f"{REQUIRED_OVERALL:.0%} required; failures:\n{_failures(report, kind)}"
    )


@pytest.mark.parametrize(
    ("kind", "category"),
    [_case("places", c) for c in PLACE_MINIMUMS] + [_case("actors", c) for c in ACTOR_MINIMUMS],
)
def test_category_accuracy(report, kind, category):
    counts = report[kind]["categories"][category]
    assert counts["accuracy"] >= REQUIRED_CATEGORY, (
        f"{kind}/{category}: {counts['correct']} of {counts['total']} right "
        f"({counts['accuracy']:.1%}), {REQUIRED_CATEGORY:.0%} required; failures:\n"
        f"{_failures(report, kind, category)}"
    )
