"""Score a pipeline on NDT gold data: accuracy and speed, as the model card reports them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from spacy.tokens import DocBin
from spacy.training import Example

from hendelse.nlp.pipeline import load

#: Documents per batch when measuring speed: 64 was fastest on this machine
#: (smaller batches stay in the CPU caches; see docs/model.md).
SPEED_BATCH = 64


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value * 100, 2)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def score_model(model: Path, docbin_path: Path, speed_repeats: int = 3) -> dict[str, Any]:
    """Accuracy (in percent) and ``nlp.pipe`` speed of ``model`` on a DocBin of gold docs.

    Scores are computed on raw text, as the pipeline meets it: the gold docs'
    text is tokenised by the model's own tokenizer and aligned to the gold
    tokens, so tokenizer errors count against the scores.
    """
    nlp = load(model)
    gold = list(DocBin().from_disk(docbin_path).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in gold]
    scores = nlp.evaluate(examples, batch_size=256)
    keep = (
        "token_acc", "tag_acc", "pos_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las",
        "sents_p", "sents_r", "sents_f", "ents_p", "ents_r", "ents_f", "ents_per_type",
    )  # fmt: skip
    result: dict[str, Any] = {k: _round(scores[k]) for k in keep if k in scores}
    texts = [doc.text for doc in gold]
    words = sum(len(doc) for doc in gold)
    best = float("inf")
    for _ in range(speed_repeats):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=SPEED_BATCH):
            pass
        best = min(best, time.perf_counter() - started)
    result["words"] = words
    result["words_per_second"] = round(words / best)
    result["speed_note"] = (
        f"nlp.pipe, batch_size {SPEED_BATCH}, one process, one thread, best of 3 runs"
    )
    return result
