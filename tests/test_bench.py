"""The benchmark's helpers (scripts/bench_*.py): corpus cutting, memory sampling, the store.

Nothing here times anything: the figures are the benchmark's job
(scripts/bench_pipeline.py, docs/benchmarks.md). These tests check that
what the benchmark measures is what it says it measures.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import bench_corpus  # noqa: E402
import bench_memory  # noqa: E402
import bench_report  # noqa: E402
import bench_store  # noqa: E402

from hendelse.nlp.ndt import read_ndt  # noqa: E402


def _ndt_line(i: int, form: str, pos: str = "subst", head: int = 0) -> str:
    return f"{i}\t{form}\t{form.lower()}\t{pos}\t{pos}\t_\t{head}\tFRAG\t_\tname=O"


def _ndt_file(path: Path, sentences: list[list[str]]) -> Path:
    """An NDT file of our own sentences; a final "|" marks a headline as in NDT."""
    blocks = []
    for words in sentences:
        lines = []
        for i, form in enumerate(words, 1):
            pos = "clb" if form in ("|", ".") else "subst"
            lines.append(_ndt_line(i, form, pos, 0 if i == 1 else 1))
        blocks.append("\n".join(lines))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def test_detokenise_uses_norwegian_spacing() -> None:
    forms = ["Ordføreren", "(", "Ap", ")", "sa", ":", '"', "Vi", "venter", '"', ","]
    forms += ["og", "gikk", "."]
    assert bench_corpus.detokenise(forms) == 'Ordføreren (Ap) sa: "Vi venter", og gikk.'
    assert bench_corpus.detokenise(["«", "Nei", "»", ",", "sa", "hun", "."]) == "«Nei», sa hun."


def test_ndt_file_is_cut_at_each_run_of_headlines(tmp_path: Path) -> None:
    path = _ndt_file(
        tmp_path / "xx001_0000.conll",
        [
            ["Brann", "på", "Sandnes", "|"],
            ["Nattens", "brann", "|"],
            ["Huset", "brant", "ned", "."],
            ["Ingen", "ble", "skadd", "."],
            ["Ny", "bru", "åpnet", "|"],
            ["Brua", "er", "klar", "."],
        ],
    )
    pieces = bench_corpus.split_articles(read_ndt(path))
    assert [len(p) for p in pieces] == [4, 2]
    assert bench_corpus.article_text(pieces[0]) == (
        "Brann på Sandnes\nNattens brann\nHuset brant ned. Ingen ble skadd.\n"
    )
    article = bench_corpus.article_from_text(
        bench_corpus.article_text(pieces[1]), where=str(path), id="x"
    )
    assert article.title == "Ny bru åpnet"
    assert bench_corpus.word_count(article.text) == 6


def test_text_before_the_first_headline_is_an_article_of_its_own(tmp_path: Path) -> None:
    path = _ndt_file(
        tmp_path / "xx002_0000.conll",
        [["Det", "regnet", "."], ["Valget", "|"], ["Partiet", "vant", "."]],
    )
    pieces = bench_corpus.split_articles(read_ndt(path))
    assert [bench_corpus.article_text(p) for p in pieces] == [
        "Det regnet.\n",
        "Valget\nPartiet vant.\n",
    ]


def test_own_corpus_is_the_projects_articles() -> None:
    corpus = bench_corpus.load_own()
    names = {p.name for p in corpus.source_files or []}
    assert {p.name for p in (REPO / "gold").glob("*.txt")} <= names
    assert len(corpus.articles) == len(names)
    description = corpus.describe()
    assert description["words"] == sum(corpus.words) > 0
    with pytest.raises(bench_corpus.CorpusError, match="unknown corpus 'nyheter'"):
        bench_corpus.load(["nyheter"])


def _sample_parent_of(child: str) -> tuple[bench_memory.TreeSampler, int]:
    """Sample a process that runs ``child`` (Python source) in a subprocess of its own."""
    code = textwrap.dedent(
        f"""
        import subprocess, sys
        subprocess.run([sys.executable, "-c", {child!r}], check=True)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    with bench_memory.TreeSampler(process.pid, interval=0.05) as sampler:
        assert process.wait() == 0
    return sampler, process.pid


def test_memory_sampler_sees_a_child_process_peak() -> None:
    child = "b = bytearray(150 * 2**20); b[::4096] = b'x' * len(b[::4096]); "
    child += "import time; time.sleep(1.0)"
    sampler, pid = _sample_parent_of(child)
    children = [p for p in sampler.peaks.values() if p.pid != pid]
    assert children, "the child process was not seen"
    assert max(p.peak_mb for p in children) >= 150
    assert sampler.peaks[pid].kind == "main"


def test_sampler_counts_a_busy_child_s_cpu_time_as_its_own() -> None:
    """How busy the ingest's workers were, and the parent's CPU: a child's CPU time
    is the child's, not the parent's."""
    child = "import time\nend = time.process_time() + 0.6\n"
    child += "while time.process_time() < end: pass\ntime.sleep(0.3)"
    sampler, pid = _sample_parent_of(child)
    parent = sampler.peaks[pid]
    children = [p for p in sampler.peaks.values() if p.pid != pid]
    assert children, "the child process was not seen"
    busy = max(p.cpu_seconds for p in children)
    assert busy >= 0.5
    assert parent.cpu_seconds < busy
    assert sampler.cpu_by_kind()["other"] == [round(busy, 2)]


def test_classify_ingest_processes() -> None:
    spawn = "python -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5)"
    assert bench_memory.classify(spawn) == "ingest worker"
    tracker = "python -c from multiprocessing.resource_tracker import main;main(4)"
    assert bench_memory.classify(tracker) == "resource tracker"
    assert bench_memory.classify("python -m pyspark.daemon") == "spark python worker"
    assert bench_memory.classify("/usr/bin/java -cp x org.apache.spark.deploy") == "spark jvm"


@pytest.mark.slow
def test_store_of_copies_has_the_target_events_and_answers_queries(tmp_path: Path, nlp) -> None:
    from hendelse.extract import Extractor
    from hendelse.nlp.pipeline import analyse_many
    from hendelse.store import sql

    corpus = bench_corpus.load_own()
    corpus.articles = corpus.articles[:3]
    extractor = Extractor()
    docs = analyse_many(corpus.articles, nlp)
    records = [extractor(a, d) for a, d in zip(corpus.articles, docs, strict=True)]
    per_copy = sum(len(r["events"]) for r in records)
    assert per_copy > 0
    db = tmp_path / "bench.duckdb"
    built = bench_store.build([corpus], {"own": records}, db, target_events=3 * per_copy + 1)
    assert built["events"] >= 3 * per_copy + 1
    assert built["copies"] == 4
    ids = sql(db, "SELECT id, record->>'$.article.id' FROM articles").rows
    assert len({i for i, _ in ids}) == built["articles"]
    assert all(i == inner for i, inner in ids)
    timed = bench_store.run_queries(db, cold_runs=1, warm_runs=2)
    assert timed["events"] == built["events"]
    rows = {row["query"]: row for row in timed["queries"]}
    assert rows["no filter"]["matches"] == built["events"]
    assert rows["no filter"]["returned"] == min(100, built["events"])
    assert all(row["warm"]["runs"] == 2 for row in rows.values())


def test_targets_are_judged_from_the_figures() -> None:
    results = {
        "parse_extract": {
            "corpora": [
                {"corpus": "all", "extraction_overhead": 0.12, "extraction_overhead_cpu": 0.13}
            ]
        },
        "ingest": {
            "workers": 2,
            "words_per_s": 40 * bench_report.TYPICAL_WORDS - 1,
            "articles_per_s": 50.0,
            "peak_mb": {"main": [900.0], "ingest worker": [580.0, 610.0]},
        },
    }
    verdicts = {target: met for target, _, met in bench_report.targets(results)}
    assert list(verdicts.values()) == [True, False, False]


def test_running_rate_counts_the_articles_stored_after_the_first_transaction(tmp_path) -> None:
    import bench_ingest
    import duckdb

    from hendelse.reader.sources import article_from_text

    db = tmp_path / "ingest.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE articles (id TEXT, ingested_at TIMESTAMP)")
        # a first transaction of two articles, then three more over the next 2 seconds
        stamps = ["00.0", "00.0", "01.0", "01.0", "02.0"]
        for k, stamp in enumerate(stamps):
            when = f"2026-12-03 10:00:{stamp}"
            con.execute("INSERT INTO articles VALUES (?, ?)", [f"a{k}", when])
    text = "Statsministeren besøkte Tromsø mandag."  # 5 words
    corpus = bench_corpus.Corpus("own", [article_from_text(text, where="test")] * 5, "test")
    running = bench_ingest._running(db, [corpus], stored=5)
    assert running["running_seconds"] == 2.0
    assert running["running_articles_per_s"] == 1.5
    assert running["running_words_per_s"] == 1.5 * corpus.words[0]
