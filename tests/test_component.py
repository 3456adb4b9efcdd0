"""The spaCy component exposes the extractor's record as Doc and Span extensions."""

from __future__ import annotations

import pytest
import spacy

import hendelse.extract.component  # noqa: F401  (registers the factory)
from hendelse.nlp.ops import widen_weights
from hendelse.nlp.pipeline import model_path


@pytest.fixture(scope="module")
def pipeline():
    nlp = spacy.load(model_path())  # its own copy: the shared pipeline stays unchanged
    widen_weights(nlp)
    nlp.add_pipe("hendelse")
    return nlp


def test_component_sets_extensions(pipeline):
    doc = pipeline.make_doc("Politiet arresterte to menn i Bergen natt til søndag.")
    doc.user_data["hendelse.published"] = "2024-03-12"
    doc = pipeline(doc)
    assert doc._.hendelse["schema"] == "hendelse/1"
    assert [e["type"] for e in doc._.events] == ["COERCE"]
    sentence = next(iter(doc.sents))
    assert [e["id"] for e in sentence._.events] == [doc._.events[0]["id"]]
    actor = doc._.events[0]["actor"][0]["entity"]
    assert {a["id"]: a for a in doc._.actors}[actor]["mentions"][0]["text"] == "Politiet"


def test_component_reads_plain_strings(pipeline):
    doc = pipeline("Israel og Hamas ble enige om en våpenhvile i Kairo.")
    assert doc._.events and doc._.events[0]["type"] in ("AGREE", "RETREAT", "CONCEDE")
