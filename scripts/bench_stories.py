"""Time story clustering on a synthetic store: all at once, then a new batch.

    .venv/bin/python scripts/bench_stories.py --articles 5000 --batch 500

The records are generated (random types, actors, places and days over a
year, two events an article; the new batch from the year's last week, as
a daily ingest brings), not extracted: this measures
``update_stories``, not the extractor. The store is a real DuckDB file in a
temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from hendelse.reader.article import Article
from hendelse.store import Store
from hendelse.store.stories import update_stories

TYPES = ["CONSULT", "ASSAULT", "AID", "ACCUSE", "PROTEST"]
COUNTRIES = ["NOR", "SWE", "FIN", "RUS", "UKR", "USA", "DEU", "FRA"]
CITIES = [
    ("Oslo", "NOR", 59.91, 10.75),
    ("Bergen", "NOR", 60.39, 5.32),
    ("Stockholm", "SWE", 59.33, 18.07),
    ("Helsingfors", "FIN", 60.17, 24.94),
    ("Moskva", "RUS", 55.76, 37.62),
    ("Kyiv", "UKR", 50.45, 30.52),
    ("Washington", "USA", 38.90, -77.04),
    ("Berlin", "DEU", 52.52, 13.40),
]
TEXT = "Partene møttes i byen, melder avisen."


def _span() -> dict:
    return {"start": 0, "end": len(TEXT), "text": TEXT}


def _record(rng: random.Random, article_id: str, day: dt.date) -> dict:
    people = [rng.randrange(40) for _ in range(3)]
    entities = [
        {"id": f"E{i}", "name": f"Person {n}", "type": "PER", "country": COUNTRIES[n % 8],
         "sector": "GOV", "role": None, "kb": f"test-{n}", "mentions": [_span()], "explain": []}
        for i, n in enumerate(people)
    ]  # fmt: skip
    name, country, lat, lon = rng.choice(CITIES)
    places = [{"id": "P1", "name": name, "country": country, "admin1": None, "lat": lat,
               "lon": lon, "feature": "city", "gazetteer_id": f"test:{name}",
               "mentions": [_span()], "explain": []}]  # fmt: skip
    events = []
    for i in range(2):
        own = day - dt.timedelta(days=rng.randrange(3)) if rng.random() < 0.6 else None
        events.append(
            {"id": f"V{i + 1}", "type": rng.choice(TYPES), "mode": None, "context": [],
             "cameo": None, "quad": None,
             "actor": [{"entity": "E0", "span": _span()}],
             "recipient": [{"entity": f"E{1 + i}", "span": _span()}],
             "location": {"place": "P1", "span": _span()},
             "time": {"value": own.isoformat(), "granularity": "day", "weekday": None,
                      "part": None, "span": None} if own else None,
             "factuality": rng.choice(["asserted", "asserted", "reported", "planned"]),
             "attribution": [], "trigger": _span(), "sentence": _span(), "mentions": [],
             "confidence": 0.7, "explain": {}}
        )  # fmt: skip
    return {"schema": "hendelse/1", "article": {"id": article_id}, "entities": entities,
            "places": places, "events": events, "warnings": []}  # fmt: skip


def _put(store: Store, rng: random.Random, first: int, count: int, days: range) -> None:
    start = dt.date(2023, 1, 1)
    items = []
    for n in range(first, first + count):
        day = start + dt.timedelta(days=rng.choice(days))
        article = Article(TEXT, f"a{n}", None, day.isoformat(), rng.choice(["NTB", "NRK", "VG"]))
        items.append((_record(rng, article.id, day), article, None))
    for i in range(0, len(items), 500):
        store.put_many(items[i : i + 500])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "b.duckdb") as store:
        _put(store, rng, 0, args.articles, range(365))
        started = time.monotonic()
        done = update_stories(store)
        print(f"all at once: {done.events_assigned} events -> {done.stories_total} stories "
              f"({done.multi_article_stories} with several articles) in "
              f"{time.monotonic() - started:.1f} s")  # fmt: skip
        _put(store, rng, args.articles, args.batch, range(358, 365))  # the last week
        started = time.monotonic()
        done = update_stories(store)
        print(f"a new batch of {args.batch} articles of the last week: "
              f"{done.events_assigned} events, "
              f"{done.stories_removed} stories regrouped, {done.stories_written} written in "
              f"{time.monotonic() - started:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
