"""Event confidence, calibrated on the project's gold articles.

An event's confidence is the share of correct events among the gold-set
events found the same way: by which part of speech and match (lemma, word
form, compound) the trigger was found, and what kind of actor filled the
role (a named actor, an unnamed group, a pronoun). The table is
``data/confidence.yaml``, written by ``python -m hendelse.evaluate.calibrate``
(see docs/evaluation.md); each feature set falls back to a coarser one when
the gold set has too few events of its kind.
"""

from __future__ import annotations

import functools

import yaml

from hendelse.extract.lexicon import DATA

#: Below this many gold-set events a feature set is not trusted on its own.
MIN_EVENTS = 5


def feature_keys(pos: str, matched: str, actor_kind: str) -> list[str]:
    """Feature sets from the most to the least specific."""
    match = "lemma" if matched == "lemma" else "other"
    return [f"{pos}|{match}|{actor_kind}", f"{pos}|{match}", pos, "all"]


def actor_kind(types: list[str], kinds: list[str]) -> str:
    """ "named", "group" or "pronoun" for an event's actors (the weakest one counts)."""
    if not types:
        return "none"
    if "pronoun" in kinds:
        return "pronoun"
    return "group" if "GROUP" in types else "named"


@functools.cache
def table() -> dict:
    path = DATA / "confidence.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("precision", {})


def score(keys: list[str]) -> float:
    """The calibrated precision of the first feature set with enough gold events."""
    known = table()
    for key in keys:
        entry = known.get(key)
        if entry and entry["events"] >= MIN_EVENTS:
            return entry["precision"]
    return 0.5
