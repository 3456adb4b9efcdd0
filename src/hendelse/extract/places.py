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
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from hendelse.extract import resolve_bridge as rb
from hendelse.extract.lexicon import data_file
from hendelse.extract.mentions import normalise
from hendelse.extract.spans import mention_spans
from hendelse.extract.syntax import phrase_span
from hendelse.extract.tokens import TokenTable
from hendelse.resolve.gazetteer import PlaceCandidate

PLACE_LABELS = {"LOC", "GPE_LOC", "GPE_ORG"}
#: Kinds of place noun that do not make the name beside them a place
#: ("sykehuset Ullevål", "plassen Karl Johan" name no town).
_BUILDINGS = ("building", "square")


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
    noun = _place_noun_of(lemma.lower(), form.lower())
    return None if noun is None else {"noun": noun, **place_words()["nouns"][noun]}


@functools.lru_cache(maxsize=65_536)
def _place_noun_of(lemma: str, form: str) -> str | None:
    """The place noun a word is or ends in (remembered: the extractor asks about
    every noun, and most words come back)."""
    for word in (lemma, form):
        noun = _noun_forms().get(word)
        if noun is not None:
            return noun
    ranks = _ending_ranks()
    for word in (lemma, form):
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
        for sentence in content:
            for original in tokens.ents_in(sentence):
                ent = _trimmed(original)  # a trimmed name must be known by a name of its own
                beside = self._noun_beside(ent.root)
                if ent.label_ in PLACE_LABELS or beside is not None or _names_place(ent):
                    self._add_name(ent, beside)
                elif _after_locative(ent) and rb.place_known(ent.text, strong=ent != original):
                    self._add_name(ent, None)  # "i Vladivostok", whatever the NER called it
                elif _in_place_frame(ent) and _unknown_as_actor(ent.text):
                    self._add_name(ent, None, certain=True)  # "annekterte Krim"
            self._names_with_nouns(sentence)
            for i in range(sentence.start, sentence.end):
                # the token table rules out most words before a Token is made
                if i in self.by_token or not tokens.words[i][:1].isupper() or tokens.punct[i]:
                    continue
                if (
                    tokens.pos[i] != "PROPN"
                    and not tokens.ent_type[i]
                    and not any(tokens.dep[c] == "FLAT" for c in tokens.children[i])
                    and not rb.country_of_name(tokens.words[i])
                ):
                    # a capitalised word that is no proper noun, no entity and no
                    # country, alone: none of the tests below can take it (the
                    # place frame needs a proper noun)
                    continue
                token = doc[i]
                if not _capitalised(token) or _inside_other_name(token):
                    continue
                if (
                    token.pos_ == "PROPN"
                    and token.dep_ == "PUTFYLL"
                    and _after_locative(token.doc[token.i : token.i + 1])
                ):
                    # a place name the NER missed, after a locative preposition
                    self._name_on_demand(token)
                elif rb.country_of_name(token.text) and not token.ent_type_:
                    # "Japans befolkning", "Polens grense", "Moskvas borgermester"
                    self._add_name(doc[token.i : token.i + 1], None)
                elif not token.ent_type_ and token.dep_ != "FLAT":
                    span = _flat_name(token)
                    if _in_place_frame(span) and _unknown_as_actor(span.text):
                        self._add_name(span, None, certain=True)  # "Huljajpole ligger nær …"

    def _names_with_nouns(self, sentence: Span) -> None:
        """Names a place noun makes places, whatever the NER said.

        "byen Sumy", "kibbutzen Be'eri" (noun, then name), "Kharkiv oblast",
        "Ramstein flybase" (name, then noun), "Hmeimim-basen" (one word).
        """
        doc, tokens = self.doc, self.tokens
        for i in range(sentence.start, sentence.end):
            if i in self.by_token:
                continue
            # only nouns and capitalised words can be or name a place: the token
            # table rules out the rest before a Token is made
            if tokens.pos[i] not in ("NOUN", "PROPN") and not tokens.words[i][:1].isupper():
                continue
            # and one without a hyphen needs a place noun (``_common_place_noun``)
            word, lemma = tokens.words[i], tokens.lemma[i]
            if (
                "-" not in word[1:]
                and _place_noun_of(lemma.lower(), tokens.lower[i].lower()) is None
            ):
                continue
            token = doc[i]
            if "-" in token.text[1:] and _capitalised(token):
                facts = _hyphen_place_noun(token.text)
                if facts is not None:
                    self._add_name(doc[token.i : token.i + 1], (token, facts), certain=True)
                continue
            facts = _common_place_noun(token)
            if facts is None:
                continue
            after = token.i + 1
            if after < sentence.end and after not in self.by_token and _capitalised(doc[after]):
                end = _run_end(doc, after, sentence.end)
                if facts.get("kind") not in _BUILDINGS and end > after:
                    self._add_name(doc[after:end], (token, facts), certain=True)
                    continue
            if _noun_after_name(token) is not None and token.i > sentence.start:
                start = _run_start(doc, token.i, sentence.start)
                name = doc[start : token.i]
                taken = any(k in self.by_token for k in range(start, token.i))
                if start < token.i and not taken and not rb.country_of_name(name.text):
                    self._add_name(doc[start : token.i + 1], (token, facts), certain=True)

    def _noun_beside(self, token: Token) -> tuple[Token, dict] | None:
        """A place noun in apposition: "byen Khasan", "Vostotsjnyj kosmodrom"."""
        for child in token.children:
            common = child.text.islower() or child.is_sent_start  # not "Liv Øyen"
            if child.dep_ in ("APP", "DET", "ATR", "FLAT") and child.pos_ in ("NOUN", "PROPN"):
                facts = place_noun(child.lemma_, child.lower_) if common else None
                if facts and not (facts["feature"] == "country" and child.i > token.i):
                    return child, facts  # not "Novosibirsk landet" (landed)
        if token.dep_ == "APP":
            facts = place_noun(token.head.lemma_, token.head.lower_)
            if facts:
                return token.head, facts
        return None

    def _add_name(self, ent: Span, beside: tuple[Token, dict] | None, certain: bool = False) -> int:
        # "Vostotsjnyj kosmodrom": a flat name part the NER left out belongs to the name
        flat = [c.i + 1 for c in ent.root.children if c.dep_ == "FLAT" and _name_part(c)]
        end = max([ent.end, *flat])
        # "Kursk oblast", "Plesetsk kosmodrom": the place noun after the name is part of it
        if beside is None and end < len(self.doc) and not rb.country_of_name(ent.text):
            facts = _noun_after_name(self.doc[end])
            if facts is not None:
                beside = (self.doc[end], facts)
                end += 1
        ent = self.doc[ent.start : end]
        name = ent.text
        iso3 = rb.country_of_name(name)
        if iso3 and rb.is_country_name(name) and not rb.names_country_part(name):
            name = rb.country_name(iso3)  # "Russlands" is Russland
        key = normalise(name)
        index = self._keys.get(key)
        if index is None:
            index = len(self.items)
            place = Place(f"P{index + 1}", name, lookup=ent.text)
            self.items.append(place)
            self._keys[key] = index
            self._resolve(place, ent, beside)
        self._mention(index, ent.start, ent.end, "name")
        if certain or beside is not None:
            self.place_only.update(range(ent.start, ent.end))
        if beside is not None and beside[0].i in (ent.start - 1, ent.end):
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

    def _resolve(self, place: Place, ent: Span, beside: tuple[Token, dict] | None) -> None:
        iso3 = rb.country_of_name(ent.text)
        if iso3 and rb.names_country_part(ent.text):
            place.country = iso3  # "Skottland", "Wales": a region of the country it names
            place.how.append(f"a part of {rb.country_name(iso3)}")
            return
        if iso3 and rb.is_country_name(ent.text):
            place.country, place.feature = iso3, "country"
            place.how.append("a country name")
            return
        if iso3:
            place.country, place.feature = iso3, "city"
            place.how.append("a capital city")
            return
        facts = beside[1] if beside else _last_word_noun(ent)
        if facts:
            place.feature = facts["feature"]
            place.kind = facts.get("kind")
            place.how.append(f"place noun '{facts['noun']}'")
        start, _ = phrase_span(ent.root)
        phrase = list(self.doc[start : ent.end])
        if beside:
            phrase += list(beside[0].subtree)
        for token in phrase:
            country = rb.country_of_adjective(token.lemma_, token.lower_)
            if country:
                place.country = country
                place.how.append(f"nationality adjective '{token.text}'")
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
            return self._name_on_demand(token)
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

    def _name_on_demand(self, token: Token) -> int | None:
        """A place name the NER missed, in a locative phrase ("i Kyiv", "ankom Khasan")."""
        flat = [token, *(c for c in token.children if c.dep_ == "FLAT")]
        start, end = min(t.i for t in flat), max(t.i for t in flat) + 1
        ent = self.doc[start:end]
        known_here = normalise(ent.text) in self._keys  # named as a place before in the article
        if not (known_here or rb.country_of_name(ent.text) or rb.place_known(ent.text)):
            return None
        return self._add_name(ent, self._noun_beside(token))

    def contained_in(self, index: int, other: int) -> None:
        """Record that place ``index`` lies in place ``other`` (country inherited)."""
        place, container = self.items[index], self.items[other]
        if place.country is None and container.country:
            place.country = container.country
            place.how.append(f"lies in {container.name}")


def _after_locative(ent: Span) -> bool:
    """A name governed by a preposition of place or direction: "i Vladivostok", "fra
    Khasan", "mot Pokrovsk" (known actors are left to the actor side)."""
    head = ent.root.head
    words = place_words()
    prepositions = set(words["locative_prepositions"]) | set(words["direction_prepositions"])
    if ent.start > 0 and head.pos_ != "ADP":
        # the preposition right before the name, tagged otherwise ("nær" as an adjective)
        before = ent.doc[ent.start - 1]
        if before.lower_ in words["locative_prepositions"] and before.head.i == ent.root.i:
            return True
    if head.i == ent.root.i or head.pos_ != "ADP" or head.lower_ not in prepositions:
        return False
    return head.lower_ in words["locative_prepositions"] or not rb.known_name(ent.text)


def _last_word_noun(ent: Span) -> dict | None:
    last = ent[-1]
    if "-" in last.text[1:]:
        return _hyphen_place_noun(last.text)  # "Belgorod-regionen"
    if len(ent) < 2 or not last.text.islower():
        return None  # not "Liv Øyen"
    return place_noun(last.lemma_, last.lower_)


def _names_place(ent: Span) -> bool:
    return bool(rb.country_of_name(ent.text)) or _last_word_noun(ent) is not None


@dataclass(frozen=True)
class _AsCandidate:
    """A place resolved earlier in the article, as a neighbour for later lookups."""

    country: str | None
    lat: float | None
    lon: float | None
    feature: str | None


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and not token.is_punct and not token.like_num


def _name_part(token: Token) -> bool:
    """A word that continues a name: capitalised ("Jar"), or a place noun that follows
    names ("kosmodrom"), not a verb the parser took for one ("Novosibirsk landet")."""
    if _capitalised(token):
        return True
    facts = place_noun(token.lemma_, token.lower_)
    return bool(facts) and token.lower_ == facts["noun"] and facts["feature"] != "country"


def _noun_after_name(token: Token) -> dict | None:
    """A place noun that can follow a name as part of it, in its indefinite form:
    "oblast", "flybase", "sentrum" ("Kharkiv oblast"), not "grense" ("Polens grense")."""
    if token.pos_ not in ("NOUN", "PROPN", "ADJ") or not token.text.islower():
        return None
    facts = place_noun(token.lemma_, token.lower_)
    if facts is None or token.lower_ != facts["noun"]:
        return None
    if facts.get("kind") in ("border", *_BUILDINGS):
        return None  # "Polens grense", "Gatas parlament"
    if facts["feature"] in ("admin1", "facility", "region") or facts.get("after_name"):
        return facts
    return None


def _trimmed(ent: Span) -> Span:
    """The entity without words the NER ran on into: a verb and what follows it
    ("Hawaii ødela byen"), lower-case words that end it ("Siversk fra tre kanter";
    not "Rostov ved Don", "Oslo sentrum", "De forente arabiske emirater")."""
    text = ent.text
    if rb.country_of_name(text) or rb.known_name(text) or rb.place_known(text):
        return ent
    for token in ent[1:]:
        if token.pos_ in ("VERB", "AUX"):
            ent = ent.doc[ent.start : token.i]
            break
    last = ent[-1]
    ends_in_noun = last.text.islower() and place_noun(last.lemma_, last.lower_) is not None
    if len(ent) > 1 and _capitalised(ent[0]) and not (_name_part(last) or ends_in_noun):
        end = next(t.i for t in ent if not _capitalised(t))
        ent = ent.doc[ent.start : end]
    return ent


def _common_place_noun(token: Token) -> dict | None:
    """A place noun written as a common noun ("byen", sentence-first "Landsbyen")."""
    if token.pos_ not in ("NOUN", "PROPN") or not token.is_alpha:
        return None
    if not (token.text.islower() or token.is_sent_start):
        return None
    facts = place_noun(token.lemma_, token.lower_)
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


def _run_end(doc: Doc, start: int, stop: int, longest: int = 4) -> int:
    """Where the capitalised words from ``start`` end ("Kfar Aza", "Tsjasiv Jar")."""
    end = start
    while end < stop and end - start < longest and _capitalised(doc[end]):
        if end > start and doc[end].is_sent_start:
            break
        end += 1
    return end


def _run_start(doc: Doc, end: int, first: int, longest: int = 4) -> int:
    """Where the capitalised words before ``end`` start ("Nizjnij Novgorod oblast")."""
    start = end
    while start > first and end - start < longest and _capitalised(doc[start - 1]):
        start -= 1
    # a capitalised first word of the sentence that is not a name ("Store deler av …")
    while start < end and doc[start].is_sent_start and _not_a_name(doc[start]):
        start += 1
    return start


def _not_a_name(token: Token) -> bool:
    if token.pos_ in ("DET", "PRON", "ADP", "CCONJ", "SCONJ", "NUM", "ADV"):
        return True
    return rb.country_of_adjective(token.lemma_, token.lower_) is not None


def _flat_name(token: Token) -> Span:
    flat = [token, *(c for c in token.children if c.dep_ == "FLAT" and _capitalised(c))]
    return token.doc[min(t.i for t in flat) : max(t.i for t in flat) + 1]


def _inside_other_name(token: Token) -> bool:
    """A word of a person's name or of another name, unless a preposition inside that
    name governs it ("universitetet i Praha"; not "Norges Bank")."""
    if not token.ent_type_:
        return False
    if token.ent_type_ == "PER" or token.ent_iob_ == "B":
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


def _verb_keys(verb: Token) -> set[str]:
    """ "tok tilbake" -> {"ta", "ta tilbake"}; "nærmer seg" -> {"nærme", "nærme seg"}."""
    lemma = verb.lemma_.lower()
    keys = {lemma}
    for child in verb.children:
        if child.pos_ in ("ADP", "ADV", "PRON") and child.i > verb.i:
            keys.add(f"{lemma} {child.lower_}")
    return keys


def _in_place_frame(span: Span) -> bool:
    """A name whose words around make it a place: the object of "annektere", the
    subject of "ligge", "kampene om X", "nord for X" (``places.yaml``)."""
    objects, subjects, battles, compass = _frame_words()
    root = span.root
    head = root.head
    if head.i == root.i or root.pos_ != "PROPN":
        return False
    if root.dep_ == "DOBJ" and head.pos_ in ("VERB", "AUX"):
        return bool(_verb_keys(head) & objects)
    if root.dep_ == "SUBJ" and head.pos_ in ("VERB", "AUX") and span.label_ != "PER":
        return head.lemma_.lower() in subjects
    if root.dep_ == "PUTFYLL" and head.lower_ == "om":
        return head.head.lemma_.lower() in battles
    if root.dep_ == "PUTFYLL" and head.lower_ == "for":
        return head.head.lower_ in compass
    return False
