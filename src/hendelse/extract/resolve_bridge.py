"""What the extractor asks of ``hendelse.resolve``: countries, titles, actors.

The extractor needs a few answers while it reads ("is this word a country
adjective?", "is this noun a title?"), and resolves every entity at the
end. Keeping those questions here keeps the extractor independent of how
the knowledge base is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from hendelse.resolve import actors, countries, gazetteer

if TYPE_CHECKING:
    from hendelse.extract.mentions import Entity

#: How sure a knowledge-base match must be before an entity takes its facts:
#: a unique surname ("Putin", "Zelenskyj") scores 0.80, a shared one 0.65.
KB_THRESHOLD = 0.8


#: The questions below depend on their words alone (the data does not change
#: while a process runs) and an article asks the same ones many times, so
#: their answers are remembered.
_remembered = lru_cache(maxsize=65_536)


@dataclass(frozen=True)
class Title:
    role: str
    sector: str


@_remembered
def country_of_name(text: str) -> str | None:
    """ISO3 of a country or capital name ("Russland", "Moskva", "Nord-Koreas")."""
    if _letters(text) not in _letters_of_forms("names", "capitals"):
        return None  # most names are neither, and a set look-up says so
    match = countries.lookup_name(text) or countries.lookup_capital(text)
    return match.iso3 if match else None


@_remembered
def place_known(text: str, strong: bool = False) -> bool:
    """Whether a name is a known place: a country, a capital or a gazetteer entry
    (with ``strong``, one named so by its own or a Norwegian name, not an alternate)."""
    if country_of_name(text) is not None:
        return True
    found = gazetteer.resolve(text)
    return found is not None and not (strong and found.rank >= gazetteer.RANK_ALT)


def place_lookup(name: str, countries: tuple[str, ...], feature: str | None, others: list):
    """The gazetteer's best reading of a place name in an article, or None."""
    context = gazetteer.context_from(countries=countries, feature=feature, others=others)
    return gazetteer.resolve(name, context)


def names_country_part(text: str) -> bool:
    """A country-table name that the gazetteer has as a region of that country
    ("Skottland", "Wales": the United Kingdom as an actor, a region as a place)."""
    return countries.lookup_name(text) is not None and gazetteer.is_region_name(text)


def is_country_name(text: str) -> bool:
    """A country's name, possibly in the genitive ("Russlands"), not its capital."""
    return countries.lookup_name(text) is not None


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() and "_"
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def _letters(text: str) -> str:
    """The letters and digits of a name, folded as the knowledge base folds names
    (case, accents, "ø" as "o" …): no spaces, hyphens, dots or apostrophes."""
    if text.isascii():  # what normalise() leaves of ASCII, less its punctuation
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    return _NOT_ALNUM.sub("", actors.normalise(text))


def _with_genitive(forms: Iterable[str]) -> frozenset[str]:
    """:func:`_letters` of each form, also with a genitive "s"."""
    letters = {_letters(form) for form in forms}
    return frozenset(letters | {f"{form}s" for form in letters})


@cache
def _letters_of_forms(*kinds: str) -> frozenset[str]:
    """:func:`_letters` of every form the country tables of these kinds match, also
    with a genitive "s": whatever a table finds a text by (as written, case- and
    accent-folded, squashed, without edge punctuation or a genitive ending) leaves
    the text's :func:`_letters` one of these."""
    return _with_genitive(countries.table_forms(*kinds))


@cache
def _known_letters() -> frozenset[str]:
    """:func:`_letters` of every form the IGO list, the seats of power and the
    knowledge base match exactly, also with a genitive "s"."""
    return _with_genitive([*countries.table_forms("igos", "capitals"), *actors.direct_forms()])


@cache
def _known_endings() -> dict:
    """:func:`_known_letters` as a trie of their letters read backwards (the key ""
    marks where one ends)."""
    root: dict = {}
    for ending in _known_letters():
        node = root
        for char in reversed(ending):
            node = node.setdefault(char, {})
        node[""] = True
    return root


def _may_be_known(text: str) -> bool:
    """Whether ``text`` can be a name :func:`known_name` knows.

    The extractor asks about runs of words after names ("Trond Moi og den"),
    tens of thousands of different texts in an archive, and almost none is a
    name. Every way the tables match a text (as written, case- and
    accent-folded, squashed, without a genitive ending, or what follows a
    leading title) leaves the folded letters of a known form: the text's own,
    or those after its title, must be one of :func:`_known_letters`. A set
    look-up or two saves the full look-ups in every table.
    """
    known = _known_letters()
    if _letters(text) in known:
        return True
    rest = actors.without_title(text)
    return rest is not None and _letters(rest) in known


def _walk(node: dict, letters: str) -> dict | bool:
    """Walk ``letters`` backwards through :func:`_known_endings` from ``node``: True
    at the end of a known form, False off the trie, else the node reached."""
    for char in reversed(letters):
        node = node.get(char)
        if node is None:
            return False
        if "" in node:
            return True
    return node


class _Memo(dict):
    """The answers of ``function`` by key, read by subscript: for the questions asked of
    nearly every word of an article, where a dict hit costs no call (``lru_cache``
    costs one). Forgotten when it grows past ``limit`` keys, so that it stays bounded
    in a long ingest."""

    limit = 65_536

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        self[key] = answer = self.function(key)
        return answer


def _word_walk(word: str) -> tuple[str, dict | bool]:
    """A word's :func:`_letters` and where they lead from the trie's root. Per word,
    not per text: the same words recur in every article, their runs hardly ever."""
    letters = _letters(word)
    return letters, _walk(_known_endings(), letters)


#: ``word_walks[word]``: :func:`_word_walk`, its node False when no known name can
#: end with the word (what :func:`may_be_known_words` asks first).
word_walks = _Memo(_word_walk)


@cache
def _known_beginnings() -> frozenset[str]:
    """Every beginning of the forms in :func:`_known_letters` (some 34,000)."""
    return frozenset(form[:size] for form in _known_letters() for size in range(1, len(form) + 1))


#: ``may_start_known[word]``, for a word of ASCII letters with a space after it: whether
#: a name :func:`known_name` knows can begin with it and go on after the space. The
#: folded letters of such a text begin with the word in lower case, and a leading
#: title (what :func:`_may_be_known` also reads past) would be the word itself.
may_start_known = _Memo(
    lambda word: word.lower() in _known_beginnings() or actors.resolve_title(word) is not None
)


def may_be_known_words(words: Sequence[str]) -> bool:
    """Whether the letters of the text the words make end with a known form's (what
    :func:`_may_be_known` needs, a title only ever coming first), when its letters
    are their letters one after the other (true when each word after the first
    starts with an ASCII character or follows a space: folding goes character by
    character, and only non-ASCII characters after no space could combine with the
    one before). Mostly one remembered answer for the last word, no text built."""
    node = word_walks[words[-1]][1]
    for word in reversed(words[:-1]):
        if not isinstance(node, dict):
            break
        node = _walk(node, word_walks[word][0])
    return node is True


@_remembered
def known_name(text: str) -> bool:
    """A name the knowledge base, the IGO list or the seats of power know exactly
    ("Leger uten grenser", "Det hvite hus")."""
    if not _may_be_known(text):
        return False
    if igo_of_name(text) or (" " in text and countries.lookup_capital(text)):
        return True
    found = actors.lookup(text, None, fuzzy=False, limit=1)
    return bool(found) and found[0].match in ("exact", "alias") and found[0].score >= 0.95


@_remembered
def known_type(text: str) -> str:
    """PER or ORG: what the knowledge base's best match for a known name is."""
    found = actors.lookup(text, None, fuzzy=False, limit=1)
    return "PER" if found and found[0].actor.type == "PER" else "ORG"


@cache
def exact_forms() -> frozenset[str]:
    """Every text :func:`known_exactly` can know: the knowledge base's names as
    written (and their keys). The extractor asks about every lower-case word, and
    a set answers nearly all of them before a look-up."""
    return frozenset(actors.direct_forms())


@_remembered
def known_exactly(text: str) -> str | None:
    """PER/ORG when the knowledge base has this very form as a name ("dpa", "ntb")."""
    if text not in exact_forms():
        return None
    found = actors.lookup(text, None, fuzzy=False, limit=1)
    if found and found[0].matched == text and found[0].score >= 0.95:
        return "PER" if found[0].actor.type == "PER" else "ORG"
    return None


@_remembered
def known_surname(text: str) -> bool:
    """A surname the knowledge base gives to one person only ("Erdoğan", "Zelenskyj")."""
    found = actors.lookup(text, None, fuzzy=False, limit=1)
    return bool(found) and found[0].match == "surname" and found[0].score >= KB_THRESHOLD


@_remembered
def igo_of_name(text: str):
    if _letters(text) not in _letters_of_forms("igos"):
        return None  # as for country_of_name
    return countries.lookup_igo(text)


@_remembered
def country_of_adjective(lemma: str, form: str) -> str | None:
    match = countries.lookup_adjective(form) or countries.lookup_adjective(lemma)
    return match.iso3 if match else None


def inhabitants_of(word: str) -> str | None:
    """ISO3 of the country whose inhabitants a noun names ("palestinere" → PSE)."""
    match = countries.lookup_inhabitant(word)
    return match.iso3 if match else None


def country_name(iso3: str) -> str:
    match = countries.by_iso3(iso3)
    return match.name_nb if match else iso3


#: Definite and plural endings a title may carry when the lemmatiser leaves them
#: ("parlamentsmedlemmet", "diplomaten"), longest first.
_TITLE_ENDINGS = ("ene", "en", "et", "er", "a")


def _title_words(lemma: str, form: str) -> Iterator[str]:
    """What :func:`title` looks up, in order: the lemma, the form, and the form
    without a title ending ("medlemmet" -> "medlemm", "medlem")."""
    yield lemma
    yield form
    for ending in _TITLE_ENDINGS:
        stem = form[: -len(ending)]
        if form.endswith(ending) and len(stem) >= 4:
            yield stem
            if stem[-1] == stem[-2]:
                yield stem[:-1]


@_remembered
def title(lemma: str, form: str) -> Title | None:
    for word in _title_words(lemma, form):
        info = actors.resolve_title(word)
        if info is not None:
            return Title(info.role, info.sector)
    return None


@_remembered
def actor_noun(lemma: str, form: str):
    return actors.actor_noun(lemma) or actors.actor_noun(form)


def _is_title_or_actor_noun(key: tuple[str, str]) -> bool:
    """Whether a noun (lemma, form) is a title or an actor noun. Most nouns are
    neither, and :func:`actors.may_be_role_word` says so of each word looked up
    more cheaply than the look-ups."""
    if not any(map(actors.may_be_role_word, _title_words(*key))):
        return False
    return title(*key) is not None or actor_noun(*key) is not None


#: ``title_or_actor_noun[lemma, form]``: whether a noun is a title or an actor noun,
#: asked of every noun of an article (most are neither).
title_or_actor_noun = _Memo(_is_title_or_actor_noun)


def resolve_entity(entity: Entity, published: str | None) -> None:
    """Give an entity its country, sector, role and knowledge-base id.

    Tried in order: the knowledge base (people, organisations, media …),
    country and capital names (a country or capital that acts is its
    government), IGO names, and what the text says around the mentions
    (titles, nationality adjectives).
    """
    if entity.members or entity.country:
        return
    names = sorted(
        {m.text for m in entity.mentions if m.kind == "name"}, key=lambda n: (-len(n), n)
    )
    titled = [m.titled for m in entity.mentions if m.titled]  # "Kong Harald"
    for name in [*titled, *names]:
        candidates = actors.lookup(name, published, fuzzy=name not in titled)
        if name in titled:  # a title with a name is only an alias as a whole ("Kong Harald")
            candidates = [c for c in candidates if c.match in ("exact", "alias")]
        if candidates and candidates[0].score >= KB_THRESHOLD:
            best = candidates[0]
            actor = best.actor
            entity.kb = actor.id
            entity.name = actor.name
            entity.country = best.country
            entity.sector = best.sector
            entity.role = best.role
            if actor.type in ("PER", "ORG", "GPE"):
                entity.type = actor.type
            entity.how.append(
                f"knowledge base {actor.id} ({best.match} '{best.matched}', {best.score:.2f})"
            )
            return
    for name in names:
        igo = igo_of_name(name)
        if igo and countries.lookup_capital(name):
            # "Brussel krever …": a capital that stands for an organisation seated there
            entity.country, entity.sector, entity.name = "IGO", igo.sector, igo.name
            entity.how.append(f"'{name}' stands for {igo.name}")
            return
        iso3 = country_of_name(name)
        if iso3:
            entity.country, entity.type = iso3, "GPE"
            if countries.lookup_name(name):
                entity.name = country_name(iso3)  # "Russlands" → "Russland"
            # "Westminster" is the legislature, "Pentagon" the military, "Kreml" the government
            match = countries.lookup_any(name)
            entity.sector = (match.sector if match and match.sector else None) or "GOV"
            entity.how.append(
                f"'{name}' names a country, its capital or a seat of power: its {entity.sector}"
            )
            return
        igo = igo_of_name(name)
        if igo:
            entity.country = "IGO"
            entity.sector = igo.sector
            entity.name = igo.name
            entity.how.append(f"'{name}' is an international organisation")
            return
    for mention in entity.mentions:
        if mention.adjective_country:
            entity.country = mention.adjective_country
            entity.how.append(f"nationality adjective in '{mention.text}'")
            break
    if entity.type == "GROUP" and entity.sector is None:
        for mention in entity.mentions:
            noun = actor_noun(mention.text.split()[-1].lower(), mention.text.split()[-1].lower())
            if noun is not None:
                entity.sector = noun.sector
                entity.how.append(f"collective noun '{mention.text.split()[-1]}'")
                break


def entity_country(entity: Entity, published: str | None) -> str | None:
    if not entity.country and not entity.members:
        resolve_entity(entity, published)
    return entity.country if entity.country not in (None, "IGO") else None
