"""The actor knowledge base: who a name, a title or a collective noun in the news stands for.

The knowledge lives in YAML files next to this module (``data/actors/*.yaml``,
``data/titles.yaml``, ``data/actor_nouns.yaml``; ``data/actors/README.md``
documents every field and code). This module loads them once and answers
three questions:

- :func:`lookup` — which known actors can a name ("Kim Jong-Un", "Sjojgu",
  "Putins", "FNs sikkerhetsråd") denote, how sure is the match, and what
  role, sector and country did the actor have on a given date;
- :func:`resolve_title` — what role and sector a Norwegian title or role
  noun ("forsvarsminister", "guvernør", "talsperson") gives the unknown
  person it stands next to;
- :func:`actor_noun` — what collective actor a Norwegian common noun
  ("politiet", "opprørere", "militærtopper") denotes.

Matching normalises case, accents, hyphens and spaces, so "Kim Jong-Un",
"Kim Jong-un" and "kim jong un" are the same key, and "Støre" matches
"Store". A final genitive -s ("Putins", "NATOs") or apostrophe ("Hamas'")
is tried off. Scores are on a 0–1 scale:

=========  =====  ===========================================================
match      score  when
=========  =====  ===========================================================
exact      1.00   the canonical ``name``
alias      0.95   one of ``aliases_nb`` / ``aliases_en``
alias      0.60   one of ``generic_aliases`` (a common noun such as
                  "Regjeringen" that means this actor only by default)
surname    0.80   a short form from ``surnames`` held by this actor alone
surname    0.65   a short form that several actors share ("Khan", "Johnson")
fuzzy      ≤0.75  a near spelling (see :data:`FUZZY_MAX_EDITS`)
=========  =====  ===========================================================

Factors then apply: ×0.98 when the genitive had to be stripped or a
leading title ("guvernør Oleg Kozjemjako") was dropped; ×0.9 when an
all-capitals acronym matched in other case ("Ap" for "AP"); and, when a date
is given, ×0.85 for an actor with dated offices none of which covers that
date (``strict_date=True`` drops such actors instead).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from hendelse.resolve.text import strip_combining

DATA = Path(__file__).resolve().parent / "data"
ACTOR_DIR = DATA / "actors"

#: Entity types an actor may have (NorNE types plus GROUP for unnamed collectives).
TYPES = frozenset({"PER", "ORG", "GPE", "GROUP"})

#: Sector codes (CAMEO-style roles); ``data/actors/README.md`` explains each one.
SECTORS = frozenset(
    {
        "GOV", "MIL", "LEG", "JUD", "COP", "SPY", "OPP", "PTY", "REB", "SEP",
        "UAF", "CRM", "MED", "BUS", "EDU", "CVL", "LAB", "AGR", "HLH", "HRI",
        "REF", "REL", "NGO", "IGO", "ELI",
    }
)  # fmt: skip

#: Base scores by how a name matched (see the module docstring).
SCORE_EXACT = 1.0
SCORE_ALIAS = 0.95
SCORE_GENERIC = 0.6
SCORE_SURNAME = 0.8
SCORE_SURNAME_SHARED = 0.65
SCORE_FUZZY = 0.75
#: Factor for a genitive stripped or a leading title dropped.
FACTOR_REWRITE = 0.98
#: Factor for an all-capitals acronym matched in other case ("Ap" for "AP").
FACTOR_ACRONYM_CASE = 0.9
#: Factor for an actor none of whose dated offices covers the query date.
FACTOR_OUT_OF_OFFICE = 0.85

#: Fuzzy matching: a query (normalised) of at most N characters may differ from a
#: known form by at most this many edits (Levenshtein: insert, delete, substitute).
#: Queries shorter than :data:`FUZZY_MIN_LENGTH` are never matched fuzzily, and the
#: first letter must agree. Each edit beyond the first costs 0.1 of the score.
FUZZY_MAX_EDITS: tuple[tuple[int, int], ...] = ((8, 1), (14, 2), (10_000, 3))
FUZZY_MIN_LENGTH = 5

#: A compound's head must be at least this long and leave at least
#: :data:`COMPOUND_MIN_REST` letters in front of it ("militær|topp" no, "opprørs|leder" yes).
COMPOUND_MIN_HEAD = 4
COMPOUND_MIN_REST = 3

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc\u00b4`"), "'")
#: Both at once (neither maps to a key of the other): one pass over a name, not two.
_DASHES_AND_QUOTES = {**_DASHES, **_QUOTES}
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "ð": "d", "þ": "th", "ß": "ss",
                          "ł": "l", "đ": "d", "ı": "i", "œ": "oe"})  # fmt: skip
_DROP = re.compile(r"[.'\"«»()\[\]]")
_SPACE = re.compile(r"[\s\-_/]+")


# --------------------------------------------------------------------------- dates


def _bounds(value: str | None, *, end: bool) -> Date | None:
    """First (or with ``end``, last) day of an ISO date that may be partial."""
    if value is None:
        return None
    m = _ISO.match(value[:10])
    if not m:
        raise ValueError(f"not an ISO date: {value!r}")
    year, month, day = int(m[1]), m[2], m[3]
    if day:
        return Date(year, int(month), int(day))
    if month:
        if not end:
            return Date(year, int(month), 1)
        nxt = Date(year + 1, 1, 1) if month == "12" else Date(year, int(month) + 1, 1)
        return Date.fromordinal(nxt.toordinal() - 1)
    return Date(year, 12, 31) if end else Date(year, 1, 1)


def _iso(value: Any) -> str | None:
    """YAML gives dates as ``datetime.date`` and partial dates as strings: make both strings."""
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, Date) else str(value)
    _bounds(text, end=False)  # validates
    return text


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Office:
    """A role an actor held for a period (dates ISO, possibly partial; None = open)."""

    role: str
    sector: str
    start: str | None = None
    end: str | None = None
    country: str | None = None  # when the office is not the actor's own country's (NATO, EU)
    org: str | None = None  # id of the KB entry the office belongs to, if any
    note: str | None = None

    def covers(self, when: str) -> bool:
        """True when the office overlaps ``when`` (a day, or a whole month or year)."""
        lo, hi = _bounds(when, end=False), _bounds(when, end=True)
        start = _bounds(self.start, end=False)
        end = _bounds(self.end, end=True)
        assert lo is not None and hi is not None
        return (start is None or start <= hi) and (end is None or lo <= end)


@dataclass(frozen=True)
class Actor:
    """One entry of the knowledge base."""

    id: str
    name: str
    type: str
    country: str | None
    sector: str
    role: str | None
    aliases_nb: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    generic_aliases: tuple[str, ...] = ()
    offices: tuple[Office, ...] = ()
    note: str | None = None
    source: str = ""  # the data file it came from
    known_up_to: str | None = None

    @property
    def dated(self) -> bool:
        """True when the actor has offices with dates (the date of a query matters)."""
        return any(o.start or o.end for o in self.offices)

    def office_at(self, when: str | None) -> Office | None:
        """The office held at ``when``: the first listed that covers it, or None."""
        if when is None:
            return None
        return next((o for o in self.offices if o.covers(when)), None)

    def names(self) -> Iterable[str]:
        yield self.name
        yield from self.aliases_nb
        yield from self.aliases_en


@dataclass(frozen=True)
class Candidate:
    """A possible reading of a name: the actor, how sure, how found, and its office then."""

    actor: Actor
    score: float
    match: str  # "exact" | "alias" | "surname" | "fuzzy"
    matched: str  # the knowledge-base form that matched
    office: Office | None = None  # the office held at the query date, if one was given
    in_office: bool | None = None  # None: no date given, or the actor has no dated offices

    @property
    def role(self) -> str | None:
        return self.office.role if self.office else self.actor.role

    @property
    def sector(self) -> str:
        return self.office.sector if self.office else self.actor.sector

    @property
    def country(self) -> str | None:
        if self.office and self.office.country:
            return self.office.country
        return self.actor.country


@dataclass(frozen=True)
class TitleInfo:
    """What a title or role noun says about the person it names."""

    title: str  # the entry that matched ("minister" for "utviklingsminister")
    role: str
    sector: str | None  # None: take it from the organisation in context
    note: str | None = None


@dataclass(frozen=True)
class ActorNoun:
    """A common noun that denotes a collective actor ("politiet", "opprørere")."""

    lemma: str  # the entry that matched
    sector: str | None
    type: str  # GROUP or ORG
    role: str | None = None
    note: str | None = None


# --------------------------------------------------------------------------- normalising


def normalise(text: str) -> str:
    """The matching key of a name: lower case, no accents, no dots, hyphens as spaces.

    >>> normalise("Kim Jong-Un") == normalise("kim jong un") == normalise("Kim Jong-un")
    True
    >>> normalise("Jonas Gahr Støre"), normalise("Recep Tayyip Erdoğan")
    ('jonas gahr store', 'recep tayyip erdogan')
    """
    if text.isascii():
        # NFKC, NFKD and the tables' other characters leave ASCII as it is, and
        # casefold() is lower() there: the quick way for most names
        text = text.replace("`", "'").lower()
    else:
        text = unicodedata.normalize("NFKC", text)
        text = text.translate(_DASHES_AND_QUOTES).casefold().translate(_LETTERS)
        if not text.isascii():
            text = strip_combining(unicodedata.normalize("NFKD", text))
    text = _DROP.sub("", text)
    return _SPACE.sub(" ", text).strip()


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters)


def _clean_query(name: str) -> str:
    if name.isascii():  # NFKC leaves ASCII as it is, and "`" is its one quote to unify
        text = name.replace("`", "'")
    else:
        text = unicodedata.normalize("NFKC", name).translate(_DASHES_AND_QUOTES)
    return " ".join(text.split()).strip(' ,;:«»"')


def _genitive_variants(text: str) -> list[str]:
    """Forms without a genitive ending: "Putins" → "Putin", "Hamas'" → "Hamas", "NATO-s"."""
    out = []
    if text.endswith("'"):
        out.append(text[:-1])
    elif text.endswith("-s") and len(text) > 3:
        out.append(text[:-2])
    elif text.endswith("s") and len(text) > 3:
        out.append(text[:-1])
    return out


# --------------------------------------------------------------------------- loading


def _tuple(entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key) or ()
    if isinstance(value, str):
        value = [value]
    return tuple(str(v) for v in value)


def _office(raw: Mapping[str, Any], entry: Mapping[str, Any]) -> Office:
    return Office(
        role=str(raw.get("role") or entry.get("role") or ""),
        sector=str(raw.get("sector") or entry.get("sector")),
        start=_iso(raw.get("from")),
        end=_iso(raw.get("to")),
        country=raw.get("country"),
        org=raw.get("org"),
        note=raw.get("note"),
    )


def _actor(entry: Mapping[str, Any], source: str, known_up_to: str | None) -> Actor:
    if "offices" in entry:
        offices = tuple(_office(o, entry) for o in entry["offices"] or ())
    elif "valid_from" in entry or "valid_to" in entry:
        offices = (_office({"from": entry.get("valid_from"), "to": entry.get("valid_to")}, entry),)
    else:
        offices = ()
    kind = str(entry.get("type", ""))
    name = str(entry.get("name", ""))
    if "surnames" in entry:
        surnames = _tuple(entry, "surnames")
    elif kind == "PER" and " " in name:
        # Default for western-order names: the last word of the name and of each alias.
        forms = [name, *_tuple(entry, "aliases_nb"), *_tuple(entry, "aliases_en")]
        surnames = tuple(dict.fromkeys(f.split()[-1] for f in forms if " " in f))
    else:
        surnames = ()
    return Actor(
        id=str(entry.get("id", "")),
        name=name,
        type=kind,
        country=entry.get("country"),
        sector=str(entry.get("sector", "")),
        role=entry.get("role"),
        aliases_nb=_tuple(entry, "aliases_nb"),
        aliases_en=_tuple(entry, "aliases_en"),
        surnames=surnames,
        generic_aliases=_tuple(entry, "generic_aliases"),
        offices=offices,
        note=entry.get("note"),
        source=source,
        known_up_to=known_up_to,
    )


@cache
def load_actors() -> tuple[Actor, ...]:
    """Every actor in ``data/actors/*.yaml``, in file order."""
    actors: list[Actor] = []
    for path in sorted(ACTOR_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text("utf-8")) or {}
        known = _iso(doc.get("known_up_to"))
        for entry in doc.get("actors") or ():
            actors.append(_actor(entry, path.name, known))
    return tuple(actors)


@dataclass
class _Index:
    by_id: dict[str, Actor] = field(default_factory=dict)
    # normalised key -> list of (actor id, kind, the form as written)
    keys: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    #: keys fuzzy matching may find, by first letter (which must agree), in key order
    fuzzy_keys: dict[str, list[str]] = field(default_factory=dict)

    def add(self, form: str, actor: Actor, kind: str) -> None:
        key = normalise(form)
        if not key:
            return
        rows = self.keys.setdefault(key, [])
        if not any(a == actor.id and k == kind for a, k, _ in rows):
            rows.append((actor.id, kind, form))


_KIND_RANK = {"exact": 0, "alias": 1, "surname": 2, "generic": 3}


@cache
def _index() -> _Index:
    index = _Index()
    for actor in load_actors():
        index.by_id[actor.id] = actor
        index.add(actor.name, actor, "exact")
        for form in (*actor.aliases_nb, *actor.aliases_en):
            index.add(form, actor, "alias")
        for form in actor.surnames:
            index.add(form, actor, "surname")
        for form in actor.generic_aliases:
            index.add(form, actor, "generic")
    for rows in index.keys.values():
        # An actor whose key is both its name and a surname keeps the stronger kind only.
        best: dict[str, tuple[str, str, str]] = {}
        for row in rows:
            if row[0] not in best or _KIND_RANK[row[1]] < _KIND_RANK[best[row[0]][1]]:
                best[row[0]] = row
        rows[:] = list(best.values())
    for key, rows in index.keys.items():
        if len(key) >= 4 and any(kind != "generic" and not _is_acronym(f) for _, kind, f in rows):
            index.fuzzy_keys.setdefault(key[0], []).append(key)
    return index


def get(actor_id: str) -> Actor:
    """The actor with this id (KeyError when there is none)."""
    return _index().by_id[actor_id]


def all_actors() -> tuple[Actor, ...]:
    return load_actors()


# --------------------------------------------------------------------------- lookup


def _base_score(kind: str, key: str, index: _Index) -> float:
    if kind == "exact":
        return SCORE_EXACT
    if kind == "alias":
        return SCORE_ALIAS
    if kind == "generic":
        return SCORE_GENERIC
    holders = {a for a, k, _ in index.keys[key] if k == "surname"}
    return SCORE_SURNAME if len(holders) == 1 else SCORE_SURNAME_SHARED


def _match_kind(kind: str) -> str:
    return "alias" if kind == "generic" else kind


def _direct(form: str, key: str, factor: float, index: _Index) -> dict[str, tuple[float, str, str]]:
    """Actors whose forms have the key of ``form`` (its :func:`normalise`)."""
    hits: dict[str, tuple[float, str, str]] = {}
    for actor_id, kind, written in index.keys.get(key, ()):
        score = _base_score(kind, key, index) * factor
        if form != written and (_is_acronym(written) or _is_acronym(form)):
            score *= FACTOR_ACRONYM_CASE
        if actor_id not in hits or score > hits[actor_id][0]:
            hits[actor_id] = (score, _match_kind(kind), written)
    return hits


def _fuzzy(query: str, factor: float, index: _Index) -> dict[str, tuple[float, str, str]]:
    """Actors whose keys are a near spelling of ``query`` (a form's :func:`normalise`)."""
    hits: dict[str, tuple[float, str, str]] = {}
    if len(query) < FUZZY_MIN_LENGTH:
        return hits
    max_edits = next(edits for length, edits in FUZZY_MAX_EDITS if len(query) <= length)
    # only keys with the query's first letter are compared (a twentieth of them)
    found = process.extract(
        query,
        index.fuzzy_keys.get(query[0], []),
        scorer=Levenshtein.distance,
        score_cutoff=max_edits,
        limit=None,
    )
    for key, distance, _ in found:
        for actor_id, kind, written in index.keys[key]:
            if kind == "generic" or _is_acronym(written):
                continue
            score = (SCORE_FUZZY - 0.1 * (distance - 1)) * factor
            if kind == "surname":
                score *= 0.9
            if actor_id not in hits or score > hits[actor_id][0]:
                hits[actor_id] = (score, "fuzzy", written)
    return hits


def _merge(into: dict[str, tuple[float, str, str]], hits: dict[str, tuple[float, str, str]]):
    for actor_id, hit in hits.items():
        if actor_id not in into or hit[0] > into[actor_id][0]:
            into[actor_id] = hit


def _title_split(text: str) -> str | None:
    """The name after a leading title ("guvernør Oleg Kozjemjako" → "Oleg Kozjemjako")."""
    first, _, rest = text.partition(" ")
    if rest[:1].isupper() and resolve_title(first) is not None:
        return rest
    return None


def without_title(name: str) -> str | None:
    """What :func:`lookup` also reads of a name after a leading title ("guvernør Oleg
    Kozjemjako" → "Oleg Kozjemjako"), or None."""
    return _title_split(_clean_query(name))


def lookup(
    name: str,
    date: str | None = None,
    *,
    fuzzy: bool = True,
    strict_date: bool = False,
    limit: int = 10,
) -> list[Candidate]:
    """Known actors that ``name`` may denote, best first.

    ``date`` (ISO, may be partial: "2023-09-13", "2023-09", "2023", or a
    timestamp) selects each actor's office held then — so "Sjojgu" on
    2023-09-13 is the defence minister (MIL) and in 2025 the Security Council
    secretary (GOV) — and lowers actors none of whose dated offices covers
    it; with ``strict_date`` those are dropped. Fuzzy matching is tried only
    when nothing matches exactly.

    Answers are remembered per name and day: an article asks for the same
    few names many times, and the knowledge base does not change while a
    process runs.
    """
    when = date[:10] if date else None
    return list(_lookup(name, when, fuzzy, strict_date, limit))


@lru_cache(maxsize=100_000)
def _lookup(
    name: str, when: str | None, fuzzy: bool, strict_date: bool, limit: int
) -> tuple[Candidate, ...]:
    text = _clean_query(name)
    if not text:
        return ()
    index = _index()
    hits: dict[str, tuple[float, str, str]] = {}
    forms = [(text, 1.0)] + [(g, FACTOR_REWRITE) for g in _genitive_variants(text)]
    rest = _title_split(text)
    if rest:
        forms += [(rest, FACTOR_REWRITE)]
        forms += [(g, FACTOR_REWRITE**2) for g in _genitive_variants(rest)]
    keyed = [(form, normalise(form), factor) for form, factor in forms]  # once for both
    for form, key, factor in keyed:
        _merge(hits, _direct(form, key, factor, index))
    if not hits and fuzzy:
        for _, key, factor in keyed:
            _merge(hits, _fuzzy(key, factor, index))

    candidates: list[Candidate] = []
    for actor_id, (score, kind, written) in hits.items():
        actor = index.by_id[actor_id]
        office = actor.office_at(when)
        in_office: bool | None = None
        if when and actor.dated:
            in_office = office is not None
            if not in_office:
                if strict_date:
                    continue
                score *= FACTOR_OUT_OF_OFFICE
        candidates.append(Candidate(actor, round(score, 4), kind, written, office, in_office))
    candidates.sort(key=lambda c: (-c.score, c.actor.name))
    return tuple(candidates[:limit])


def direct_forms() -> Iterator[str]:
    """Every form :func:`lookup` matches without fuzzy matching: the normalised keys
    and the names as written. For an index of what it can answer at all
    (``extract/resolve_bridge.known_name``)."""
    for key, rows in _index().keys.items():
        yield key
        for _, _, written in rows:
            yield written


def best(name: str, date: str | None = None, **kwargs: Any) -> Candidate | None:
    """The best candidate for ``name``, or None."""
    found = lookup(name, date, limit=1, **kwargs)
    return found[0] if found else None


# --------------------------------------------------------------------------- titles and nouns


def _load_yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / name).read_text("utf-8")) or {}


@cache
def _compound_sectors() -> dict[str, str]:
    table = _load_yaml("actor_nouns.yaml").get("compound_sectors") or {}
    return {str(k).lower(): str(v) for k, v in table.items()}


def _compound_sector(rest: str) -> str | None:
    """The sector a compound's first part implies ("opprørs" → REB, "politi" → COP)."""
    table = _compound_sectors()
    rest = rest.rstrip("-")
    for form in (rest, rest[:-1] if rest.endswith(("s", "e")) else None):
        if form and form in table:
            return table[form]
    return None


def _compound_override(prefix_sector: str | None, head_sector: str | None) -> str | None:
    """The sector of a compound: its first part's, except that GOV only fills a gap.

    "opprørsstyrke" is REB, but "regjeringssoldat" stays MIL and
    "regjeringstalsmann" (head without a sector) becomes GOV.
    """
    if prefix_sector is None:
        return head_sector
    if prefix_sector == "GOV" and head_sector is not None:
        return head_sector
    return prefix_sector


def _word(text: str) -> str:
    if text.isascii():  # NFKC and the dashes leave ASCII as it is
        return text.strip().lower()
    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip().lower()


def _tails(table: Mapping[str, Any]) -> frozenset[str]:
    """The last :data:`COMPOUND_MIN_HEAD` letters of each listed word that long."""
    return frozenset(key[-COMPOUND_MIN_HEAD:] for key in table if len(key) >= COMPOUND_MIN_HEAD)


def _suffix_match(
    word: str, table: Mapping[str, Mapping[str, Any]], tails: frozenset[str]
) -> tuple[str, str] | None:
    """The longest listed head that ``word`` ends with, and the part in front of it
    (``tails``: the table's :func:`_tails`; most words end in none of them, and a
    word that does not cannot end with a head)."""
    if word[-COMPOUND_MIN_HEAD:] not in tails:
        return None
    for size in range(len(word) - COMPOUND_MIN_REST, COMPOUND_MIN_HEAD - 1, -1):
        head = word[-size:]
        entry = table.get(head)
        if entry is None or entry.get("compound") is False:
            continue
        if word in {str(x).lower() for x in entry.get("except") or ()}:
            return None
        return head, word[:-size]
    return None


@cache
def _titles() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    doc = _load_yaml("titles.yaml")
    table: dict[str, dict[str, Any]] = {}
    for title, spec in (doc.get("titles") or {}).items():
        table[str(title).lower()] = dict(spec)
        for form in spec.get("forms") or ():
            table.setdefault(str(form).lower(), dict(spec, _base=str(title).lower()))
    return table, {str(k).lower(): dict(v) for k, v in (doc.get("modifiers") or {}).items()}


@cache
def _title_tails() -> frozenset[str]:
    return _tails(_titles()[0])


#: How many words' answers :func:`resolve_title` and :func:`actor_noun` remember: the
#: extractor asks about every noun, by its lemma, its form and its stems, and the
#: same words recur (the data does not change while a process runs).
_WORDS_REMEMBERED = 65_536


@lru_cache(maxsize=_WORDS_REMEMBERED)
def resolve_title(noun_lemma: str) -> TitleInfo | None:
    """Role and sector for a title or role noun ("utenriksminister" → foreign minister, GOV).

    Tries the word as listed; then a modifier prefix ("vise", "eks-") in front
    of a known title; then the longest listed title the word ends with
    ("utviklingsminister" → "minister"), where a compound's first part may
    set the sector ("opprørsleder" → REB, see ``compound_sectors`` in
    ``actor_nouns.yaml``).
    """
    table, modifiers = _titles()
    word = _word(noun_lemma)
    if not word:
        return None
    spec = table.get(word)
    if spec is not None:
        return TitleInfo(
            spec.get("_base", word), spec["role"], spec.get("sector"), spec.get("note")
        )
    if word.startswith(tuple(modifiers)):  # one test for all first: hardly any word has one
        for prefix, mod in modifiers.items():
            if word.startswith(prefix) and len(word) - len(prefix) >= COMPOUND_MIN_REST:
                base = resolve_title(word[len(prefix) :].lstrip("-"))
                if base is not None:
                    role = f"{mod['role_prefix']} {base.role}"
                    sector = mod.get("sector") or base.sector
                    return TitleInfo(base.title, role, sector, base.note)
    found = _suffix_match(word, table, _title_tails())
    if found is None:
        return None
    head, rest = found
    spec = table[head]
    sector = _compound_override(_compound_sector(rest), spec.get("sector"))
    return TitleInfo(spec.get("_base", head), spec["role"], sector, spec.get("note"))


@cache
def _nouns() -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for lemma, spec in (_load_yaml("actor_nouns.yaml").get("nouns") or {}).items():
        table[str(lemma).lower()] = dict(spec)
        for form in spec.get("forms") or ():
            table.setdefault(str(form).lower(), dict(spec, _base=str(lemma).lower()))
    return table


@cache
def _noun_tails() -> frozenset[str]:
    return _tails(_nouns())


@lru_cache(maxsize=_WORDS_REMEMBERED)
def actor_noun(lemma: str) -> ActorNoun | None:
    """The collective actor a common noun denotes ("soldat" → MIL GROUP), or None.

    The lemma (or an inflected form listed under ``forms``) is looked up as
    it is, then by the longest listed noun of at least four letters that it
    ends with ("regjeringssoldat" → "soldat"), unless that entry says
    ``compound: false`` or lists the word under ``except``. The compound's
    first part may set the sector ("opprørsstyrke" → REB).
    """
    table = _nouns()
    word = _word(lemma)
    if not word:
        return None
    spec = table.get(word)
    if spec is not None:
        base = spec.get("_base", word)
        return ActorNoun(base, spec.get("sector"), spec["type"], spec.get("role"), spec.get("note"))
    found = _suffix_match(word, table, _noun_tails())
    if found is None:
        return None
    head, rest = found
    spec = table[head]
    sector = _compound_override(_compound_sector(rest), spec.get("sector"))
    base = spec.get("_base", head)
    return ActorNoun(base, sector, spec["type"], spec.get("role"), spec.get("note"))


@cache
def _role_words() -> tuple[frozenset[str], dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Every listed title and actor noun; those of at least :data:`COMPOUND_MIN_HEAD`
    letters by their last that many; the title modifiers."""
    listed = frozenset((*_titles()[0], *_nouns()))
    heads: dict[str, tuple[str, ...]] = {}
    for word in sorted(listed):
        if len(word) >= COMPOUND_MIN_HEAD:
            tail = word[-COMPOUND_MIN_HEAD:]
            heads[tail] = (*heads.get(tail, ()), word)
    return listed, heads, tuple(_titles()[1])


def may_be_role_word(text: str) -> bool:
    """Whether :func:`resolve_title` or :func:`actor_noun` may know ``text``.

    They know a listed word, one that starts with a title modifier, and one that
    ends with a listed word of at least four letters. Most nouns are none of these,
    and a set look-up, a dict look-up and two C-level string tests say so without
    their look-ups and loops.
    """
    listed, heads, modifiers = _role_words()
    word = _word(text)
    return (
        word in listed
        or word.startswith(modifiers)
        or word.endswith(heads.get(word[-COMPOUND_MIN_HEAD:], ()))
    )


# --------------------------------------------------------------------------- checking


def known_up_to() -> str | None:
    """The earliest "known up to" date of the data files: facts after it may be missing."""
    dates = sorted({a.known_up_to for a in load_actors() if a.known_up_to})
    return dates[0] if dates else None


def validate() -> list[str]:
    """Problems in the data files (an empty list when they are sound)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for a in load_actors():
        where = f"{a.source}: {a.id or a.name or '?'}"
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a.id):
            problems.append(f"{where}: id must be a lower-case slug")
        if a.id in seen:
            problems.append(f"{where}: id also used in {seen[a.id]}")
        seen[a.id] = a.source
        if not a.name:
            problems.append(f"{where}: no name")
        if a.type not in TYPES:
            problems.append(f"{where}: type {a.type!r} is not one of {sorted(TYPES)}")
        if a.sector not in SECTORS:
            problems.append(f"{where}: sector {a.sector!r} is unknown")
        for country in (a.country, *(o.country for o in a.offices)):
            if country is not None and not re.fullmatch(r"[A-Z]{3}", str(country)):
                problems.append(f"{where}: country {country!r} is not ISO alpha-3 or IGO")
        for o in a.offices:
            if o.sector not in SECTORS:
                problems.append(f"{where}: office sector {o.sector!r} is unknown")
            if not o.role:
                problems.append(f"{where}: an office without a role")
            if o.start and o.end and _bounds(o.start, end=False) > _bounds(o.end, end=True):  # type: ignore[operator]
                problems.append(f"{where}: office {o.role!r} ends before it starts")
            if o.org and o.org not in _index().by_id:
                problems.append(f"{where}: office org {o.org!r} is not an actor id")
        if a.surnames and a.type != "PER":
            problems.append(f"{where}: surnames on a non-person")
    return problems
