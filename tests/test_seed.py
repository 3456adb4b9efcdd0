"""The seed article's acceptance: the extractor codes it as the gold says (needs ../shared)."""

from __future__ import annotations

from hendelse.evaluate import evaluate_paths
from hendelse.extract import Extractor
from hendelse.nlp.pipeline import analyse
from hendelse.reader.sources import article_from_text

from .conftest import shared_path


def test_seed_article_is_coded_as_the_gold_says(nlp):
    gold = shared_path("gold", "seed-kim-khasan.json")
    extractor = Extractor()

    def predict(text: str, published: str | None, doc_id: str) -> dict:
        article = article_from_text(text, where=doc_id, id=doc_id, published=published)
        return extractor(article, analyse(article, nlp))

    report = evaluate_paths([gold], predict).to_dict()
    events = report["events"]
    assert (events["fp"], events["fn"]) == (0, 0), report["false_positives"]
    assert events["tp"] == 16  # 8 required events, on the article and its dated variant
    for name, counts in report["attributes"].items():
        assert counts["correct"] == counts["total"], (name, report["gold_events"])
    assert not report["check_failures"], report["check_failures"]
