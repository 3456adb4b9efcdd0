"""The evaluation scorer: gold loading, matching, attributes, checks, and our gold set.

The fixture article and its gold are in ``fixtures/scorer/gold``; the predicted
records in ``fixtures/scorer/predictions`` are written to hit one rule each:

- ``perfect`` / ``perfect-v1``: every event right (month-only / day-precise times);
- ``mismatch``: wrong type, wrong actor, reversed non-symmetric actors, a
  reversed symmetric meeting, a duplicate, and the photographer as an actor;
- ``attributes``: every event matched, with wrong places, times, factuality, sources;
- ``greedy``: one prediction that fits two gold events, and two equal fits for one.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from hendelse.evaluate import (
    GoldError,
    evaluate_paths,
    load_gold,
    load_gold_paths,
    predict_from_folder,
    score,
)
from hendelse.evaluate.gold import GoldParty, GoldTime, find_all
from hendelse.evaluate.scorer import check_attribution, check_time, haversine_km

from .conftest import FIXTURES, REPO

SCORER = FIXTURES / "scorer"
GOLD = SCORER / "gold" / "moete-stockholm.json"


def prediction(name: str) -> dict[str, Any]:
    return json.loads((SCORER / "predictions" / f"{name}.json").read_text("utf-8"))


def fixed(record: dict[str, Any]):
    """A predictor that returns ``record`` whatever it is asked."""
    return lambda text, published, doc_id: record


@pytest.fixture
def base():
    return load_gold(GOLD)[:1]


@pytest.fixture
def variant():
    return load_gold(GOLD)[1:]


def outcomes(report) -> dict[str, str | None]:
    return {r.gold_id: r.predicted for r in report.gold_events}


def attribute_counts(report) -> dict[str, tuple[int, int]]:
    return {name: (t.correct, t.total) for name, t in report.attributes.items()}


# --------------------------------------------------------------------------- events


def test_perfect_prediction(base):
    report = score(base, fixed(prediction("perfect")))
    assert (report.events.tp, report.events.fp, report.events.fn) == (4, 0, 0)
    assert report.events.precision == report.events.recall == report.events.f1 == 1.0
    assert outcomes(report) == {"g1": "V1", "g2": "V2", "g3": "V3", "g4": "V4", "o1": "V5"}
    assert (report.optional_matched, report.optional_missed) == (1, 0)
    assert attribute_counts(report) == {
        "location": (2, 2),
        "time": (3, 3),
        "factuality": (5, 5),
        "attribution": (3, 3),
    }
    assert {t: (c.tp, c.fp, c.fn) for t, c in report.by_type.items()} == {
        "CONSULT": (2, 0, 0),
        "ACCUSE": (1, 0, 0),
        "PROTEST": (1, 0, 0),
    }
    assert report.false_positives == []
    assert report.warnings == []


def test_type_actor_symmetry_duplicates_and_not_actors(base):
    report = score(base, fixed(prediction("mismatch")))
    # g1 matched though coded as a visit the other way round (symmetric);
    # g2 matched once, its duplicate V5 is a false positive;
    # g3: V2 has the wrong type, V7 the actors reversed (not symmetric);
    # g4: V3 has the wrong actor; the optional o1 is missed at no cost.
    assert outcomes(report) == {"g1": "V1", "g2": "V4", "g3": None, "g4": None, "o1": None}
    assert (report.events.tp, report.events.fp, report.events.fn) == (2, 5, 2)
    assert report.events.precision == pytest.approx(2 / 7)
    assert report.events.recall == pytest.approx(0.5)
    assert (report.optional_matched, report.optional_missed) == (0, 1)
    reasons = {f.predicted: f.reason for f in report.false_positives}
    assert sorted(reasons) == ["V2", "V3", "V5", "V6", "V7"]
    assert reasons["V2"] == "g3: type REJECT not in ACCUSE"
    assert reasons["V5"] == "duplicate: fits g2, which is matched to V4"
    assert reasons["V7"].startswith("g3: participants do not fit")
    assert {t: (c.tp, c.fp, c.fn) for t, c in report.by_type.items()} == {
        "CONSULT": (2, 2, 0),
        "REJECT": (0, 1, 0),
        "PROTEST": (0, 1, 1),
        "ACCUSE": (0, 1, 1),
    }
    # the photographer of the caption used as an actor
    not_actors = report.checks["not_actors kept out"]
    assert (not_actors.correct, not_actors.total) == (1, 2)
    assert [(f.kind, f.name, f.detail) for f in report.check_failures] == [
        ("not_actor", "Per Fotograf", "used as V6 actor")
    ]


def test_each_attribute_rule(base):
    report = score(base, fixed(prediction("attributes")))
    assert (report.events.tp, report.events.fp, report.events.fn) == (4, 0, 0)
    assert attribute_counts(report) == {
        "location": (0, 2),  # Oslo for Stockholm (416 km); a Swedish place for Stortinget
        "time": (0, 3),  # evening for afternoon; a Thursday for Wednesday; weekday field
        "factuality": (3, 5),
        "attribution": (1, 3),  # NTB missing; a source where the gold has none
    }
    by_id = {r.gold_id: r for r in report.gold_events}
    assert by_id["g1"].attributes == {
        "location": False,
        "time": False,
        "factuality": True,
        "attribution": True,
    }
    assert "Oslo is 416 km away (limit 50)" in by_id["g1"].details[0]
    assert by_id["g3"].details[0] == "time: 2024-03-14 is a thursday, not a wednesday"
    assert by_id["g4"].details[:2] == [
        "location: Stockholm is in SWE, not NOR",
        "time: weekday 'friday', not 'thursday'",
    ]


def test_one_prediction_fills_one_gold_event(base):
    record = prediction("greedy")
    report = score(base, fixed(record))
    # V1 fits g2 by its sentence and g1 by a mention; V2 fits g1 by its trigger.
    # V3 and V4 fit g3 equally; V4's factuality agrees, so V4 wins.
    assert outcomes(report) == {"g1": "V2", "g2": "V1", "g3": "V4", "g4": None, "o1": None}
    assert [(f.predicted, f.reason) for f in report.false_positives] == [
        ("V3", "duplicate: fits g3, which is matched to V4")
    ]
    without_v2 = copy.deepcopy(record)
    without_v2["events"] = [e for e in record["events"] if e["id"] != "V2"]
    report = score(base, fixed(without_v2))
    assert outcomes(report)["g1"] is None
    assert outcomes(report)["g2"] == "V1"
    assert (report.events.tp, report.events.fp, report.events.fn) == (2, 1, 2)


def test_empty_and_failing_predictions(base):
    report = score(base, fixed({"schema": "hendelse/1", "entities": [], "events": []}))
    assert (report.events.tp, report.events.fp, report.events.fn) == (0, 0, 4)
    assert report.events.precision is None
    assert report.events.f1 == 0.0

    def broken(text: str, published: str | None, doc_id: str) -> dict[str, Any]:
        raise RuntimeError("model not loaded")

    report = score(base, broken)
    assert report.events.fn == 4
    assert report.warnings == ["moete-stockholm: predict failed: RuntimeError: model not loaded"]


def test_bad_spans_and_references_are_warnings(base):
    record = prediction("perfect")
    record["events"][0]["trigger"]["text"] = "møter"
    record["events"][2]["actor"][0]["entity"] = "E99"
    report = score(base, fixed(record))
    assert len(report.warnings) == 2
    assert "span text 'møter'" in report.warnings[0]
    assert "unknown entity 'E99'" in report.warnings[1]
    assert outcomes(report)["g3"] is None  # its actor cannot be resolved


# --------------------------------------------------------------------------- variants


def test_variants_override_published_and_times(variant):
    (case,) = variant
    assert case.case_id == "moete-stockholm@v1"
    assert case.published == "2024-03-14T09:00:00+01:00"
    times = {e.id: e.time for e in case.events}
    assert times["g1"] == GoldTime("2024-03-12", "tuesday", "afternoon")  # weekday, part kept
    assert times["g2"] is None
    assert times["g4"] == GoldTime("2024-03-14", "thursday", None)


def test_variants_score_date_resolution(base, variant):
    def time_tally(cases, name: str) -> tuple[int, int]:
        tally = score(cases, fixed(prediction(name))).attributes["time"]
        return tally.correct, tally.total

    assert time_tally(base, "perfect") == (3, 3)
    assert time_tally(variant, "perfect") == (0, 3)  # "2024-03" no longer enough
    assert time_tally(variant, "perfect-v1") == (3, 3)
    assert time_tally(base, "perfect-v1") == (3, 3)  # days on the right weekdays


def test_evaluate_paths_with_stored_predictions(tmp_path: Path):
    shutil.copy(SCORER / "predictions" / "perfect.json", tmp_path / "moete-stockholm.json")
    shutil.copy(SCORER / "predictions" / "perfect-v1.json", tmp_path / "moete-stockholm@v1.json")
    seen: list[tuple[str | None, str]] = []
    stored = predict_from_folder(tmp_path)

    def predict(text: str, published: str | None, doc_id: str) -> dict[str, Any]:
        assert text.startswith(" date 2024-03\nStatsministeren møtte")
        seen.append((published, doc_id))
        return stored(text, published, doc_id)

    report = evaluate_paths([SCORER / "gold"], predict)
    assert seen == [
        ("2024-03", "moete-stockholm"),
        ("2024-03-14T09:00:00+01:00", "moete-stockholm@v1"),
    ]
    assert report.cases == ["moete-stockholm", "moete-stockholm@v1"]
    assert (report.events.tp, report.events.fp, report.events.fn) == (8, 0, 0)
    assert (report.attributes["time"].correct, report.attributes["time"].total) == (6, 6)

    data = json.loads(json.dumps(report.to_dict()))
    assert data["events"] == {"tp": 8, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert data["attributes"]["location"] == {"correct": 4, "total": 4, "accuracy": 1.0}
    assert data["checks"]["not_actors kept out"]["total"] == 4

    console = Console(record=True, width=160)
    report.print(console)
    printed = console.export_text()
    for heading in ("Events (2 cases)", "Attributes on matched pairs", "Gold events", "CONSULT"):
        assert heading in printed


# --------------------------------------------------------------------------- rules in isolation


def test_time_rules():
    gold = GoldTime("2023-09", "wednesday", "afternoon")
    assert check_time(gold, {"value": "2023-09-13TAF"}) == (True, "")
    assert check_time(gold, {"value": "2023-09", "weekday": "wednesday", "part": "afternoon"})[0]
    assert not check_time(gold, {"value": "2023-09-12"})[0]  # a Tuesday
    assert not check_time(gold, {"value": "2023-09-13TMO"})[0]
    assert not check_time(gold, {"value": "2023-09", "part": "evening"})[0]
    assert not check_time(gold, {"value": "2023"})[0]
    assert not check_time(gold, None)[0]
    assert not check_time(GoldTime("2019"), {"value": "2091"})[0]


def test_attribution_order():
    kyodo = GoldParty("JPN", ("Kyodo",))
    official = GoldParty("RUS")
    said = [("E7", {"name": "Kyodo", "country": "JPN"}), ("E8", {"name": "tjenesteperson"})]
    assert not check_attribution([kyodo, official], said)[0]  # E8 has no country
    said[1][1]["country"] = "RUS"
    assert check_attribution([kyodo, official], said) == (True, "")
    assert check_attribution([kyodo], said)[0]  # extra sources are allowed
    assert not check_attribution([official, kyodo], said)[0]  # order matters
    assert not check_attribution([], said)[0]
    assert check_attribution([], [])[0]


def test_distance_and_names():
    assert haversine_km(59.91, 10.75, 59.33, 18.07) == pytest.approx(416, abs=2)
    assert GoldParty(None, ("Sergej Sjojgu",)).keys == {"sergej sjojgu"}
    assert GoldParty(None, ("Håkon",)).keys == {"hakon"}
    assert find_all("aaa", "aa") == [(0, 2), (1, 3)]


# --------------------------------------------------------------------------- gold errors


def write_gold(tmp_path: Path, **changes: Any) -> Path:
    data = json.loads(GOLD.read_text("utf-8"))
    data["text_file"] = str(GOLD.with_suffix(".txt"))
    for key, value in changes.items():
        data[key] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def event_with(**fields: Any) -> list[dict[str, Any]]:
    events = json.loads(GOLD.read_text("utf-8"))["events"]
    events[0] = {**events[0], **fields}
    return events


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"events": event_with(types=["MEET"])}, "events[g1].types[0]: 'MEET' is not a PLOVER"),
        ({"events": event_with(evidence=["Ingen slik setning."])}, "events[g1].evidence[0]:"),
        ({"events": event_with(factuality=["certain"])}, "events[g1].factuality[0]:"),
        ({"events": event_with(actor=[{}])}, "events[g1].actor[0]: needs a 'country' or 'names'"),
        ({"events": event_with(time={"weekday": "tirsdag"})}, "events[g1].time.weekday:"),
        ({"events": event_with(location={"lat": 59.3})}, "events[g1].location: give both"),
        ({"events": event_with(actors=[])}, "events[g1].actors: unknown field"),
        ({"variants": [{"published": "2024-03-14", "times": {"g9": {}}}]}, "variants[0].times.g9"),
        ({"published": "14.03.2024"}, "published: published date '14.03.2024' is not ISO"),
        ({"text_file": "missing.txt"}, "text_file: cannot read"),
    ],
)
def test_gold_errors_name_the_file_and_the_field(tmp_path: Path, changes, message):
    path = write_gold(tmp_path, **changes)
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_the_seed_gold_file_loads():
    from .conftest import shared_path

    cases = load_gold(shared_path("gold", "seed-kim-khasan.json"))
    assert [c.case_id for c in cases] == ["seed-kim-khasan", "seed-kim-khasan@v1"]
    assert len(cases[0].events) == 16
    assert {e.id: e.time for e in cases[1].events}["g2"] == GoldTime(
        "2023-09-13", "wednesday", "afternoon"
    )


# --------------------------------------------------------------------------- our gold set

GOLD_SET = REPO / "gold"
GOLD_FILES = sorted(GOLD_SET.glob("*.json"))


def test_the_gold_set_is_there():
    assert len(GOLD_FILES) >= 10


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_loads_and_its_evidence_is_in_the_text(path: Path):
    cases = load_gold(path, check_evidence=False)
    text = cases[0].text
    assert cases[0].doc == path.stem
    words = len(text.split())
    assert 150 <= words <= 350, f"{path.name}: {words} words"
    for event in cases[0].events:
        for evidence in event.evidence:
            assert evidence in text, f"{path.name} {event.id}: {evidence!r}"
        assert event.types, f"{path.name} {event.id}"
    for name in cases[0].not_actors:
        assert name in text, f"{path.name}: not_actor {name!r} is not in the text"


def test_gold_set_loads_as_a_whole():
    cases = load_gold_paths([GOLD_SET])
    assert len({c.doc for c in cases}) == len(GOLD_FILES)


def oracle(case) -> dict[str, Any]:
    """The record a perfect extractor would give for a case, built from its gold."""
    entities: list[dict[str, Any]] = []
    places: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []

    def entity(party: GoldParty) -> dict[str, Any]:
        entities.append(
            {
                "id": f"E{len(entities) + 1}",
                "name": party.names[0] if party.names else None,
                "country": party.country,
            }
        )
        return {"entity": entities[-1]["id"]}

    for gold in case.events:
        start = case.text.index(gold.evidence[0])
        event: dict[str, Any] = {
            "id": f"V{len(events) + 1}",
            "type": gold.types[0],
            "actor": [entity(p) for p in gold.actor],
            "recipient": [entity(p) for p in gold.recipient],
            "sentence": {"start": start, "end": start + len(gold.evidence[0])},
            "factuality": gold.factuality[0] if gold.factuality else None,
            "attribution": [entity(p) for p in gold.attribution or ()],
        }
        if gold.location:
            place = gold.location
            places.append(
                {"id": f"P{len(places) + 1}", "country": place.country, "lat": place.lat}
                | {"lon": place.lon, "name": (place.names or ("?",))[0]}
            )
            event["location"] = {"place": places[-1]["id"]}
        if gold.time:
            event["time"] = {
                "value": gold.time.value,
                "weekday": gold.time.weekday,
                "part": gold.time.part,
            }
        events.append(event)
    return {"schema": "hendelse/1", "entities": entities, "places": places, "events": events}


def test_a_perfect_extractor_scores_perfectly_on_the_gold_set():
    """The gold is consistent: dates fall on their weekdays, evidence does not collide."""
    cases = load_gold_paths([GOLD_SET])
    by_id = {c.case_id: c for c in cases}
    report = score(cases, lambda text, published, doc_id: oracle(by_id[doc_id]))
    assert report.warnings == []
    assert report.false_positives == []
    assert report.events.fn == 0
    wrong = [(r.case, r.gold_id, r.details) for r in report.gold_events if not r.matched]
    wrong += [(r.case, r.gold_id, r.details) for r in report.gold_events if r.details]
    assert wrong == []
    assert report.optional_missed == 0


def test_command_line_scores_stored_predictions(tmp_path: Path, capsys):
    from hendelse.evaluate.__main__ import main

    shutil.copy(SCORER / "predictions" / "mismatch.json", tmp_path / "moete-stockholm.json")
    out = tmp_path / "report.json"
    args = [str(SCORER / "gold"), "--predictions", str(tmp_path), "--json", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "False positives" in printed
    data = json.loads(out.read_text("utf-8"))
    assert "no prediction" in data["warnings"][0]  # the variant has no stored record
    assert data["events"]["tp"] == 2
    assert data["events"]["fn"] == 2 + 4
    assert main([str(tmp_path / "nothing"), "--predictions", str(tmp_path)]) == 2
