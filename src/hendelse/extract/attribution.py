"""Who says so: attribution frames from ``data/attribution.yaml``.

A frame is a cue (``ifølge``, a speech verb, a quoting verb) with its
sources, outermost first, and the tokens it covers. Events whose trigger
lies in a frame's scope carry its sources. A quote paragraph that
continues a quote keeps the speaker of the quote before it.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from hendelse.extract.lexicon import WordMemo, data_file
from hendelse.extract.mentions import Entities
from hendelse.extract.syntax import (
    children,
    is_verb,
    logical_subject,
    objects,
    preposition_objects,
    subject,
    verb_group,
)
from hendelse.extract.tokens import TokenTable


@functools.cache
def cues() -> dict:
    raw = dict(data_file("attribution.yaml"))
    raw["speech_heads"] = {verb.split()[0] for verb in raw["speech_verbs"]}
    #: every word that can start a frame, to pass over the others quickly
    raw["cue_words"] = {*raw["according_to"], *raw["quote_verbs"], *raw["speech_heads"]}
    return raw


@dataclass
class Frame:
    sources: list[tuple[int, Token]]  # (entity index, head token of the source phrase)
    cue: Token
    scope: set[int] = field(default_factory=set)  # token indices it covers
    rule: str = ""
    depth: int = 0
    according_to: bool = False  # "ifølge X": X reports, and takes no part


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


def frames_for(sentence: Span, entities: Entities, cue_at: list[int]) -> list[Frame]:
    """Attribution frames in one sentence, outermost first, from the words at
    ``cue_at`` (those of the sentence that can start a frame, see :func:`cue_offsets`)."""
    data = cues()
    frames: list[Frame] = []
    tokens = entities.tokens
    everything = set(range(sentence.start, sentence.end))
    for i in cue_at:
        lemma = tokens.lemma[i].lower()
        token = sentence.doc[i]
        if token.lower_ in data["according_to"] or lemma in data["according_to"]:
            heads = children(token, "PUTFYLL")
            sources = [(e, h) for h in heads for e in entities.ensure(h)]
            if sources:
                scope = everything - {t.i for h in heads for t in h.subtree}
                frames.append(Frame(sources, token, scope, f"'{token.text} X'", -1, True))
        elif lemma in data["quote_verbs"] and is_verb(token):
            frame = _quote_frame(token, data["quote_verbs"][lemma], entities)
            if frame:
                frames.append(frame)
        elif lemma in data["speech_heads"] and is_verb(token):
            group = verb_group(token)
            speaker = subject(group)
            if speaker is None and token.dep_ == "PAR":
                speaker = token.head if token.head.pos_ in ("PROPN", "NOUN") else None
            if speaker is None:
                continue
            sources = [(e, speaker) for e in entities.ensure(speaker)]
            if not sources:
                continue
            excluded = {t.i for t in speaker.subtree} if speaker.head.i != token.head.i else set()
            if token.dep_ == "PAR":
                excluded = {t.i for t in speaker.subtree if t.i <= speaker.i} | {speaker.i}
                excluded |= {t.i for t in token.subtree}
            scope = everything - excluded - {t.i for t in group.tokens}
            rule = f"speech verb '{token.text}'"
            frames.append(Frame(sources, token, scope, rule, _depth(token)))
    frames.sort(key=lambda f: f.depth)
    return frames


def _quote_frame(token: Token, preposition: str, entities: Entities) -> Frame | None:
    """ "X siterer Y på at …" / "Y siteres av X på at …" → [X, Y]."""
    group = verb_group(token)
    quoted: Token | None
    if group.passive:
        quoter = logical_subject(group)
        quoted = subject(group)
    else:
        quoter = subject(group)
        found = objects(group)
        quoted = found[0] if found else None
    claims = preposition_objects(group.tokens, preposition)
    if not claims and quoted is not None:
        claims = preposition_objects([quoted], preposition)
    if quoter is None or not claims:
        return None
    sources = [(e, quoter) for e in entities.ensure(quoter)]
    if quoted is not None:
        sources += [(e, quoted) for e in entities.ensure(quoted)]
    scope = {t.i for claim in claims for t in claim.subtree}
    return Frame(sources, token, scope, f"quoting verb '{token.text}'", _depth(token))


#: which lemmas can start a frame (those whose lowercase is a cue word)
_CUE_LEMMAS: WordMemo[str] = WordMemo(lambda lemma: lemma.lower() in cues()["cue_words"])


def cue_offsets(tokens: TokenTable) -> list[int]:
    """The offsets of the words that can start a frame: most sentences have none,
    and are passed over. Decided once per distinct lemma (:class:`WordMemo`), then
    found by plain set look-ups."""
    lemmas = _CUE_LEMMAS.among(set(tokens.lemma))
    forms = {*cues()["according_to"]}.intersection(tokens.lower)
    found = [i for i, lemma in enumerate(tokens.lemma) if lemma in lemmas]
    if forms:
        found = sorted({*found, *(i for i, lower in enumerate(tokens.lower) if lower in forms)})
    return found


def attribute(
    sentences: list[Span], entities: Entities, paragraph_of: dict[int, int], words: set[int]
) -> dict[int, list[Frame]]:
    """Frames covering each of ``words`` (token indices: the events' triggers), by
    token index (quote continuations included). Every sentence's frames are found,
    since they carry on and name entities, but only the words asked about are filed
    under them, not every word of every frame's scope."""
    data = cues()
    tokens = entities.tokens
    cue_at = cue_offsets(tokens)
    covering: dict[int, list[Frame]] = {}
    last_speaker: tuple[int, list[Frame]] | None = None  # (paragraph, frames)
    for sentence in sentences:
        low = bisect_left(cue_at, sentence.start)
        high = bisect_left(cue_at, sentence.end, low)
        frames = frames_for(sentence, entities, cue_at[low:high]) if low < high else []
        if not frames and last_speaker is None:
            continue  # nothing to file and no quote to carry on
        at = tokens.first_word(sentence.start, sentence.end)
        first = None if at is None else tokens.words[at]  # the first word's text
        if frames:
            if first is not None and first in data["quote_dashes"]:
                last_speaker = (paragraph_of.get(sentence.start, -1), frames)
        elif first is not None and last_speaker is not None:
            paragraph = paragraph_of.get(sentence.start, -1)
            continues = first in data["quote_dashes"] or paragraph == last_speaker[0]
            if continues and paragraph - last_speaker[0] <= 1:
                carried = [
                    Frame(
                        f.sources,
                        f.cue,
                        set(range(sentence.start, sentence.end)),
                        f.rule + " (quote goes on)",
                    )
                    for f in last_speaker[1]
                ]
                frames = carried
            else:
                last_speaker = None
        for frame in frames:
            for i in words & frame.scope:
                covering.setdefault(i, []).append(frame)
    return covering
