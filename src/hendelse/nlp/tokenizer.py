"""The Norwegian tokenizer for news text: spaCy's, plus sentence-final full stops.

See ``data/tokenizer.yaml`` for the word lists and the reasoning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from spacy.attrs import IDX, LENGTH, SPACY
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

_NUMBER_STOP = re.compile(r"^[0-9][0-9.,:–-]*\.$")


@cache
def load_tokenizer_data() -> dict[str, Any]:
    text = resources.files("hendelse.nlp").joinpath("data/tokenizer.yaml").read_text("utf-8")
    return yaml.safe_load(text)


class NewsTokenizer:
    """Wraps spaCy's rule-based tokenizer and splits sentence-final full stops."""

    def __init__(self, inner: Tokenizer) -> None:
        self.inner = inner
        data = load_tokenizer_data()
        self.ambiguous = frozenset(a.lower() for a in data["ambiguous_abbreviations"])
        for abbreviation in data["abbreviations"]:
            inner.add_special_case(abbreviation, [{ORTH: abbreviation}])

    @property
    def vocab(self):
        return self.inner.vocab

    def _splits_stop(self, text: str, following: str | None) -> bool:
        if len(text) < 2 or not text.endswith("."):
            return False
        if not (_NUMBER_STOP.match(text) or text.lower() in self.ambiguous):
            return False
        if following is None:
            return True
        first = following[0]
        return first.isupper() or first in '\n–-«"»'

    def __call__(self, text: str) -> Doc:
        doc = self.inner(text)
        if "." not in text:
            return doc
        # Token texts from offsets: making a Token object per token would cost
        # more than the inner tokenizer (this runs on every word of an archive).
        table = doc.to_array([IDX, LENGTH, SPACY]).tolist()
        n = len(table)
        cut: set[int] = set()
        for i, (start, length, _) in enumerate(table):
            if length > 1 and text[start + length - 1] == ".":
                following = None
                if i + 1 < n:
                    after, after_length, _ = table[i + 1]
                    following = text[after : after + after_length]
                if self._splits_stop(text[start : start + length], following):
                    cut.add(i)
        if not cut:
            return doc
        words: list[str] = []
        spaces: list[bool] = []
        for i, (start, length, space) in enumerate(table):
            word = text[start : start + length]
            if i in cut:
                words.extend([word[:-1], "."])
                spaces.extend([False, bool(space)])
            else:
                words.append(word)
                spaces.append(bool(space))
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def explain(self, text: str) -> list[tuple[str, str]]:
        return self.inner.explain(text)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs: Any) -> NewsTokenizer:
        self.inner.from_bytes(data, **kwargs)
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path: str | Path, **kwargs: Any) -> NewsTokenizer:
        self.inner.from_disk(path, **kwargs)
        return self


@registry.tokenizers("hendelse.nb_tokenizer.v1")
def create_news_tokenizer() -> Callable[[Language], NewsTokenizer]:
    def make(nlp: Language) -> NewsTokenizer:
        inner = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        return NewsTokenizer(inner)

    return make
