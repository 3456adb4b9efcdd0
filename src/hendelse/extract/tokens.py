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

import functools
from bisect import bisect_left
from collections.abc import Sequence

import numpy
from spacy.attrs import (
    DEP,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

#: The attributes read, in the order of :meth:`TokenTable.__init__`'s columns.
_COLUMNS = [
    *(ORTH, LOWER, LEMMA, POS, DEP, ENT_TYPE, TAG),  # string ids
    *(IS_PUNCT, IS_SPACE, LIKE_NUM, SENT_START, IDX, SPACY),  # flags and numbers
    HEAD,  # the head's offset from the token, as an unsigned number
]


class _Strings(dict):
    """The strings of the vocabulary's ids, read from the string store once per
    process: the same words recur in every article, and ``StringStore``'s lookup
    makes a new ``str`` each time. Forgotten when it grows past ``limit``
    entries, so that a long ingest's vocabulary does not pile up in a worker."""

    limit = 200_000

    def __init__(self) -> None:
        super().__init__()
        self.store: StringStore | None = None

    def for_store(self, store: StringStore) -> _Strings:
        if store is not self.store or len(self) > self.limit:
            self.clear()
            self.store = store
        return self

    def __missing__(self, key: int) -> str:
        self[key] = name = self.store[key]
        return name


_STRINGS = _Strings()
#: A token's trailing whitespace by its SPACY flag.
_SPACES = ("", " ")


class TokenTable:
    """Per-token attributes of one doc as lists indexed by the token offset.

    They are read with one ``Doc.to_array`` call (no ``Token`` objects at all),
    the string attributes' ids turned into strings once per process (``_Strings``).
    """

    def __init__(self, doc: Doc) -> None:
        array = doc.to_array(_COLUMNS) if len(doc) else numpy.zeros((0, len(_COLUMNS)), "uint64")
        # flags, sentence starts and heads are computed on the whole column at once:
        # numpy's elementwise work is far cheaper than a Python loop per token
        orth, lower, lemma, pos, dep, ent_type, tag = array[:, :7].T.tolist()
        punct, space, like_num = (array[:, 7:10] != 0).T.tolist()
        names = _STRINGS.for_store(doc.vocab.strings)
        self.words = list(map(names.__getitem__, orth))
        self.lower = list(map(names.__getitem__, lower))
        self.lemma = list(map(names.__getitem__, lemma))
        self.pos = list(map(names.__getitem__, pos))
        self.dep = list(map(names.__getitem__, dep))
        self.ent_type = list(map(names.__getitem__, ent_type))
        self._tags: list[int] = tag  # string ids: see tag_of
        self._store = doc.vocab.strings
        self.idx: list[int] = array[:, 11].tolist()
        self.punct: list[bool] = punct
        self.space: list[bool] = space
        self.like_num: list[bool] = like_num
        # SENT_START is 1, -1 (no) or 0 (unknown), stored unsigned
        self.sent_start: list[bool] = (array[:, 10] == 1).tolist()
        #: The doc's text (the article's text: token offsets index it), as
        #: ``Doc.text`` makes it: each token with its trailing space, if any.
        #: Joined from words and spaces interleaved, without a string per token.
        parts: list[str] = [""] * (2 * len(self.words))
        parts[::2] = self.words
        parts[1::2] = [_SPACES[flag] for flag in array[:, 12].tolist()]
        self.text = "".join(parts)
        #: Each token's head, by offset (a root is its own head): HEAD is the
        #: head's offset from the token, unsigned, so the sum wraps to the head.
        self.head: list[int] = (array[:, 13] + numpy.arange(len(doc), dtype="uint64")).tolist()
        self._ents = doc.ents
        self._ent_starts = [ent.start for ent in self._ents]

    @functools.cached_property
    def children(self) -> list[Sequence[int]]:
        """Each token's dependents, by offset in text order (``Token.children``).

        A list is made only for a token that has dependents (about half of them);
        the others share one empty tuple: an article's hundreds of empty lists cost
        more to allocate than this loop's test."""
        children: list[Sequence[int]] = [()] * len(self.head)
        for i, head in enumerate(self.head):
            if head != i:
                if kids := children[head]:
                    kids.append(i)  # a list: only an empty one is the tuple
                else:
                    children[head] = [i]
        return children

    @functools.cached_property
    def initial_upper(self) -> list[bool]:
        """Whether each word begins with a capital letter (``text[:1].isupper()``), read
        once for the article's several loops that look for names."""
        return [word[:1].isupper() for word in self.words]

    def root(self, start: int, end: int) -> int:
        """``doc[start:end].root.i`` without the span, by spaCy's rule: the sentence's
        root if it is inside, else the first of the words whose head is outside that
        are fewest steps below it (bare punctuation and spaces last)."""
        if end - start == 1:
            return start  # the common case: a one-word span is its own root
        heads = self.head
        for i in range(start, end):
            if heads[i] == i:
                return i
        best, root = len(heads), -1
        for i in range(start, end):
            if start <= heads[i] < end:
                continue
            if (self.space[i] or self.punct[i]) and not self.children[i]:
                steps = len(heads) - 1
            else:
                steps, k = 0, i
                while heads[k] != k:
                    k = heads[k]
                    steps += 1
            if steps < best:
                best, root = steps, i
        return start if root == -1 else root

    def tag_of(self, i: int) -> str:
        """Token ``i``'s fine-grained tag (``Token.tag_``): looked up one by one, as
        only the few words a test on the other columns leaves over need it."""
        return _STRINGS.for_store(self._store)[self._tags[i]]

    def first_word(self, start: int, end: int) -> int | None:
        """The first token in ``[start, end)`` that is not whitespace, if any."""
        try:
            return self.space.index(False, start, end)  # a C loop over the flags
        except ValueError:
            return None

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
