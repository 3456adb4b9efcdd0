"""Training-data augmenters for news layout.

Norwegian news captions and labels start with words in capitals ("TOK
TOGET: Kim Jong-un ankom …"). NDT has few such lines, so a model trained on
it alone reads capitalised common nouns as acronyms of organisations. The
augmenter below shows the model sentences whose first words are in
capitals, with their gold annotation unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry


def make_caps_variant(nlp: Language, example: Example, rng: random.Random) -> Example:
    """Upper-case the first one to four words of one sentence of ``example``."""
    data = example.to_dict()
    ref = example.reference
    starts = [s.start for s in ref.sents] if ref.has_annotation("SENT_START") else [0]
    start = rng.choice(starts)
    width = rng.randint(1, 4)
    orths = list(data["token_annotation"]["ORTH"])
    for i in range(start, min(start + width, len(orths))):
        upper = orths[i].upper()
        if len(upper) == len(orths[i]):
            orths[i] = upper
    spaces = data["token_annotation"]["SPACY"]
    text = "".join(o + (" " if s else "") for o, s in zip(orths, spaces, strict=True))
    data["token_annotation"]["ORTH"] = orths
    return Example.from_dict(nlp.make_doc(text), data)


@registry.augmenters("hendelse.caps_augmenter.v1")
def create_caps_augmenter(
    level: float, seed: int = 0
) -> Callable[[Language, Example], Iterator[Example]]:
    """Yield each example, and with probability ``level`` also a capitalised variant."""
    rng = random.Random(seed)

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        if rng.random() < level:
            yield make_caps_variant(nlp, example, rng)

    return augment
