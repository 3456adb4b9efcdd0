"""Evaluate event extraction against gold annotations.

``evaluate_paths(["gold/"], predict).print()`` loads the gold files, runs
``predict(text, published, doc_id)`` on every article (and every variant) and
scores the predicted "hendelse/1" records by the rules of the gold README.
"""

from hendelse.evaluate.gold import GoldCase, GoldError, load_gold, load_gold_paths
from hendelse.evaluate.report import Counts, Report, Tally
from hendelse.evaluate.scorer import (
    Predict,
    evaluate_paths,
    predict_from_folder,
    score,
    score_record,
)

__all__ = [
    "Counts",
    "GoldCase",
    "GoldError",
    "Predict",
    "Report",
    "Tally",
    "evaluate_paths",
    "load_gold",
    "load_gold_paths",
    "predict_from_folder",
    "score",
    "score_record",
]
