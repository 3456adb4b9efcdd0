"""The NDT/NorNE converter, on a small fixture written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.vocab import Vocab

from hendelse.nlp.ndt import (
    NDTFormatError,
    convert_files,
    load_tag_scheme,
    read_ndt,
    sentences_to_doc,
    split_files,
)

from .conftest import FIXTURES, shared_path

FIXTURE = FIXTURES / "ndt_small.conll"


def test_reads_sentences_and_columns():
    sentences = list(read_ndt(FIXTURE))
    assert [len(s.tokens) for s in sentences] == [4, 11, 7]
    first = sentences[1].tokens[0]
    assert (first.form, first.lemma, first.pos, first.head, first.deprel, first.ner) == (
        "Jonas", "Jonas", "subst", 5, "SUBJ", "B-PER",
    )  # fmt: skip
    assert sentences[0].tokens[0].feats == ["appell", "mask", "be", "ent"]


def test_multi_sentence_doc_keeps_heads_labels_and_headline_break():
    doc = sentences_to_doc(Vocab(), list(read_ndt(FIXTURE)))
    assert doc.text.startswith("Statsministeren besøker Tromsø\nJonas Gahr Støre (møtte NATO")
    assert "i 2019. Moskva nekter, sier Peskov Oslo." in doc.text
    sents = list(doc.sents)
    assert len(sents) == 3
    newline = doc[3]
    assert newline.text == "\n" and newline.pos_ == "SPACE" and newline.head.text == "besøker"
    # heads are offset into the doc, labels kept, root renamed to spaCy's ROOT
    jonas = doc[4]
    assert jonas.head.text == "møtte" and jonas.dep_ == "SUBJ"
    assert doc[8].dep_ == "ROOT"
    assert str(doc[0].morph) == "Definite=Def|Gender=Masc|NounType=Common|Number=Sing"
    assert doc[0].tag_ == "subst" and doc[0].pos_ == "NOUN" and doc[0].lemma_ == "statsminister"
    assert doc[2].pos_ == "PROPN"
    assert doc[13].text == "2019" and doc[13].pos_ == "NUM"


def test_entities_repair_bio_and_keep_adjacent_entities():
    doc = sentences_to_doc(Vocab(), list(read_ndt(FIXTURE)))
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ents == [
        ("Tromsø", "GPE_LOC"),
        ("Jonas Gahr Støre", "PER"),
        ("NATO", "ORG"),
        ("Brussel", "GPE_LOC"),
        ("Moskva", "GPE_ORG"),  # I- at a sentence start becomes B-
        ("Peskov", "PER"),
        ("Oslo", "GPE_LOC"),  # a B- right after another entity starts a new one
    ]


def test_convert_groups_sentences_into_docs(tmp_path: Path):
    docbin = convert_files([FIXTURE], per_doc=2)
    assert len(docbin) == 2


def test_bad_lines_name_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.conll"
    bad.write_text("1\tOla\tOla\tsubst\tsubst\tprop\tx\tSUBJ\t_\tname=B-PER\n", encoding="utf-8")
    with pytest.raises(NDTFormatError, match=r"bad.conll:1: head 'x' is not a number"):
        list(read_ndt(bad))
    bad.write_text("1\tOla\tOla\n", encoding="utf-8")
    with pytest.raises(NDTFormatError, match=r"bad.conll:1: expected 10"):
        list(read_ndt(bad))
    bad.write_text("2\tOla\tOla\tsubst\tsubst\tprop\t0\tSUBJ\t_\tname=B-PER\n", encoding="utf-8")
    with pytest.raises(NDTFormatError, match="token id '2' should be 1"):
        list(read_ndt(bad))


def test_tag_scheme_maps_auxiliaries_and_unknown_features():
    scheme = load_tag_scheme()
    from hendelse.nlp.ndt import NDTToken

    har = NDTToken("har", "ha", "verb", ["pres"], 0, "FINV", "O")
    assert scheme.to_upos(har) == "AUX"
    odd = NDTToken("x", "x", "adj", ["prep+adj"], 0, "ATR", "O")
    assert scheme.to_morph(odd) == "Ndt=prep_adj"


def test_standard_split_sizes():
    folder = shared_path("data", "norne", "ndt", "nob")
    split = split_files(folder)
    counts = {k: sum(1 for p in v for _ in read_ndt(p)) for k, v in split.items()}
    assert counts == {"train": 15696, "dev": 2410, "test": 1939}
