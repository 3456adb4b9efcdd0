"""Event mentions: lexicon triggers on the parse, with their roles.

For each content word the lexicon is asked whether it can signal an event
(``lexicon.candidates``); the best entry is checked against the parse
(multi-word constructions, part of speech) and its actor and recipient
are read from the role sources the entry lists (see the lexicon README).
Everything that decided a field is kept in ``EventMention.explain``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from hendelse.extract import resolve_bridge as rb
from hendelse.extract.lexicon import (
    Entry,
    Lexicon,
    WordMemo,
    data_file,
    inflections,
    irregular_verbs,
)
from hendelse.extract.mentions import Entities
from hendelse.extract.places import Places, place_noun, place_words
from hendelse.extract.syntax import (
    VerbGroup,
    children,
    conjuncts,
    feature,
    group_children,
    group_from_top,
    infinitive_complements,
    is_verb,
    is_verb_at,
    logical_object,
    logical_subject,
    objects,
    preposition_objects,
    subject,
    verb_group,
)
from hendelse.extract.tokens import TokenTable

#: Conjunctions that open a condition ("dersom USA gjennomfører øvelsen").
CONDITIONALS = frozenset({"dersom", "hvis", "om"})
#: Relations a trigger never has in a sound parse: it was read as part of a name.
BROKEN_PARSE_DEPS = frozenset({"FLAT", "APP"})
#: Parts of speech that never trigger an event.
FUNCTION_POS = frozenset({"ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART"})


@dataclass
class EventMention:
    entry: Entry
    matched: str  # how the trigger matched: lemma, form, compound
    trigger: Token
    words: list[Token]  # the whole construction ("uttrykt … bekymring")
    sentence: Span
    group: VerbGroup | None  # the clause's verbs (for nouns: the verb carrying the noun)
    actors: list[int] = field(default_factory=list)
    recipients: list[int] = field(default_factory=list)
    location: int | None = None
    location_token: Token | None = None
    time: object | None = None  # timex.ResolvedTime
    factuality: str = "asserted"
    attribution: list[tuple[int, Token, Token]] = field(default_factory=list)
    reference: bool = False  # "besøket er …": points at an event told elsewhere
    summary: bool = False  # in a headline, subheading or caption, which repeat the body
    headline: bool = False  # in a headline or subheading
    occurrence: bool = False  # a noun that an occurrence verb says happens ("møtet ventes å skje")
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # entity → where named
    explain: dict[str, str] = field(default_factory=dict)

    @property
    def symmetric(self) -> bool:
        return self.entry.symmetric


class EventFinder:
    """Finds event mentions in the content sentences of one parsed article."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        support = data_file("support_verbs.yaml")
        self.support_verbs = set(support["support"])
        self.occurrence_verbs = set(support["occurrence"])
        self.reference_predicates = set(support["reference"])
        self.carrier_prepositions = set(support["carrier_prepositions"])
        self.implicit = {k: set(v) for k, v in support["implicit_agents"].items()}
        self.target_places = set(support["target_places"])
        words = place_words()
        self.locative = set(words["locative_prepositions"])
        self.visit_prepositions = set(words["visit_prepositions"])
        #: which lemmas and forms head some entry: see _possible_triggers
        self.lemmas: WordMemo[str] = WordMemo(lexicon.by_lemma_alone)
        self.forms: WordMemo[str] = WordMemo(lexicon.by_form_alone)

    # -- triggers -----------------------------------------------------------
    def find(self, sentences: list[Span], entities: Entities, places: Places) -> list[EventMention]:
        found: list[EventMention] = []
        tokens = entities.tokens
        triggers = self._possible_triggers(tokens)
        for sentence in sentences:
            # most sentences hold no word that heads a lexicon entry: nothing to do
            first = bisect_left(triggers, sentence.start)
            last = bisect_left(triggers, sentence.end, first)
            if first == last:
                continue
            used: set[int] = set()
            for i in triggers[first:last]:
                if i in used:
                    continue
                match = self._match(i, tokens, sentence.doc)
                if match is None:
                    continue
                entry, how, words = match
                used.update(w.i for w in words)
                mention = EventMention(entry, how, words[0], words, sentence, None)
                self._fill(mention, entities, places)
                found.append(mention)
        for mention in found:
            if not mention.actors:
                self._implicit_agent(mention, sentences, entities)
        return found

    def _implicit_agent(
        self, mention: EventMention, sentences: list[Span], entities: Entities
    ) -> None:
        """The doer of an agentless passive, when the story has just named one.

        "Svensk politi slo til mot en rekke adresser. Ti personer ble
        pågrepet." Only for the categories in ``implicit_agents`` (arrests,
        sanctions, attacks …), only from a state body or armed group named as
        the actor in the same or the previous sentence.
        """
        group = mention.group
        if group is None or not group.passive or mention.entry.category not in self.implicit:
            return
        index = next(
            (i for i, s in enumerate(sentences) if s.start == mention.sentence.start), None
        )
        if index is None:
            return
        window = {s.start for s in sentences[max(0, index - 1) : index + 1]}
        candidates = [
            m
            for m in entities.mentions
            if m.sentence in window
            and m.start < mention.trigger.i
            and m.entity is not None
            and entities.items[m.entity].sector in self.implicit[mention.entry.category]
            and m.head_dep == "SUBJ"
        ]
        if not candidates:
            return
        chosen = candidates[-1]
        mention.actors.append(chosen.entity)
        mention.spans.setdefault(chosen.entity, (chosen.char_start, chosen.char_end))
        mention.explain["actor"] = f"implicit agent of the passive: '{chosen.text}' just before"

    def _possible_triggers(self, tokens: TokenTable) -> list[int]:
        """Offsets of the article's content words that head some lexicon entry, from
        the token table (no ``Token`` made): only they can trigger. Whether a word has
        candidates is decided by its lemma or by its form alone
        (:meth:`Lexicon.by_lemma_alone`), each distinct one tested once per process
        (:class:`WordMemo`): plain string sets, no tuple per word.

        A word whose every entry is a construction that needs a word the article
        lacks ("ha møte" with no "møte") cannot trigger either, and is left out:
        most words with entries are such verbs ("ha", "si", "ta")."""
        distinct_lemmas, distinct_forms = set(tokens.lemma), set(tokens.lower)
        lemmas = self.lemmas.among(distinct_lemmas)
        forms = self.forms.among(distinct_forms)
        lemma, lower, pos = tokens.lemma, tokens.lower, tokens.pos
        punct, space, like_num = tokens.punct, tokens.space, tokens.like_num
        found = [
            i
            for i, word in enumerate(lower)
            if (word in forms or lemma[i] in lemmas)
            and pos[i] not in FUNCTION_POS
            and not (punct[i] or space[i] or like_num[i])
        ]
        if not found:
            return found
        article = distinct_forms.union(map(str.lower, distinct_lemmas))  # as _near reads them
        needs = self.lexicon.needs
        return [
            i
            for i in found
            if (rests := needs(lemma[i], lower[i])) is None or any(map(article.issuperset, rests))
        ]

    def _match(self, i: int, tokens: TokenTable, doc: Doc) -> tuple[Entry, str, list[Token]] | None:
        """The best entry the word at ``i`` triggers and its words (the trigger first),
        tested on the token table: ``Token`` objects only for the winner's words."""
        best: tuple[int, Entry, str, list[int]] | None = None
        noun = tokens.pos[i] in ("NOUN", "PROPN")
        near: list[tuple[int, str, str]] | None = None  # found for the first multi-word entry
        for entry, how in self.lexicon.candidates(tokens.lemma[i], tokens.lower[i]):
            if not self._pos_fits(entry, i, tokens):
                continue
            words: list[int] | None = [i]  # a one-word entry: nothing to look for around it
            if entry.rest:
                near = _near(i, tokens) if near is None else near
                words = _construction(entry, i, near)
            if words is None:
                continue
            score = 10 * len(entry.words) + (2 if how == "lemma" else 0)
            score += 1 if (entry.pos == "noun") == noun else 0
            if entry.pos == "verb" and any(tokens.dep[c] == "DOBJ" for c in tokens.children[i]):
                score += 4  # a word with a direct object is a verb, whatever its tag says
            if best is None or score > best[0]:
                best = (score, entry, how, words)
        return None if best is None else (best[1], best[2], [doc[k] for k in best[3]])

    def _pos_fits(self, entry: Entry, i: int, tokens: TokenTable) -> bool:
        lower = tokens.lower[i]
        if entry.pos == "verb":
            if is_verb_at(tokens, i):
                return tokens.lemma[i].lower() not in ("være", "ha", "bli") or entry.head in (
                    "ha",
                    "bli",
                )
            # a verb the tagger took for a noun or adjective ("uttrykt", "pågrep", "angrep")
            verb_form = lower in inflections(entry.head, "verb") or (
                irregular_verbs().get(lower) == entry.head
            )
            return verb_form and (
                any(tokens.dep[c] in ("SUBJ", "DOBJ") for c in tokens.children[i])
                or tokens.dep[i] in ("INFV", "ROOT")
            )
        if tokens.pos[i] in ("NOUN", "PROPN"):
            return True
        # a noun the tagger took for a verb: "ha møte", "ha forhandlinger"
        head = tokens.head[i]
        return (
            lower in inflections(entry.head, "noun")
            and tokens.lemma[head].lower() in self.support_verbs
            and head != i
        )

    # -- roles --------------------------------------------------------------
    def _fill(self, mention: EventMention, entities: Entities, places: Places) -> None:
        token = mention.trigger
        entry = mention.entry
        if entry.pos == "verb":
            mention.group = verb_group(token)
        else:
            mention.group = self._carrier(token)
            group = mention.group
            if group is not None and token.dep_ == "SUBJ":
                verbs = [group.main, *(c.main for c in infinitive_complements(group))]
                mention.occurrence = any(v.lemma_.lower() in self.occurrence_verbs for v in verbs)
                # "besøket er en klar manifestasjon av …": a copula says something about it
                lemma = group.main.lemma_.lower()
                predicative = any(c.dep_ == "SPRED" for c in group.main.children)
                if lemma in self.reference_predicates and (lemma != "være" or predicative):
                    mention.reference = True
        self._location(mention, places, entities)
        for role in ("actor", "recipient"):
            sources = entry.actor if role == "actor" else entry.recipient
            for source in sources:
                filled = self._source(source, mention, entities, places)
                filled = [e for e in filled if e not in mention.actors]
                if filled:
                    getattr(mention, f"{role}s" if role == "actor" else "recipients").extend(filled)
                    mention.explain[role] = source
                    break
        if not mention.actors and token.dep_ in BROKEN_PARSE_DEPS:
            self._linear_roles(mention, entities)
        elif (
            mention.actors
            and not mention.recipients
            and entry.pos == "verb"
            and token.pos_ == "NOUN"
            and entry.recipient
        ):
            # a verb the tagger read as a noun ("Iran angrep Israel"): its object by word order
            self._linear_roles(mention, entities, recipient_only=True)
        if entry.symmetric and mention.recipients:
            mention.actors.extend(r for r in mention.recipients if r not in mention.actors)
            mention.recipients = []
            mention.explain["recipient"] = "symmetric: all parties are actors (PLOVER)"

    def _linear_roles(
        self, mention: EventMention, entities: Entities, recipient_only: bool = False
    ) -> None:
        """Roles by word order when the parse around the trigger is broken.

        A trigger that hangs as a flat name part or an apposition ("Ukrainas
        utenriksminister anklaget Russland …" parsed as one long name) has
        no clause to read roles from; the nearest actor before it is taken
        as the actor and the nearest after it as the recipient.
        """
        sentence, at = mention.sentence, mention.trigger.i
        before = [m for m in entities.mentions if sentence.start <= m.start and m.end <= at]
        after = [m for m in entities.mentions if at < m.start and m.end <= sentence.end]
        named = [m for m in before if m.entity is not None]
        if recipient_only:
            actor_entity = mention.actors[0]
        elif not named:
            return
        else:
            actor = max(named, key=lambda m: m.end)
            actor_entity = actor.entity
            mention.actors.append(actor.entity)
            mention.spans.setdefault(actor.entity, (actor.char_start, actor.char_end))
            mention.explain["actor"] = "word order (the parse around the trigger is broken)"
        targets = [m for m in after if m.entity is not None]
        if mention.entry.recipient and targets:
            target = min(targets, key=lambda m: m.start)
            if target.entity != actor_entity and target.start - mention.trigger.i <= 3:
                mention.recipients.append(target.entity)
                mention.spans.setdefault(target.entity, (target.char_start, target.char_end))
                mention.explain["recipient"] = "word order (the parse around the trigger is broken)"

    def _carrier(self, noun: Token) -> VerbGroup | None:
        """The verb an event noun is the object or subject of ("skal ha møte")."""
        head = noun.head
        if head.i == noun.i:
            return None
        # "gir 150 millioner kroner i nødhjelp til Sudan": through the preposition
        through = head.pos_ == "ADP" and head.lower_ in self.carrier_prepositions
        if through and noun.dep_ == "PUTFYLL" and is_verb(head.head):
            group = verb_group(head.head)
            return group if group.auxiliaries else group_from_top(head.head)
        # a bare noun the parser hung on a support verb as an adverbial ("kom … statsbesøk")
        loose = noun.dep_ == "ADV" and head.lemma_.lower() in self.support_verbs
        if is_verb(head) and (noun.dep_ in ("DOBJ", "SUBJ", "SPRED", "INFV") or loose):
            group = verb_group(head)
            if not group.auxiliaries:
                group = group_from_top(head)
            return group
        return None

    def _source(
        self, source: str, mention: EventMention, entities: Entities, places: Places
    ) -> list[int]:
        token, group = mention.trigger, mention.group
        verb = mention.entry.pos == "verb"
        heads: list[Token] = []
        if source == "subject" and verb and group is not None:
            passive = group.passive and not mention.entry.reciprocal
            found = logical_subject(group) if passive else subject(group)
            heads = [found] if found is not None else []
        elif source == "object" and verb and group is not None:
            passive = group.passive and not mention.entry.reciprocal
            found = logical_object(group) if passive else next(iter(objects(group)), None)
            if found is None and not passive:
                found = _object_taken_for_adverbial(group, entities)
            heads = [found] if found is not None else []
        elif source == "iobject" and verb and group is not None:
            heads = objects(group, "IOBJ")
        elif source.startswith("pp:"):
            prep = source[3:]
            if verb and group is not None:
                # "rettet en anklage mot India": the phrase may hang on the construction's noun
                extra = [w for w in mention.words if w.i != token.i]
                heads = preposition_objects(group.tokens + extra, prep)
                if not heads:
                    # or lower in the clause ("demonstrerte i Tbilisi mot regjeringen"),
                    # never inside the subject or a source
                    heads = _clause_preposition_objects(group, prep, entities.tokens)
            else:
                heads = preposition_objects([token], prep)
                if (
                    not heads
                    and group is not None
                    and group.main.lemma_.lower() in (self.support_verbs)
                ):
                    heads = preposition_objects(group.tokens, prep)
        elif source == "possessor" and not verb:
            heads = [c for c in token.children if c.i < token.i and _genitive(c)]
        elif source == "support_subject" and not verb and group is not None:
            lemma = group.main.lemma_.lower()
            carried = lemma in self.support_verbs or any(
                t.lemma_.lower() in self.support_verbs for t in group.tokens
            )
            if token.dep_ != "SUBJ" and carried and lemma not in self.occurrence_verbs:
                found = logical_subject(group) if group.passive else subject(group)
                heads = [found] if found is not None else []
        elif source == "clause_subject":
            heads = self._clause_subjects(token, group if verb else None)
        elif source == "condition_subject" and group is not None:
            heads = self._condition_subjects(group)
        elif source == "host":
            return self._host(mention, entities, places)
        heads = [content_head(h, entities) for h in heads if not _in_source_phrase(h)]
        found: list[int] = []
        target = source in ("pp:mot", "pp:på")  # what a protest or an attack aims at
        for head in heads:
            for index, filler in entities.filler_mentions(head, target=target):
                if index not in found:
                    found.append(index)
                    mention.spans.setdefault(index, (filler.char_start, filler.char_end))
        return found

    def _clause_subjects(self, token: Token, group: VerbGroup | None) -> list[Token]:
        """Subjects of "at"/"om" clauses the trigger governs ("bekymring for at Kim …")."""
        starts = list(group.tokens) if group is not None else [token]
        starts += [t for t in token.children if t.pos_ in ("NOUN", "PROPN")]
        members = set(group.tokens) if group is not None else set()
        for start in starts:
            for child in start.children:
                if child in members:
                    continue
                complementiser = any(c.dep_ == "SBU" for c in child.children)
                candidates = [child] if is_verb(child) and complementiser else []
                if child.pos_ == "ADP":
                    candidates = [c for c in child.children if c.dep_ == "PUTFYLL" and is_verb(c)]
                for verb in candidates:
                    clause = verb_group(verb) if verb.dep_ == "INFV" else VerbGroup(verb, [])
                    found = subject(clause)
                    if found is not None:
                        return [found]
        return []

    def _condition_subjects(self, group: VerbGroup) -> list[Token]:
        """Who must (not) do something for a threat to be carried out: the subject of
        a "dersom/hvis" clause under the trigger ("truer med svar dersom USA …")."""
        outside = _subject_tokens(group)
        for verb in group.tokens:
            for token in verb.subtree:
                if token.i in outside or not is_verb(token):
                    continue
                if any(c.dep_ == "SBU" and c.lower_ in CONDITIONALS for c in token.children):
                    found = subject(VerbGroup(token, []))
                    if found is not None:
                        return [found]
        return []

    def _host(self, mention: EventMention, entities: Entities, places: Places) -> list[int]:
        """The government of the country where a visit takes place."""
        if mention.location is None:
            return []
        place = places.items[mention.location]
        if not place.country:
            return []
        # the visitor's own country does not host them
        if any(entities.items[a].country == place.country for a in mention.actors):
            return []
        index = entities.country_entity(place.country, None)
        mention.explain["host"] = f"{place.name} lies in {place.country}"
        at = mention.location_token.i if mention.location_token is not None else -1
        where = next((m for m in place.mentions if m.start <= at < m.end), place.mentions[0])
        mention.spans.setdefault(index, (where.char_start, where.char_end))
        return [index]

    # -- location -----------------------------------------------------------
    def _location(self, mention: EventMention, places: Places, entities: Entities) -> None:
        token, group = mention.trigger, mention.group
        heads = [token]
        if group is not None:
            heads = [*group.tokens, token] if token not in group.tokens else group.tokens
            if mention.entry.pos == "noun":
                # "møtet ventes å skje på basen": the place hangs on the verb after "å"
                for complement in infinitive_complements(group):
                    heads += complement.tokens
        visit = mention.entry.mode == "visit"
        preps = self.locative | (self.visit_prepositions if visit else set())
        candidates: list[tuple[Token, str]] = []
        table, doc = entities.tokens, token.doc
        for head in heads:
            for k in table.children[head.i]:  # a Token only for the prepositions
                if table.pos[k] == "ADP" and table.lower[k] in preps:
                    candidates += [(c, f"pp:{table.lower[k]}") for c in children(doc[k], "PUTFYLL")]
        if visit and group is not None and mention.entry.pos == "verb":
            candidates += [(o, "object") for o in objects(group)]
            candidates += [(s, "subject") for s in group_subjects_places(group)]
            # "ankom Kyiv mandag": a bare place name the parser hung on the verb
            candidates += [(c, "object") for c in group_children(group, "ADV") if c.pos_ == "PROPN"]
        if not any(places.at(c) is not None for c, _ in candidates) and group is not None:
            candidates = []
            # a locative phrase lower in the same clause ("… på togstasjonen av guvernøren"),
            # or on the object ("arresterte to menn i Bergen"), never on the subject or a
            # source ("medier i Japan" are not where the event happens)
            for t in _clause_prepositions(group, preps, entities.tokens):
                if _describes_a_person(t, entities):
                    continue  # "guvernør X i regionen Y" says where X governs
                candidates += [(c, f"pp:{t.lower_}") for c in children(t, "PUTFYLL")]
        if not candidates and group is not None and mention.entry.category in self.target_places:
            # "angrep havnebyen Odesa", "bombet Beirut": the place attacked is where it happens
            targets = [(o, "object") for o in objects(group)]
            targets += [(c, "pp:mot") for c in preposition_objects(group.tokens, "mot")]
            candidates = [(t, how) for t, how in targets if places.at(t) is not None]
        best: tuple[int, int, Token, str] | None = None
        for head, how in candidates:
            for conjunct in conjuncts(head)[:1]:
                index = places.at(conjunct)
                if index is None:
                    continue
                place = places.items[index]
                # the most precise place wins: facility > city > admin1 > country
                rank = {"facility": 0, "city": 1, "admin1": 2, "region": 3}.get(
                    place.feature or "", 4
                )
                if best is None or rank < best[0]:
                    best = (rank, index, conjunct, how)
        if best is not None:
            mention.location, mention.location_token = best[1], best[2]
            mention.explain["location"] = best[3]
            # "på togstasjonen" in "Khasan": a noun place inherits the named place's country
            for other_head, _ in candidates:
                other = places.at(other_head)
                if other is not None and other != best[1]:
                    places.contained_in(best[1], other)


POSSESSIVES = frozenset({"hans", "hennes", "deres", "dets", "dens"})
#: Quantity nouns whose "av" phrase names who is counted ("tusenvis av serbere").
QUANTITY_NOUNS = frozenset(
    {"tusenvis", "hundrevis", "titusenvis", "hundretusenvis", "hundretusener", "millioner",
     "dusinvis", "snesevis", "rekke", "gruppe", "flertall", "mengde", "antall"}
)  # fmt: skip


def _genitive(token: Token) -> bool:
    """ "Russlands", "Joe Bidens", "hans" in front of a noun."""
    if token.dep_ not in ("DET", "ATR"):
        return False
    if token.lower_ in POSSESSIVES or "Gen" in feature(token, "Case"):
        return True
    last = max(token.subtree, key=lambda t: t.i) if token.pos_ == "PROPN" else token
    if not last.text.endswith("s"):
        return False
    # "NATOs", "Joe Bidens", "politis" whatever the tagger made of them
    named = last.pos_ == "PROPN" or bool(last.ent_type_) or last.text[:1].isupper()
    return named or bool(rb.actor_noun(last.lower_[:-1], last.lower_[:-1]))


def content_head(token: Token, entities) -> Token:
    """The word that names the participant: "tusenvis av *serbere*", "anklagene fra *Kyiv*".

    A quantity noun gives way to its "av" phrase; an abstract object that is
    no actor itself gives way to the actor in its "fra/av/til/mot" phrase
    ("benektet anklagene fra Kyiv", "konfiskerte eiendelene til selskapene").
    """
    if token.pos_ != "NOUN":
        return token
    if token.lower_ in QUANTITY_NOUNS or token.lemma_.lower() in QUANTITY_NOUNS:
        inner = preposition_objects([token], "av")
        if inner:
            return inner[0]
    if entities.at(token) is not None or entities.is_actor_word(token):
        return token
    for det in token.children:  # "avslått Putins tilbud": whose offer
        if det.i < token.i and _genitive(det) and entities.at(det) is not None:
            return det
    # the actor in a phrase on the object, or one level further down
    # ("stengte grenseovergangen i Terespol mot Belarus")
    inner_heads = [token, *(c for pp in token.children if pp.pos_ == "ADP" for c in pp.children)]
    for prep in ("fra", "av", "til", "mot", "med"):
        for inner in preposition_objects(inner_heads, prep):
            if inner.pos_ == "PROPN" or entities.at(inner) or entities.is_actor_word(inner):
                return inner
    return token


def _describes_a_person(preposition: Token, entities: Entities) -> bool:
    """A phrase that says where a person holds office, not where the event is:
    on a title ("guvernøren i regionen"), or a region on a name ("X i regionen Y")."""
    head = preposition.head
    if rb.title(head.lemma_, head.lower_) is not None:
        return True
    mention = entities.at(head)
    if mention is None or mention.entity is None or entities.items[mention.entity].type != "PER":
        return False
    inside = [t for c in preposition.children for t in c.subtree]
    return any(
        (facts := place_noun(t.lemma_, t.lower_)) and facts["feature"] in ("admin1", "region")
        for t in inside
    )


def _subject_tokens(group: VerbGroup) -> set[int]:
    """Token indices of the group's subjects: never the place or target of its event."""
    return {t.i for s in group_children(group, "SUBJ") for t in s.subtree}


def _clause_prepositions(
    group: VerbGroup, prepositions: set[str], tokens: TokenTable
) -> list[Token]:
    """Prepositions of the clause outside its subject and outside "ifølge X" phrases."""
    # the words are read from the token table: most are no such preposition
    doc = group.main.doc
    found = [
        doc[k]
        for k in group.clause_offsets(tokens)
        if tokens.pos[k] == "ADP" and tokens.lower[k] in prepositions
    ]
    if not found:
        return found
    outside = _subject_tokens(group)
    return [t for t in found if t.i not in outside and not _in_source_phrase(t)]


def _clause_preposition_objects(
    group: VerbGroup, preposition: str, tokens: TokenTable
) -> list[Token]:
    return [
        c
        for t in _clause_prepositions(group, {preposition}, tokens)
        for c in children(t, "PUTFYLL")
    ]


def _object_taken_for_adverbial(group: VerbGroup, entities: Entities) -> Token | None:
    """A bare noun right after the verb that the parser called an adverbial
    ("anklager regimet i Minsk"): an object when it can be an actor."""
    for child in group_children(group, "ADV"):
        if child.i <= group.main.i or child.pos_ not in ("NOUN", "PROPN"):
            continue
        if entities.at(child) is not None or entities.is_actor_word(child):
            return child
    return None


def _in_source_phrase(token: Token) -> bool:
    """Inside "ifølge X": a source, never a participant."""
    current = token
    for _ in range(4):
        if current.head.i == current.i:
            return False
        current = current.head
        if current.pos_ == "ADP":
            return current.lower_ in ("ifølge", "iflg.")
    return False


def group_subjects_places(group: VerbGroup) -> list[Token]:
    """Subjects that the parser gave a visit verb by mistake ("ankom Russland tirsdag")."""
    subjects = [c for c in group.top.children if c.dep_ == "SUBJ"]
    return subjects[1:] if len(subjects) > 1 else []


def _construction(entry: Entry, i: int, near: list[tuple[int, str, str]]) -> list[int] | None:
    """The offsets of the trigger at ``i`` and of the entry's other words, found
    among the words ``near`` it (:func:`_near`)."""
    found = [i]
    for word in entry.rest:
        hit = next(
            (k for k, lemma, lower in near if word in (lemma, lower) and k not in found), None
        )
        if hit is None:
            return None
        found.append(hit)
    return found


def _near(i: int, tokens: TokenTable) -> list[tuple[int, str, str]]:
    """Where a construction's other words are looked for, with their lowercased
    lemma and form: the dependents of the word at ``i`` (its children, their
    children), then the next word."""
    children = tokens.children
    near = [*children[i]]
    for child in children[i]:
        near.extend(children[child])
    if i + 1 < len(children):
        near.append(i + 1)
    return [(k, tokens.lemma[k].lower(), tokens.lower[k]) for k in near]
