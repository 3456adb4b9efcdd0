"""The news tokenizer: spaCy's Norwegian rules plus sentence-final full stops."""

from __future__ import annotations

import pytest
import spacy

import hendelse.nlp.tokenizer  # noqa: F401


@pytest.fixture(scope="module")
def blank():
    return spacy.blank(
        "nb", config={"nlp": {"tokenizer": {"@tokenizers": "hendelse.nb_tokenizer.v1"}}}
    )


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("De møttes i 2019. Foto: AP", ["De", "møttes", "i", "2019", ".", "Foto", ":", "AP"]),
        ("Møtet er 12. september.", ["Møtet", "er", "12.", "september", "."]),
        (
            "Det skjer kl. 14.00. Så drar de.",
            ["Det", "skjer", "kl.", "14.00", ".", "Så", "drar", "de", "."],
        ),
        ("Han kom bl.a. fra Oslo.", ["Han", "kom", "bl.a.", "fra", "Oslo", "."]),
        ("Det var de to.\nNeste", ["Det", "var", "de", "to", ".", "\n", "Neste"]),
        (
            "Prisen steg med 12 pst. i fjor.",
            ["Prisen", "steg", "med", "12", "pst.", "i", "fjor", "."],
        ),
        ("Han vant 3. plass", ["Han", "vant", "3.", "plass"]),
        ("Det endte 2–1.", ["Det", "endte", "2–1", "."]),
    ],
)
def test_tokens(blank, text: str, tokens: list[str]):
    assert [t.text for t in blank(text)] == tokens


def test_text_is_kept_exactly(blank):
    text = "Kim ankom i 2019. Foto: AP/Alexander Zemlianichenko\n\nHan sier …"
    doc = blank(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)


def test_serialisation_round_trip(blank, tmp_path):
    blank.to_disk(tmp_path / "m")
    again = spacy.load(tmp_path / "m")
    assert [t.text for t in again("Møtet var i 2019. Så kom de.")] == [
        "Møtet", "var", "i", "2019", ".", "Så", "kom", "de", ".",
    ]  # fmt: skip
