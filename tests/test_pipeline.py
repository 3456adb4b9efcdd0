"""The shipped Norwegian pipeline: news layout, sentence boundaries and entities."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hendelse.nlp.pipeline import analyse, load, model_path
from hendelse.reader.sources import article_from_text

DATA = Path(__file__).resolve().parent / "data"
LAYOUT = yaml.safe_load((DATA / "sentence_layout.yaml").read_text(encoding="utf-8"))["cases"]
NER = yaml.safe_load((DATA / "ner_sentences.yaml").read_text(encoding="utf-8"))["cases"]


def test_model_ships_and_loads_once():
    assert (model_path() / "config.cfg").exists()
    assert load() is load()
    nlp = load()
    for name in ("tagger", "morphologizer", "trainable_lemmatizer", "parser", "ner"):
        assert name in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == {
        "PER", "ORG", "GPE_LOC", "GPE_ORG", "LOC", "PROD", "EVT", "DRV", "MISC"
    }  # fmt: skip


def test_model_is_small_enough():
    size = sum(p.stat().st_size for p in model_path().rglob("*") if p.is_file())
    assert size <= 40_000_000, f"{size / 1e6:.1f} MB"


@pytest.mark.parametrize("case", LAYOUT, ids=lambda c: c["name"])
def test_sentences_follow_news_layout(nlp, case):
    article = article_from_text(case["text"], where=case["name"])
    doc = analyse(article, nlp)
    found = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert found == case["sentences"]


@pytest.mark.parametrize("case", NER, ids=lambda c: c["text"][:30])
def test_entities(nlp, case):
    doc = nlp(case["text"])
    found = {(e.text, e.label_) for e in doc.ents}
    for text, label in case["entities"]:
        assert (text, label) in found, f"{text} {label} not in {sorted(found)}"


def test_block_starts_become_sentence_starts(nlp):
    """make_article_doc marks the first token of every layout block (found by offset)."""
    from hendelse.nlp.pipeline import make_article_doc

    text = (
        " date 2023-09\nSTØRE TIL TROMSØ\nStatsministeren kommer i dag.\n\n"
        "Foto: NTB\n  Han møter ordføreren. Av Kari Nordmann"
    )
    article = article_from_text(text, where="test")
    doc = make_article_doc(nlp, article)
    starts = {block.start for block in article.blocks}
    assert len(starts) >= 4
    expected = {t.i for t in doc if t.idx in starts and t.i > 0 and not t.is_space}
    assert expected, "no block starts inside the text"
    assert {t.i for t in doc[1:] if t.is_sent_start} == expected
    assert doc.user_data["hendelse.article_id"] == article.id


def test_batches_stay_within_their_token_budget(nlp):
    from hendelse.nlp.pipeline import token_batches

    texts = ["Kort melding.", "Regjeringen la fram budsjettet i dag. " * 20, "Ja.", "Nei, takk."]
    docs = [nlp.make_doc(t) for t in texts * 3]
    batches = list(token_batches(docs, batch_size=4, batch_tokens=60))
    assert [d for b in batches for d in b] == docs  # every doc once, in order
    for batch in batches:
        assert len(batch) <= 4
        assert len(batch) == 1 or sum(len(d) for d in batch) <= 60
    assert any(len(b) == 1 and len(b[0]) > 60 for b in batches)  # a long doc alone


def test_analyse_many_gives_what_analyse_gives(nlp):
    """Batching (by docs or tokens) changes no analysis."""
    from hendelse.nlp.pipeline import analyse_many

    texts = [
        "Statsminister Jonas Gahr Støre møtte Ukrainas president i Oslo mandag.",
        "Politiet i Bergen pågrep to menn etter ranet.\n\nDe er siktet for grovt ran.",
        "Nordkoreas leder Kim Jong-un ankom Khasan med pansret tog.",
    ]
    articles = [article_from_text(t, where=f"t{i}") for i, t in enumerate(texts)]

    def seen(doc):
        return [(t.text, t.tag_, t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]

    alone = [seen(analyse(a, nlp)) for a in articles]
    for size, tokens in ((64, 5_000), (2, 5_000), (64, 15)):
        assert [seen(d) for d in analyse_many(articles, nlp, size, tokens)] == alone
