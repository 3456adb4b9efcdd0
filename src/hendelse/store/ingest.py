"""Ingest an archive: read articles, extract their events in worker processes, store them.

The parent process reads the inputs with :mod:`hendelse.reader`, decides for
each article whether it needs extracting (a new id, or changed content), and
sends batches of those to ``workers`` processes. Each worker loads the
Norwegian pipeline once and returns event records; the parent alone writes
them, in input order, one transaction per batch: every article of the batch
replaces its earlier rows, and either the whole batch is stored or none of
it. A bad input is listed with its file and line and skipped; nothing stored
is touched for it.

Resuming: an article whose stored content hash equals its new one is skipped
as "unchanged", and an article is either stored whole or not at all, so
rerunning an interrupted (even ``kill -9``-ed) ingest gives the same store
as an uninterrupted run.

Test hooks (environment variables, not for production use):

- ``HENDELSE_INGEST_DELAY=SECONDS``: sleep that long per article inside
  every write transaction and print ``hendelse-ingest: committed ID`` to
  standard error for each article committed, so that a test can kill the
  process mid-write.
- ``HENDELSE_INGEST_CRASH_AFTER=N``: once N articles are stored, SIGKILL
  the process inside the next write transaction, after the old rows of its
  articles were deleted.
"""

from __future__ import annotations

import atexit
import datetime as dt
import gzip
import json
import os
import re
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hendelse.store.db import Store, StoreError, content_hash

if TYPE_CHECKING:
    from hendelse.reader.article import Article, ArticleError

#: Articles per batch sent to a worker.
BATCH_SIZE = 16
DELAY_ENV = "HENDELSE_INGEST_DELAY"
CRASH_ENV = "HENDELSE_INGEST_CRASH_AFTER"
_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class IngestError(RuntimeError):
    """The ingest cannot go on (no model, a worker died, the store is locked)."""


@dataclass
class Skipped:
    """An input that was not stored, and why."""

    where: str  # "archive.jsonl:12", "folder/article.txt"
    stage: str  # "read" (the reader refused it), "extract" or "store" (that step failed)
    reason: str
    article_id: str | None = None


@dataclass
class IngestSummary:
    """What an ingest did; :meth:`to_dict` is the ``--report`` JSON."""

    db: str
    sources: list[str]
    workers: int
    articles_read: int = 0
    stored: int = 0
    unchanged: int = 0
    duplicates: int = 0
    events_stored: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    store_articles: int = 0
    store_events: int = 0
    extractor: str | None = None
    started_at: str = ""
    seconds: float = 0.0
    interrupted: bool = False
    #: What the story update after the batches did (None: not run, ``stories=False``).
    stories: dict[str, Any] | None = None

    @property
    def skipped_reasons(self) -> dict[str, int]:
        """How many inputs were skipped for each kind of reason."""
        counts = Counter(f"{s.stage}: {reason_key(s.reason)}" for s in self.skipped)
        return dict(counts.most_common())

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "sources": self.sources,
            "workers": self.workers,
            "started_at": self.started_at,
            "seconds": round(self.seconds, 2),
            "interrupted": self.interrupted,
            "extractor": self.extractor,
            "articles_read": self.articles_read,
            "stored": self.stored,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "skipped": len(self.skipped),
            "skipped_reasons": self.skipped_reasons,
            "skipped_items": [asdict(s) for s in self.skipped],
            "events_stored": self.events_stored,
            "store_totals": {"articles": self.store_articles, "events": self.store_events},
            "stories": self.stories,
        }


def reason_key(reason: str) -> str:
    """A reason without its particulars, for counting ("broken JSON", "not Norwegian")."""
    head = re.split(r"[;(]", reason, maxsplit=1)[0]
    return re.sub(r"\d[\d,.]*", "N", head).strip(" :,")


# -- workers ---------------------------------------------------------------------

_WORKER: dict[str, Any] = {}
Result = tuple[dict | None, str | None]  # (record, None) or (None, error)


def _init_worker(single_threaded: bool = False) -> None:
    """Load the pipeline and the extractor once per process."""
    if single_threaded:  # a worker process of a pool
        for name in _THREAD_ENV:  # N workers on N cores: one BLAS thread each
            os.environ.setdefault(name, "1")
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        _watch_parent()
        atexit.register(_exit_at_once)
    from hendelse import __version__
    from hendelse.extract import Extractor
    from hendelse.nlp.pipeline import load

    nlp = load()
    _WORKER["nlp"] = nlp
    _WORKER["extractor"] = Extractor()
    meta = nlp.meta
    _WORKER["name"] = (
        f"hendelse {__version__}; model {meta.get('name', '?')} {meta.get('version', '?')}"
    )


def _watch_parent() -> None:
    """End this worker when the parent process dies (a ``kill -9`` leaves no orphans)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _exit_at_once() -> None:
    """End a pool worker without the interpreter's teardown.

    Freeing the pipeline's and the extractor's objects one by one took a
    worker about 0.7 s after its last batch, and the ingest waits for its
    workers before the story step. A worker holds no file or connection that
    needs closing, so it flushes its output and leaves.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def extract_batch(articles: list[Article]) -> tuple[str, list[Result]]:
    """Parse and extract a batch; an article that fails gets its error, the rest go on."""
    if not _WORKER:
        _init_worker()
    from hendelse.nlp.pipeline import analyse_many

    nlp, extractor = _WORKER["nlp"], _WORKER["extractor"]
    try:
        docs = list(analyse_many(articles, nlp))
        results: list[Result] = []
        for article, doc in zip(articles, docs, strict=True):
            results.append(_extract_one(extractor, article, doc))
    except Exception:
        if len(articles) == 1:
            raise
        # The pipeline failed on the batch: find the article that breaks it.
        results = [_parse_and_extract(nlp, extractor, a) for a in articles]
    return _WORKER["name"], results


def _extract_one(extractor: Any, article: Article, doc: Any) -> Result:
    try:
        return extractor(article, doc), None
    except Exception as err:
        return None, f"extraction failed: {type(err).__name__}: {err}"


def _parse_and_extract(nlp: Any, extractor: Any, article: Article) -> Result:
    from hendelse.nlp.pipeline import analyse

    try:
        doc = analyse(article, nlp)
    except Exception as err:
        return None, f"parsing failed: {type(err).__name__}: {err}"
    return _extract_one(extractor, article, doc)


# -- reading ---------------------------------------------------------------------


def count_inputs(paths: Iterable[Path]) -> int | None:
    """How many items the reader will yield (for the progress bar); None for stdin."""
    from hendelse.reader.sources import JSONL_SUFFIXES, iter_files

    total = 0
    for path in paths:
        if str(path) == "-":
            return None
        files = iter_files(path) if path.is_dir() else [path]
        for file in files:
            name = file.name.lower()
            if any(name.endswith(s) or name.endswith(s + ".gz") for s in JSONL_SUFFIXES):
                total += _count_lines(file)
            else:
                total += 1
    return total


def _count_lines(path: Path) -> int:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except (OSError, EOFError):
        return 1


# -- the ingest ------------------------------------------------------------------


def ingest(
    sources: Iterable[str | Path],
    db_path: str | Path,
    workers: int = 1,
    published: str | None = None,
    report: str | Path | None = None,
    progress: bool = True,
    *,
    check_language: bool = True,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
    stories: bool = True,
) -> IngestSummary:
    """Read ``sources``, extract their events and store them in the DuckDB file ``db_path``.

    ``workers`` processes parse and extract (1: in this process); the
    parent writes. ``published`` overrides every article's date. Articles
    whose stored content is the same are skipped as unchanged (``force``
    re-extracts them). ``report`` names a file for the summary as JSON.
    With ``progress``, a progress bar and the skipped inputs go to stderr.
    With ``stories`` (the default), every event not yet in a story event is
    clustered into one after the last batch (:mod:`hendelse.store.stories`).

    Raises :class:`IngestError` when the ingest cannot go on and
    :class:`~hendelse.reader.ArticleError` for a bad ``published``.
    """
    if isinstance(sources, str | Path):
        sources = [sources]
    paths = [Path(s) for s in sources]
    from hendelse.reader.article import normalise_published

    if published is not None:
        published = normalise_published(published, "--published")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    _check_model()
    summary = IngestSummary(
        db=str(db_path),
        sources=[str(p) for p in paths],
        workers=workers,
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    started = time.monotonic()
    try:
        store = Store.open(db_path)
    except StoreError as err:
        raise IngestError(str(err)) from None
    # The workers load the pipeline (seconds) while this process reads.
    pool = _start_pool(workers) if workers > 1 else None
    try:
        run = _Run(store, summary, force=force, progress=progress)
        total = count_inputs(paths) if progress else None
        with run.progress_bar(total):
            items = _read(paths, published, check_language)
            run.go(items, batch_size, pool, workers)
        if stories:
            from hendelse.store.stories import update_stories

            summary.stories = update_stories(store).to_dict()
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        if pool is not None:  # after an error; go() shut it down when all went well
            pool.shutdown(wait=False, cancel_futures=True)
        summary.seconds = time.monotonic() - started
        try:
            summary.store_articles = _count(store, "articles")
            summary.store_events = _count(store, "events")
        finally:
            store.close()
        if report is not None:
            Path(report).write_text(
                json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
    return summary


def _check_model() -> None:
    from hendelse.nlp.location import MODEL_ENV, model_path

    path = model_path()
    if not (path / "config.cfg").exists():
        raise IngestError(
            f"no spaCy pipeline at {path}: reinstall hendelse, or set {MODEL_ENV} "
            "to a trained model's folder"
        )


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """Start ``workers`` processes now, each loading the pipeline and the extractor.

    The pool would start a process only when a batch is submitted; a trivial
    task per worker makes it start them all at once instead.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(True,)
    )
    for _ in range(workers):
        pool.submit(os.getpid)
    return pool


def _count(store: Store, table: str) -> int:
    return store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _read(
    paths: list[Path], published: str | None, check_language: bool
) -> Iterator[Article | ArticleError]:
    from hendelse.reader import read_paths

    yield from read_paths(paths, published, check_language=check_language)


class _Run:
    """One ingest's state: the store, the counts, the progress bar."""

    def __init__(self, store: Store, summary: IngestSummary, *, force: bool, progress: bool):
        self.store = store
        self.summary = summary
        self.force = force
        self.show = progress
        self.seen: dict[str, str] = {}  # article id -> content hash, this run
        self.bar: Any = None
        self.total: int | None = None
        self.done = 0  # inputs dealt with, for the progress bar
        self.bar_started = 0.0
        self.writing = 0  # articles in the write transaction under way
        self.task: Any = None
        delay = os.environ.get(DELAY_ENV)
        crash = os.environ.get(CRASH_ENV)
        self.delay = float(delay) if delay else 0.0
        self.crash_after = int(crash) if crash else None
        if self.delay or self.crash_after is not None:
            store.in_transaction_hook = self._hook

    # -- progress --------------------------------------------------------
    def progress_bar(self, total: int | None) -> Any:
        if not self.show:
            return nullcontext()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}", style="cyan"),
            TextColumn("{task.fields[clock]}"),
            TextColumn("{task.fields[counts]}"),
            console=Console(stderr=True),
        )
        self.total = total
        self.done = 0
        self.bar_started = time.monotonic()
        self.task = self.bar.add_task("ingest", total=total, counts="", rate="", clock="")
        return self.bar

    def _advance(self) -> None:
        """One input dealt with: move the bar, update rate, elapsed time, ETA and counts.

        The rate is the average since the start (model loading included), which
        is steadier than a recent window: results come back a batch at a time.
        """
        if self.bar is None:
            return
        self.done += 1
        s = self.summary
        counts = f"stored {s.stored} · unchanged {s.unchanged + s.duplicates}"
        if s.skipped:
            counts += f" · skipped {len(s.skipped)}"
        elapsed = time.monotonic() - self.bar_started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        clock = _clock(elapsed)
        if self.total and rate:
            clock += f" eta {_clock(max(self.total - self.done, 0) / rate)}"
        self.bar.update(self.task, advance=1, counts=counts, rate=f"{rate:5.1f} art/s", clock=clock)

    def _skip(self, skipped: Skipped) -> None:
        self.summary.skipped.append(skipped)
        if self.bar is not None:
            from rich.markup import escape

            self.bar.console.print(
                f"[yellow]skipped[/] {escape(skipped.where)}: {escape(skipped.reason)}"
            )
        self._advance()

    # -- the work --------------------------------------------------------
    def batches(
        self, items: Iterable[Article | ArticleError], size: int
    ) -> Iterator[list[tuple[Article, str]]]:
        """Batches of articles that need extracting; the rest are counted here."""
        from hendelse.reader.article import ArticleError

        batch: list[tuple[Article, str]] = []
        for item in items:
            if isinstance(item, ArticleError):
                self._skip(Skipped(item.where, "read", item.problem))
                continue
            self.summary.articles_read += 1
            digest = content_hash(item)
            earlier = self.seen.get(item.id)
            if earlier == digest:
                self.summary.duplicates += 1
                self._advance()
                continue
            if earlier is None and not self.force and self.store.stored_hash(item.id) == digest:
                self.seen[item.id] = digest
                self.summary.unchanged += 1
                self._advance()
                continue
            self.seen[item.id] = digest
            batch.append((item, digest))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def go(
        self,
        items: Iterable[Article | ArticleError],
        size: int,
        pool: ProcessPoolExecutor | None = None,
        workers: int = 1,
    ) -> None:
        """Extract and store ``items``: in ``pool``'s ``workers``, or here when it is None.

        The pool is shut down when all went well; after an error, the caller does it.
        """
        batches = self.batches(items, size)
        if pool is None:
            for batch in batches:
                self._write(batch, extract_batch([a for a, _ in batch]))
            return
        pending: deque[tuple[list[tuple[Article, str]], Future]] = deque()
        try:
            for batch in batches:
                pending.append((batch, pool.submit(extract_batch, [a for a, _ in batch])))
                while len(pending) >= 2 * workers:
                    self._collect(pending.popleft())
            while pending:
                self._collect(pending.popleft())
        except BrokenProcessPool as err:  # from submit (the pool started early) or a result
            raise IngestError(
                f"a worker process died ({err}); rerun the same command to resume "
                "(articles already stored are skipped)"
            ) from None
        pool.shutdown(wait=True)

    def _collect(self, item: tuple[list[tuple[Article, str]], Future]) -> None:
        batch, future = item
        self._write(batch, future.result())

    def _write(self, batch: list[tuple[Article, str]], result: tuple[str, list[Result]]) -> None:
        """Store a batch's records in one transaction (each article whole, or none)."""
        name, results = result
        self.summary.extractor = name
        good: list[tuple[dict, Article, str]] = []
        for (article, digest), (record, error) in zip(batch, results, strict=True):
            if record is None:
                where = article.origin or article.id
                self._skip(Skipped(where, "extract", error or "", article.id))
            else:
                good.append((record, article, digest))
        if not good:
            return
        self.writing = len(good)
        try:
            self.store.put_many(good, extractor=name)
        except Exception:
            # One record the store cannot take: store the others one by one.
            for item in good:
                self._put_one(item, name)
            return
        for record, article, _ in good:
            self._stored(record, article)

    def _put_one(self, item: tuple[dict, Article, str], name: str) -> None:
        record, article, digest = item
        self.writing = 1
        try:
            self.store.put(record, article, extractor=name, digest=digest)
        except Exception as err:
            where = article.origin or article.id
            reason = f"storing failed: {type(err).__name__}: {err}"
            self._skip(Skipped(where, "store", reason, article.id))
            return
        self._stored(record, article)

    def _stored(self, record: dict, article: Article) -> None:
        self.summary.stored += 1
        self.summary.events_stored += len(record.get("events") or [])
        if self.delay:
            print(f"hendelse-ingest: committed {article.id}", file=sys.stderr, flush=True)
        self._advance()

    def _hook(self) -> None:
        if self.crash_after is not None and self.summary.stored >= self.crash_after:
            os.kill(os.getpid(), signal.SIGKILL)
        if self.delay:
            time.sleep(self.delay * self.writing)


def _clock(seconds: float) -> str:
    """Seconds as h:mm:ss."""
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
