"""Start-up cost and lookup speed of hendelse's resolution stores.

    python scripts/bench_resolve.py                 # the figures docs/resolution.md quotes
    python scripts/bench_resolve.py --lookups 200000 --starts 10 --json bench.json

Start-up: each store is opened in a fresh Python process (one subprocess per
measurement), timed from before its import to the end of its first lookup:
the gazetteer (``gazetteer.default()`` and one ``resolve``; the SQLite index
must already be built, which this script makes sure of first), the actor
knowledge base (``actors.lookup``, which loads the YAML files and builds the
index) and the country table (``countries.lookup_name``). The interpreter's
own start is not counted.

Lookup speed: single process, after one warm-up pass, over the mentions of
the acceptance lists (``tests/data/resolution``) repeated until at least
``--lookups`` lookups: ``gazetteer.resolve(name, context)`` with the context
the phrase would give (the place's country and feature, as the extractor
passes them), and ``actors.lookup(name, date)`` with the item's date. Nothing
is asserted; the figures go to docs/resolution.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
LISTS = REPO / "tests" / "data" / "resolution"

#: Code run in a fresh process per store; prints the seconds to the first answer.
STARTUP_CODE = {
    "gazetteer": (
        "from hendelse.resolve import gazetteer\ngazetteer.default().resolve('Moskva')\n"
    ),
    "actor knowledge base": (
        "from hendelse.resolve import actors\nactors.lookup('Sergej Sjojgu', '2023-09-13')\n"
    ),
    "countries": ("from hendelse.resolve import countries\ncountries.lookup_name('Russlands')\n"),
}
STARTUP_CODE["all three"] = "".join(STARTUP_CODE.values())
STARTUP_TEMPLATE = (
    "import time\n_t = time.perf_counter()\n{code}print(repr(time.perf_counter() - _t))\n"
)


def startup_seconds(code: str) -> float:
    """Seconds from import to first answer, in a new interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", STARTUP_TEMPLATE.format(code=code)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return float(done.stdout.strip().splitlines()[-1])


def _place_queries():
    from hendelse.resolve import gazetteer
    from hendelse.resolve.evaluate import _options, load_list

    queries = []
    for item in load_list(LISTS / "places.yaml", "places"):
        countries = [c for c in _options(item.expected["country"]) if c != "IGO"][:1]
        feature = _options(item.expected.get("feature"))[0]
        context = gazetteer.context_from(countries=countries, feature=feature)
        queries.append((item.mention, context))
    return queries


def _actor_queries():
    from hendelse.resolve.evaluate import load_list

    return [(item.mention, item.published) for item in load_list(LISTS / "actors.yaml", "actors")]


def throughput(lookup, queries: list[tuple], minimum: int) -> dict[str, float]:
    """Lookups per second over ``queries`` repeated to at least ``minimum`` calls."""
    for query in queries:  # warm-up: caches, SQLite pages, lazy tables
        lookup(*query)
    rounds = -(-minimum // len(queries))
    started = time.perf_counter()
    for _ in range(rounds):
        for query in queries:
            lookup(*query)
    seconds = time.perf_counter() - started
    count = rounds * len(queries)
    return {"lookups": count, "seconds": seconds, "per_second": count / seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--starts", type=int, default=5, help="fresh processes per store")
    parser.add_argument("--lookups", type=int, default=50_000, help="timed lookups per kind")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    console = Console()

    from hendelse.resolve import actors, gazetteer

    gaz = gazetteer.default()
    if not gaz.is_current():
        console.print("building the gazetteer index first …")
        gaz.build()

    results: dict[str, dict] = {"startup": {}, "lookups": {}}
    table = Table(title="start-up, fresh process, to the first answer", title_justify="left")
    for column in ("store", "median", "max", "runs"):
        table.add_column(column, justify="left" if column == "store" else "right")
    for store, code in STARTUP_CODE.items():
        times = [startup_seconds(code) for _ in range(args.starts)]
        results["startup"][store] = {"median": statistics.median(times), "max": max(times)}
        table.add_row(
            store, f"{statistics.median(times):.3f} s", f"{max(times):.3f} s", str(len(times))
        )
    console.print(table)

    places, people = _place_queries(), _actor_queries()
    table = Table(title="lookups, one process, after warm-up", title_justify="left")
    for column in ("lookup", "names", "lookups", "seconds", "per second", "mean"):
        table.add_column(column, justify="left" if column == "lookup" else "right")
    for label, lookup, queries in (
        ("gazetteer.resolve(name, context)", gaz.resolve, places),
        ("actors.lookup(name, date)", actors.lookup, people),
    ):
        figures = throughput(lookup, queries, args.lookups)
        results["lookups"][label] = {"names": len(queries), **figures}
        table.add_row(
            label,
            str(len(queries)),
            f"{figures['lookups']:,}",
            f"{figures['seconds']:.2f}",
            f"{figures['per_second']:,.0f}",
            f"{1e6 / figures['per_second']:.0f} µs",
        )
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
