"""Articles from the bytes of one input file, as the single-process reader reads them.

Spark hands an executor a file as ``(uri, bytes)`` (``SparkContext.binaryFiles``:
raw bytes, so that a file that is not UTF-8 is refused as the reader refuses
it, not decoded with replacement characters). :func:`read_file` turns them
into articles and errors with the functions :mod:`hendelse.reader` uses for
local files, and gives every item an :data:`OrderKey`: the position the
single-process ingest would read it at (source given, file in name order,
line), so that "the later version of an id wins" means the same in both.

An item's ``where`` is what the single-process reader says: for a source
given without a URI scheme (``arkiv/``), ``arkiv/2023/09.jsonl:12``; for a
URI (``s3a://bucket/arkiv``), the file's full URI and line.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from hendelse.reader.article import Article, ArticleError
from hendelse.reader.language import verify_language
from hendelse.reader.sources import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    _article_from_record,  # the reader's JSON line -> article, shared on purpose
    _decode,  # the reader's bytes -> text (NUL and UTF-8 checks), shared on purpose
    article_from_text,
)

#: (source number, root number, path parts below the root, line number).
OrderKey = tuple[int, int, tuple[str, ...], int]

_GLOB_CHARS = frozenset("*?[{")


@dataclass(frozen=True)
class Root:
    """A file or folder to read: a source as given, or one match of a source's glob."""

    source_number: int
    number: int
    source: str  # as given on the command line
    uri: str  # as Hadoop's file system names it: file:/home/…/arkiv, hdfs://nn/arkiv
    is_dir: bool

    @property
    def plain(self) -> bool:
        """A local-style path (no scheme, no glob): origins are named as the reader names them."""
        return (
            "://" not in self.source
            and not self.source.startswith("file:")
            and not any(c in _GLOB_CHARS for c in self.source)
        )

    def relative(self, uri: str) -> tuple[str, ...]:
        """The parts of a file's path below this root (empty for the root itself)."""
        if uri == self.uri:
            return ()
        prefix = self.uri.rstrip("/") + "/"
        if not uri.startswith(prefix):
            raise ValueError(f"{uri} is not below the input {self.uri}")
        return tuple(part for part in uri[len(prefix) :].split("/") if part)

    def origin(self, uri: str) -> str:
        """What the single-process reader calls this file."""
        if not self.plain:
            return uri
        return str(PurePosixPath(self.source).joinpath(*self.relative(uri)))


Item = tuple[OrderKey, Article | ArticleError]


def read_file(
    root: Root,
    uri: str,
    data: bytes,
    published: str | None = None,
    *,
    check_language: bool = True,
) -> Iterator[Item]:
    """The articles (or errors) of one file, each with its order key."""
    parts = root.relative(uri)
    where = root.origin(uri)
    name = uri.rsplit("/", 1)[-1]
    lowered = name.lower()
    for line, item in _items(data, where, name, lowered, published):
        if check_language and isinstance(item, Article):
            try:
                item = verify_language(item)
            except ArticleError as err:
                item = err
        yield (root.source_number, root.number, parts, line), item


def _items(
    data: bytes, where: str, name: str, lowered: str, published: str | None
) -> Iterator[tuple[int, Article | ArticleError]]:
    if any(lowered.endswith(s) or lowered.endswith(s + ".gz") for s in JSONL_SUFFIXES):
        yield from _jsonl(data, where, lowered.endswith(".gz"), published)
        return
    stem = PurePosixPath(name).stem
    try:
        if PurePosixPath(lowered).suffix in HTML_SUFFIXES:
            from hendelse.reader.webpage import article_from_html

            yield 0, article_from_html(data, where=where, id=stem, published=published)
        else:
            text = _decode(data, where)
            yield 0, article_from_text(text, where=where, id=stem, published=published)
    except ArticleError as err:
        yield 0, err


def _jsonl(
    data: bytes, where: str, gzipped: bool, published: str | None
) -> Iterator[tuple[int, Article | ArticleError]]:
    """One article a line, numbered from 1 as :func:`hendelse.reader.sources.read_jsonl`."""
    handle = gzip.GzipFile(fileobj=io.BytesIO(data)) if gzipped else io.BytesIO(data)
    number = 0
    try:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                yield number, _article_from_record(raw, f"{where}:{number}", published)
            except ArticleError as err:
                yield number, err
    except (OSError, EOFError) as err:
        yield number + 1, ArticleError(where, f"the file is damaged: {err}")
