"""The benchmark corpora: real Norwegian news text only, read as hendelse reads articles.

- ``norquad``: the 203 news articles of ``../shared/data/news/norquad-news-dev.jsonl``,
  read with the reader as they are.
- ``ndt``: the newspaper files of the Norwegian Dependency Treebank
  (``../shared/data/norne/ndt/nob``, prefixes ap, bt, db, kk, vg) cut into
  articles. NDT marks a headline with a final ``|`` token; a run of
  headline sentences starts a new article (a file start does too), so an
  "article" is a headline and the sentences up to the next headline. Some
  of these headlines are an article's subheadings, which makes the pieces
  shorter than whole articles; the word counts in the report show it. The
  text is rebuilt from the tokens with ordinary Norwegian spacing: each
  headline on its own line, the sentences after it as one paragraph.
- ``own``: the articles written for this project: the bundled examples
  (``src/hendelse/examples``) and the gold articles (``gold/*.txt``).

Every text goes through :func:`hendelse.reader.sources.article_from_text`,
so layout blocks and dates are what the reader makes of them. The language
check is left to the ingest stage (it is part of ``hendelse ingest``).
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hendelse.nlp.ndt import HEADLINE_MARK, NO_SPACE_AFTER, NO_SPACE_BEFORE, NDTSentence, read_ndt
from hendelse.reader.article import Article, ArticleError
from hendelse.reader.sources import article_from_text, read_path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NORQUAD = SHARED / "data" / "news" / "norquad-news-dev.jsonl"
NDT_DIR = SHARED / "data" / "norne" / "ndt" / "nob"
#: NDT file prefixes of newspapers, and the newspaper each stands for.
NEWSPAPERS = {
    "ap": "Aftenposten",
    "bt": "Bergens Tidende",
    "db": "Dagbladet",
    "kk": "Klassekampen",
    "vg": "VG",
}
OWN_DIRS = (REPO / "src" / "hendelse" / "examples", REPO / "gold")
CORPORA = ("norquad", "ndt", "own")
_WORD = re.compile(r"\w+")


class CorpusError(RuntimeError):
    """A corpus that cannot be loaded; the message says which and what to do."""


@dataclass
class Corpus:
    """One corpus's articles, and where they came from."""

    name: str
    articles: list[Article]
    origin: str
    #: Files hendelse ingest reads for this corpus (None: write the articles out first).
    source_files: list[Path] | None = None
    #: Pieces of text the reader refused (with its reason), left out of the corpus.
    refused: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[int]:
        return [word_count(a.text) for a in self.articles]

    def describe(self) -> dict:
        words = self.words
        return {
            "corpus": self.name,
            "origin": self.origin,
            "articles": len(words),
            "words": sum(words),
            "characters": sum(len(a.text) for a in self.articles),
            "median_words": statistics.median(words) if words else 0,
            "words_p25_p75": _quartiles(words),
            "articles_300_600_words": sum(1 for w in words if 300 <= w <= 600),
            "refused_pieces": len(self.refused),
        }


def word_count(text: str) -> int:
    """Words as runs of letters and digits (``\\w+``): "FN-sjefen" counts two."""
    return len(_WORD.findall(text))


def _quartiles(values: list[int]) -> list[float]:
    if len(values) < 2:
        return [float(v) for v in values * 2]
    q = statistics.quantiles(values, n=4)
    return [q[0], q[2]]


def load(names: Iterable[str]) -> list[Corpus]:
    """The named corpora (``norquad``, ``ndt``, ``own``) in the order given."""
    loaders = {"norquad": load_norquad, "ndt": load_ndt, "own": load_own}
    corpora = []
    for name in names:
        if name not in loaders:
            raise CorpusError(f"unknown corpus {name!r}: choose from {', '.join(CORPORA)}")
        corpora.append(loaders[name]())
    return corpora


def _need(path: Path) -> None:
    if not path.exists():
        raise CorpusError(
            f"{path} is missing: the norquad and ndt corpora live in ../shared/data; "
            "run with --corpus own where it is absent"
        )


def _articles(items: Iterable[Article | ArticleError]) -> list[Article]:
    articles = []
    for item in items:
        if isinstance(item, ArticleError):
            raise CorpusError(f"cannot read a benchmark article: {item}")
        articles.append(item)
    return articles


def load_norquad() -> Corpus:
    _need(NORQUAD)
    articles = _articles(read_path(NORQUAD, check_language=False))
    return Corpus("norquad", articles, str(NORQUAD), source_files=[NORQUAD])


def load_own() -> Corpus:
    files = sorted(p for folder in OWN_DIRS for p in folder.glob("*.txt"))
    if not files:
        raise CorpusError(f"no own articles (*.txt) in {', '.join(map(str, OWN_DIRS))}")
    articles = _articles(a for f in files for a in read_path(f, check_language=False))
    return Corpus("own", articles, "src/hendelse/examples/*.txt, gold/*.txt", source_files=files)


def load_ndt() -> Corpus:
    _need(NDT_DIR)
    articles = []
    refused: list[str] = []
    for prefix, paper in NEWSPAPERS.items():
        files = sorted(NDT_DIR.glob(f"{prefix}[0-9]*.conll"))
        if not files:
            raise CorpusError(f"no {prefix}*.conll files in {NDT_DIR}")
        for path in files:
            for number, piece in enumerate(split_articles(read_ndt(path)), 1):
                article_id = f"ndt-{path.stem}-{number}"
                text = article_text(piece)
                where = f"{path}:{piece[0].line}"
                try:
                    article = article_from_text(text, where=where, id=article_id, source=paper)
                except ArticleError as err:  # a piece that is only a photo credit
                    refused.append(str(err))
                    continue
                articles.append(article)
    corpus = Corpus("ndt", articles, f"{NDT_DIR} ({', '.join(NEWSPAPERS)})")
    corpus.refused = refused
    return corpus


def is_headline(sentence: NDTSentence) -> bool:
    last = sentence.tokens[-1]
    return last.form == HEADLINE_MARK and last.pos == "clb"


def split_articles(sentences: Iterable[NDTSentence]) -> list[list[NDTSentence]]:
    """Cut a file's sentences into articles: a new one at each run of headlines."""
    pieces: list[list[NDTSentence]] = []
    previous_headline = False
    for sentence in sentences:
        headline = is_headline(sentence)
        if not pieces or (headline and not previous_headline):
            pieces.append([])
        pieces[-1].append(sentence)
        previous_headline = headline
    return pieces


def article_text(sentences: list[NDTSentence]) -> str:
    """Headlines on lines of their own, the sentences after each as one paragraph."""
    lines: list[str] = []
    paragraph: list[str] = []
    for sentence in sentences:
        if is_headline(sentence):
            if paragraph:
                lines.append(" ".join(paragraph))
                paragraph = []
            lines.append(detokenise([t.form for t in sentence.tokens[:-1]]))
        else:
            paragraph.append(detokenise([t.form for t in sentence.tokens]))
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n".join(lines) + "\n"


def detokenise(forms: list[str]) -> str:
    """Tokens to text: no space before closing punctuation or after an opening one;
    straight double quotes alternate between opening and closing."""
    out: list[str] = []
    quote_open = False
    glue = True  # no space before the first token
    for form in forms:
        closing_quote = form == '"' and quote_open
        if not glue and form not in NO_SPACE_BEFORE and not closing_quote:
            out.append(" ")
        out.append(form)
        glue = form in NO_SPACE_AFTER
        if form == '"':
            glue = not quote_open  # an opening quote sticks to the next word
            quote_open = not quote_open
    return "".join(out)


def write_jsonl(articles: Iterable[Article], path: Path) -> Path:
    """The articles as a JSONL file in hendelse's input shape (for ``hendelse ingest``)."""
    with path.open("w", encoding="utf-8") as handle:
        for a in articles:
            row = {"id": a.id, "title": a.title, "text": a.text, "published": a.published}
            row["source"] = a.source
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
