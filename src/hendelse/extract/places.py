"""Places mentioned in an article, and where an event happened.

Place mentions come from the NER (LOC, GPE_LOC, GPE_ORG; also names the
NER labels otherwise when a place noun stands beside them: "byen Khasan",
"regionen Primorskij Kraj") and, on demand, from place nouns used as a
location ("på togstasjonen", "på basen"). A bare place noun that refers
back to a named place of the same kind is that place ("basen" after
"Vostotsjnyj kosmodrom"). Place words are data: ``data/places.yaml``.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import compress

from spacy.tokens import Doc, Span, Token

from hendelse.extract import resolve_bridge as rb
from hendelse.extract.lexicon import data_file, may_end_in, word_tails
from hendelse.extract.mentions import normalise
from hendelse.extract.spans import mention_spans
from hendelse.extract.syntax import phrase_span
from hendelse.extract.tokens import TokenTable
from hendelse.resolve.gazetteer import PlaceCandidate

PLACE_LABELS = {"LOC", "GPE_LOC", "GPE_ORG"}
#: Kinds of place noun that do not make the name beside them a place
#: ("sykehuset Ullevål", "plassen Karl Johan" name no town).
_BUILDINGS = ("building", "square")
#: Dependencies of a place noun beside a name (``Places._noun_beside``).
_BESIDE_DEPS = ("APP", "DET", "ATR", "FLAT")


def place_words() -> dict:
    return data_file("places.yaml")


@functools.cache
def _noun_endings() -> tuple[tuple[str, str], ...]:
    """(ending, place noun) for compound matching, longest noun first."""
    nouns = place_words()["nouns"]
    usable = sorted((n for n in nouns if nouns[n].get("compound", True)), key=len, reverse=True)
    return tuple((v, n) for n in usable for v in _definite_forms(n))


@functools.cache
def _ending_ranks() -> dict[str, int]:
    """Each ending of :func:`_noun_endings` -> its first position there, so a
    word's suffixes can be looked up instead of trying every ending."""
    ranks: dict[str, int] = {}
    for rank, (variant, _) in enumerate(_noun_endings()):
        ranks.setdefault(variant, rank)
    return ranks


@functools.cache
def _noun_forms() -> dict[str, str]:
    """Every place noun and its definite singulars -> the noun ("kibbutzen" -> "kibbutz")."""
    forms: dict[str, str] = {}
    for noun in place_words()["nouns"]:
        for form in _definite_forms(noun):
            forms.setdefault(form, noun)
    for noun in place_words()["nouns"]:
        forms[noun] = noun
    return forms


@functools.cache
def _noun_tails() -> frozenset[str]:
    """The last three letters of every place noun form and ending (all of a shorter one)."""
    return word_tails((*_noun_forms(), *_ending_ranks()))


def _definite_forms(noun: str) -> tuple[str, ...]:
    """The noun and its definite singulars: "by" -> "byen", "base" -> "basen"."""
    if noun.endswith("e"):
        return (noun, noun + "n", noun + "t")
    return (noun, noun + "en", noun + "et", noun + "a")


@functools.cache
def _frame_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Object verbs, subject verbs, battle nouns and compass words of ``places.yaml``."""
    words = place_words()
    return tuple(  # type: ignore[return-value]
        frozenset(words[key])
        for key in ("object_verbs", "subject_verbs", "battle_nouns", "compass_words")
    )


def place_noun(lemma: str, form: str) -> dict | None:
    """The place-noun facts for a word, matching compounds on their last part."""
    noun = _place_noun_of(lemma, form)
    return None if noun is None else {"noun": noun, **place_words()["nouns"][noun]}


@functools.lru_cache(maxsize=65_536)
def _place_noun_of(lemma: str, form: str) -> str | None:
    """The place noun a word is or ends in, case-folded (remembered: the extractor
    asks about every noun, and most words come back)."""
    # most words end otherwise than any place noun form does: no look-ups for them
    words = [word for word in (lemma.lower(), form.lower()) if may_end_in(word, _noun_tails())]
    for word in words:
        noun = _noun_forms().get(word)
        if noun is not None:
            return noun
    ranks = _ending_ranks()
    for word in words:
        # the first ending in _noun_endings' order that leaves at least three letters
        found = [r for i in range(3, len(word)) if (r := ranks.get(word[i:])) is not None]
        if found:
            return _noun_endings()[min(found)][1]
    return None


@dataclass
class PlaceMention:
    start: int
    end: int
    char_start: int
    char_end: int
    text: str
    kind: str  # "name" or "noun"


@dataclass
class Place:
    id: str
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    gazetteer_id: str | None = None
    kind: str | None = None  # the place noun's kind ("base"), for references back
    lookup: str | None = None  # the name as written, for the gazetteer ("Myanmar", "Polens")
    mentions: list[PlaceMention] = field(default_factory=list)
    how: list[str] = field(default_factory=list)

    def to_dict(self, text: str) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "feature": self.feature,
            "gazetteer_id": self.gazetteer_id,
            "mentions": mention_spans(text, self.mentions),
            "explain": self.how,
        }


class Places:
    """The article's places, found up front from names and on demand from nouns."""

    def __init__(self, doc: Doc, content: list[Span], tokens: TokenTable | None = None) -> None:
        self.doc = doc
        self.tokens = tokens or TokenTable(doc)
        self.items: list[Place] = []
        self.by_token: dict[int, int] = {}
        #: tokens of names that the words around them make places, never actors
        #: ("byen Sumy", "Kharkiv oblast", "annekterte Krim")
        self.place_only: set[int] = set()
        self._keys: dict[str, int] = {}
        tokens = self.tokens
        nouns, lone = _noun_words(tokens), _lone_capitalised_words(tokens)
        for sentence in content:
            for ent in tokens.ents_in(sentence):
                self._entity(ent)
            first, stop = sentence.start, sentence.end
            self._names_with_nouns(first, stop, _within(nouns, first, stop))
            for i in _within(lone, first, stop):
                if i in self.by_token or _inside_other_name(tokens, doc, i):
                    continue
                if (
                    tokens.pos[i] == "PROPN"
                    and tokens.dep[i] == "PUTFYLL"
                    and _after_locative(tokens, i, i, tokens.words[i])
                ):
                    # a place name the NER missed, after a locative preposition
                    self._name_on_demand(i)
                elif rb.country_of_name(tokens.words[i]) and not tokens.ent_type[i]:
                    # "Japans befolkning", "Polens grense", "Moskvas borgermester"
                    self._add_name(i, i + 1, None)
                elif not tokens.ent_type[i] and tokens.dep[i] != "FLAT":
                    start, end = _flat_name(tokens, i)
                    in_frame = _in_place_frame(tokens, tokens.root(start, end), "")
                    if in_frame and _unknown_as_actor(tokens.span_text(start, end)):
                        self._add_name(start, end, None, certain=True)  # "Huljajpole ligger nær …"

    def _entity(self, ent: Span) -> None:
        """An entity of the NER that is a place: by its label, a place noun beside it,
        its own name, a locative preposition or a place frame."""
        tokens = self.tokens
        start, end = ent.start, _trimmed_end(tokens, ent.start, ent.end)
        # a trimmed name must be known by a name of its own; one known as written keeps
        # all its words (asked only when a word would go: the look-ups are the dear part)
        trimmed = end != ent.end and not _known_as_written(tokens.span_text(start, ent.end))
        if not trimmed:
            end = ent.end
        label = "" if trimmed else ent.label_  # a trimmed span is a new span, unlabelled
        text = tokens.span_text(start, end)
        root = tokens.root(start, end)
        beside = self._noun_beside(root)
        if label in PLACE_LABELS or beside is not None or _names_place(tokens, start, end, text):
            self._add_name(start, end, beside)
        elif _after_locative(tokens, start, root, text) and rb.place_known(text, strong=trimmed):
            self._add_name(start, end, None)  # "i Vladivostok", whatever the NER called it
        elif _in_place_frame(tokens, root, label) and _unknown_as_actor(text):
            self._add_name(start, end, None, certain=True)  # "annekterte Krim"

    def _names_with_nouns(self, first: int, stop: int, nouns: list[int]) -> None:
        """Names a place noun makes places, whatever the NER said.

        "byen Sumy", "kibbutzen Be'eri" (noun, then name), "Kharkiv oblast",
        "Ramstein flybase" (name, then noun), "Hmeimim-basen" (one word): ``nouns``
        are the sentence's words of :func:`_noun_words`.
        """
        doc, tokens = self.doc, self.tokens
        for i in nouns:
            if i in self.by_token:
                continue
            word = tokens.words[i]
            if "-" in word[1:] and _capitalised(tokens, i):
                facts = _hyphen_place_noun(word)
                if facts is not None:
                    self._add_name(i, i + 1, (doc[i], facts), certain=True)
                continue
            facts = _common_place_noun(tokens, i)
            if facts is None:
                continue
            after = i + 1
            if after < stop and after not in self.by_token and _capitalised(tokens, after):
                end = _run_end(tokens, after, stop)
                if facts.get("kind") not in _BUILDINGS and end > after:
                    self._add_name(after, end, (doc[i], facts), certain=True)
                    continue
            if _noun_after_name(tokens, i) is not None and i > first:
                start = _run_start(tokens, i, first)
                taken = any(k in self.by_token for k in range(start, i))
                if start < i and not taken and not rb.country_of_name(tokens.span_text(start, i)):
                    self._add_name(start, i + 1, (doc[i], facts), certain=True)

    def _noun_beside(self, i: int) -> tuple[Token, dict] | None:
        """A place noun in apposition to word ``i``: "byen Khasan", "Vostotsjnyj kosmodrom"."""
        tokens = self.tokens
        for child in tokens.children[i]:
            if tokens.dep[child] in _BESIDE_DEPS and tokens.pos[child] in ("NOUN", "PROPN"):
                # not "Liv Øyen"
                common = tokens.words[child].islower() or tokens.sent_start[child]
                facts = place_noun(tokens.lemma[child], tokens.lower[child]) if common else None
                if facts and not (facts["feature"] == "country" and child > i):
                    return self.doc[child], facts  # not "Novosibirsk landet" (landed)
        if tokens.dep[i] == "APP":
            head = tokens.head[i]
            facts = place_noun(tokens.lemma[head], tokens.lower[head])
            if facts:
                return self.doc[head], facts
        return None

    def _add_name(
        self, start: int, end: int, beside: tuple[Token, dict] | None, certain: bool = False
    ) -> int:
        tokens = self.tokens
        text = tokens.span_text(start, end)
        # "Vostotsjnyj kosmodrom": a flat name part the NER left out belongs to the name
        flat = [
            c + 1
            for c in tokens.children[tokens.root(start, end)]
            if tokens.dep[c] == "FLAT" and _name_part(tokens, c)
        ]
        end = max([end, *flat])
        # "Kursk oblast", "Plesetsk kosmodrom": the place noun after the name is part of it
        if beside is None and end < len(tokens.words) and not rb.country_of_name(text):
            facts = _noun_after_name(tokens, end)
            if facts is not None:
                beside = (self.doc[end], facts)
                end += 1
        name = lookup = tokens.span_text(start, end)
        iso3 = rb.country_of_name(name)
        if iso3 and rb.is_country_name(name) and not rb.names_country_part(name):
            name = rb.country_name(iso3)  # "Russlands" is Russland
        key = normalise(name)
        index = self._keys.get(key)
        if index is None:
            index = len(self.items)
            place = Place(f"P{index + 1}", name, lookup=lookup)
            self.items.append(place)
            self._keys[key] = index
            self._resolve(place, start, end, lookup, beside)
        self._mention(index, start, end, "name")
        if certain or beside is not None:
            self.place_only.update(range(start, end))
        if beside is not None and beside[0].i in (start - 1, end):
            self.by_token.setdefault(beside[0].i, index)  # "i kibbutzen Be'eri" is Be'eri
        return index

    def _mention(self, index: int, start: int, end: int, kind: str) -> None:
        tokens = self.tokens
        text = tokens.span_text(start, end)
        self.items[index].mentions.append(
            PlaceMention(start, end, tokens.idx[start], tokens.end_char(end), text, kind)
        )
        for i in range(start, end):
            self.by_token.setdefault(i, index)

    def resolve_all(self) -> None:
        """Look every named place up in the gazetteer, with what the article says about it.

        Countries and capitals first, then the rest with the places already
        found as neighbours ("Khasan" near Vladivostok, not in India). A
        second round looks each place up again with every other place of the
        article as a neighbour, so that a place named later helps one named
        earlier ("Flyktningleiren Moria på Lesbos").
        """
        order = sorted(range(len(self.items)), key=lambda i: self.items[i].feature != "country")
        known = [
            _AsCandidate(p.country, p.lat, p.lon, p.feature) for p in self.items if p.gazetteer_id
        ]
        todo = [
            i
            for i in order
            if not self.items[i].gazetteer_id
            and any(m.kind == "name" for m in self.items[i].mentions)
        ]
        found: dict[int, PlaceCandidate] = {}
        alone: set[int] = set()  # looked up before any other town or region was known
        for index in todo:
            others = [*known, *found.values()]
            if not any(o.feature != "country" and o.lat is not None for o in others):
                alone.add(index)
            candidate = self._lookup(index, others)
            if candidate is not None and self._fits(self.items[index], candidate):
                found[index] = candidate
        for index in todo:
            # only a doubtful choice made without neighbours is looked up again
            if index not in alone or (index in found and not found[index].uncertain):
                continue
            others = [*known, *(c for i, c in found.items() if i != index)]
            if len(others) > len(known):
                candidate = self._lookup(index, others)
                if candidate is not None and self._fits(self.items[index], candidate):
                    found[index] = candidate
        for index, candidate in found.items():
            self._take(self.items[index], candidate)
        for place in self.items:
            if place.lat is None and not any(m.kind == "name" for m in place.mentions):
                self._locate_by_setting(place)

    def _lookup(self, index: int, others: list):
        """The gazetteer's reading of a place; a country by its name first ("Norge"
        for "Norges", which as written is also a French village), then as written
        ("Myanmar" for "Myanmar (Burma)")."""
        place = self.items[index]
        hints = (place.country,) if place.country else ()
        names = [place.name, place.lookup] if place.feature == "country" else [place.lookup]
        for name in dict.fromkeys(n for n in [*names, place.name] if n):
            candidate = rb.place_lookup(name, hints, place.feature, others)
            if candidate is not None:
                return candidate
        return None

    @staticmethod
    def _fits(place: Place, candidate: PlaceCandidate) -> bool:
        """A candidate in another country than the phrase says is not taken (nor is
        it a neighbour for the article's other places)."""
        if place.country and candidate.country != place.country:
            place.how.append(f"gazetteer's {candidate.gazetteer_id} is not in {place.country}")
            return False
        return True

    @staticmethod
    def _take(place: Place, candidate: PlaceCandidate) -> None:
        place.country = candidate.country
        place.admin1 = candidate.admin1
        place.lat, place.lon = candidate.lat, candidate.lon
        place.feature = candidate.feature
        place.gazetteer_id = candidate.gazetteer_id
        place.how.append(f"gazetteer {candidate.gazetteer_id} ({candidate.why})")

    def _locate_by_setting(self, place: Place) -> None:
        """A place noun ("parlamentet", "ambassaden") gets the point of the town it is in.

        The named place it lies in ("utenfor parlamentet i Tbilisi"), else the
        latest town or region named before it; its feature becomes that
        place's, so the precision is not overstated. A facility is no setting:
        "storbyene" after "Stortinget" does not lie in the parliament building.
        """
        first = min(m.start for m in place.mentions)
        best = None
        for other in self.items:
            if other.lat is None or other.feature not in ("city", "admin1"):
                continue
            if place.country and other.country != place.country:
                continue
            starts = [m.start for m in other.mentions if m.kind == "name" and m.start <= first + 6]
            if starts and (best is None or max(starts) > best[0]):
                best = (max(starts), other)
        if best is None:
            return
        other = best[1]
        place.lat, place.lon, place.admin1 = other.lat, other.lon, other.admin1
        place.country = place.country or other.country
        place.feature = other.feature
        place.how.append(f"located by {other.name}, the place named with it")

    def _resolve(
        self, place: Place, start: int, end: int, text: str, beside: tuple[Token, dict] | None
    ) -> None:
        """What the name's words (``text``, words [start, end)) say about the place."""
        tokens = self.tokens
        iso3 = rb.country_of_name(text)
        if iso3 and rb.names_country_part(text):
            place.country = iso3  # "Skottland", "Wales": a region of the country it names
            place.how.append(f"a part of {rb.country_name(iso3)}")
            return
        if iso3 and rb.is_country_name(text):
            place.country, place.feature = iso3, "country"
            place.how.append("a country name")
            return
        if iso3:
            place.country, place.feature = iso3, "city"
            place.how.append("a capital city")
            return
        facts = beside[1] if beside else _last_word_noun(tokens, start, end)
        if facts:
            place.feature = facts["feature"]
            place.kind = facts.get("kind")
            place.how.append(f"place noun '{facts['noun']}'")
        first, _ = phrase_span(self.doc[tokens.root(start, end)])
        phrase = list(range(first, end))
        if beside:
            phrase += [token.i for token in beside[0].subtree]
        for i in phrase:
            country = rb.country_of_adjective(tokens.lemma[i], tokens.lower[i])
            if country:
                place.country = country
                place.how.append(f"nationality adjective '{tokens.words[i]}'")
                break

    def at(self, token: Token) -> int | None:
        """The place a location phrase headed by ``token`` names, if any."""
        if token.i in self.by_token:
            return self.by_token[token.i]
        for child in token.children:
            if child.dep_ in ("FLAT", "APP") and child.i in self.by_token:
                return self.by_token[child.i]
        if token.pos_ == "ADP":
            return None
        if token.pos_ == "PROPN":
            return self._name_on_demand(token.i)
        facts = place_noun(token.lemma_, token.lower_)
        if facts is None or token.pos_ not in ("NOUN", "PROPN"):
            return None
        # a bare place noun: a reference back to a named place of the same kind
        if facts.get("kind"):
            for index in range(len(self.items) - 1, -1, -1):
                place = self.items[index]
                first = place.mentions[0].start if place.mentions else 0
                if place.kind == facts["kind"] and first < token.i:
                    self._mention(index, token.i, token.i + 1, "noun")
                    place.how.append(f"'{token.text}' refers back to it")
                    return index
        start, end = phrase_span(token)
        index = len(self.items)
        place = Place(f"P{index + 1}", self.doc[start:end].text, feature=facts["feature"])
        place.kind = facts.get("kind")
        place.how.append(f"place noun '{facts['noun']}' used as a location")
        self.items.append(place)
        self._mention(index, start, end, "noun")
        return index

    def _name_on_demand(self, i: int) -> int | None:
        """A place name the NER missed, in a locative phrase ("i Kyiv", "ankom Khasan")."""
        tokens = self.tokens
        flat = [i, *(c for c in tokens.children[i] if tokens.dep[c] == "FLAT")]
        start, end = min(flat), max(flat) + 1
        text = tokens.span_text(start, end)
        known_here = normalise(text) in self._keys  # named as a place before in the article
        if not (known_here or rb.country_of_name(text) or rb.place_known(text)):
            return None
        return self._add_name(start, end, self._noun_beside(i))

    def contained_in(self, index: int, other: int) -> None:
        """Record that place ``index`` lies in place ``other`` (country inherited)."""
        place, container = self.items[index], self.items[other]
        if place.country is None and container.country:
            place.country = container.country
            place.how.append(f"lies in {container.name}")


@functools.cache
def _prepositions() -> tuple[frozenset[str], frozenset[str]]:
    """Locative prepositions, and those with the direction prepositions (``places.yaml``)."""
    words = place_words()
    locative = frozenset(words["locative_prepositions"])
    return locative, locative | frozenset(words["direction_prepositions"])


def _after_locative(tokens: TokenTable, start: int, root: int, text: str) -> bool:
    """A name (``text``, from word ``start``, headed by word ``root``) governed by a
    preposition of place or direction: "i Vladivostok", "fra Khasan", "mot Pokrovsk"
    (known actors are left to the actor side)."""
    head = tokens.head[root]
    locative, prepositions = _prepositions()
    if start > 0 and tokens.pos[head] != "ADP":
        # the preposition right before the name, tagged otherwise ("nær" as an adjective)
        before = start - 1
        if tokens.lower[before] in locative and tokens.head[before] == root:
            return True
    if head == root or tokens.pos[head] != "ADP" or tokens.lower[head] not in prepositions:
        return False
    return tokens.lower[head] in locative or not rb.known_name(text)


def _last_word_noun(tokens: TokenTable, start: int, end: int) -> dict | None:
    last = end - 1
    word = tokens.words[last]
    if "-" in word[1:]:
        return _hyphen_place_noun(word)  # "Belgorod-regionen"
    if end - start < 2 or not word.islower():
        return None  # not "Liv Øyen"
    return place_noun(tokens.lemma[last], tokens.lower[last])


def _names_place(tokens: TokenTable, start: int, end: int, text: str) -> bool:
    return bool(rb.country_of_name(text)) or _last_word_noun(tokens, start, end) is not None


@dataclass(frozen=True)
class _AsCandidate:
    """A place resolved earlier in the article, as a neighbour for later lookups."""

    country: str | None
    lat: float | None
    lon: float | None
    feature: str | None


def _noun_words(tokens: TokenTable) -> list[int]:
    """The words that can be or name a place in ``Places._names_with_nouns``: nouns
    and capitalised words with a place noun or a hyphen in them (read from the
    token table once per article: most words are neither, and no ``Token`` is made
    for them)."""
    words, lemma, lower = tokens.words, tokens.lemma, tokens.lower
    nouns = [
        i
        for i, (upper, pos) in enumerate(zip(tokens.initial_upper, tokens.pos, strict=True))
        if upper or pos == "NOUN" or pos == "PROPN"
    ]
    return [
        i for i in nouns if _place_noun_of(lemma[i], lower[i]) is not None or "-" in words[i][1:]
    ]


def _lone_capitalised_words(tokens: TokenTable) -> list[int]:
    """The capitalised words that may name a place on their own (once per article):
    a proper noun, an entity's word, the head of a flat name or a country's name
    (the place frame needs a proper noun)."""
    words, pos, ent_type, head = tokens.words, tokens.pos, tokens.ent_type, tokens.head
    flat_heads = {head[i] for i, dep in enumerate(tokens.dep) if dep == "FLAT" and head[i] != i}
    return [
        i
        for i in compress(range(len(words)), tokens.initial_upper)
        if not tokens.punct[i]
        and not tokens.like_num[i]
        and (pos[i] == "PROPN" or ent_type[i] or i in flat_heads or rb.country_of_name(words[i]))
    ]


def _within(offsets: list[int], first: int, stop: int) -> list[int]:
    """The sorted ``offsets`` in [first, stop)."""
    return offsets[bisect_left(offsets, first) : bisect_left(offsets, stop)]


def _capitalised(tokens: TokenTable, i: int) -> bool:
    return tokens.initial_upper[i] and not tokens.punct[i] and not tokens.like_num[i]


def _name_part(tokens: TokenTable, i: int) -> bool:
    """A word that continues a name: capitalised ("Jar"), or a place noun that follows
    names ("kosmodrom"), not a verb the parser took for one ("Novosibirsk landet")."""
    if _capitalised(tokens, i):
        return True
    facts = place_noun(tokens.lemma[i], tokens.lower[i])
    return bool(facts) and tokens.lower[i] == facts["noun"] and facts["feature"] != "country"


def _noun_after_name(tokens: TokenTable, i: int) -> dict | None:
    """A place noun that can follow a name as part of it, in its indefinite form:
    "oblast", "flybase", "sentrum" ("Kharkiv oblast"), not "grense" ("Polens grense")."""
    if tokens.pos[i] not in ("NOUN", "PROPN", "ADJ") or not tokens.words[i].islower():
        return None
    facts = place_noun(tokens.lemma[i], tokens.lower[i])
    if facts is None or tokens.lower[i] != facts["noun"]:
        return None
    if facts.get("kind") in ("border", *_BUILDINGS):
        return None  # "Polens grense", "Gatas parlament"
    if facts["feature"] in ("admin1", "facility", "region") or facts.get("after_name"):
        return facts
    return None


def _trimmed_end(tokens: TokenTable, start: int, end: int) -> int:
    """Where an entity ends without the words the NER ran on into: a verb and what
    follows it ("Hawaii ødela byen"), lower-case words that end it ("Siversk fra tre
    kanter"; not "Rostov ved Don", "Oslo sentrum", "De forente arabiske emirater")."""
    for i in range(start + 1, end):
        if tokens.pos[i] in ("VERB", "AUX"):
            end = i
            break
    last = end - 1
    ends_in_noun = (
        tokens.words[last].islower()
        and place_noun(tokens.lemma[last], tokens.lower[last]) is not None
    )
    if (
        end - start > 1
        and _capitalised(tokens, start)
        and not (_name_part(tokens, last) or ends_in_noun)
    ):
        end = next(i for i in range(start, end) if not _capitalised(tokens, i))
    return end


def _known_as_written(text: str) -> bool:
    """A country, an actor or a place known by the whole text: nothing is trimmed off it."""
    return bool(rb.country_of_name(text) or rb.known_name(text) or rb.place_known(text))


def _common_place_noun(tokens: TokenTable, i: int) -> dict | None:
    """A place noun written as a common noun ("byen", sentence-first "Landsbyen")."""
    word = tokens.words[i]
    if tokens.pos[i] not in ("NOUN", "PROPN") or not word.isalpha():  # Token.is_alpha
        return None
    if not (word.islower() or tokens.sent_start[i]):
        return None
    facts = place_noun(tokens.lemma[i], tokens.lower[i])
    if facts is None or facts["feature"] == "country":
        return None
    return facts


def _hyphen_place_noun(text: str) -> dict | None:
    """ "Hmeimim-basen", "Belgorod-regionen": a name joined to a place noun."""
    name, _, noun = text.rpartition("-")
    if len(name) < 2 or name.isupper() or not noun.isalpha() or not noun.islower():
        return None  # not "TV-stasjon", "EU-landet"
    facts = place_noun(noun, noun)
    if facts is None or facts["feature"] == "country" or facts.get("kind") in _BUILDINGS:
        return None
    return facts


def _run_end(tokens: TokenTable, start: int, stop: int, longest: int = 4) -> int:
    """Where the capitalised words from ``start`` end ("Kfar Aza", "Tsjasiv Jar")."""
    end = start
    while end < stop and end - start < longest and _capitalised(tokens, end):
        if end > start and tokens.sent_start[end]:
            break
        end += 1
    return end


def _run_start(tokens: TokenTable, end: int, first: int, longest: int = 4) -> int:
    """Where the capitalised words before ``end`` start ("Nizjnij Novgorod oblast")."""
    start = end
    while start > first and end - start < longest and _capitalised(tokens, start - 1):
        start -= 1
    # a capitalised first word of the sentence that is not a name ("Store deler av …")
    while start < end and tokens.sent_start[start] and _not_a_name(tokens, start):
        start += 1
    return start


def _not_a_name(tokens: TokenTable, i: int) -> bool:
    if tokens.pos[i] in ("DET", "PRON", "ADP", "CCONJ", "SCONJ", "NUM", "ADV"):
        return True
    return rb.country_of_adjective(tokens.lemma[i], tokens.lower[i]) is not None


def _flat_name(tokens: TokenTable, i: int) -> tuple[int, int]:
    """The words [start, end) of the name word ``i`` heads with its capitalised flat parts."""
    flat = [
        i,
        *(c for c in tokens.children[i] if tokens.dep[c] == "FLAT" and _capitalised(tokens, c)),
    ]
    return min(flat), max(flat) + 1


def _inside_other_name(tokens: TokenTable, doc: Doc, i: int) -> bool:
    """A word of a person's name or of another name, unless a preposition inside that
    name governs it ("universitetet i Praha"; not "Norges Bank")."""
    if not tokens.ent_type[i]:
        return False
    if tokens.ent_type[i] == "PER":
        return True
    token = doc[i]  # the table has no IOB tags
    if token.ent_iob_ == "B":
        return True
    head = token.head
    inner = head.pos_ == "ADP" and head.text.islower() and head.ent_iob_ == "I"
    return not (inner and head.ent_type_ == token.ent_type_)  # not "Klovner I Kamp"


def _unknown_as_actor(text: str) -> bool:
    """A name the gazetteer knows by a name of its own (not only an alternate name)
    and the actor data do not."""
    if rb.known_name(text) or rb.country_of_name(text):
        return False
    return rb.place_known(text, strong=True)


def _verb_keys(tokens: TokenTable, verb: int) -> set[str]:
    """ "tok tilbake" -> {"ta", "ta tilbake"}; "nærmer seg" -> {"nærme", "nærme seg"}."""
    lemma = tokens.lemma[verb].lower()
    keys = {lemma}
    for child in tokens.children[verb]:
        if tokens.pos[child] in ("ADP", "ADV", "PRON") and child > verb:
            keys.add(f"{lemma} {tokens.lower[child]}")
    return keys


def _in_place_frame(tokens: TokenTable, root: int, label: str) -> bool:
    """A name (headed by word ``root``, with the NER's ``label``) whose words around
    make it a place: the object of "annektere", the subject of "ligge", "kampene om
    X", "nord for X" (``places.yaml``)."""
    objects, subjects, battles, compass = _frame_words()
    head = tokens.head[root]
    if head == root or tokens.pos[root] != "PROPN":
        return False
    dep, verb_head = tokens.dep[root], tokens.pos[head] in ("VERB", "AUX")
    if dep == "DOBJ" and verb_head:
        return bool(_verb_keys(tokens, head) & objects)
    if dep == "SUBJ" and verb_head and label != "PER":
        return tokens.lemma[head].lower() in subjects
    if dep == "PUTFYLL" and tokens.lower[head] == "om":
        return tokens.lemma[tokens.head[head]].lower() in battles
    if dep == "PUTFYLL" and tokens.lower[head] == "for":
        return tokens.lower[tokens.head[head]] in compass
    return False
