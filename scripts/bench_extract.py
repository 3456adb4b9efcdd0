"""Bare parse against parse + extraction, in one process, on the same texts.

Each repeat parses every corpus with the shipped pipeline (``analyse_many``,
the ingest's own call) and then runs the extractor on the docs it just made,
so parse and extraction alternate (A B A B …) and share the machine's
state. The extraction overhead is ``extract / parse`` per repeat: the time
the extractor adds to the bare parse, from wall time and (steadier on a
shared machine) from this process's CPU time. Model loading and the extractor's
first call (which loads the lexicon, the gazetteer and the actor data) are
timed apart and left out of the rates.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from bench_corpus import Corpus, word_count


@dataclass
class CorpusTimes:
    """Seconds per repeat for one corpus."""

    name: str
    articles: int
    words: int
    parse: list[float] = field(default_factory=list)
    extract: list[float] = field(default_factory=list)
    parse_cpu: list[float] = field(default_factory=list)
    extract_cpu: list[float] = field(default_factory=list)
    events: int = 0

    def figures(self) -> dict[str, Any]:
        parse = statistics.median(self.parse)
        extract = statistics.median(self.extract)
        ratios = [e / p for p, e in zip(self.parse, self.extract, strict=True)]
        cpu_ratios = [e / p for p, e in zip(self.parse_cpu, self.extract_cpu, strict=True)]
        return {
            "corpus": self.name,
            "articles": self.articles,
            "words": self.words,
            "events": self.events,
            "parse_seconds": [round(s, 3) for s in self.parse],
            "extract_seconds": [round(s, 3) for s in self.extract],
            "parse_articles_per_s": self.articles / parse,
            "parse_words_per_s": self.words / parse,
            "extract_articles_per_s": self.articles / extract,
            "single_process_articles_per_s": self.articles / (parse + extract),
            "single_process_words_per_s": self.words / (parse + extract),
            "extraction_overhead": statistics.median(ratios),
            "extraction_overhead_per_repeat": [round(r, 4) for r in ratios],
            "parse_cpu_seconds": [round(s, 3) for s in self.parse_cpu],
            "extract_cpu_seconds": [round(s, 3) for s in self.extract_cpu],
            "extraction_overhead_cpu": statistics.median(cpu_ratios),
        }


@dataclass
class ExtractRun:
    """What :func:`run` measured, and the records of the last repeat (for the store stage)."""

    model_load_seconds: float
    extractor_warmup_seconds: float
    corpora: list[CorpusTimes]
    records: dict[str, list[dict]]

    def figures(self) -> dict[str, Any]:
        total = CorpusTimes(
            "all",
            sum(c.articles for c in self.corpora),
            sum(c.words for c in self.corpora),
            events=sum(c.events for c in self.corpora),
        )
        repeats = len(self.corpora[0].parse)
        for r in range(repeats):
            total.parse.append(sum(c.parse[r] for c in self.corpora))
            total.extract.append(sum(c.extract[r] for c in self.corpora))
            total.parse_cpu.append(sum(c.parse_cpu[r] for c in self.corpora))
            total.extract_cpu.append(sum(c.extract_cpu[r] for c in self.corpora))
        rows = [c.figures() for c in self.corpora]
        if len(self.corpora) > 1:
            rows.append(total.figures())
        return {
            "model_load_seconds": round(self.model_load_seconds, 2),
            "extractor_warmup_seconds": round(self.extractor_warmup_seconds, 2),
            "repeats": repeats,
            "corpora": rows,
        }


def run(corpora: list[Corpus], repeat: int, log: Any = print) -> ExtractRun:
    """Parse and extract every corpus ``repeat`` times, alternating the two."""
    from hendelse.extract import Extractor
    from hendelse.nlp.pipeline import analyse_many, load

    started = time.perf_counter()
    nlp = load()
    model_load = time.perf_counter() - started
    started = time.perf_counter()
    extractor = Extractor()
    warm = corpora[0].articles[:4]
    for article, doc in zip(warm, analyse_many(warm, nlp), strict=True):
        extractor(article, doc)
    warmup = time.perf_counter() - started
    times = [
        CorpusTimes(c.name, len(c.articles), sum(word_count(a.text) for a in c.articles))
        for c in corpora
    ]
    records: dict[str, list[dict]] = {}
    for r in range(repeat):
        for corpus, timing in zip(corpora, times, strict=True):
            gc.collect()
            started, cpu = time.perf_counter(), time.process_time()
            docs = list(analyse_many(corpus.articles, nlp))
            timing.parse.append(time.perf_counter() - started)
            timing.parse_cpu.append(time.process_time() - cpu)
            started, cpu = time.perf_counter(), time.process_time()
            out = [extractor(a, d) for a, d in zip(corpus.articles, docs, strict=True)]
            timing.extract.append(time.perf_counter() - started)
            timing.extract_cpu.append(time.process_time() - cpu)
            timing.events = sum(len(rec["events"]) for rec in out)
            records[corpus.name] = out
            del docs
            log(
                f"  repeat {r + 1}/{repeat} {corpus.name}: parse {timing.parse[-1]:.1f} s, "
                f"extract {timing.extract[-1]:.1f} s"
            )
    return ExtractRun(model_load, warmup, times, records)
