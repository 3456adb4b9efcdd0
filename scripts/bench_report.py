"""The benchmark's figures as tables, and the issue's targets as met or not met."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

#: The targets of the benchmark issue.
MAX_OVERHEAD = 0.15  # extraction adds at most 15% to the bare parse
MIN_ARTICLES_PER_S = 40  # end to end with 2 workers, typical 300–600-word articles
MAX_WORKER_MB = 600
MAX_QUERY_MS = 100
#: Processes that never grew past this (shell scripts, Spark's launcher
#: helpers) are left out of the memory table; the JSON keeps them.
HELPER_MB = 20
#: The median length of the NorQuAD news articles, all of them 300–600 words:
#: the "typical article" the articles/s target speaks of.
TYPICAL_WORDS = 339


def _n(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _corpora(console: Console, results: dict[str, Any]) -> None:
    table = Table(title="Corpora (words: runs of letters and digits)")
    for column in ("corpus", "articles", "words", "median words", "p25–p75", "300–600 words"):
        table.add_column(column, justify="left" if column == "corpus" else "right")
    for c in results["corpora"]:
        q = c["words_p25_p75"]
        table.add_row(
            c["corpus"],
            str(c["articles"]),
            f"{c['words']:,}",
            _n(c["median_words"], 0),
            f"{q[0]:.0f}–{q[1]:.0f}",
            str(c["articles_300_600_words"]),
        )
    console.print(table)


def _throughput(console: Console, results: dict[str, Any]) -> None:
    table = Table(title="Throughput (wall time)")
    for column in ("stage", "corpus", "articles/s", "words/s", "note"):
        table.add_column(column, justify="right" if "/s" in column else "left")
    pe = results.get("parse_extract")
    if pe:
        for row in pe["corpora"]:
            table.add_row(
                "bare parse (1 process)",
                row["corpus"],
                _n(row["parse_articles_per_s"]),
                _n(row["parse_words_per_s"], 0),
                "",
            )
        for row in pe["corpora"]:
            table.add_row(
                "parse + extract (1 process)",
                row["corpus"],
                _n(row["single_process_articles_per_s"]),
                _n(row["single_process_words_per_s"], 0),
                f"extraction alone {_n(row['extract_articles_per_s'])} art/s",
            )
    for key in ("ingest", "spark"):
        run = results.get(key)
        if not run:
            continue
        if "not_available" in run:
            table.add_row(f"hendelse ingest ({key})", "-", "-", "-", run["not_available"])
            continue
        table.add_row(
            f"hendelse ingest, {run['engine']}",
            "all chosen",
            _n(run["articles_per_s"]),
            _n(run["words_per_s"], 0),
            f"{run['stored']} stored in {run['wall_seconds']} s (start-up included)",
        )
        if "running_articles_per_s" in run:
            table.add_row(
                "  the same, once running",
                "all chosen",
                _n(run["running_articles_per_s"]),
                _n(run["running_words_per_s"], 0),
                f"first to last article stored: {run['running_seconds']} s",
            )
    console.print(table)
    if pe:
        console.print(
            f"model load {pe['model_load_seconds']} s, extractor warm-up "
            f"{pe['extractor_warmup_seconds']} s (not in the rates); {pe['repeats']} repeats"
        )


def _overhead(console: Console, results: dict[str, Any]) -> None:
    pe = results.get("parse_extract")
    if not pe:
        return
    table = Table(title="Extraction time / bare parse time (same texts, same process)")
    for column in ("corpus", "parse s", "extract s", "overhead (wall)", "overhead (CPU)"):
        table.add_column(column, justify="left" if column == "corpus" else "right")
    for row in pe["corpora"]:
        table.add_row(
            row["corpus"],
            " ".join(_n(s) for s in row["parse_seconds"]),
            " ".join(_n(s) for s in row["extract_seconds"]),
            f"{row['extraction_overhead']:.1%}",
            f"{row['extraction_overhead_cpu']:.1%}",
        )
    console.print(table)


def _memory(console: Console, results: dict[str, Any]) -> None:
    table = Table(title="Peak resident memory (VmHWM) per process, MB")
    for column in ("run", "process", "peak MB (each)"):
        table.add_column(column)
    for key in ("ingest", "spark"):
        run = results.get(key)
        if not run or "peak_mb" not in run:
            continue
        for kind, values in run["peak_mb"].items():
            values = [v for v in values if v >= HELPER_MB]
            if kind in ("other", "resource tracker") or not values:
                continue
            table.add_row(run["engine"], kind, ", ".join(_n(v, 0) for v in values))
    if table.row_count:
        console.print(table)


def _store(console: Console, results: dict[str, Any]) -> None:
    table = Table(title="Store size")
    for column in ("store", "articles", "events", "MB", "MB per 1,000 articles"):
        table.add_column(column, justify="left" if column == "store" else "right")
    ingest = results.get("ingest")
    if ingest:
        table.add_row(
            "hendelse ingest (fresh)",
            str(ingest["stored"]),
            str(ingest["events"]),
            _n(ingest["db_bytes"] / 2**20),
            _n(ingest["db_mb_per_1000_articles"]),
        )
    spark = results.get("spark")
    if spark and "lake_bytes" in spark:
        table.add_row(
            "spark lake (Parquet)",
            str(spark["stored"]),
            str(spark["events"]),
            _n(spark["lake_bytes"] / 2**20),
            _n(spark["lake_mb_per_1000_articles"]),
        )
    store = results.get("store")
    if store:
        table.add_row(
            f"query store ({store['copies']} copies)",
            f"{store['articles']:,}",
            f"{store['events']:,}",
            _n(store["db_bytes"] / 2**20),
            _n(store["db_mb_per_1000_articles"]),
        )
    if table.row_count:
        console.print(table)
    if store:
        console.print(
            f"query store written at {_n(store['write_articles_per_s'], 0)} articles/s "
            f"(put_many, {store['write_batch']} a transaction)"
        )


def _queries(console: Console, results: dict[str, Any]) -> None:
    q = results.get("query")
    if not q:
        return
    table = Table(title=f"Query latency on {q['events']:,} events, ms (query(), limit 100)")
    for column in ("query", "matches", "cold median", "cold p95", "warm median", "warm p95"):
        table.add_column(column, justify="left" if column == "query" else "right")
    for row in q["queries"]:
        table.add_row(
            row["query"],
            f"{row['matches']:,}",
            _n(row["cold"]["median_ms"]),
            _n(row["cold"]["p95_ms"]),
            _n(row["warm"]["median_ms"]),
            _n(row["warm"]["p95_ms"]),
        )
    console.print(table)
    console.print(f"opening the store read-only: median {_n(q['open']['median_ms'])} ms")


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each target the run measured."""
    out: list[tuple[str, str, bool]] = []
    pe = results.get("parse_extract")
    if pe:
        row = pe["corpora"][-1]
        ratio = row["extraction_overhead"]
        out.append(
            (
                f"extraction adds ≤ {MAX_OVERHEAD:.0%} to the parse",
                f"{ratio:.1%} (CPU {row['extraction_overhead_cpu']:.1%}), {row['corpus']}",
                ratio <= MAX_OVERHEAD,
            )
        )
    ingest = results.get("ingest")
    if ingest:
        typical = ingest["words_per_s"] / TYPICAL_WORDS
        out.append(
            (
                f"≥ {MIN_ARTICLES_PER_S} articles/s, {ingest['workers']} workers, typical articles",
                f"{typical:.1f} articles/s of {TYPICAL_WORDS} words "
                f"({ingest['articles_per_s']:.1f}/s on the mix, start-up included"
                + (
                    f"; {ingest['running_words_per_s'] / TYPICAL_WORDS:.1f} once running)"
                    if "running_words_per_s" in ingest
                    else ")"
                ),
                typical >= MIN_ARTICLES_PER_S,
            )
        )
        workers = ingest["peak_mb"].get("ingest worker") or ingest["peak_mb"].get("main", [0])
        out.append(
            (
                f"≤ {MAX_WORKER_MB} MB peak per worker",
                f"{max(workers):.0f} MB",
                max(workers) <= MAX_WORKER_MB,
            )
        )
    q = results.get("query")
    if q:
        for kind in ("warm", "cold"):
            worst = max(q["queries"], key=lambda r: r[kind]["median_ms"])
            ms = worst[kind]["median_ms"]
            out.append(
                (
                    f"typical queries ≤ {MAX_QUERY_MS} ms ({kind}, median)",
                    f"slowest {worst['query']}: {ms:.1f} ms",
                    ms <= MAX_QUERY_MS,
                )
            )
    return out


def print_tables(results: dict[str, Any]) -> None:
    console = Console(width=110)
    m = results["machine"]
    console.print(
        f"[bold]hendelse benchmark[/] {results['date']}: {m['cpu']}, {m['cores']} cores, "
        f"{m['ram_gb']} GB; load average {m['load_average_start'][0]:.1f} at the start, "
        f"{m['load_average_end'][0]:.1f} at the end; {results['seconds']} s"
    )
    for part in (_corpora, _throughput, _overhead, _memory, _store, _queries):
        part(console, results)
    table = Table(title="Targets")
    for column in ("target", "measured", "met"):
        table.add_column(column)
    for target, measured, met in targets(results):
        table.add_row(target, measured, "yes" if met else "[red]no[/]")
    if table.row_count:
        console.print(table)
