"""Measure extraction speed per core, the figure behind docs/scale.md's arithmetic.

    .venv/bin/python scripts/bench_scale.py ARTICLES... [--spark-master local[2]]

Reads the articles as ingest does, then parses and extracts them in this
process in batches of 16 (one BLAS thread), timing CPU seconds as well as
wall seconds: on a shared machine the CPU time is the steadier figure.
With ``--spark-master`` it also runs the spark engine on the same inputs
into a temporary lake and times the whole job (session start included) and
its story step. With ``--spark-batches`` (JSONL inputs) it cuts the records
into two halves, A and B, and times A+B in one run against A into a new
lake and then B added to it, checks that both lakes hold the same rows and
stories, and times grouping all events into stories
(``update_stories(rebuild=True)``) on the lake and on the lake loaded into
a DuckDB store, interleaved, in CPU seconds of this process. Prints one JSON object.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402 (after the thread settings, before NumPy loads)
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


def measure_local(sources: list[str]) -> dict[str, float]:
    from hendelse.reader import Article, read_paths
    from hendelse.store.ingest import BATCH_SIZE, extract_batch

    articles = [a for a in read_paths([Path(s) for s in sources]) if isinstance(a, Article)]
    if not articles:
        raise SystemExit(f"no readable articles in {', '.join(sources)}")
    started = time.perf_counter()
    extract_batch(articles[:1])  # loads the pipeline and the extractor
    load = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    failed = 0
    for start in range(0, len(articles), BATCH_SIZE):
        _, results = extract_batch(articles[start : start + BATCH_SIZE])
        failed += sum(record is None for record, _ in results)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    words = sum(len(a.text.split()) for a in articles)
    return {
        "articles": len(articles),
        "words": words,
        "words_per_article": round(words / len(articles), 1),
        "failed": failed,
        "model_load_s": round(load, 2),
        "extract_wall_s": round(wall, 2),
        "extract_cpu_s": round(cpu, 2),
        "words_per_cpu_s": round(words / cpu, 1),
        "articles_per_cpu_s": round(len(articles) / cpu, 2),
    }


def measure_spark(sources: list[str], master: str, batches: bool) -> dict[str, object]:
    from hendelse.scale.spark import build_session, ingest_spark

    started = time.perf_counter()
    spark = build_session(master, progress=False, config={"spark.ui.enabled": "false"})
    spark.sparkContext.setLogLevel("ERROR")
    session = time.perf_counter() - started
    result: dict[str, object] = {"spark_master": master, "spark_session_s": round(session, 2)}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        if batches:
            sources = split_jsonl(sources, root)
        job = time.perf_counter()
        summary = ingest_spark(sources, root / "lake", spark=spark, progress=False)
        result |= {
            "spark_job_s": round(time.perf_counter() - job, 2),
            "spark_stored": summary.stored,
            "spark_events": summary.events_stored,
            "spark_stories_s": (summary.stories or {}).get("seconds"),
            "spark_stories": (summary.stories or {}).get("stories_total"),
        }
        if batches:
            result |= measure_batches(spark, sources, root)
    spark.stop()
    return result


def split_jsonl(sources: list[str], root: Path) -> list[str]:
    """The records of the JSONL sources cut into two files: the first half, the rest."""
    lines = []
    for source in sources:
        if not source.endswith(".jsonl"):
            raise SystemExit(f"--spark-batches takes JSONL files: {source}")
        lines += [line for line in Path(source).read_text(encoding="utf-8").splitlines() if line]
    half = len(lines) // 2
    names = []
    for name, part in (("a.jsonl", lines[:half]), ("b.jsonl", lines[half:])):
        (root / name).write_text("\n".join(part) + "\n", encoding="utf-8")
        names.append(str(root / name))
    return names


def measure_batches(spark: object, sources: list[str], root: Path) -> dict[str, object]:
    """A into a new lake, then B added; compared with the one-run lake at root/lake."""
    from hendelse.scale.spark import ingest_spark
    from hendelse.store import Store
    from hendelse.store.db import table_rows

    out: dict[str, object] = {}
    lake = root / "lake-ab"
    for name, source in (("a", sources[0]), ("b", sources[1])):
        job = time.perf_counter()
        summary = ingest_spark([source], lake, spark=spark, progress=False)
        out[f"spark_batch_{name}_s"] = round(time.perf_counter() - job, 2)
        out[f"spark_batch_{name}_stored"] = summary.stored
        out[f"spark_batch_{name}_stories_s"] = (summary.stories or {}).get("seconds")
    skip = {"ingested_at", "updated_at", "joined_at", "article_ingested_at"}

    def rows(store: Store) -> dict[str, list[tuple]]:
        out = table_rows(store)
        for table in ("stories", "story_events"):
            names = [
                c
                for (c,) in store.con.execute(
                    f"SELECT column_name FROM (DESCRIBE {table})"
                ).fetchall()
                if c not in skip
            ]
            out[table] = sorted(
                store.con.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall(), key=repr
            )
        return out

    with Store.open(root / "lake", read_only=True) as once, Store.open(lake, read_only=True) as ab:
        out["batches_equal_one_run"] = rows(once) == rows(ab)
    out |= measure_story_grouping(root / "lake", root / "store.duckdb")
    return out


def measure_story_grouping(lake: Path, db: Path) -> dict[str, object]:
    """Grouping all events into stories, in this process: on the lake (DuckDB reading
    its Parquet) and on the same rows loaded into a DuckDB store; interleaved, twice."""
    from hendelse.store import Store
    from hendelse.store.lake import load_lake, read_manifest, story_store
    from hendelse.store.stories import update_stories

    load_lake(lake, db)
    manifest = read_manifest(lake)
    assert manifest is not None
    times: dict[str, list[float]] = {"lake": [], "store": []}
    for _ in range(2):
        for kind in ("lake", "store"):
            cpu = time.process_time()
            store = story_store(lake, manifest) if kind == "lake" else Store.open(db)
            with store:
                update_stories(store, rebuild=True)
            times[kind].append(time.process_time() - cpu)
    return {
        "stories_lake_cpu_s": [round(t, 2) for t in times["lake"]],
        "stories_store_cpu_s": [round(t, 2) for t in times["store"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="article files or folders")
    parser.add_argument("--spark-master", help="also time the spark engine (local[2])")
    parser.add_argument(
        "--spark-batches",
        action="store_true",
        help="with --spark-master: also time two batches added in turn (JSONL inputs)",
    )
    args = parser.parse_args()
    result: dict[str, object] = {"cpus": os.cpu_count(), "load_average": os.getloadavg()[0]}
    result |= measure_local(args.sources)
    if args.spark_master:
        result |= measure_spark(args.sources, args.spark_master, args.spark_batches)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
