"""Score predicted event records ("hendelse/1") against gold annotations.

The rules are those of ``shared/gold/README.md``. A predicted event *fits* a
gold event when its type is one of the gold ``types``, one of the gold
evidence strings (each of its occurrences in the text, as a character range)
overlaps the predicted ``trigger``, ``sentence`` or a ``mentions`` span, and
its actors fit. Fits are then turned into a one-to-one assignment, best first:
each gold event takes at most one predicted event and each predicted event
fills at most one gold event, so a duplicate of an already matched event
counts against precision.

Readings of the rules where the README leaves room:

- a gold event without ``actor`` entries puts no constraint on actors (an
  attack by an unknown perpetrator);
- with ``symmetric`` the actor side and the recipient side must be filled by
  two different predicted entities: one entity cannot meet itself;
- a predicted event matched to an optional gold event counts neither way,
  but its attributes are scored like any matched pair's.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hendelse.evaluate.gold import (
    WEEKDAYS,
    GoldCase,
    GoldEvent,
    GoldLocation,
    GoldParty,
    GoldTime,
    find_all,
    load_gold_paths,
    normalise_name,
)
from hendelse.evaluate.report import (
    CheckFailure,
    FalsePositive,
    GoldEventResult,
    Report,
)

#: ``predict(text, published, doc_id) -> hendelse/1 record``
Predict = Callable[[str, str | None, str], dict[str, Any]]

SCHEMA = "hendelse/1"
#: A gold place with coordinates is found when the predicted one is this close.
PLACE_KM = 50.0
EARTH_RADIUS_KM = 6371.0088
_PART_CODES = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_PART_SUFFIX = re.compile(r"T(MO|AF|EV|NI)$")
#: How strongly an evidence overlap ties a prediction to a gold event, by predicted span kind.
_EVIDENCE_WEIGHT = {"trigger": 3.0, "sentence": 2.0, "mentions": 1.0}

Span = tuple[int, int]
Entity = dict[str, Any]


# --------------------------------------------------------------------------- the predicted record


@dataclass
class _Pred:
    """A predicted event with its entity references resolved."""

    index: int
    id: str
    type: str | None
    raw: dict[str, Any]
    spans: dict[str, list[Span]]
    actors: list[tuple[str, Entity]]  # (entity id, entity)
    recipients: list[tuple[str, Entity]]
    attribution: list[tuple[str, Entity]]
    sentence: str | None = None


@dataclass
class _Record:
    entities: dict[str, Entity] = field(default_factory=dict)
    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[_Pred] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _span(value: Any, text: str, warn: Callable[[str], None], where: str) -> Span | None:
    if not isinstance(value, dict):
        return None
    start, end = value.get("start"), value.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        warn(f"{where}: not a span of the text ({start!r}..{end!r})")
        return None
    said = value.get("text")
    if isinstance(said, str) and said != text[start:end]:
        warn(f"{where}: span text {said!r} is not text[{start}:{end}] {text[start:end]!r}")
    return start, end


def _by_id(items: Any, kind: str, warn: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    if items is None:
        return found
    if not isinstance(items, list):
        warn(f"'{kind}' is not a list")
        return found
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            found[item["id"]] = item
        else:
            warn(f"{kind}[{i}] has no string 'id'")
    return found


def _parse_record(record: Any, text: str) -> _Record:
    """Read a predicted record leniently: problems become warnings, not crashes."""
    parsed = _Record()
    warn = parsed.warnings.append
    if not isinstance(record, dict):
        warn(f"the prediction is {type(record).__name__}, not a JSON object")
        return parsed
    if record.get("schema") != SCHEMA:
        warn(f"schema is {record.get('schema')!r}, expected {SCHEMA!r}")
    parsed.entities = _by_id(record.get("entities"), "entities", warn)
    parsed.places = _by_id(record.get("places"), "places", warn)
    events = record.get("events") or []
    if not isinstance(events, list):
        warn("'events' is not a list")
        events = []
    for i, raw in enumerate(events):
        if not isinstance(raw, dict):
            warn(f"events[{i}] is not an object")
            continue
        event_id = str(raw.get("id") or f"#{i}")

        def refs(
            role: str, raw: dict[str, Any] = raw, event_id: str = event_id
        ) -> list[tuple[str, Entity]]:
            out: list[tuple[str, Entity]] = []
            entries = raw.get(role) or []
            if not isinstance(entries, list):
                warn(f"event {event_id}: {role} is not a list")
                return out
            for entry in entries:
                ref = entry.get("entity") if isinstance(entry, dict) else None
                entity = parsed.entities.get(ref) if isinstance(ref, str) else None
                if entity is None:
                    warn(f"event {event_id}: {role} refers to unknown entity {ref!r}")
                    entity = {}
                out.append((str(ref), entity))
            return out

        spans: dict[str, list[Span]] = {"trigger": [], "sentence": [], "mentions": []}
        for kind in ("trigger", "sentence"):
            if (s := _span(raw.get(kind), text, warn, f"event {event_id} {kind}")) is not None:
                spans[kind].append(s)
        for j, mention in enumerate(raw.get("mentions") or []):
            if (s := _span(mention, text, warn, f"event {event_id} mentions[{j}]")) is not None:
                spans["mentions"].append(s)
        sentence = spans["sentence"][0] if spans["sentence"] else None
        event_type = raw.get("type")
        parsed.events.append(
            _Pred(
                index=i,
                id=event_id,
                type=event_type if isinstance(event_type, str) else None,
                raw=raw,
                spans=spans,
                actors=refs("actor"),
                recipients=refs("recipient"),
                attribution=refs("attribution"),
                sentence=text[sentence[0] : sentence[1]] if sentence else None,
            )
        )
    return parsed


# --------------------------------------------------------------------------- matching


def fits(entity: Entity, party: GoldParty) -> bool:
    """A predicted entity matches a gold entry: same country, or its name is one of the names."""
    country = entity.get("country")
    if party.country is not None and country == party.country:
        return True
    name = entity.get("name")
    return isinstance(name, str) and normalise_name(name) in party.keys


def _describe(entries: list[tuple[str, Entity]]) -> str:
    if not entries:
        return "–"
    return ", ".join(f"{e.get('country') or '?'} {e.get('name') or ref}" for ref, e in entries)


def _actor_fit(gold: GoldEvent, pred: _Pred) -> tuple[bool, float]:
    """Whether the predicted participants fit, and how many gold entries they cover (0..1)."""
    entries = [*gold.actor, *gold.recipient]
    if gold.symmetric:
        pool = list({ref: (ref, e) for ref, e in [*pred.actors, *pred.recipients]}.values())
        a_side = [ref for ref, e in pool if any(fits(e, x) for x in gold.actor)]
        r_side = [ref for ref, e in pool if any(fits(e, x) for x in gold.recipient)]
        if gold.actor and gold.recipient:
            ok = any(a != r for a in a_side for r in r_side)
        else:
            ok = bool(a_side) if gold.actor else (bool(r_side) if gold.recipient else True)
        covered = sum(any(fits(e, x) for _, e in pool) for x in entries)
    else:
        actor_ok = not gold.actor or any(fits(e, x) for _, e in pred.actors for x in gold.actor)
        recipient_ok = not gold.recipient or any(
            fits(e, x) for _, e in pred.recipients for x in gold.recipient
        )
        ok = actor_ok and recipient_ok
        covered = sum(any(fits(e, x) for _, e in pred.actors) for x in gold.actor) + sum(
            any(fits(e, x) for _, e in pred.recipients) for x in gold.recipient
        )
    return ok, (covered / len(entries) if entries else 0.0)


def _evidence_weight(occurrences: Sequence[Span], pred: _Pred) -> float:
    best = 0.0
    for kind, spans in pred.spans.items():
        for start, end in spans:
            if any(start < e and s < end for s, e in occurrences):
                best = max(best, _EVIDENCE_WEIGHT[kind])
    return best


@dataclass
class _Candidate:
    gold: int
    pred: int
    primary: float
    attributes: dict[str, tuple[bool, str]]

    @property
    def agreement(self) -> int:
        return sum(ok for ok, _ in self.attributes.values())


# --------------------------------------------------------------------------- attributes


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_location(
    gold: GoldLocation, location: Any, places: dict[str, dict[str, Any]]
) -> tuple[bool, str]:
    """Within ``km`` of the gold coordinates, or the same country when the gold has none."""
    ref = location.get("place") if isinstance(location, dict) else None
    if ref is None:
        return False, "no location"
    place = places.get(ref)
    if place is None:
        return False, f"location refers to unknown place {ref!r}"
    name = place.get("name") or ref
    if gold.lat is not None and gold.lon is not None:
        lat, lon = _number(place.get("lat")), _number(place.get("lon"))
        if lat is None or lon is None:
            return False, f"{name} has no coordinates"
        distance = haversine_km(gold.lat, gold.lon, lat, lon)
        if distance > gold.km:
            return False, f"{name} is {distance:.0f} km away (limit {gold.km:g})"
        return True, ""
    if place.get("country") != gold.country:
        return False, f"{name} is in {place.get('country')}, not {gold.country}"
    return True, ""


def check_time(gold: GoldTime, time: Any) -> tuple[bool, str]:
    """The predicted value starts with the gold value; weekday and part must agree where said."""
    if not isinstance(time, dict):
        return False, "no time"
    value = time.get("value") if isinstance(time.get("value"), str) else None
    if gold.value is not None and (value is None or not value.startswith(gold.value)):
        return False, f"time {value!r} does not start with {gold.value!r}"
    if gold.weekday is not None:
        if value and (m := _DAY.match(value)):
            try:
                weekday = WEEKDAYS[date(int(m[1]), int(m[2]), int(m[3])).weekday()]
            except ValueError:
                return False, f"time {value!r} is not a calendar date"
            if weekday != gold.weekday:
                return False, f"{value[:10]} is a {weekday}, not a {gold.weekday}"
        said = time.get("weekday")
        if said is not None and said != gold.weekday:
            return False, f"weekday {said!r}, not {gold.weekday!r}"
    if gold.part is not None:
        if value and (m := _PART_SUFFIX.search(value)) and _PART_CODES[m[1]] != gold.part:
            return False, f"time {value!r} is the {_PART_CODES[m[1]]}, not the {gold.part}"
        said = time.get("part")
        if said is not None and said != gold.part:
            return False, f"part {said!r}, not {gold.part!r}"
    return True, ""


def check_attribution(
    gold: Sequence[GoldParty], predicted: list[tuple[str, Entity]]
) -> tuple[bool, str]:
    """Every gold source, in order, matches a predicted source; none means none."""
    if not gold:
        if predicted:
            return False, f"attributed to {_describe(predicted)}, gold has none"
        return True, ""
    position = 0
    for party in gold:
        while position < len(predicted) and not fits(predicted[position][1], party):
            position += 1
        if position == len(predicted):
            return False, f"source {party.label()} not found in order in [{_describe(predicted)}]"
        position += 1
    return True, ""


def _attributes(gold: GoldEvent, pred: _Pred, record: _Record) -> dict[str, tuple[bool, str]]:
    out: dict[str, tuple[bool, str]] = {}
    if gold.location is not None:
        out["location"] = check_location(gold.location, pred.raw.get("location"), record.places)
    if gold.time is not None:
        out["time"] = check_time(gold.time, pred.raw.get("time"))
    if gold.factuality is not None:
        said = pred.raw.get("factuality")
        out["factuality"] = (
            said in gold.factuality,
            ""
            if said in gold.factuality
            else f"factuality {said!r}, not {'/'.join(gold.factuality)}",
        )
    if gold.attribution is not None:
        out["attribution"] = check_attribution(gold.attribution, pred.attribution)
    return out


# --------------------------------------------------------------------------- scoring


def _empty_record(case: GoldCase) -> dict[str, Any]:
    return {"schema": SCHEMA, "article": {"id": case.case_id}, "entities": [], "events": []}


def score(cases: Iterable[GoldCase], predict: Predict) -> Report:
    """Run ``predict`` on every case and score its events against the gold.

    ``predict(text, published, doc_id)`` gets the article text exactly as the
    gold's spans index it, the ``published`` value of the case and the case id
    (the gold ``doc``, or ``doc@v1`` … for a variant). A predictor that raises
    is reported as a warning and scored as having found nothing.
    """
    report = Report()
    for case in cases:
        try:
            record = predict(case.text, case.published, case.case_id)
        except Exception as err:  # one broken article must not end the run
            report.warnings.append(f"{case.case_id}: predict failed: {type(err).__name__}: {err}")
            record = _empty_record(case)
        score_record(case, record, report)
    return report


def score_record(case: GoldCase, record: Any, report: Report | None = None) -> Report:
    """Score one predicted record against one case, adding to ``report`` (or a new one)."""
    report = report if report is not None else Report()
    report.cases.append(case.case_id)
    parsed = _parse_record(record, case.text)
    report.warnings.extend(f"{case.case_id}: {w}" for w in parsed.warnings)
    golds, preds = case.events, parsed.events

    occurrences = [[s for ev in g.evidence for s in find_all(case.text, ev)] for g in golds]
    candidates: list[_Candidate] = []
    # Why predictions that overlap a gold event's evidence do not fit it: (gold, pred, reason).
    misses: list[tuple[int, int, str]] = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(preds):
            weight = _evidence_weight(occurrences[gi], pred)
            if not weight:
                continue
            if pred.type not in gold.types:
                misses.append((gi, pi, f"type {pred.type} not in {'/'.join(gold.types)}"))
                continue
            ok, coverage = _actor_fit(gold, pred)
            if not ok:
                misses.append(
                    (
                        gi,
                        pi,
                        f"participants do not fit (actor {_describe(pred.actors)}; "
                        f"recipient {_describe(pred.recipients)})",
                    )
                )
                continue
            primary = weight + coverage + (0.5 if pred.type == gold.types[0] else 0.0)
            candidates.append(_Candidate(gi, pi, primary, _attributes(gold, pred, parsed)))

    # Best first: the strongest evidence and participant fit, then attribute
    # agreement, then required before optional gold, then text order.
    candidates.sort(
        key=lambda c: (-c.primary, -c.agreement, not golds[c.gold].required, c.gold, c.pred)
    )
    gold_to: dict[int, _Candidate] = {}
    pred_to: dict[int, _Candidate] = {}
    for candidate in candidates:
        if candidate.gold in gold_to or candidate.pred in pred_to:
            continue
        gold_to[candidate.gold] = candidate
        pred_to[candidate.pred] = candidate

    for gi, gold in enumerate(golds):
        result = GoldEventResult(
            case=case.case_id,
            gold_id=gold.id,
            required=gold.required,
            types=list(gold.types),
            matched=gi in gold_to,
        )
        report.gold_events.append(result)
        if gi not in gold_to:
            if gold.required:
                report.events.fn += 1
                report.type_counts(gold.types[0]).fn += 1
            else:
                report.optional_missed += 1
            result.details = [f"{preds[p].id}: {why}" for g, p, why in misses if g == gi]
            continue
        pred = preds[gold_to[gi].pred]
        result.predicted, result.predicted_type = pred.id, pred.type
        if gold.required:
            report.events.tp += 1
            report.type_counts(pred.type or "?").tp += 1
        else:
            report.optional_matched += 1
        for name, (ok, why) in gold_to[gi].attributes.items():
            report.attributes[name].add(ok)
            result.attributes[name] = ok
            if not ok:
                result.details.append(f"{name}: {why}")

    for pi, pred in enumerate(preds):
        if pi in pred_to:
            continue
        taken = [c for c in candidates if c.pred == pi]
        if taken:
            gold = golds[taken[0].gold]
            other = preds[gold_to[taken[0].gold].pred].id
            reason = f"duplicate: fits {gold.id}, which is matched to {other}"
        elif near := [f"{golds[g].id}: {why}" for g, p, why in misses if p == pi]:
            reason = "; ".join(near)
        else:
            reason = "no gold event"
        report.events.fp += 1
        report.type_counts(pred.type or "?").fp += 1
        report.false_positives.append(
            FalsePositive(case.case_id, pred.id, pred.type, reason, pred.sentence)
        )

    _check_case(case, parsed, report)
    return report


# --------------------------------------------------------------------------- entity, place checks


def _texts(item: dict[str, Any]) -> list[str]:
    """An entity's or place's name and the texts of its mentions."""
    texts = [item["name"]] if isinstance(item.get("name"), str) else []
    for mention in item.get("mentions") or []:
        if isinstance(mention, dict) and isinstance(mention.get("text"), str):
            texts.append(mention["text"])
    return texts


def _named(items: Iterable[dict[str, Any]], names: Sequence[str]) -> list[dict[str, Any]]:
    keys = {normalise_name(n) for n in names}
    return [item for item in items if keys & {normalise_name(t) for t in _texts(item)}]


def _check_case(case: GoldCase, record: _Record, report: Report) -> None:
    """Entities, places and not_actors: checked apart from the event scores."""

    def fail(kind: str, name: str, detail: str) -> None:
        report.check_failures.append(CheckFailure(case.case_id, kind, name, detail))

    for gold in case.entities:
        found = _named(record.entities.values(), gold.names)
        report.check("entities found").add(bool(found))
        if not found:
            fail("entity", gold.names[0], "not found")
        best = max(
            found,
            key=lambda e: (e.get("country") == gold.country, e.get("sector") == gold.sector),
            default={},
        )
        if gold.country is not None:
            ok = best.get("country") == gold.country
            report.check("entity country").add(ok)
            if found and not ok:
                fail("entity", gold.names[0], f"country {best.get('country')}, not {gold.country}")
        if gold.sector is not None:
            ok = best.get("sector") == gold.sector
            report.check("entity sector").add(ok)
            if found and not ok:
                fail("entity", gold.names[0], f"sector {best.get('sector')}, not {gold.sector}")

    for gold in case.places:
        found = _named(record.places.values(), gold.names)
        report.check("places found").add(bool(found))
        if not found:
            fail("place", gold.names[0], "not found")
        if gold.country is not None:
            ok = any(p.get("country") == gold.country for p in found)
            report.check("place country").add(ok)
            if found and not ok:
                fail(
                    "place", gold.names[0], f"country {found[0].get('country')}, not {gold.country}"
                )
        if gold.lat is not None and gold.lon is not None:
            distances = [
                haversine_km(gold.lat, gold.lon, lat, lon)
                for p in found
                if (lat := _number(p.get("lat"))) is not None
                and (lon := _number(p.get("lon"))) is not None
            ]
            ok = bool(distances) and min(distances) <= PLACE_KM
            report.check(f"place within {PLACE_KM:g} km").add(ok)
            if found and not ok:
                detail = f"{min(distances):.0f} km away" if distances else "no coordinates"
                fail("place", gold.names[0], detail)

    for name in case.not_actors:
        uses = _not_actor_uses(name, record)
        report.check("not_actors kept out").add(not uses)
        if uses:
            fail("not_actor", name, "used as " + ", ".join(uses))


def _not_actor_uses(name: str, record: _Record) -> list[str]:
    """Where a name that must never be an actor is one: ["V2 actor", "V5 attribution"].

    Matched case-sensitively as a whole word ("AP" must not catch "Ap", the
    Labour Party), in the entity's name, its mentions and the entry's span.
    """
    pattern = re.compile(r"(?<!\w)" + re.escape(" ".join(name.split())) + r"(?!\w)")
    uses = []
    for pred in record.events:
        for role, entries in (
            ("actor", pred.actors),
            ("recipient", pred.recipients),
            ("attribution", pred.attribution),
        ):
            raw_entries = pred.raw.get(role) or []
            for i, (_, entity) in enumerate(entries):
                texts = _texts(entity)
                raw = raw_entries[i] if i < len(raw_entries) else None
                span = raw.get("span") if isinstance(raw, dict) else None
                if isinstance(span, dict) and isinstance(span.get("text"), str):
                    texts.append(span["text"])
                if any(pattern.search(" ".join(t.split())) for t in texts):
                    uses.append(f"{pred.id} {role}")
    return uses


# --------------------------------------------------------------------------- entry points


def evaluate_paths(paths: Iterable[Path | str], predict: Predict) -> Report:
    """Load the gold files and folders in ``paths`` and score ``predict`` on them."""
    return score(load_gold_paths(paths), predict)


def predict_from_folder(folder: Path | str) -> Predict:
    """A predictor that reads stored records: ``<folder>/<doc_id>.json`` (``doc@v1.json`` …)."""
    folder = Path(folder)

    def predict(text: str, published: str | None, doc_id: str) -> dict[str, Any]:
        path = folder / f"{doc_id}.json"
        if not path.exists():
            raise FileNotFoundError(f"no prediction {path}")
        return json.loads(path.read_text("utf-8"))

    return predict
