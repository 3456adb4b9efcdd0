"""Acceptance lists for actor and place resolution: run them through the pipeline and score them.

The lists (``tests/data/resolution/places.yaml`` and ``actors.yaml``) hold
Norwegian news sentences, each with a mention (a place name, an actor's name,
a word standing for an actor) and what it should resolve to. Every sentence is
read as a whole article of its own, published on the item's date, by the
shipped pipeline and :class:`hendelse.extract.Extractor`, exactly as
``hendelse extract`` reads news. The place or entity of the record whose
mention span overlaps the mention most (a span covering the mention wins a
tie, then the shorter one) is scored against the expectation:

- a place: its ``country`` (ISO3; any of a list), its ``feature`` (any of a
  list; the category's default otherwise), and, unless it is a country, the
  distance from the expected ``lat``/``lon``, at most the item's ``km`` or the
  category's;
- an actor: its ``country`` (ISO3 or IGO) and ``sector``, and its ``kb`` id
  when the item names one.

``python -m hendelse.resolve.evaluate`` prints a table per list (category,
correct, total, accuracy) and the failures with what the extractor said about
them (``explain``); ``--json`` writes the whole report.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

import yaml

#: Where the lists live in a source checkout (``tests/data/resolution``).
LISTS_DIR = Path(__file__).resolve().parents[3] / "tests" / "data" / "resolution"
PLACES_FILE = LISTS_DIR / "places.yaml"
ACTORS_FILE = LISTS_DIR / "actors.yaml"

#: What the issue asks of the lists: overall accuracy per list, and per category.
REQUIRED_OVERALL = 0.95
REQUIRED_CATEGORY = 0.90

#: What may not stand right before a mention (it would be inside a longer word).
_WORD = r"[\w'’]"


class ListError(ValueError):
    """A list that cannot be read as written (a missing mention, a bad field)."""


@dataclass(frozen=True)
class Item:
    """One sentence of a list, with the mention's character span and the expectation."""

    kind: str  # "places" or "actors"
    category: str
    number: int  # 1-based position within its category
    sentence: str
    mention: str
    start: int
    end: int
    published: str | None
    expected: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.category}#{self.number}"


@dataclass
class Outcome:
    """How one item fared."""

    item: Item
    ok: bool
    got: dict[str, Any] | None
    why: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "list": self.item.kind,
            "category": self.item.category,
            "number": self.item.number,
            "sentence": self.item.sentence,
            "mention": self.item.mention,
            "published": self.item.published,
            "expected": self.item.expected,
            "got": self.got,
            "why": self.why,
            "explain": self.explain,
        }


# --------------------------------------------------------------------------- reading


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, Date) else str(value)


def find_mention(sentence: str, mention: str, nth: int = 1) -> tuple[int, int]:
    """Character span of the ``nth`` occurrence of ``mention`` as a whole word or name.

    >>> find_mention("Parisavtalen ble vedtatt i Paris.", "Paris")
    (27, 32)
    """
    pattern = re.compile(rf"(?<!{_WORD}){re.escape(mention)}(?!\w)")
    found = list(pattern.finditer(sentence))
    if len(found) < nth:
        raise ListError(f"{mention!r} does not occur {nth} time(s) in {sentence!r}")
    match = found[nth - 1]
    return match.start(), match.end()


def load_list(path: str | Path, kind: str) -> list[Item]:
    """The items of one list file (``kind`` is "places" or "actors")."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    published = _text(data.get("published"))
    defaults: dict[str, dict[str, Any]] = data.get("categories") or {}
    items: list[Item] = []
    for category, entries in (data.get("items") or {}).items():
        for number, entry in enumerate(entries or (), start=1):
            where = f"{path.name}: {category} #{number}"
            try:
                sentence, mention = str(entry["sentence"]), str(entry["mention"])
            except (KeyError, TypeError):
                raise ListError(f"{where}: needs a sentence and a mention") from None
            try:
                start, end = find_mention(sentence, mention, int(entry.get("nth", 1)))
            except ListError as err:
                raise ListError(f"{where}: {err}") from None
            expected = {
                k: v for k, v in entry.items() if k not in ("sentence", "mention", "nth", "date")
            }
            for key, value in (defaults.get(category) or {}).items():
                expected.setdefault(key, value)
            if "country" not in expected:
                raise ListError(f"{where}: needs a country")
            if kind == "actors" and "sector" not in expected:
                raise ListError(f"{where}: needs a sector")
            items.append(
                Item(
                    kind=kind,
                    category=str(category),
                    number=number,
                    sentence=sentence,
                    mention=mention,
                    start=start,
                    end=end,
                    published=_text(entry.get("date")) or published,
                    expected=expected,
                )
            )
    return items


# --------------------------------------------------------------------------- scoring


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _options(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def covering(holders: Iterable[dict[str, Any]], start: int, end: int) -> dict[str, Any] | None:
    """The place or entity whose mention overlaps ``start``–``end`` most.

    Ties go to a mention that covers the whole span, then to the shorter mention.
    """
    best: tuple[int, int, int] | None = None
    chosen = None
    for holder in holders:
        for m in holder.get("mentions") or ():
            overlap = min(end, m["end"]) - max(start, m["start"])
            if overlap <= 0:
                continue
            covers = int(m["start"] <= start and m["end"] >= end)
            key = (overlap, covers, -(m["end"] - m["start"]))
            if best is None or key > best:
                best, chosen = key, holder
    return chosen


def _place_fields(place: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "country", "lat", "lon", "feature", "gazetteer_id")
    return {k: place.get(k) for k in keys}


def _entity_fields(entity: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "type", "country", "sector", "role", "kb")
    return {k: entity.get(k) for k in keys}


def score_place(item: Item, record: dict[str, Any]) -> Outcome:
    """Compare the record's place at the mention with the expectation."""
    expected = item.expected
    place = covering(record.get("places") or (), item.start, item.end)
    if place is None:
        entity = covering(record.get("entities") or (), item.start, item.end)
        explain = []
        if entity is not None:
            explain = [f"read as an actor: {_entity_fields(entity)}", *entity.get("explain", [])]
        return Outcome(item, False, None, ["no place at the mention"], explain)
    why = []
    if place.get("country") not in _options(expected["country"]):
        why.append(f"country {place.get('country')} is not {expected['country']}")
    features = _options(expected.get("feature"))
    if features and place.get("feature") not in features:
        why.append(f"feature {place.get('feature')} is not {expected.get('feature')}")
    a_country = place.get("feature") == "country" and "country" in features
    if not a_country and "lat" in expected and "lon" in expected:
        if place.get("lat") is None or place.get("lon") is None:
            why.append("no coordinates")
        else:
            km = distance_km((expected["lat"], expected["lon"]), (place["lat"], place["lon"]))
            limit = float(expected.get("km", 50))
            if km > limit:
                why.append(f"{km:.0f} km from the expected point (at most {limit:.0f})")
    got = _place_fields(place)
    return Outcome(item, not why, got, why, list(place.get("explain") or ()))


def score_actor(item: Item, record: dict[str, Any]) -> Outcome:
    """Compare the record's entity at the mention with the expectation."""
    expected = item.expected
    entity = covering(record.get("entities") or (), item.start, item.end)
    if entity is None:
        place = covering(record.get("places") or (), item.start, item.end)
        explain = []
        if place is not None:
            explain = [f"read as a place only: {_place_fields(place)}", *place.get("explain", [])]
        return Outcome(item, False, None, ["no entity at the mention"], explain)
    why = []
    if entity.get("country") not in _options(expected["country"]):
        why.append(f"country {entity.get('country')} is not {expected['country']}")
    if entity.get("sector") not in _options(expected["sector"]):
        why.append(f"sector {entity.get('sector')} is not {expected['sector']}")
    if expected.get("kb") and entity.get("kb") != expected["kb"]:
        why.append(f"kb {entity.get('kb')} is not {expected['kb']}")
    got = _entity_fields(entity)
    return Outcome(item, not why, got, why, list(entity.get("explain") or ()))


# --------------------------------------------------------------------------- running


def extract_records(items: Sequence[Item], batch_size: int = 64) -> list[dict[str, Any]]:
    """The event record of each item's sentence, read as an article of its own."""
    from hendelse.extract import Extractor
    from hendelse.nlp.pipeline import analyse_many, load
    from hendelse.reader.sources import article_from_text

    nlp = load()
    extractor = Extractor()
    articles = [
        article_from_text(item.sentence, where=item.label, id=item.label, published=item.published)
        for item in items
    ]
    docs = analyse_many(articles, nlp, batch_size=batch_size)
    return [extractor(article, doc) for article, doc in zip(articles, docs, strict=True)]


def _tally(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    categories: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        counts = categories.setdefault(outcome.item.category, {"correct": 0, "total": 0})
        counts["total"] += 1
        counts["correct"] += int(outcome.ok)
    for counts in categories.values():
        counts["accuracy"] = counts["correct"] / counts["total"]
    correct = sum(o.ok for o in outcomes)
    total = len(outcomes)
    return {
        "categories": categories,
        "correct": correct,
        "total": total,
        "accuracy": correct / total if total else None,
    }


def evaluate_items(items: Sequence[Item], batch_size: int = 64) -> list[Outcome]:
    """Run and score the items (places and actors may be mixed)."""
    records = extract_records(items, batch_size=batch_size)
    scorers = {"places": score_place, "actors": score_actor}
    return [scorers[item.kind](item, record) for item, record in zip(items, records, strict=True)]


def evaluate_lists(
    places_path: str | Path | None = PLACES_FILE,
    actors_path: str | Path | None = ACTORS_FILE,
    *,
    batch_size: int = 64,
) -> dict[str, Any]:
    """Run both lists through the pipeline and the extractor and score them.

    Returns ``{"places": {...}, "actors": {...}, "overall": {...}, "failures": [...],
    "seconds": float}``; each list's entry has ``categories`` (category ->
    ``correct``, ``total``, ``accuracy``) and its own ``correct``, ``total`` and
    ``accuracy``. A failure gives the sentence, the mention, what was expected,
    what the record says (``got``), why it does not match, and the record's
    ``explain`` for that place or entity. A path of ``None`` leaves that list out.
    """
    started = time.perf_counter()
    items: list[Item] = []
    if places_path is not None:
        items += load_list(places_path, "places")
    if actors_path is not None:
        items += load_list(actors_path, "actors")
    outcomes = evaluate_items(items, batch_size=batch_size)
    report: dict[str, Any] = {}
    for kind in ("places", "actors"):
        own = [o for o in outcomes if o.item.kind == kind]
        if own:
            report[kind] = _tally(own)
    overall = _tally(outcomes)
    report["overall"] = {k: overall[k] for k in ("correct", "total", "accuracy")}
    report["failures"] = [o.to_dict() for o in outcomes if not o.ok]
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


# --------------------------------------------------------------------------- printing


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def print_report(report: dict[str, Any], *, failures: bool = True, console=None) -> None:
    """Rich tables: one per list (per category and in all), then the failures."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    for kind in ("places", "actors"):
        part = report.get(kind)
        if not part:
            continue
        table = Table(title=f"{kind}: resolution accuracy", title_justify="left")
        table.add_column("category")
        table.add_column("correct", justify="right")
        table.add_column("total", justify="right")
        table.add_column("accuracy", justify="right")
        for category, counts in part["categories"].items():
            ok = counts["accuracy"] >= REQUIRED_CATEGORY
            style = None if ok else "red"
            table.add_row(
                category,
                str(counts["correct"]),
                str(counts["total"]),
                _percent(counts["accuracy"]),
                style=style,
            )
        table.add_section()
        ok = part["accuracy"] is not None and part["accuracy"] >= REQUIRED_OVERALL
        table.add_row(
            "all",
            str(part["correct"]),
            str(part["total"]),
            _percent(part["accuracy"]),
            style="bold" if ok else "bold red",
        )
        console.print(table)
    overall = report["overall"]
    console.print(
        f"overall: {overall['correct']} of {overall['total']} "
        f"({_percent(overall['accuracy'])}); required {_percent(REQUIRED_OVERALL)} per list "
        f"and {_percent(REQUIRED_CATEGORY)} per category; {report['seconds']} s"
    )
    if failures and report["failures"]:
        console.rule(f"failures ({len(report['failures'])})")
        for failure in report["failures"]:
            expected = ", ".join(f"{k}={v}" for k, v in failure["expected"].items())
            got = failure["got"]
            got_text = (
                ", ".join(f"{k}={v}" for k, v in got.items() if v is not None) if got else "-"
            )
            where = f"{failure['list']}/{failure['category']}#{failure['number']}"
            console.print(f"[bold]{where}[/bold] {escape(failure['mention'])}", highlight=False)
            console.print(f"  {escape(failure['sentence'])}", highlight=False)
            console.print(f"  expected: {escape(expected)}", highlight=False)
            console.print(f"  got:      {escape(got_text)}", highlight=False)
            console.print(f"  why:      {escape('; '.join(failure['why']))}", highlight=False)
            if failure["explain"]:
                explain = "; ".join(failure["explain"])
                console.print(f"  explain:  {escape(explain)}", highlight=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hendelse.resolve.evaluate",
        description="Score actor and place resolution on the acceptance lists.",
    )
    parser.add_argument("--places", type=Path, default=PLACES_FILE, help="the place list")
    parser.add_argument("--actors", type=Path, default=ACTORS_FILE, help="the actor list")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    parser.add_argument("--summary", action="store_true", help="print the tables only")
    args = parser.parse_args(argv)
    for path in (args.places, args.actors):
        if not path.exists():
            print(f"error: no list at {path} (pass --places/--actors)", file=sys.stderr)
            return 2
    try:
        report = evaluate_lists(args.places, args.actors)
    except ListError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print_report(report, failures=not args.summary)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
