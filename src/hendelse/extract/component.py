"""hendelse as a spaCy component: ``nlp.add_pipe("hendelse")``.

For spaCy users who run their own pipeline code: after the Norwegian
pipeline's parser and NER, the component extracts events and exposes the
same record as ``hendelse extract`` through extensions:

- ``doc._.hendelse``: the whole ``hendelse/1`` record (a dict);
- ``doc._.events``, ``doc._.actors``, ``doc._.places``: its parts;
- ``span._.events``: the events whose trigger lies in the span (a sentence).

The publication date is read from ``doc.user_data["hendelse.published"]``
(ISO 8601, may be partial); an article already read by ``hendelse.reader``
can be passed whole in ``doc.user_data["hendelse.article"]``.

    import hendelse.extract.component  # registers the factory
    from hendelse.nlp.pipeline import load

    nlp = load()
    nlp.add_pipe("hendelse")
    doc = nlp("Politiet arresterte to menn i Bergen natt til søndag.")
    doc._.events[0]["type"]  # "COERCE"
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from hendelse.extract.extractor import Extractor
from hendelse.reader.article import Article
from hendelse.reader.layout import detect_blocks

for _name in ("hendelse", "events", "actors", "places"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("events"):
    Span.set_extension(
        "events",
        getter=lambda span: [
            e
            for e in (span.doc._.events or [])
            if span.start_char <= e["trigger"]["start"] < span.end_char
        ],
    )


class HendelseComponent:
    """Runs the extractor on a parsed doc and stores the record on it."""

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor

    def __call__(self, doc: Doc) -> Doc:
        article = doc.user_data.get("hendelse.article")
        if not isinstance(article, Article) or article.text != doc.text:
            published = doc.user_data.get("hendelse.published")
            article = Article(
                text=doc.text,
                id=str(doc.user_data.get("hendelse.article_id", "")),
                published=published,
                blocks=detect_blocks(doc.text, None),
            )
        record = self.extractor(article, doc)
        doc._.hendelse = record
        doc._.events = record["events"]
        doc._.actors = record["entities"]
        doc._.places = record["places"]
        return doc


@Language.factory("hendelse", requires=["token.dep", "doc.ents"])
def make_hendelse(nlp: Language, name: str) -> HendelseComponent:
    return HendelseComponent(Extractor())
