"""Small spaCy components of hendelse's Norwegian pipeline."""

from __future__ import annotations

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
    for i, token in enumerate(doc):
        # inside a line, a sentence ends only after sentence-final punctuation:
        # "I Khasan tirsdag ble Kim …" is one sentence, whatever the parser thinks
        if i > 0 and token.is_sent_start is None and not token.is_space:
            previous = doc[i - 1]
            if not previous.is_space and previous.text[-1] not in SENTENCE_FINAL:
                token.is_sent_start = False
    for i, token in enumerate(doc[:-1]):
        line_start = i == 0 or (doc[i - 1].is_space and "\n" in doc[i - 1].text)
        if token.is_space and "\n" in token.text:
            nxt = doc[i + 1]
            if nxt.is_sent_start is None and not nxt.is_space:
                nxt.is_sent_start = True
        elif line_start and token.text in LINE_DASHES:
            nxt = doc[i + 1]
            if not nxt.is_space and nxt.is_sent_start is None:
                nxt.is_sent_start = False
    return doc
