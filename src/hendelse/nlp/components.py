"""Small spaCy components of hendelse's Norwegian pipeline."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("news_layout")
def news_layout(doc: Doc) -> Doc:
    """Make every line break end a sentence.

    In news text a line break ends a headline, a subheading, a caption or a
    paragraph, none of which need a full stop. The parser keeps sentence
    starts that are set before it runs, so marking the token after a line
    break as a sentence start is enough. Sentence starts set earlier (by
    the article reader's layout blocks) are left as they are.
    """
    for i, token in enumerate(doc[:-1]):
        if token.is_space and "\n" in token.text:
            nxt = doc[i + 1]
            if nxt.is_sent_start is None and not nxt.is_space:
                nxt.is_sent_start = True
    return doc
