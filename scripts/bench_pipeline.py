"""Benchmarks of hendelse's pipeline on real Norwegian news: speed, memory, store, queries.

    .venv/bin/python scripts/bench_pipeline.py --all                # everything (< 10 min)
    .venv/bin/python scripts/bench_pipeline.py --stages parse,extract --corpus norquad
    .venv/bin/python scripts/bench_pipeline.py --all --repeat 3 --json bench.json

Stages (``--stages``, comma-separated):

- ``parse``, ``extract``: the bare spaCy parse and the extractor on the same
  texts in this process, interleaved (``bench_extract``); one BLAS thread,
  as an ingest worker has.
- ``ingest``: ``hendelse ingest --workers N`` into a fresh store, with the
  peak memory of each worker and the store's size (``bench_ingest``).
- ``spark``: ``hendelse ingest --engine spark --spark-master local[N]``.
- ``store``: a store of ``--events`` events from the corpus's records
  (``bench_store``); ``query``: typical filters on it, cold and warm.

Corpora (``--corpus``): ``norquad``, ``ndt``, ``own`` (see ``bench_corpus``).
Nothing is asserted: the figures are printed, and written as JSON with
``--json``; docs/benchmarks.md says what they mean. Machines are noisy:
compare the ratios within one run, and mind the load average printed.
"""

from __future__ import annotations

import os

# One BLAS thread, as every ingest worker and Spark task has: parse rates per
# process then compare with the worker rates. Set before NumPy is imported.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import bench_corpus  # noqa: E402
import bench_report  # noqa: E402
from bench_ingest import BenchError, run_local, run_spark, spark_available  # noqa: E402

STAGES = ("parse", "extract", "ingest", "spark", "store", "query")


def machine() -> dict[str, Any]:
    """What the figures were taken on."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    import duckdb
    import spacy

    from hendelse import __version__

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "duckdb": duckdb.__version__,
        "hendelse": __version__,
        "load_average_start": list(os.getloadavg()),
    }


def _list(value: str, allowed: tuple[str, ...], option: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in items if v not in allowed]
    if unknown or not items:
        raise SystemExit(f"{option}: unknown {', '.join(unknown) or 'empty'}; use {allowed}")
    return items


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="every stage on every corpus")
    parser.add_argument("--stages", default="parse,extract", help=f"of {','.join(STAGES)}")
    parser.add_argument("--corpus", default=",".join(bench_corpus.CORPORA), help="corpora")
    parser.add_argument("--repeat", type=int, default=2, help="parse/extract repeats (2)")
    parser.add_argument("--workers", type=int, default=2, help="ingest workers (2)")
    parser.add_argument("--spark-cores", type=int, default=2, help="N of local[N] (2)")
    parser.add_argument("--events", type=int, default=100_000, help="events in the store")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs per query")
    parser.add_argument("--warm-runs", type=int, default=10, help="warm runs per query")
    parser.add_argument("--workdir", type=Path, help="folder for stores (default: temporary)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args(argv)
    if args.all:
        args.stages = ",".join(STAGES)
        args.corpus = ",".join(bench_corpus.CORPORA)
    args.stages = _list(args.stages, STAGES, "--stages")
    args.corpus = _list(args.corpus, bench_corpus.CORPORA, "--corpus")
    for name in ("repeat", "workers", "spark_cores", "events", "cold_runs", "warm_runs"):
        if getattr(args, name) < 1:
            raise SystemExit(f"--{name.replace('_', '-')} must be at least 1")
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "stages": args.stages,
    }
    started = time.perf_counter()
    log(f"loading corpora: {', '.join(args.corpus)}")
    corpora = bench_corpus.load(args.corpus)
    results["corpora"] = [c.describe() for c in corpora]
    stages = set(args.stages)
    records = None
    if stages & {"parse", "extract"}:
        log(f"parse and extract, {args.repeat} repeats")
        import bench_extract

        measured = bench_extract.run(corpora, args.repeat, log)
        results["parse_extract"] = measured.figures()
        records = measured.records
    if "ingest" in stages:
        log(f"hendelse ingest --workers {args.workers}")
        results["ingest"] = run_local(corpora, workdir, args.workers)
    if "spark" in stages:
        why = spark_available()
        if why is None:
            log(f"hendelse ingest --engine spark --spark-master local[{args.spark_cores}]")
            results["spark"] = run_spark(corpora, workdir, args.spark_cores)
        else:
            log(f"spark: not available: {why}")
            results["spark"] = {"not_available": why}
    if stages & {"store", "query"}:
        import bench_store

        if records is None:
            log("extracting the corpus once for the store")
            import bench_extract

            records = bench_extract.run(corpora, 1, log).records
        log(f"building a store of {args.events} events")
        db = workdir / "bench-store.duckdb"
        results["store"] = bench_store.build(corpora, records, db, args.events)
        if "query" in stages:
            log("timing queries")
            results["query"] = bench_store.run_queries(db, args.cold_runs, args.warm_runs)
    results["machine"]["load_average_end"] = list(os.getloadavg())
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="hendelse-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = run(args, workdir)
    except (bench_corpus.CorpusError, BenchError) as err:
        log(f"benchmark stopped: {err}")
        return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    results["targets"] = [
        {"target": t, "measured": m, "met": met} for t, m, met in bench_report.targets(results)
    ]
    bench_report.print_tables(results)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
        log(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
