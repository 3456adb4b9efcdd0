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

PLACE_LABELS = {"LOC", "GPE_LOC", "GPE_ORG"}


def place_words() -> dict:
    return data_file("places.yaml")


@functools.cache
def _noun_endings() -> tuple[tuple[str, str], ...]:
    """(ending, place noun) for compound matching, longest noun first."""
    nouns = sorted(place_words()["nouns"], key=len, reverse=True)
    return tuple((v, n) for n in nouns for v in (n, n + "en", n + "et", n + "a"))


def place_noun(lemma: str, form: str) -> dict | None:
    """The place-noun facts for a word, matching compounds on their last part."""
    nouns = place_words()["nouns"]
    for word in (lemma.lower(), form.lower()):
        if word in nouns:
            return {"noun": word, **nouns[word]}
    for word in (lemma.lower(), form.lower()):
        for variant, noun in _noun_endings():
            if word.endswith(variant) and len(word) - len(variant) >= 3:
                return {"noun": noun, **nouns[noun]}
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

    def __init__(self, doc: Doc, content: list[Span]) -> None:
        self.doc = doc
        self.items: list[Place] = []
        self.by_token: dict[int, int] = {}
        self._keys: dict[str, int] = {}
        for sentence in content:
            for ent in sentence.ents:
                beside = self._noun_beside(ent.root)
                if ent.label_ in PLACE_LABELS or beside is not None or _names_place(ent):
                    self._add_name(ent, beside)
                elif _after_locative(ent) and rb.place_known(ent.text):
                    self._add_name(ent, None)  # "i Vladivostok", whatever the NER called it
            for token in sentence:
                # a place name the NER missed altogether, after a locative preposition
                if token.pos_ != "PROPN" or token.ent_type_ or token.i in self.by_token:
                    continue
                if token.dep_ == "PUTFYLL" and _after_locative(token.doc[token.i : token.i + 1]):
                    self._name_on_demand(token)

    def _noun_beside(self, token: Token) -> tuple[Token, dict] | None:
        """A place noun in apposition: "byen Khasan", "Vostotsjnyj kosmodrom"."""
        for child in token.children:
            if child.dep_ in ("APP", "DET", "ATR", "FLAT") and child.pos_ in ("NOUN", "PROPN"):
                facts = place_noun(child.lemma_, child.lower_)
                if facts:
                    return child, facts
        if token.dep_ == "APP":
            facts = place_noun(token.head.lemma_, token.head.lower_)
            if facts:
                return token.head, facts
        return None

    def _add_name(self, ent: Span, beside: tuple[Token, dict] | None) -> int:
        # "Vostotsjnyj kosmodrom": a flat name part the NER left out belongs to the name
        end = max([ent.end, *(c.i + 1 for c in ent.root.children if c.dep_ == "FLAT")])
        # "Kursk oblast", "Plesetsk kosmodrom": the place noun after the name is its head
        head = ent.root.head
        if (
            beside is None
            and head.i == end
            and head.pos_ == "NOUN"
            and not rb.country_of_name(ent.text)
        ):
            facts = place_noun(head.lemma_, head.lower_)
            if facts and facts["feature"] in ("admin1", "facility", "region"):
                end, beside = head.i + 1, (head, {**facts})
        ent = self.doc[ent.start : end]
        name = ent.text
        iso3 = rb.country_of_name(name)
        if iso3 and rb.is_country_name(name):
            name = rb.country_name(iso3)  # "Russlands" is Russland
        key = normalise(name)
        index = self._keys.get(key)
        if index is None:
            index = len(self.items)
            place = Place(f"P{index + 1}", name)
            self.items.append(place)
            self._keys[key] = index
            self._resolve(place, ent, beside)
        self._mention(index, ent.start, ent.end, "name")
        return index

    def _mention(self, index: int, start: int, end: int, kind: str) -> None:
        span = self.doc[start:end]
        self.items[index].mentions.append(
            PlaceMention(start, end, span.start_char, span.end_char, span.text, kind)
        )
        for i in range(start, end):
            self.by_token.setdefault(i, index)

    def resolve_all(self) -> None:
        """Look every named place up in the gazetteer, with what the article says about it.

        Countries and capitals first, then the rest with the places already
        found as neighbours ("Khasan" near Vladivostok, not in India).
        """
        order = sorted(range(len(self.items)), key=lambda i: self.items[i].feature != "country")
        found: list = []
        for index in order:
            place = self.items[index]
            if place.gazetteer_id or not any(m.kind == "name" for m in place.mentions):
                continue
            hints = (place.country,) if place.country else ()
            candidate = rb.place_lookup(place.name, hints, place.feature, found)
            if candidate is None:
                continue
            found.append(candidate)
            if place.country and candidate.country != place.country:
                place.how.append(f"gazetteer's {candidate.gazetteer_id} is not in {place.country}")
                continue
            place.country = candidate.country
            place.admin1 = candidate.admin1
            place.lat, place.lon = candidate.lat, candidate.lon
            place.feature = candidate.feature
            place.gazetteer_id = candidate.gazetteer_id
            place.how.append(f"gazetteer {candidate.gazetteer_id} ({candidate.why})")
        for place in self.items:
            if place.lat is None and not any(m.kind == "name" for m in place.mentions):
                self._locate_by_setting(place)

    def _locate_by_setting(self, place: Place) -> None:
        """A place noun ("parlamentet", "ambassaden") gets the point of the town it is in.

        The named place it lies in ("utenfor parlamentet i Tbilisi"), else the
        latest town or region named before it; its feature becomes that
        place's, so the precision is not overstated.
        """
        first = min(m.start for m in place.mentions)
        best = None
        for other in self.items:
            if other.lat is None or other.feature not in ("city", "admin1", "facility"):
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
        if (
            iso3
            and rb.country_name(iso3)
            and normalise(rb.country_name(iso3)) == normalise(ent.text)
        ):
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
    if head.i == ent.root.i or head.pos_ != "ADP" or head.lower_ not in prepositions:
        return False
    return head.lower_ in words["locative_prepositions"] or not rb.known_name(ent.text)


def _last_word_noun(ent: Span) -> dict | None:
    last = ent[-1]
    return place_noun(last.lemma_, last.lower_) if len(ent) > 1 else None


def _names_place(ent: Span) -> bool:
    return bool(rb.country_of_name(ent.text)) or _last_word_noun(ent) is not None
