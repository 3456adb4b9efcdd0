"""Build, check and query hendelse's offline gazetteer (hendelse.resolve.gazetteer).

    python scripts/build_gazetteer.py build            # (re)build the index, print figures
    python scripts/build_gazetteer.py check            # validate places_nb.yaml / facilities.yaml
    python scripts/build_gazetteer.py find "Chelyabinsk" --country RUS
    python scripts/build_gazetteer.py bench            # lookup speed on a list of names

The index is built into ``$HENDELSE_CACHE`` or ``~/.cache/hendelse`` unless
``--cache-dir`` says otherwise. ``find`` is how to get the GeoNames id for a new
entry in ``places_nb.yaml``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from hendelse.resolve.gazetteer import DATASETS, Gazetteer, PlaceContext

BENCH_NAMES = (
    "Moskva",
    "Khasan",
    "Vladivostok",
    "Vostotsjnyj kosmodrom",
    "Primorskij Kraj",
    "Russland",
    "Nord-Korea",
    "Washington",
    "Kharkov",
    "Zaporizjzja atomkraftverk",
    "Gazastripen",
    "Tsjeljabinsk",
    "Kropyvnytskyj",
    "Jekaterinburgs",
    "San Jose",
    "Springfield",
    "Alexandria",
    "Bergen",
    "Blablaby",
    "regionen Primorskij Kraj",
)


def _gazetteer(args: argparse.Namespace) -> Gazetteer:
    return Gazetteer(args.cache_dir, dataset=args.dataset)


def cmd_build(args: argparse.Namespace) -> int:
    gaz = _gazetteer(args)
    seconds = gaz.build()
    stats = gaz.stats()
    print(f"built {stats['path']} in {seconds:.1f} s")
    print(f"  size: {stats['bytes'] / 1e6:.1f} MB")
    print(f"  places: {stats['places']} {stats['by_feature']}")
    print(f"  names: {stats['names']}")
    print(f"  version: {stats['version']}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    problems = _gazetteer(args).check()
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_find(args: argparse.Namespace) -> int:
    gaz = _gazetteer(args)
    found = gaz.candidates(args.name, country=args.country, feature=args.feature, limit=args.limit)
    for cand in found:
        lat = f"{cand.lat:.3f}" if cand.lat is not None else "-"
        lon = f"{cand.lon:.3f}" if cand.lon is not None else "-"
        row = gaz.record(cand.gazetteer_id) if cand.feature != "country" else None
        code = f" {row['admin1_code']}" if row and row.get("admin1_code") else ""
        print(
            f"{cand.score:5.2f}  {cand.gazetteer_id:32} {cand.name} ({cand.feature}, "
            f"{cand.country}, {cand.admin1}{code}) {lat},{lon} pop={cand.population}\n"
            f"       {cand.why}"
        )
    return 0 if found else 1


def cmd_bench(args: argparse.Namespace) -> int:
    gaz = _gazetteer(args)
    gaz.ensure()
    gaz.resolve("Moskva")  # open the database, load the country table
    context = PlaceContext(countries=("RUS",), nearby=((43.1, 131.9),))
    timings = []
    for _ in range(args.rounds):
        for name in BENCH_NAMES:
            started = time.perf_counter()
            gaz.resolve(name, context)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        f"{len(timings)} lookups: median {statistics.median(timings):.3f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.3f} ms, max {timings[-1]:.3f} ms"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache-dir", default=None, help="where the index lives")
    parser.add_argument("--dataset", default="cities500", choices=DATASETS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="(re)build the index").set_defaults(func=cmd_build)
    sub.add_parser("check", help="validate the hand-written files").set_defaults(func=cmd_check)
    find = sub.add_parser("find", help="candidates for a name")
    find.add_argument("name")
    find.add_argument("--country", help="ISO3 country to prefer")
    find.add_argument("--feature", help="country, admin1, city, facility or region")
    find.add_argument("--limit", type=int, default=10)
    find.set_defaults(func=cmd_find)
    bench = sub.add_parser("bench", help="measure lookup speed")
    bench.add_argument("--rounds", type=int, default=50)
    bench.set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
