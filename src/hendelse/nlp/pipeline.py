"""Load hendelse's Norwegian pipeline (once per process) and analyse articles."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

# Registering the project's tokenizer and components must happen before a
# model that names them is loaded.
import hendelse.nlp.components
import hendelse.nlp.tokenizer  # noqa: F401
from hendelse.nlp.location import MODEL_ENV, model_path, shipped_model_path
from hendelse.nlp.ops import use_matmul_ops, widen_weights
from hendelse.reader.article import Article

#: MODEL_ENV, model_path and shipped_model_path live in hendelse.nlp.location (no
#: spaCy import) and are offered here too.
__all__ = [
    "MODEL_ENV",
    "ModelNotFoundError",
    "analyse",
    "analyse_many",
    "load",
    "make_article_doc",
    "model_path",
    "shipped_model_path",
]
_lock = threading.Lock()
_loaded: dict[str, Language] = {}


class ModelNotFoundError(RuntimeError):
    pass


def load(path: Path | None = None) -> Language:
    """Return the pipeline, loading it the first time only (thread-safe)."""
    path = path or model_path()
    key = str(path.resolve())
    with _lock:
        if key not in _loaded:
            if not (path / "config.cfg").exists():
                raise ModelNotFoundError(
                    f"no spaCy pipeline at {path}: the package is missing its model. "
                    "Reinstall hendelse, or train one with `make model` and set "
                    f"{MODEL_ENV} to its folder."
                )
            nlp = spacy.load(path)
            widen_weights(nlp)
            use_matmul_ops(nlp)
            if "news_layout" not in nlp.pipe_names and "parser" in nlp.pipe_names:
                nlp.add_pipe("news_layout", before="parser")
            _loaded[key] = nlp
        return _loaded[key]


def make_article_doc(nlp: Language, article: Article) -> Doc:
    """Tokenise an article and mark its layout blocks as sentence starts.

    The doc's text is the article's text exactly, so token offsets are the
    contract's span offsets. A dataset header is kept as its own segment.
    """
    doc = nlp.make_doc(article.text)
    # The tokens that begin a block, found by offset (a handful per article)
    # rather than by visiting every token.
    offsets = doc.to_array(IDX)
    for start in {block.start for block in article.blocks}:
        i = int(numpy.searchsorted(offsets, start))
        if 0 < i < len(doc) and offsets[i] == start and not doc[i].is_space:
            doc[i].is_sent_start = True
    doc.user_data["hendelse.article_id"] = article.id
    return doc


def analyse(article: Article, nlp: Language | None = None) -> Doc:
    """Run the pipeline on one article."""
    nlp = nlp or load()
    return nlp(make_article_doc(nlp, article))


#: The most tokens :func:`analyse_many` gives ``nlp.pipe`` at once. The parser's and
#: the NER's working arrays grow with the tokens of a batch: on the benchmark corpora
#: a process parsing 16 articles at a time peaked at 660 MB, at about 5,000 tokens a
#: batch at 365 MB, for the same CPU time (docs/benchmarks.md).
BATCH_TOKENS = 5_000


def analyse_many(
    articles: Iterable[Article],
    nlp: Language | None = None,
    batch_size: int = 64,
    batch_tokens: int = BATCH_TOKENS,
) -> Iterator[Doc]:
    """Run the pipeline on many articles with ``nlp.pipe`` (yields docs in order),
    in batches of :func:`token_batches`."""
    nlp = nlp or load()
    docs = (make_article_doc(nlp, a) for a in articles)
    for batch in token_batches(docs, batch_size, batch_tokens):
        yield from nlp.pipe(batch, batch_size=len(batch))


def token_batches(docs: Iterable[Doc], batch_size: int, batch_tokens: int) -> Iterator[list[Doc]]:
    """``docs`` in order, in batches of at most ``batch_size`` docs that stay within
    ``batch_tokens`` tokens (a longer doc is a batch of its own), so that memory stays
    flat whatever the articles' lengths."""
    batch: list[Doc] = []
    tokens = 0
    for doc in docs:
        if batch and (len(batch) >= batch_size or tokens + len(doc) > batch_tokens):
            yield batch
            batch, tokens = [], 0
        batch.append(doc)
        tokens += len(doc)
    if batch:
        yield batch
