"""From a parsed article to the event record (``hendelse/1``).

The steps, each in its own module: actor mentions and entities
(``mentions``), places (``places``), event mentions from the lexicon
(``events``), time (``timex``), factuality (``factuality``), attribution
(``attribution``), and event coreference (``coref``). The record's format
is ``docs/event-record.md``'s contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from hendelse.extract import attribution, coref, factuality, timex
from hendelse.extract import confidence as calibration
from hendelse.extract.events import EventFinder, EventMention
from hendelse.extract.lexicon import Lexicon, load_lexicon
from hendelse.extract.mentions import Entities
from hendelse.extract.places import Places
from hendelse.extract.spans import span
from hendelse.extract.syntax import infinitive_complements, is_verb, verb_group
from hendelse.extract.tokens import TokenTable
from hendelse.reader.article import NON_CONTENT, Article

SCHEMA = "hendelse/1"
#: Layout blocks that repeat what the body tells (their events join the body's).
SUMMARY_BLOCKS = frozenset({"headline", "subheading", "caption"})
PART_OF_DAY = {"TMO": "morning", "TAF": "afternoon", "TEV": "evening", "TNI": "night"}


@dataclass
class Context:
    article: Article
    doc: Doc
    content: list[Span]
    entities: Entities
    places: Places


class Extractor:
    """Turns parsed articles into event records; build once, use for many articles."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.finder = EventFinder(self.lexicon)

    def __call__(self, article: Article, doc: Doc) -> dict:
        tokens = TokenTable(doc)
        content = content_sentences(article, doc, tokens)
        places = Places(doc, content, tokens)
        places.resolve_all()  # countries of places first: offices and settings need them
        entities = Entities(doc, content, article.published, places, tokens)
        ctx = Context(article, doc, content, entities, places)
        mentions = self.finder.find(content, entities, places)
        # only the time expressions of sentences with an event are ever read
        with_events = {m.sentence.start for m in mentions}
        times = _times(tokens.text, [s for s in content if s.start in with_events])
        paragraphs = _paragraph_index(article, content)
        triggers = {m.trigger.i for m in mentions}
        covering = attribution.attribute(content, entities, paragraphs, triggers)
        grammar = {id(m): factuality.from_grammar(m.trigger, m.group, tokens) for m in mentions}
        for mention in mentions:
            self._time(mention, times, article.published, grammar[id(mention)][0], tokens)
        self._unclaimed_times(mentions, times, article.published, grammar, tokens)
        for mention in mentions:
            value, rule = grammar[id(mention)]
            mention.factuality, rule = factuality.with_time(
                value,
                rule,
                mention.trigger,
                mention.group,
                getattr(mention.time, "value", None),
                article.published,
                tokens,
            )
            mention.explain["factuality"] = rule
            if not mention.reference:
                self._attribution(mention, covering.get(mention.trigger.i, []))
        for mention in mentions:
            block = article.block_at(mention.trigger.idx)
            mention.summary = block is not None and block.kind in SUMMARY_BLOCKS
            mention.headline = block is not None and block.kind in ("headline", "subheading")
        places.resolve_all()
        events = coref.merge(mentions, entities)
        return self._record(ctx, events)

    # -- per-mention steps ----------------------------------------------
    def _time(
        self,
        mention: EventMention,
        times: dict[int, list],
        published: str | None,
        value: str,
        tokens: TokenTable,
    ) -> None:
        """The time expression of the event's clause, resolved against ``published``.

        Without one in the clause itself, a relative or adverbial clause takes
        the time of the clause it hangs on ("Forrige gang de møttes var … i
        2019"). Planned and expected events look forward for weekdays.
        """
        candidates = times.get(mention.sentence.start, [])
        if not candidates:
            return
        clauses = [_clause_offsets(mention, tokens)]
        if mention.group is not None:
            governor = _governing_verb(mention.group.top)
            if governor is not None:
                clauses.append({tokens.idx[k] for k in verb_group(governor).clause_offsets(tokens)})
        own: list = []
        for clause in clauses:
            own = [e for e in candidates if any(e.start <= i < e.end for i in clause)]
            if own:
                break
        if not own:
            return
        _set_time(mention, own, published, value)

    def _unclaimed_times(
        self,
        mentions: list[EventMention],
        times: dict[int, list],
        published,
        grammar,
        tokens: TokenTable,
    ) -> None:
        """A time the parse left outside every event's clause goes to the nearest event
        of its sentence that has none ("… varslet en ny demonstrasjon lørdag")."""
        by_sentence: dict[int, list[EventMention]] = {}
        for mention in mentions:
            by_sentence.setdefault(mention.sentence.start, []).append(mention)
        for start, group in by_sentence.items():
            claimed = {(m.time.start, m.time.end) for m in group if m.time is not None}
            in_sentence = times.get(start, [])
            if in_sentence:
                for m in group:
                    clause = _clause_offsets(m, tokens)  # once per event, not per time
                    claimed |= {
                        (e.start, e.end)
                        for e in in_sentence
                        if any(e.start <= i < e.end for i in clause)
                    }
            free = [e for e in in_sentence if (e.start, e.end) not in claimed]
            for mention in group:
                if mention.time is not None or not free:
                    continue
                value = grammar[id(mention)][0]
                _set_time(mention, free, published, value, "nearest free time in the sentence")

    def _attribution(self, mention: EventMention, frames: list[attribution.Frame]) -> None:
        for frame in frames:
            if frame.cue.i == mention.trigger.i:
                continue
            for index, head in frame.sources:
                if index in mention.actors and frame.rule.startswith("speech"):
                    continue  # "Barth Eide sa at han møtte …": the actor's own account
                if frame.according_to and index in mention.actors:
                    # "Ifølge Reuters anklager hæren …": the one who reports is not the actor
                    mention.actors.remove(index)
                    mention.explain["actor"] = f"{mention.explain.get('actor')}; not the source"
                if index not in [i for i, _, _ in mention.attribution]:
                    mention.attribution.append((index, head, frame.cue))
            mention.explain["attribution"] = frame.rule

    # -- output ---------------------------------------------------------
    def _record(self, ctx: Context, events: list[coref.Event]) -> dict:
        article, text = ctx.article, ctx.article.text
        used_entities: set[int] = set()
        records = []
        for number, event in enumerate(events, 1):
            records.append(self._event(ctx, event, f"V{number}", used_entities))
        place_tokens = set(ctx.places.by_token)
        entity_dicts = [
            entity.to_dict(text)
            for i, entity in enumerate(ctx.entities.items)
            if i in used_entities or (entity.mentions and not _only_a_place(entity, place_tokens))
        ]
        return {
            "schema": SCHEMA,
            "article": {
                "id": article.id,
                "title": article.title,
                "published": article.published,
                "source": article.source,
                "url": article.url,
                "language": article.language,
            },
            "entities": entity_dicts,
            "places": [p.to_dict(text) for p in ctx.places.items],
            "events": records,
            "warnings": [],
        }

    def _event(self, ctx: Context, event: coref.Event, event_id: str, used: set[int]) -> dict:
        text = ctx.article.text
        primary = event.primary
        entry = primary.entry
        category = self.lexicon.categories[entry.category]
        full = [m for m in event.mentions if not m.reference]
        actors = list(primary.actors)
        recipients = list(primary.recipients)
        for other in full[1:]:
            if entry.symmetric:
                actors += [a for a in other.actors if a not in actors]
            elif not actors:
                actors = list(other.actors)
            if not entry.symmetric and not recipients:
                recipients = [r for r in other.recipients if r not in actors]
        spans = {}
        for m in reversed(event.mentions):
            spans.update(m.spans)
        location_from = next((m for m in full if m.location is not None), None)
        time_from = next((m for m in full if m.time is not None), None)
        attribution_list: list[dict] = []
        seen: set[int] = set()
        for m in full:
            for index, head, cue in m.attribution:
                if index in seen:
                    continue
                seen.add(index)
                attribution_list.append(
                    {
                        "entity": ctx.entities.items[index].id,
                        "span": _entity_span(ctx, index, head),
                        "cue": span(text, cue.idx, cue.idx + len(cue.text)),
                    }
                )
                used.add(index)
        used.update(actors + recipients)
        sentence = primary.sentence
        trigger = _trigger_span(primary)
        mentions = []
        for m in event.others:
            s = m.sentence
            mentions.append(span(text, *_trimmed(s, ctx.entities.tokens)))
        keys = confidence_keys(ctx, primary, actors)
        explain = {
            "confidence": keys[0],
            "entry": f"{entry.lemma} ({entry.pos}) {entry.source}",
            "matched_by": primary.matched,
            "words": [w.text for w in primary.words],
            **primary.explain,
        }
        if event.rules:
            explain["coreference"] = event.rules
        if location_from is not None and location_from is not primary:
            explain["location"] = f"from a later mention: {location_from.explain.get('location')}"
        return {
            "id": event_id,
            "type": entry.category,
            "mode": entry.mode,
            "context": list(entry.context),
            "cameo": entry.cameo,
            "quad": category.quad,
            "actor": [_role(ctx, i, spans) for i in actors],
            "recipient": [_role(ctx, i, spans) for i in recipients],
            "location": _location(ctx, location_from),
            "time": time_from.time.to_dict() if time_from is not None else None,
            "factuality": primary.factuality,
            "attribution": attribution_list,
            "trigger": span(text, *trigger),
            "sentence": span(text, *_trimmed(sentence, ctx.entities.tokens)),
            "mentions": mentions,
            "confidence": calibration.score(keys),
            "explain": explain,
        }


def _only_a_place(entity, place_tokens: set[int]) -> bool:
    """A name the NER took for an actor that only ever names a place ("i Vladivostok")."""
    if entity.type == "GPE" or entity.kb:
        return False
    return all(m.start in place_tokens for m in entity.mentions)


def _set_time(
    mention: EventMention, candidates: list, published: str | None, value: str, note: str = ""
) -> None:
    """Resolve the time expression nearest the trigger and give it to the event.

    Planned and expected events look forward for weekdays; a time that
    resolves to nothing (no value, weekday or part of day) is not kept.
    """
    expr = min(candidates, key=lambda e: abs(e.start - mention.trigger.idx))
    tense = mention.group.tense if mention.group is not None else "unknown"
    if value in ("planned", "expected"):
        tense = "future"
    resolved = timex.resolve(expr, published, tense)
    if resolved.value is None and resolved.weekday is None and resolved.part is None:
        return
    mention.time = resolved
    mention.explain["time"] = (
        f"{resolved.rule}, {note}" if note else f"{resolved.rule} ({tense} tense)"
    )


def _clause_offsets(mention: EventMention, tokens: TokenTable) -> set[int]:
    """Character offsets of the words in the event's own clause."""
    idx = tokens.idx
    trigger = _subtree(mention.trigger.i, tokens)
    if mention.group is not None:
        clause = {idx[k] for k in mention.group.clause_offsets(tokens)}
        if mention.entry.pos == "noun":
            for complement in infinitive_complements(mention.group):
                clause |= {idx[k] for k in complement.clause_offsets(tokens)}
    else:
        clause = {idx[k] for k in trigger}
    return clause | {idx[k] for k in trigger if not tokens.punct[k]}


def _subtree(i: int, tokens: TokenTable) -> list[int]:
    """The offsets of ``Token.subtree`` of the word at ``i`` (not in text order)."""
    found = [i]
    for k in found:
        found.extend(tokens.children[k])
    return found


def _governing_verb(top: Token) -> Token | None:
    """The verb of the clause a relative or adverbial clause hangs on."""
    current = top
    for _ in range(4):
        if current.head.i == current.i:
            return None
        current = current.head
        if is_verb(current):
            return current
    return None


def confidence_keys(ctx: Context, mention: EventMention, actors: list[int]) -> list[str]:
    """The features the calibrated confidence table is keyed by (``confidence.py``)."""
    entities = ctx.entities.items
    types = [entities[a].type for a in actors]
    kinds = [
        m.kind for a in actors for m in entities[a].mentions if m.sentence == mention.sentence.start
    ]
    if any(entities[a].members for a in actors):
        kinds.append("pronoun")
    return calibration.feature_keys(
        mention.entry.pos, mention.matched, calibration.actor_kind(types, kinds)
    )


def _role(ctx: Context, index: int, spans: dict[int, tuple[int, int]]) -> dict:
    entity = ctx.entities.items[index]
    where = spans.get(index)
    if where is None and entity.mentions:
        where = (entity.mentions[0].char_start, entity.mentions[0].char_end)
    return {
        "entity": entity.id,
        "span": span(ctx.article.text, *where) if where else None,
    }


def _entity_span(ctx: Context, index: int, head: Token) -> dict:
    for mention in ctx.entities.items[index].mentions:
        if mention.start <= head.i < mention.end:
            return span(ctx.article.text, mention.char_start, mention.char_end)
    return span(ctx.article.text, head.idx, head.idx + len(head.text))


def _location(ctx: Context, mention: EventMention | None) -> dict | None:
    if mention is None or mention.location is None:
        return None
    place = ctx.places.items[mention.location]
    token = mention.location_token
    where = next(
        (m for m in place.mentions if token is not None and m.start <= token.i < m.end),
        place.mentions[0],
    )
    return {"place": place.id, "span": span(ctx.article.text, where.char_start, where.char_end)}


def _trigger_span(mention: EventMention) -> tuple[int, int]:
    words = sorted(mention.words, key=lambda t: t.i)
    if words[-1].i - words[0].i <= 3:
        return words[0].idx, words[-1].idx + len(words[-1].text)
    t = mention.trigger
    return t.idx, t.idx + len(t.text)


def _trimmed(sentence: Span, tokens: TokenTable) -> tuple[int, int]:
    kept = [k for k in range(sentence.start, sentence.end) if not tokens.space[k]]
    if not kept:
        return sentence.start_char, sentence.start_char
    return tokens.idx[kept[0]], tokens.end_char(kept[-1] + 1)


def content_sentences(article: Article, doc: Doc, tokens: TokenTable) -> list[Span]:
    """Sentences that are news content (not header, caption label, credit or byline)."""
    found = []
    for sentence in doc.sents:
        first = tokens.first_word(sentence.start, sentence.end)
        if first is None:
            continue
        block = article.block_at(tokens.idx[first])
        if block is not None and block.kind in NON_CONTENT:
            continue
        found.append(sentence)
    return found


def _times(text: str, sentences: list[Span]) -> dict[int, list]:
    """Time expressions per sentence (keyed by the sentence's first token) in the
    doc's ``text``."""
    return {s.start: timex.find_times(text, s.start_char, s.end_char) for s in sentences}


def _paragraph_index(article: Article, content: list[Span]) -> dict[int, int]:
    """Which layout block each sentence starts in (quotes continue within a paragraph)."""
    index = {}
    for sentence in content:
        index[sentence.start] = article.block_index_at(sentence.start_char)
    return index


def extract(article: Article, doc: Doc | None = None) -> dict:
    """The event record for one article (parses it with the shipped pipeline if needed)."""
    from hendelse.nlp.pipeline import analyse

    return _default()(article, doc if doc is not None else analyse(article))


_EXTRACTOR: list[Extractor] = []


def _default() -> Extractor:
    if not _EXTRACTOR:
        _EXTRACTOR.append(Extractor())
    return _EXTRACTOR[0]
