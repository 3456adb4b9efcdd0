"""The token attributes the extractor's word-by-word loops read, once per article.

Indexing a spaCy ``Doc`` (``doc[i]``, or iterating a sentence) makes a new
``Token`` object every time, and each string attribute of it is a lookup in
the string store; ``Span.text`` joins its tokens, and ``Span.ents`` builds
every entity of the whole doc before it filters them. The extractor loops
over every word of an article several times, so it reads the attributes
those loops test into plain lists once, takes span texts as slices of the
doc's text, and sorts the doc's entities into sentences once. The loops
make ``Token`` objects only for the few words that get past these tests.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span


class TokenTable:
    """Per-token attributes of one doc as lists indexed by the token offset."""

    def __init__(self, doc: Doc) -> None:
        #: The doc's text (the article's text: token offsets index it).
        self.text = doc.text
        self.words: list[str] = []
        self.lower: list[str] = []
        self.lemma: list[str] = []
        self.pos: list[str] = []
        self.dep: list[str] = []
        self.ent_type: list[str] = []
        self.idx: list[int] = []
        self.punct: list[bool] = []
        self.space: list[bool] = []
        self.like_num: list[bool] = []
        self.sent_start: list[bool] = []
        for token in doc:
            self.words.append(token.text)
            self.lower.append(token.lower_)
            self.lemma.append(token.lemma_)
            self.pos.append(token.pos_)
            self.dep.append(token.dep_)
            self.ent_type.append(token.ent_type_)
            self.idx.append(token.idx)
            self.punct.append(token.is_punct)
            self.space.append(token.is_space)
            self.like_num.append(token.like_num)
            self.sent_start.append(bool(token.is_sent_start))
        self._ents = doc.ents
        self._ent_starts = [ent.start for ent in self._ents]

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``, without making the span."""
        if start >= end:
            return ""
        return self.text[self.idx[start] : self.idx[end - 1] + len(self.words[end - 1])]

    def end_char(self, end: int) -> int:
        """``doc[start:end].end_char`` for a span that ends before token ``end``."""
        return self.idx[end - 1] + len(self.words[end - 1])

    def ents_in(self, sentence: Span) -> list[Span]:
        """``sentence.ents``: the doc's entities that lie wholly inside the sentence."""
        found = []
        for ent in self._ents[bisect_left(self._ent_starts, sentence.start) :]:
            if ent.end > sentence.end:
                break
            found.append(ent)
        return found
