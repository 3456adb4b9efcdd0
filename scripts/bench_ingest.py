"""End-to-end ingest as a user runs it: ``hendelse ingest`` in a subprocess.

- ``local``: ``hendelse ingest SOURCES --db FRESH --workers N`` (the
  multiprocessing path), with the peak memory of every worker process
  sampled from ``/proc`` and the DuckDB file's size afterwards.
- ``spark``: ``hendelse ingest SOURCES --engine spark --spark-master
  local[N] --lake FOLDER``, with the peaks of Spark's JVM and its Python
  workers, and the lake's size.

The rate is stored articles over the command's wall time, from process
start (interpreter, imports, model loading in every worker, reading with
the language check, writing, the story step) to exit: what a user waits
for. The ingest's own ``seconds`` from ``--report`` is given as well, and
the CPU seconds of every process (``cpu_seconds``, by kind), which say how
busy the workers were and how much of the two cores the parent took.
``running_articles_per_s`` is the rate once the ingest runs (from the first
article stored to the last, by the store's ``ingested_at``): the start-up is
paid once per command, so a long archive ingest approaches that rate.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench_corpus import Corpus, write_jsonl
from bench_memory import TreeSampler

HENDELSE = Path(sys.executable).with_name("hendelse")


class BenchError(RuntimeError):
    """A stage that could not run; the message says why and what to do."""


def sources(corpora: list[Corpus], workdir: Path) -> list[str]:
    """Files to give ``hendelse ingest``: the corpus files, or a JSONL written for them."""
    out: list[str] = []
    for corpus in corpora:
        if corpus.source_files is not None:
            out += [str(p) for p in corpus.source_files]
        else:
            out.append(str(write_jsonl(corpus.articles, workdir / f"{corpus.name}.jsonl")))
    return out


def _run(command: list[str], log_path: Path) -> tuple[float, TreeSampler, int]:
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        with TreeSampler(process.pid) as sampler:
            code = process.wait()
    return time.perf_counter() - started, sampler, code


def _report(path: Path, log_path: Path, code: int) -> dict[str, Any]:
    if code != 0 or not path.exists():
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise BenchError(f"hendelse ingest ended with exit code {code}; its output:\n{tail}")
    return json.loads(path.read_text(encoding="utf-8"))


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    wal = path.with_name(path.name + ".wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _figures(
    engine: str, corpora: list[Corpus], report: dict, wall: float, sampler: TreeSampler
) -> dict[str, Any]:
    stored = report["stored"]
    words = sum(sum(c.words) for c in corpora)
    articles = sum(len(c.articles) for c in corpora)
    return {
        "engine": engine,
        "articles_in": articles,
        "stored": stored,
        "skipped": report["skipped"],
        "skipped_reasons": report["skipped_reasons"],
        "events": report["events_stored"],
        "wall_seconds": round(wall, 2),
        "ingest_seconds": report["seconds"],
        "articles_per_s": stored / wall,
        # the skipped articles are few and read only; their words count as read
        "words_per_s": words * stored / articles / wall,
        "peak_mb": sampler.by_kind(),
        # where the two cores went: the parent (reading, language check,
        # writing, stories) against the workers (model loading, parse, extraction)
        "cpu_seconds": sampler.cpu_by_kind(),
    }


def _running(db: Path, corpora: list[Corpus], stored: int) -> dict[str, Any]:
    """The rate once the ingest is running: the articles stored after the first
    transaction over the time from it to the last (the store's ``ingested_at``), so
    without the start-up (imports, every worker loading the model, the first
    batch) and the story step. A long archive ingest runs at about this rate."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        first, last, after = con.execute(
            "SELECT min(ingested_at), max(ingested_at), "
            "count(*) FILTER (WHERE ingested_at > (SELECT min(ingested_at) FROM articles)) "
            "FROM articles"
        ).fetchone()
    span = (last - first).total_seconds() if first is not None else 0.0
    if span <= 0:
        return {}
    words = sum(sum(c.words) for c in corpora)
    articles = sum(len(c.articles) for c in corpora)
    return {
        "running_seconds": round(span, 2),
        "running_articles_per_s": after / span,
        "running_words_per_s": words / articles * after / span,
    }


def run_local(corpora: list[Corpus], workdir: Path, workers: int) -> dict[str, Any]:
    """``hendelse ingest --workers N`` into a fresh store."""
    db = workdir / "ingest.duckdb"
    db.unlink(missing_ok=True)
    report_path = workdir / "ingest-report.json"
    log_path = workdir / "ingest.log"
    command = [str(HENDELSE), "ingest", *sources(corpora, workdir), "--db", str(db)]
    command += ["--workers", str(workers), "--report", str(report_path), "--no-progress"]
    wall, sampler, code = _run(command, log_path)
    report = _report(report_path, log_path, code)
    figures = _figures(f"local, --workers {workers}", corpora, report, wall, sampler)
    figures["workers"] = workers
    figures.update(_running(db, corpora, report["stored"]))
    size = _size(db)
    figures["db_bytes"] = size
    figures["db_mb_per_1000_articles"] = size / 2**20 / report["stored"] * 1000
    return figures


def spark_available() -> str | None:
    """Why the Spark stage cannot run here, or None when it can."""
    try:
        from hendelse.scale import spark  # noqa: F401
    except ImportError as err:
        return f"hendelse.scale.spark cannot be imported ({err})"
    if shutil.which("java") is None:
        return "no java on PATH (Spark needs Java 17)"
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed (pip install 'hendelse[spark]')"
    return None


def run_spark(corpora: list[Corpus], workdir: Path, cores: int) -> dict[str, Any]:
    """``hendelse ingest --engine spark --spark-master local[N]`` into a fresh lake."""
    lake = workdir / "lake"
    shutil.rmtree(lake, ignore_errors=True)
    report_path = workdir / "spark-report.json"
    log_path = workdir / "spark.log"
    command = [str(HENDELSE), "ingest", *sources(corpora, workdir), "--engine", "spark"]
    command += ["--lake", str(lake), "--spark-master", f"local[{cores}]"]
    command += ["--report", str(report_path), "--no-progress"]
    wall, sampler, code = _run(command, log_path)
    report = _report(report_path, log_path, code)
    figures = _figures(f"spark local[{cores}]", corpora, report, wall, sampler)
    size = _size(lake)
    figures["lake_bytes"] = size
    figures["lake_mb_per_1000_articles"] = size / 2**20 / report["stored"] * 1000
    return figures
