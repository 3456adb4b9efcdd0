"""Measure extraction speed per core, the figure behind docs/scale.md's arithmetic.

    .venv/bin/python scripts/bench_scale.py ARTICLES... [--spark-master local[2]]

Reads the articles as ingest does, then parses and extracts them in this
process in batches of 16 (one BLAS thread), timing CPU seconds as well as
wall seconds: on a shared machine the CPU time is the steadier figure.
With ``--spark-master`` it also runs the spark engine on the same inputs
into a temporary lake and times the whole job (session start included).
Prints one JSON object.
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


def measure_spark(sources: list[str], master: str) -> dict[str, float]:
    from hendelse.scale.spark import build_session, ingest_spark

    started = time.perf_counter()
    spark = build_session(master, progress=False, config={"spark.ui.enabled": "false"})
    spark.sparkContext.setLogLevel("ERROR")
    session = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        job = time.perf_counter()
        summary = ingest_spark(sources, Path(folder) / "lake", spark=spark, progress=False)
        job = time.perf_counter() - job
    spark.stop()
    return {
        "spark_master": master,
        "spark_session_s": round(session, 2),
        "spark_job_s": round(job, 2),
        "spark_stored": summary.stored,
        "spark_events": summary.events_stored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="article files or folders")
    parser.add_argument("--spark-master", help="also time the spark engine (local[2])")
    args = parser.parse_args()
    result: dict[str, object] = {"cpus": os.cpu_count(), "load_average": os.getloadavg()[0]}
    result |= measure_local(args.sources)
    if args.spark_master:
        result |= measure_spark(args.sources, args.spark_master)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
