"""Actor mentions and within-article entities.

A mention is a stretch of text that names or points at an actor: a named
entity from the NER ("Kim Jong-Un", "KCNA", "Moskva"), a collective noun
phrase ("nordkoreanske militærtopper", "en anonym russisk tjenesteperson"),
or a pronoun ("Han", "de to"). Mentions of one real-world actor are
clustered into one entity: short names join the full name ("Kim" →
"Kim Jong-Un"), pronouns join their antecedent, and every entity is
resolved to a country, sector and role by ``hendelse.resolve``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from hendelse.extract import resolve_bridge as rb
from hendelse.extract.spans import mention_spans
from hendelse.extract.syntax import conjuncts, feature, phrase_span
from hendelse.extract.tokens import TokenTable
from hendelse.resolve.text import strip_combining

if TYPE_CHECKING:
    from hendelse.extract.places import Places

#: The country of the press hendelse reads: unqualified national offices are its.
HOME_COUNTRY = "NOR"
#: Nouns that make "de to …" point at countries, not people.
COUNTRY_WORDS = frozenset({"land", "landene", "stat", "statene", "nasjon", "nasjonene"})
#: Definite nouns that point back at the country last named, like a pronoun
#: ("Iran nekter for at landet har levert droner": landet = Iran).
THE_COUNTRY = frozenset({"landet"})
#: Sectors of state bodies, whose country the story's setting decides when unsaid.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG"})
ACTOR_LABELS = {"PER": "PER", "ORG": "ORG", "GPE_ORG": "GPE", "GPE_LOC": "GPE"}
SINGULAR_PRONOUNS = {"han", "hun", "ham", "henne", "hans", "hennes"}
PLURAL_PRONOUNS = {"de", "dem", "deres"}
_PRONOUNS = frozenset(SINGULAR_PRONOUNS | PLURAL_PRONOUNS)
_start = attrgetter("start")
#: The part-of-speech tags of the words that may head a group ("soldatene", "de to").
_NOUN_TAGS = frozenset({"NOUN", "PROPN"})
#: The words other than nouns that may be a pronoun mention ("han", "landet", "de to").
_POINTING_WORDS = _PRONOUNS | THE_COUNTRY | {"to"}


_SEPARATORS = re.compile(r"[\s\-‐–]+")


def normalise(text: str) -> str:
    """Case-, accent-, hyphen- and space-insensitive form of a name."""
    if text.isascii():  # NFKD leaves ASCII as it is, and casefold() is lower() there
        text = text.lower()
    else:
        text = strip_combining(unicodedata.normalize("NFKD", text.casefold()))
    return _SEPARATORS.sub(" ", text).strip()


@dataclass
class Mention:
    start: int  # token offsets in the doc
    end: int
    kind: str  # "name", "group", "pronoun", "country" (a country adjective or implicit host)
    label: str  # PER, ORG, GPE, GROUP
    sentence: int  # index of the sentence's first token
    text: str = ""
    entity: int | None = None  # index into Entities.items
    title: tuple[str, str] | None = None  # (role, sector) of a title noun ("guvernør")
    adjective_country: str | None = None  # "russisk" in the phrase
    char_start: int = 0
    char_end: int = 0
    head_dep: str = ""  # the relation of the mention's head word ("SUBJ")
    titled: str | None = None  # the title word and the name, for the knowledge base ("Kong Harald")

    @property
    def tokens(self) -> range:
        return range(self.start, self.end)


@dataclass
class Entity:
    id: str
    name: str
    type: str
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    kb: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    how: list[str] = field(default_factory=list)  # resolution steps, for explanations
    members: list[int] = field(default_factory=list)  # for "de to": the entities it stands for

    def to_dict(self, text: str) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "country": self.country,
            "sector": self.sector,
            "role": self.role,
            "kb": self.kb,
            "mentions": mention_spans(text, self.mentions),
            "explain": self.how,
        }


class Entities:
    """The article's actor mentions and the entities they form."""

    def __init__(
        self,
        doc: Doc,
        content: list[Span],
        published: str | None,
        places: Places | None = None,
        tokens: TokenTable | None = None,
    ) -> None:
        self.doc = doc
        self.tokens = tokens or TokenTable(doc)
        self.published = published
        self.places = places
        self._keys: dict[str, int] = {}
        self.items: list[Entity] = []
        self.by_token: dict[int, Mention] = {}
        self.mentions: list[Mention] = []
        # The words the word passes of _find test at all, in one sweep of the article
        # each (most words are none of them): those that may be names the NER
        # missed (capitalised, or a name as the knowledge base writes it: "dpa"),
        # and those that may be pronouns or head groups.
        tokens, exact_forms = self.tokens, rb.exact_forms()
        upper, words = tokens.initial_upper, tokens.words
        names = [i for i, w in enumerate(words) if upper[i] or w in exact_forms]
        nouns = _noun_candidates(tokens)
        for sentence in content:
            self._find(sentence, names, nouns)
        self.mentions.sort(key=lambda m: m.start)
        self._cluster()

    # -- finding mentions -------------------------------------------------
    def _add(self, mention: Mention) -> None:
        tokens, start, end = self.tokens, mention.start, mention.end
        mention.char_start = char_start = tokens.idx[start]
        mention.char_end = char_end = tokens.end_char(end)
        mention.text = tokens.text[char_start:char_end]  # span_text: no mention is empty
        mention.head_dep = tokens.dep[tokens.root(start, end)]
        self.mentions.append(mention)
        by_token = self.by_token
        for i in range(start, end):
            by_token.setdefault(i, mention)

    def _find(self, sentence: Span, names: list[int], nouns: list[int]) -> None:
        """The mentions in a sentence: the NER's names, then the words among ``names``
        and ``nouns`` (offsets in the doc) that are names, pronouns or groups."""
        doc, tokens = self.doc, self.tokens
        first, stop = sentence.start, sentence.end
        place_only = self.places.place_only if self.places is not None else set()
        for ent in tokens.ents_in(sentence):
            if place_only.issuperset(range(ent.start, ent.end)):
                continue  # "byen Sumy", "Kharkiv oblast": a place, whatever the NER said
            name_start, name_end, ent_label = self._name_proper(ent)
            label = ACTOR_LABELS.get(ent_label)
            text = tokens.span_text(name_start, name_end)
            place = rb.country_of_name(text)
            if label is None and place is None:
                if not rb.known_name(text):
                    continue
                label = "ORG"  # "EU-kommisjonen", "FN-domstolen" (the NER: a derived word)
            if place is not None and label in (None, "PER", "ORG"):
                label = "GPE"  # "Pyongyang" tagged PER, a country tagged ORG
            end = _known_longer_name(tokens, name_start, name_end, stop)
            start = _known_earlier_start(tokens, name_start, end, first)
            if end != name_end or start != name_start:
                label = "ORG"  # "Leger uten grenser": the known name is longer than the NER's
            mention = Mention(start, end, "name", label or "GPE", first)
            root = tokens.root(name_start, name_end)
            dependents = tokens.children[root]
            if dependents and dependents[0] < root:  # else its phrase starts with it
                start, _ = phrase_span(doc[root])
                mention.adjective_country = self._country_in(start, name_start)
            self._add(mention)
        # The word loops test the token table first and make a Token only when needed.
        by_token, ent_type, words, pos = self.by_token, tokens.ent_type, tokens.words, tokens.pos
        # One pass for the names the NER missed. A name found here covers only its
        # own word and those after it, so what each test sees is what it would
        # see if all multi-word names were found in a pass of their own first.
        for i in names[bisect_left(names, first) : bisect_left(names, stop)]:
            if i in by_token or ent_type[i]:
                continue
            word = words[i]
            capitalised = tokens.initial_upper[i]
            if capitalised:
                # a multi-word name the knowledge base knows ("Leger uten grenser")
                end = _known_longer_name(tokens, i, i + 1, stop)
                if end > i + 1 and not any(ent_type[k] or k in by_token for k in range(i, end)):
                    self._add(Mention(i, end, "name", "ORG", first))
                    continue
            if tokens.punct[i]:
                continue
            if capitalised:
                # "Kremlet", "Pyongyang", "Westminster" (tagged NOUN or ADJ), "Meduza",
                # "Erdoğan" (a known surname)
                label = _single_name(word, pos[i], tokens.sent_start[i])
            else:
                label = rb.known_exactly(word)
            if label is not None:
                self._add(Mention(i, i + 1, "name", label, first))
        lower_words = tokens.lower
        for i in nouns[bisect_left(nouns, first) : bisect_left(nouns, stop)]:
            if i in by_token or tokens.space[i]:
                continue
            lower, tag = lower_words[i], pos[i]
            if (tag == "PRON" and lower in _PRONOUNS) or (
                lower == "hans" and tokens.dep[i] == "DET"
            ):
                self._add(Mention(i, i + 1, "pronoun", "PER", first))
            elif lower in THE_COUNTRY and tag == "NOUN" and not _is_de_to(lower_words, i):
                self._add(Mention(i, i + 1, "pronoun", "GPE", first))
            elif tag in _NOUN_TAGS and not ent_type[i]:
                if _is_de_to(lower_words, i) or rb.title_or_actor_noun[tokens.lemma[i], lower]:
                    self._maybe_group(i, first)
            elif (
                lower == "to" and lower_words[tokens.head[i]] != "to" and _is_de_to(lower_words, i)
            ):
                self._add(Mention(i - 1, i + 1, "pronoun", "GROUP", first))

    def _maybe_group(self, i: int, first: int) -> None:
        tokens = self.tokens
        lemma, lower = tokens.lemma[i], tokens.lower[i]
        if _is_de_to(tokens.lower, i):
            # "de to landene" points at two countries, "de to ministrene" at two people
            start, end = phrase_span(self.doc[i])
            country_word = lemma.lower() in COUNTRY_WORDS or lower in COUNTRY_WORDS
            self._add(Mention(start, end, "pronoun", "GPE" if country_word else "GROUP", first))
            return
        title = rb.title(lemma, lower)
        noun = rb.actor_noun(lemma, lower)
        if noun is None and title is None:
            return  # most nouns: neither a title nor an actor noun
        named = self._named_partner(i)
        if named is not None and named in self.by_token:
            return  # "guvernør Oleg Kozjemjako", "avisen Mainichi Shimbun": read with the name
        heads_a_name = title is not None or (noun is not None and noun.type == "ORG")
        if heads_a_name and not self._genitive(i):
            run = self._name_after(i)
            if run is not None and not any(k in self.by_token for k in range(*run)):
                # "Guvernør Vasilij Orlov", "diplomaten Pak Myong-chol": a name the NER missed
                label = "ORG" if title is None else "PER"
                mention = Mention(run[0], run[1], "name", label, first)
                # "den nordkoreanske diplomaten Pak Myong-chol": the title's adjective
                mention.adjective_country = self._country_in(phrase_span(self.doc[i])[0], i)
                self._add(mention)
                return
        if title is not None and named is not None:
            return
        start, end = phrase_span(self.doc[i])
        adjective = self._country_in(start, end)
        mention = Mention(start, end, "group", "GROUP", first, adjective_country=adjective)
        mention.title = (title.role, title.sector) if title else None
        self._add(mention)

    # -- reading the token table ---------------------------------------------
    def _name_proper(self, ent: Span) -> tuple[int, int, str]:
        """The name in an entity, without a title or actor noun the NER took into it
        ("Nyhetsbyrået Associated Press"), and with a first name it left out
        ("Min Aung Hlaing", the NER: "Aung Hlaing"): its start, end and label (none
        without the title: the NER's label was for the words with it)."""
        tokens = self.tokens
        start, end, label = ent.start, ent.end, ent.label_
        if end - start > 1 and tokens.pos[start] == "NOUN" and tokens.initial_upper[start + 1]:
            lemma, lower = tokens.lemma[start], tokens.lower[start]
            if rb.title(lemma, lower) or rb.actor_noun(lemma, lower):
                return start + 1, end, ""
        if label == "PER" and start > 0:
            before = start - 1
            lemma, lower, word = tokens.lemma[before], tokens.lower[before], tokens.words[before]
            if (
                tokens.initial_upper[before]
                and not tokens.sent_start[before]
                and not tokens.ent_type[before]
                and rb.title(lemma, lower) is None
                and rb.country_of_adjective(lemma, lower) is None
                and not rb.country_of_name(word)
                and self.doc[before].is_alpha
            ):
                return before, end, label
        return start, end, label

    def _country_in(self, start: int, end: int) -> str | None:
        """A country named inside the phrase from ``start`` to ``end``: "den russiske
        byen", "Polens utenriksminister"."""
        tokens = self.tokens
        for i in range(start, end):
            lemma, lower, word = tokens.lemma[i], tokens.lower[i], tokens.words[i]
            if tokens.pos[i] == "ADJ" or tokens.dep[i] == "ATR":
                found = rb.country_of_adjective(lemma, lower)
                if found:
                    return found
            if tokens.initial_upper[i] and (lower.endswith("s") or self._genitive_case(i)):
                found = rb.country_of_name(word) or ("IGO" if rb.igo_of_name(word) else None)
                if found:
                    return found
        return None

    def _country_of_place_phrase(self, token: Token) -> str | None:
        """ "ni ansatte ved den russiske ambassaden", "soldater fra Russland": where they belong."""
        for pp in token.children:
            if pp.pos_ != "ADP" or pp.lower_ not in ("ved", "fra", "i", "hos"):
                continue
            for inner in pp.children:
                if inner.dep_ != "PUTFYLL":
                    continue
                start, end = phrase_span(inner)
                found = self._country_in(start, end) or rb.country_of_name(inner.text)
                if found:
                    return found
        return None

    def _genitive_case(self, i: int) -> bool:
        """Whether the parse marks the word at ``i`` genitive (a Token made for it)."""
        return "Gen" in feature(self.doc[i], "Case")

    def _genitive(self, i: int) -> bool:
        """A noun in the genitive ("regjeringens"), which owns what follows it."""
        lower = self.tokens.lower[i]
        if lower.endswith("s") and not self.tokens.lemma[i].lower().endswith("s"):
            return True
        return self._genitive_case(i)

    def _named_partner(self, i: int) -> int | None:
        """A person's name in apposition to a title noun, in either direction."""
        tokens = self.tokens
        ent_type, dep, heads = tokens.ent_type, tokens.dep, tokens.head
        for child in tokens.children[i]:
            if dep[child] in ("APP", "FLAT", "ATR") and ent_type[child] in ("PER", "ORG"):
                return child  # "Nyhetsbyrået Associated Press"
        head = heads[i]
        if dep[i] in ("APP", "DET") and ent_type[head] in ("PER", "ORG") and head > i:
            return head
        after = i + 1
        if after < len(heads) and self.doc[after].ent_iob_ == "B":
            named = ent_type[after] in ("PER", "ORG")  # "Kong Abdullah II" (the NER: ORG)
            if (named and heads[after] in (i, after)) or heads[after] == head:
                return after
        return None

    def _name_after(self, i: int) -> tuple[int, int] | None:
        """The capitalised words right after a title ("Guvernør Vasilij Orlov"), the
        first of them a proper noun."""
        tokens = self.tokens
        upper, size = tokens.initial_upper, len(tokens.words)
        start = i + 1
        if start >= size or tokens.pos[start] != "PROPN":
            return None
        end = start
        while end < size and end - start < 4:
            if not upper[end] or tokens.punct[end] or tokens.sent_start[end]:
                break
            end += 1
        return (start, end) if end > start else None

    def _title_of(self, mention: Mention) -> tuple[str, str, str, str | None] | None:
        """A title or actor noun before or in apposition to a name: (role, sector, type,
        the title and name together when they touch, for the knowledge base).

        "guvernør Oleg …", "Kong Harald", "avisen Mainichi Shimbun" (a newspaper),
        "Guvernøren i Kursk oblast, Sergej Malkov" (the title in apposition).
        A word in the genitive is an owner, not a title ("regjeringens
        Ukraina-politikk"); it is asked last, as it needs the parse's morphology.
        """
        if mention.kind != "name":
            return None
        tokens = self.tokens
        start, end = mention.start, mention.end
        candidates = [i for i in (start - 1, start - 2) if i >= mention.sentence]
        root = tokens.root(start, end)
        dep, heads = tokens.dep, tokens.head
        candidates += [c for c in tokens.children[root] if dep[c] == "APP" and c < start]
        for i in candidates:
            close = i == start - 1
            if not (close or start <= heads[i] < end or dep[i] == "APP"):
                continue
            lemma, lower = tokens.lemma[i], tokens.lower[i]
            title = rb.title(lemma, lower)
            if title is not None:
                if self._genitive(i):
                    continue
                titled = f"{tokens.words[i]} {tokens.span_text(start, end)}" if close else None
                return title.role, title.sector, "PER", titled
            noun = rb.actor_noun(lemma, lower)
            if noun is not None and noun.type == "ORG" and noun.sector and not self._genitive(i):
                return noun.role, noun.sector, "ORG", None
        return None

    # -- clustering -------------------------------------------------------
    def _cluster(self) -> None:
        names = [m for m in self.mentions if m.kind == "name"]
        # full names first, so that short forms find them
        for mention in sorted(names, key=lambda m: -(m.end - m.start)):
            self._attach(mention, self._entity_for_name(mention))
        for mention in self.mentions:
            if mention.kind == "group":
                self._attach(mention, self._new_entity(mention))
        # knowledge first: whether "Kyodo" is a person matters for what "de to" means
        for entity in self.items:
            rb.resolve_entity(entity, self.published)
        self._merge_known()
        for mention in self.mentions:
            if mention.kind == "pronoun":
                self._resolve_pronoun(mention)
        for entity in self.items:
            if entity.country is None and not entity.members and entity.mentions:
                self._owner(entity) or self._shared_adjective(entity) or self._default_country(
                    entity
                )

    def _merge_known(self) -> None:
        """Names the knowledge base knows as one actor are one entity ("WPK", "Koreas
        arbeiderparti")."""
        first: dict[str, int] = {}
        for index, entity in enumerate(self.items):
            if not entity.kb or entity.members:
                continue
            if entity.kb not in first:
                first[entity.kb] = index
                continue
            keeper = self.items[first[entity.kb]]
            for mention in entity.mentions:
                mention.entity = first[entity.kb]
                keeper.mentions.append(mention)
            keeper.how.append(f"also named '{entity.mentions[0].text}'" if entity.mentions else "")
            entity.mentions = []

    def _owner(self, entity: Entity) -> bool:
        """ "Hans talsmann, X": X works for whoever "hans" is, in that one's country."""
        tokens = self.tokens
        for mention in entity.mentions:
            if mention.kind != "name":
                continue
            for i in (mention.start - 1, mention.start - 2):
                if i < mention.sentence:
                    continue
                if rb.title(tokens.lemma[i], tokens.lower[i]) is None:
                    continue
                for child in tokens.children[i]:
                    owner = self.by_token.get(child)
                    if (
                        tokens.dep[child] == "DET"
                        and owner is not None
                        and owner.entity is not None
                    ):
                        boss = self.items[owner.entity]
                        if boss.country and boss is not entity:
                            entity.country = boss.country
                            entity.sector = entity.sector or boss.sector
                            words = tokens.words
                            entity.how.append(f"'{words[child]} {words[i]}': {boss.name}'s")
                            return True
        return False

    def _shared_adjective(self, entity: Entity) -> bool:
        """ "nordkoreanske militærtopper, regjeringsråder og …": the adjective covers all."""
        dep, heads = self.tokens.dep, self.tokens.head
        for mention in entity.mentions:
            head = mention.end - 1
            while dep[head] in ("KOORD", "KOORD-ELL") and heads[head] != head:
                head = heads[head]
                other = self.by_token.get(head)
                if other is not None and other.adjective_country:
                    entity.country = other.adjective_country
                    entity.how.append(f"coordinated with '{other.text}'")
                    return True
        return False

    def _default_country(self, entity: Entity) -> None:
        """News conventions for actors whose country the text leaves unsaid.

        A person with a national title and no country ("utenriksminister
        Eirik Solheim") is Norway's in Norwegian news, which always qualifies
        foreign office holders ("Polens utenriksminister"). An unqualified
        state body ("politiet", "hæren", "regjeringen") belongs to the
        country where the story is set: the latest place before it. So does an
        unnamed group of people there ("tusenvis av demonstranter").
        """
        if entity.sector not in STATE_SECTORS:
            if entity.type == "GROUP" and not entity.members:
                setting = self.setting(entity.mentions[0].start)
                if setting:
                    entity.country = setting
                    entity.how.append(f"people where the story is set: {setting}")
            return
        if entity.type == "PER":
            office = self._office_place(entity)
            if office:
                entity.country = office
                entity.how.append(f"holds office in a place in {office}")
                return
            # Norwegian news qualifies foreign office holders, unless the whole
            # story is set abroad and never mentions Norway.
            home = self.mentions_country(HOME_COUNTRY)
            country = HOME_COUNTRY if home else self.main_setting() or HOME_COUNTRY
            entity.country = country
            why = "Norway is in the story" if home else "the story is set there"
            entity.how.append(f"a national title without a country: {country} ({why})")
            return
        first = entity.mentions[0]
        setting = self.setting(first.start)
        entity.country = setting or HOME_COUNTRY
        why = f"set in {setting}" if setting else f"no setting: {HOME_COUNTRY} by convention"
        entity.how.append(f"a state body without a country: {why}")

    def _office_place(self, entity: Entity) -> str | None:
        """ "Guvernør X i Belgorod oblast", "ordfører X i Kharkiv": the place's country."""
        if self.places is None:
            return None
        for mention in entity.mentions:
            heads = [self.doc[i] for i in mention.tokens]
            heads += [t.head for t in heads if rb.title(t.head.lemma_, t.head.lower_)]
            heads += [
                c for t in heads for c in t.children if rb.title(c.lemma_, c.lower_) is not None
            ]
            for token in heads:
                for pp in token.children:
                    if pp.pos_ != "ADP" or pp.lower_ != "i":
                        continue
                    for inner in pp.children:
                        for t in inner.subtree:
                            index = self.places.by_token.get(t.i)
                            if index is not None and self.places.items[index].country:
                                return self.places.items[index].country
        return None

    def mentions_country(self, iso3: str) -> bool:
        """Whether the article names the country or one of its places."""
        places = self.places.items if self.places is not None else []
        named = any(e.country == iso3 and e.type == "GPE" for e in self.items)
        return named or any(p.country == iso3 for p in places)

    def main_setting(self) -> str | None:
        """The country the article's places lie in most often."""
        counts: dict[str, int] = {}
        for place in self.places.items if self.places is not None else []:
            if place.country:
                counts[place.country] = counts.get(place.country, 0) + len(place.mentions)
        return max(counts, key=lambda c: counts[c]) if counts else None

    def setting(self, before: int) -> str | None:
        """The country of the latest place mentioned before token ``before``."""
        best = None
        for place in self.places.items if self.places is not None else []:
            if not place.country:
                continue
            for m in place.mentions:
                if m.start < before and (best is None or m.start > best[0]):
                    best = (m.start, place.country)
        return best[1] if best else None

    def _entity_for_name(self, mention: Mention) -> int:
        """The entity a name belongs to: same name, or a short form of a longer one."""
        keys = self._keys
        key = normalise(mention.text)
        key = re.sub(r"s$", "", key) if key.endswith("s") and key[:-1] in keys else key
        index = keys.get(key)
        if index is None and mention.label == "PER":
            words = set(key.split())
            for other, other_index in keys.items():
                if self.items[other_index].type == "PER" and words <= set(other.split()):
                    index = other_index
                    break
        if index is None:
            index = self._new_entity(mention)
            keys[key] = index
        return index

    def _name_on_demand(self, token: Token) -> Mention | None:
        """A proper name the NER missed, found because it fills a role or is a known name."""
        if token.pos_ != "PROPN" or token.i in self.by_token:
            return None
        if token.dep_ == "FLAT" and token.head.pos_ == "PROPN":
            token = token.head
        flat = [token, *(c for c in token.children if c.dep_ == "FLAT")]
        start, end = min(t.i for t in flat), max(t.i for t in flat) + 1
        text = self.tokens.span_text(start, end)
        if rb.country_of_name(text) or rb.igo_of_name(text):
            label = "GPE" if rb.country_of_name(text) else "ORG"
        else:
            label = "PER" if end - start > 1 else "ORG"
        mention = Mention(start, end, "name", label, self.doc[start].sent.start)
        mention.adjective_country = self._country_in(phrase_span(token)[0], start)
        self._add(mention)
        index = self._entity_for_name(mention)
        self._attach(mention, index)
        if index == len(self.items) - 1:
            rb.resolve_entity(self.items[index], self.published)
            if self.items[index].country is None:
                self._default_country(self.items[index])
        return mention

    def _noun_group(self, token: Token, target: bool = False) -> Mention | None:
        """Unnamed people filling a role: "to menn", "sivile", "palestinere".

        A ``target`` (what a protest or an attack is aimed at: "mot
        helsereformen", "mot et hotell") may be any noun phrase.
        """
        if token.pos_ not in ("NOUN", "ADJ") or token.i in self.by_token or token.like_num:
            return None
        if _nonactor(token.lemma_.lower()) or _nonactor(token.lower_):
            return None
        counted = any(c.like_num or c.pos_ == "NUM" for c in token.children)
        plural = "Plur" in feature(token, "Number")  # groups of people: "flyteknikerne"
        people = counted or plural or self.is_actor_word(token) or _people_noun(token)
        if not (people or target):
            return None
        start, end = phrase_span(token)
        country = self._country_in(start, end) or self._country_of_place_phrase(token)
        return self._new_group(start, end, country)

    def _national_group(self, token: Token) -> Mention | None:
        """An unnamed actor marked by nationality: "israelske fly", "russiske styrker"."""
        if token.pos_ != "NOUN" or token.i in self.by_token:
            return None
        start, end = phrase_span(token)
        country = self._country_in(start, token.i)
        if country is None:
            return None
        return self._new_group(start, end, country)

    def _new_group(self, start: int, end: int, country: str | None) -> Mention:
        """An unnamed group made while reading roles, as its own resolved entity."""
        mention = Mention(start, end, "group", "GROUP", self.doc[start].sent.start)
        mention.adjective_country = country
        self._add(mention)
        index = self._new_entity(mention)
        self._attach(mention, index)
        rb.resolve_entity(self.items[index], self.published)
        return mention

    def _new_entity(self, mention: Mention) -> int:
        index = len(self.items)
        self.items.append(Entity(f"E{index + 1}", mention.text, mention.label))
        return index

    def _attach(self, mention: Mention, index: int) -> None:
        mention.entity = index
        entity = self.items[index]
        entity.mentions.append(mention)
        if mention.kind == "name" and len(mention.text) > len(entity.name):
            entity.name = mention.text
        titled = self._title_of(mention) if mention.title is None else None
        title = mention.title or (titled[:2] if titled else None)
        if titled is not None:
            mention.titled = titled[3]
            if titled[2] == "ORG" and entity.type == "PER":
                entity.type = "ORG"  # "avisen Mainichi Shimbun" is no person
        if title and not entity.role:
            entity.role, entity.sector = title
            entity.how.append(f"title '{self.tokens.span_text(mention.start, mention.end)}'")

    def _resolve_pronoun(self, mention: Mention) -> None:
        # the mentions are in text order (while clustering): those before it lead
        earlier = self.mentions[: bisect_left(self.mentions, mention.start, key=_start)]
        if mention.label == "PER" and mention.text.lower() in SINGULAR_PRONOUNS:
            chosen = self._latest_person(earlier)
            if chosen is not None:
                self._attach(mention, chosen.entity)
            return
        before = [m for m in earlier if m.entity is not None]
        if mention.label == "GPE" and mention.text.lower() in THE_COUNTRY:
            self._resolve_the_country(mention, before)
            return
        # "de to", "de", "de to landene": the latest coordination or the last two actors
        wanted_type = "GPE" if mention.label == "GPE" else None
        members: list[int] = []
        people = [m for m in before if self.items[m.entity].type == "PER"]
        distinct_people = {m.entity for m in people if not self.items[m.entity].members}
        if wanted_type is None and len(distinct_people) >= 2:
            # "de to" who talk or meet are the two most salient people named so far
            members = sorted(distinct_people, key=lambda e: self._salience(e, people))[-2:]
            before = []
        for m in reversed(before):
            if self.places is not None and m.start in self.places.by_token:
                continue  # a place the NER took for an organisation
            entity = self.items[m.entity]
            if entity.members:
                continue
            if wanted_type and entity.type != "GPE":
                country = rb.entity_country(entity, self.published)
                if country is None:
                    continue
                index = self.country_entity(country, None)
            else:
                if entity.type not in ("PER", "GPE", "ORG"):
                    continue
                index = m.entity
            if index not in members:
                members.append(index)
            if len(members) == 2:
                break
        if len(members) < 2:
            return
        group = Entity(
            f"E{len(self.items) + 1}",
            mention.text,
            "GROUP",
            members=sorted(members),
            how=[f"'{mention.text}' points at {len(members)} earlier actors"],
        )
        self.items.append(group)
        self._attach(mention, len(self.items) - 1)

    def _latest_person(self, earlier: list[Mention]) -> Mention | None:
        """The person a singular pronoun after ``earlier`` points at: the latest one
        named, or the latest subject among the persons of that one's sentence."""
        dep, items = self.tokens.dep, self.items
        latest = None
        for m in reversed(earlier):
            if m.entity is None or items[m.entity].type != "PER":
                continue
            if latest is None:
                latest = m
            elif m.sentence != latest.sentence:
                break
            if dep[m.start] == "SUBJ" or dep[m.end - 1] == "SUBJ":
                return m
        return latest

    def _resolve_the_country(self, mention: Mention, before: list[Mention]) -> None:
        """ "landet": the latest country named, or the country of the latest
        state body ("Irans utenriksdepartement … landet" is Iran), preferring
        the subject when the latest sentence with one names several
        ("Norge sendte hjelp til Sudan. Landet …" is Norway)."""
        found: list[tuple[Mention, str | None]] = []  # (mention, country of a state body)
        for m in before:
            entity = self.items[m.entity]
            if entity.members or entity.type == "PER":
                continue
            if entity.type == "GPE":
                found.append((m, None))
            elif (country := rb.entity_country(entity, self.published)) is not None:
                found.append((m, country))
        if not found:
            return
        latest = found[-1][0].sentence
        dep = self.tokens.dep
        subjects = [
            (m, country)
            for m, country in found
            if m.sentence == latest and "SUBJ" in (dep[m.start], dep[m.end - 1])
        ]
        chosen, country = (subjects or found)[-1]
        if country is None:
            self._attach(mention, chosen.entity)
        else:
            self.country_entity(country, mention)

    def _salience(self, index: int, mentions: list[Mention]) -> tuple[float, int]:
        """How prominent an entity is in ``mentions``: named often, as subject, lately."""
        own = [m for m in mentions if m.entity == index]
        subjects = sum(self.tokens.dep[m.end - 1] == "SUBJ" for m in own)
        known = 0.5 if self.items[index].kb else 0.0
        return (len(own) + 0.5 * subjects + known, max(m.start for m in own))

    def country_entity(self, iso3: str, mention: Mention | None) -> int:
        """The entity for a country's government (made on demand for hosts and "landene")."""
        for index, entity in enumerate(self.items):
            if entity.type == "GPE" and entity.country == iso3 and entity.sector == "GOV":
                if mention is not None:
                    self._attach(mention, index)
                return index
        name = rb.country_name(iso3)
        entity = Entity(f"E{len(self.items) + 1}", name, "GPE", iso3, "GOV")
        entity.how.append("country implied by the text")
        self.items.append(entity)
        index = len(self.items) - 1
        if mention is not None:
            self._attach(mention, index)
        return index

    # -- lookups used by the event matcher --------------------------------
    def at(self, token: Token) -> Mention | None:
        return self.by_token.get(token.i)

    def fillers(self, token: Token, unnamed: bool = False) -> list[int]:
        """Entities filling a role whose head word is ``token`` (coordination expanded)."""
        return [index for index, _ in self.filler_mentions(token, unnamed)]

    def filler_mentions(
        self, token: Token, unnamed: bool = True, target: bool = False
    ) -> list[tuple[int, Mention]]:
        """Like ``fillers``, with the mention that names each entity here.

        With ``unnamed``, a plain noun phrase that fills the role becomes an
        unnamed group ("to menn", "sivile", "demonstrantene").
        """
        found: list[tuple[int, Mention]] = []
        for conjunct in conjuncts(token):
            mention = (
                self.at(conjunct)
                or self._named_child(conjunct)
                or self._name_on_demand(conjunct)
                or self._national_group(conjunct)
                or (self._noun_group(conjunct, target) if unnamed else None)
            )
            if mention is None or mention.entity is None:
                continue
            entity = self.items[mention.entity]
            for index in entity.members or [mention.entity]:
                if index not in [i for i, _ in found]:
                    found.append((index, mention))
        return found

    def is_actor_word(self, token: Token) -> bool:
        """A common noun that denotes actors ("politiet", "soldater", "guvernør")."""
        forms = [token.lemma_, token.lower_]
        if token.lower_.endswith("s") and len(token.lower_) > 4:
            forms.append(token.lower_[:-1])  # a genitive: "politis arrestasjon"
        return any(rb.actor_noun(f, f) or rb.title(f, f) for f in forms)

    def ensure(self, token: Token) -> list[int]:
        """Entities for a source phrase, making an unnamed group when none is known
        ("en anonym russisk tjenesteperson", "medier i Japan og Sør-Korea")."""
        found = self.fillers(token)
        if found or token.pos_ not in ("NOUN", "PROPN"):
            return found
        start, end = phrase_span(token)
        mention = self._new_group(start, end, self._country_in(start, end))
        return [mention.entity]

    def _named_child(self, token: Token) -> Mention | None:
        for child in token.children:
            if child.dep_ in ("FLAT", "APP") and child.i in self.by_token:
                return self.by_token[child.i]  # "Guvernør Vasilij Orlov": the name found
        partner = self._named_partner(token.i)
        return self.by_token.get(partner) if partner is not None else None


@functools.cache
def _nonactor_words() -> frozenset[str]:
    from hendelse.extract.lexicon import data_file

    raw = data_file("nonactors.yaml")
    return frozenset(w for key, words in raw.items() if key != "version" for w in words)


@functools.cache
def _people_words() -> frozenset[str]:
    from hendelse.extract.lexicon import data_file

    raw = data_file("people_nouns.yaml")
    return frozenset(raw["people"])


def _people_noun(token: Token) -> bool:
    """A noun for people: listed, a compound of a listed one, or a country's inhabitants."""
    words = _people_words()
    for word in {token.lemma_.lower(), token.lower_}:
        if word in words or rb.inhabitants_of(word) or _compound_of(word, words):
            return True
    return False


def _nonactor(word: str) -> bool:
    words = _nonactor_words()
    return word in words or _compound_of(word, words)


def _compound_of(word: str, heads: frozenset[str]) -> bool:
    """Whether ``word`` ends with one of ``heads`` at least four letters long after
    three or more letters of its own ("opprørssoldat"); its endings are looked up,
    not every head tried."""
    return any(word[-size:] in heads for size in range(4, len(word) - 2))


def _glued(tokens: TokenTable, k: int) -> bool:
    """Whether the word at ``k`` starts with a non-ASCII character right after the
    word before: only then may folding join its letters with that word's."""
    words = tokens.words
    return not words[k][0].isascii() and tokens.idx[k] == tokens.idx[k - 1] + len(words[k - 1])


def _known_run(tokens: TokenTable, start: int, stop: int) -> bool:
    """Whether the knowledge base knows the words from ``start`` to ``stop`` as a name.

    Asked of every run of words after a name, tens of thousands of different
    texts, almost none a name: their letters are tried word by word first
    (``rb.may_be_known_words``), and the text is made only for the few that pass.
    """
    if not _glued_run(tokens, start, stop) and not rb.may_be_known_words(tokens.words[start:stop]):
        return False
    return rb.known_name(tokens.span_text(start, stop))


def _glued_run(tokens: TokenTable, start: int, stop: int) -> bool:
    """Whether a word after the first of the run is :func:`_glued`: asked of every run
    tried, mostly of two words, where a loop costs half what any() over a generator does."""
    for k in range(start + 1, stop):  # noqa: SIM110 (see above)
        if _glued(tokens, k):
            return True
    return False


def _ends_no_known_run(tokens: TokenTable, last: int) -> bool:
    """Whether no run of words ending at ``last`` (and longer than it) can be a known
    name: the run's letters end with the word's own, and most words end none."""
    word = tokens.words[last]
    return rb.word_walks[word][1] is False and (word[0].isascii() or not _glued(tokens, last))


def _may_start_known_run(tokens: TokenTable, start: int) -> bool:
    """Whether a known name of more than one word may start at ``start``: a word of
    ASCII letters with a space after it must begin a known form's letters or be a
    title (``rb.may_start_known``), which most words that start sentences are not."""
    word, idx = tokens.words[start], tokens.idx
    if not (word.isascii() and word.isalpha()) or idx[start + 1] == idx[start] + len(word):
        return True
    return rb.may_start_known[word]


def _known_longer_name(tokens: TokenTable, start: int, end: int, limit: int) -> int:
    """Where a name ends when the knowledge base knows a longer one than the NER found."""
    best = end
    if end >= limit or not _may_start_known_run(tokens, start):
        return best
    punct, space = tokens.punct, tokens.space
    for stop in range(end + 1, min(end + 3, limit) + 1):
        if punct[stop - 1] or space[stop - 1]:
            break
        if not _ends_no_known_run(tokens, stop - 1) and _known_run(tokens, start, stop):
            best = stop
    return best


def _known_earlier_start(tokens: TokenTable, start: int, end: int, limit: int) -> int:
    """Where a name starts when the knowledge base knows it with a word or two before
    the NER's ("Svenska Dagbladet", the NER: "Dagbladet")."""
    if _ends_no_known_run(tokens, end - 1):
        return start
    for begin in (start - 1, start - 2):
        if begin < limit or not tokens.initial_upper[begin]:
            break
        if _known_run(tokens, begin, end):
            return begin
    return start


def _noun_candidates(tokens: TokenTable) -> list[int]:
    """The words the noun pass of :meth:`Entities._find` may take for a mention: those
    that may be pronoun mentions ("han", "landet", "de to"), and the nouns outside the
    NER's names that are titles or actor nouns or follow a "to" ("de to landene").
    Most nouns are none of them: one remembered answer per word leaves them out
    before the pass tests each occurrence in its sentence."""
    lower, ent_type = tokens.lower, tokens.ent_type
    columns = zip(lower, tokens.pos, tokens.lemma, strict=True)
    return [
        i
        for i, (word, tag, lemma) in enumerate(columns)
        if word in _POINTING_WORDS
        or (
            tag in _NOUN_TAGS
            and not ent_type[i]
            and ((i > 0 and lower[i - 1] == "to") or rb.title_or_actor_noun[lemma, word])
        )
    ]


def _is_de_to(lower: list[str], i: int) -> bool:
    """ "de to" / "de to landene", for the word at ``i`` (``lower``: the doc's words
    in lower case)."""
    if lower[i] == "to":
        return i > 0 and lower[i - 1] == "de"
    return i >= 2 and lower[i - 1] == "to" and lower[i - 2] == "de"


@functools.lru_cache(maxsize=65_536)
def _single_name(text: str, pos: str, sent_start: bool) -> str | None:
    """The label of a capitalised word the NER missed as a name: a country, capital
    or seat of power (GPE), an organisation or medium the knowledge base knows
    ("Meduza"), or a person the knowledge base knows by surname ("Erdoğan").

    It depends on the word alone (the data does not change while a process
    runs) and is asked of nearly every capitalised word, so the answers are
    remembered."""
    if pos not in ("PROPN", "NOUN", "ADJ", "X"):
        return None
    if rb.country_of_name(text):
        return "GPE"
    if rb.igo_of_name(text):
        return "ORG"
    if pos != "PROPN" and sent_start and not rb.known_name(text):
        return None
    if rb.known_name(text):
        return rb.known_type(text)
    if pos == "PROPN" and rb.known_surname(text):
        return "PER"
    return None
