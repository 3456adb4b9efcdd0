"""Small spaCy components of hendelse's Norwegian pipeline."""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

#: Dashes that open a quote or a subheading at the start of a line.
LINE_DASHES = frozenset({"–", "—", "-"})
#: Characters a sentence can end with inside a line.
SENTENCE_FINAL = frozenset('.!?:;…»"”)')


@Language.component("news_layout")
def news_layout(doc: Doc) -> Doc:
    """Make every line break end a sentence, and let no sentence end mid-line without a stop.

    In news text a line break ends a headline, a subheading, a caption or a
    paragraph, none of which need a full stop. The parser keeps sentence
    starts that are set before it runs, so marking the token after a line
    break as a sentence start is enough. A dash that opens a line ("–
    Humanitær hjelp", a quote) belongs to the words after it, so the token
    after it is marked as no sentence start. Inside a line, a sentence can
    only end after sentence-final punctuation. Sentence starts set earlier
    (by the article reader's layout blocks) are left as they are.
    """
    if len(doc) < 2:
        return doc
    # Work on the doc's attributes as lists of ints: this runs on every token
    # of an archive, and indexing a list is several times cheaper than
    # indexing a NumPy array element by element.
    table = doc.to_array([SENT_START, IS_SPACE, IDX, LENGTH])
    text = doc.text
    # spaCy stores -1 ("no start") as uint64
    marks = table[:, 0].astype(numpy.int64).tolist()
    spaces, begins, lengths = table[:, 1].tolist(), table[:, 2].tolist(), table[:, 3].tolist()
    previous_final = previous_newline = True  # the document start counts as a boundary
    for i in range(len(doc)):
        is_space = spaces[i]
        begin, length = begins[i], lengths[i]
        if marks[i] == 0 and not is_space and i > 0:
            if previous_newline:
                marks[i] = 1  # after a line break
            elif not previous_final:
                marks[i] = -1  # mid-line without sentence-final punctuation
        if is_space:
            previous_newline = previous_newline or "\n" in text[begin : begin + length]
            continue
        word = text[begin : begin + length]
        if previous_newline and word in LINE_DASHES and i + 1 < len(doc) and marks[i + 1] == 0:
            marks[i + 1] = -1  # "– Humanitær hjelp": the dash opens its line's sentence
        previous_final = word[-1] in SENTENCE_FINAL
        previous_newline = False
    column = numpy.array(marks, dtype=numpy.int64).astype(numpy.uint64).reshape(-1, 1)
    doc.from_array([SENT_START], column)
    return doc
