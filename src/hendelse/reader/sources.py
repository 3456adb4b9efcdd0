"""Read articles from files, folders, HTML pages, JSONL (optionally gzipped) and stdin.

Every reader yields either an :class:`Article` or an :class:`ArticleError`
naming the file (and line) and the problem, so that a batch goes on past a
bad record and the caller decides how to report it. An article that is not
Norwegian is such an error too (see :mod:`hendelse.reader.language`).
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from hendelse.reader.article import NON_CONTENT, Article, ArticleError, normalise_text
from hendelse.reader.layout import detect_blocks, split_header

#: Articles longer than this (characters) are refused: no news article is
#: that long, and such inputs are usually concatenated dumps.
MAX_ARTICLE_CHARS = 200_000
TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def _check_text(text: str, where: str) -> None:
    if not text.strip():
        raise ArticleError(where, "the article is empty")
    if "\x00" in text:
        raise ArticleError(where, "the input holds NUL bytes: it looks binary, not text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(
            where,
            f"the article has {len(text):,} characters, more than the limit of "
            f"{MAX_ARTICLE_CHARS:,}; split it into articles first",
        )


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data[:4096]:
        raise ArticleError(where, "the file holds NUL bytes: it looks binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(
            where, f"not valid UTF-8 at byte {err.start}; convert the file to UTF-8 first"
        ) from None


def article_from_text(
    text: str,
    *,
    where: str,
    id: str = "",
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
    captions: Collection[str] = (),
) -> Article:
    """Build an article from text, reading a dataset date header if there is one.

    ``captions`` are lines of ``text`` known to be photo captions (see
    :func:`hendelse.reader.layout.detect_blocks`).
    """
    text = normalise_text(text)
    _check_text(text, where)
    header_date, _ = split_header(text)
    article = Article(
        text=text,
        id=id,
        title=title,
        published=published or header_date,
        source=source,
        url=url,
        origin=where,
    )
    article.blocks = detect_blocks(text, title, captions=captions)
    if all(b.kind in NON_CONTENT for b in article.blocks):
        raise ArticleError(where, "the article has no text besides headers, credits or bylines")
    if article.title is None:
        headline = next((b for b in article.blocks if b.kind == "headline"), None)
        if headline:
            article.title = article.block_text(headline)
    return article


def looks_like_html(data: bytes) -> bool:
    """Whether standard input holds a web page rather than plain text."""
    start = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def read_text_file(path: Path, published: str | None = None) -> Article:
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArticleError(where, f"cannot read the file ({err.strerror})") from None
    return article_from_text(_decode(data, where), where=where, id=path.stem, published=published)


def read_jsonl(path: Path, published: str | None = None) -> Iterator[Article | ArticleError]:
    """Yield one article per JSON line.

    Fields: ``id``, ``title``, ``text`` (or ``html``: a whole page, read as an
    HTML file is), ``published``, ``url``, ``source``. ``text`` wins when a
    record has both.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        handle = opener(path, "rb")
    except OSError as err:
        yield ArticleError(str(path), f"cannot open the file ({err.strerror})")
        return
    with handle:
        try:
            for number, raw in enumerate(handle, start=1):
                where = f"{path}:{number}"
                if not raw.strip():
                    continue
                try:
                    yield _article_from_record(raw, where, published)
                except ArticleError as err:
                    yield err
        except (OSError, EOFError) as err:
            yield ArticleError(str(path), f"the file is damaged: {err}")


def _article_from_record(raw: bytes, where: str, published: str | None) -> Article:
    try:
        record = json.loads(_decode(raw, where))
    except json.JSONDecodeError as err:
        raise ArticleError(where, f"broken JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(record, dict):
        raise ArticleError(where, "a line must hold a JSON object with a 'text' field")
    text = record.get("text")
    html = record.get("html")
    if not isinstance(text, str) and not (text is None and isinstance(html, str)):
        raise ArticleError(where, "the record has no 'text' string")
    fields = {}
    for key in ("id", "title", "published", "source", "url"):
        value = record.get(key)
        if value is not None and not isinstance(value, str | int):
            raise ArticleError(where, f"field {key!r} must be a string")
        fields[key] = str(value) if value is not None else None
    metadata = {
        "where": where,
        "id": fields["id"] or "",
        "title": fields["title"],
        "published": published or fields["published"],
        "source": fields["source"],
        "url": fields["url"],
    }
    if text is None:
        from hendelse.reader.webpage import article_from_html

        return article_from_html(html, **metadata)
    return article_from_text(text, **metadata)


def iter_files(path: Path) -> Iterator[Path]:
    """The readable files under a folder, in name order (hidden files skipped)."""
    for child in sorted(path.rglob("*")):
        if child.is_file() and not any(part.startswith(".") for part in child.parts):
            yield child


def read_path(
    path: Path, published: str | None = None, *, check_language: bool = True
) -> Iterator[Article | ArticleError]:
    """Yield the articles of a file or folder; ``-`` reads standard input (text or a page).

    ``.html`` / ``.htm`` files are web pages (see :mod:`hendelse.reader.webpage`),
    ``.jsonl`` / ``.ndjson`` (optionally ``.gz``) hold one article a line, any
    other file is plain text. ``published`` overrides every date found.
    With ``check_language`` an article that is not Norwegian is yielded as an
    :class:`ArticleError`, and each article's ``language`` is set ("nb", "nn").
    """
    items = _read_path(path, published)
    if not check_language:
        yield from items
        return
    from hendelse.reader.language import verify_language

    for item in items:
        if isinstance(item, Article):
            try:
                item = verify_language(item)
            except ArticleError as err:
                item = err
        yield item


def _read_path(path: Path, published: str | None) -> Iterator[Article | ArticleError]:
    if str(path) == "-":
        try:
            data = sys.stdin.buffer.read()
            if looks_like_html(data):
                from hendelse.reader.webpage import article_from_html

                yield article_from_html(data, where="<stdin>", published=published)
            else:
                yield article_from_text(
                    _decode(data, "<stdin>"), where="<stdin>", published=published
                )
        except ArticleError as err:
            yield err
        return
    if path.is_dir():
        for child in iter_files(path):
            yield from _read_path(child, published)
        return
    if not path.exists():
        yield ArticleError(str(path), "no such file or folder")
        return
    name = path.name.lower()
    if any(name.endswith(s) or name.endswith(s + ".gz") for s in JSONL_SUFFIXES):
        yield from read_jsonl(path, published)
        return
    try:
        if path.suffix.lower() in HTML_SUFFIXES:
            from hendelse.reader.webpage import read_html_file

            yield read_html_file(path, published)
        else:
            yield read_text_file(path, published)
    except ArticleError as err:
        yield err


def read_paths(
    paths: Iterable[Path], published: str | None = None, *, check_language: bool = True
) -> Iterator[Article | ArticleError]:
    for path in paths:
        yield from read_path(path, published, check_language=check_language)
