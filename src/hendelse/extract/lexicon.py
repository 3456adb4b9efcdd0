"""The Norwegian event lexicon: YAML files in ``data/lexicon/`` (see its README).

Each entry names a word or construction, the PLOVER category it signals and
where its actor and recipient are found. Entries are matched on the
pipeline's lemma; when the lemmatizer gets a word wrong, regular Norwegian
inflection of the entry's lemma is tried on the word form instead (and the
explanation says so).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Generic, TypeVar

import yaml

DATA = Path(str(resources.files("hendelse.extract").joinpath("data")))
LEXICON_DIR = DATA / "lexicon"

ROLE_SOURCE = re.compile(
    r"^(subject|object|iobject|possessor|support_subject|clause_subject|condition_subject"
    r"|host|pp:[a-zæøå]+)$"
)
DEFAULT_ROLES = {
    "verb": {"actor": ["subject"], "recipient": ["object"]},
    "noun": {
        "actor": ["possessor", "pp:fra", "support_subject"],
        "recipient": ["pp:mot", "pp:med", "pp:på", "pp:til"],
    },
}


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and entry."""


@dataclass(frozen=True)
class Category:
    name: str
    quad: str
    modes: tuple[str, ...]
    cameo: str
    description: str = ""


@dataclass(frozen=True)
class Entry:
    """One lexicon entry (one line of evidence for one PLOVER category)."""

    category: str
    lemma: str
    pos: str
    mode: str | None
    context: tuple[str, ...]
    cameo: str
    actor: tuple[str, ...]
    recipient: tuple[str, ...]
    symmetric: bool = False
    compound: bool = False
    note: str = ""
    example: str = ""
    expect: dict = field(default_factory=dict, hash=False, compare=False)
    source: str = ""  # "consult.yaml:12" for explanations

    # cached (in the instance's dict, which a frozen dataclass allows): the event
    # finder asks for them for every candidate word
    @functools.cached_property
    def words(self) -> list[str]:
        return self.lemma.split()

    @functools.cached_property
    def head(self) -> str:
        return self.words[0]

    @functools.cached_property
    def rest(self) -> list[str]:
        return self.words[1:]

    @property
    def reciprocal(self) -> bool:
        """ "møtes", "enes": an s-verb that is not a passive."""
        return self.pos == "verb" and self.head.endswith("s") and len(self.head) > 4

    @property
    def key(self) -> str:
        return f"{self.category.lower()}:{self.lemma}"


def _categories(path: Path) -> dict[str, Category]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = {}
    for name, spec in raw["categories"].items():
        categories[name] = Category(
            name=name,
            quad=spec["quad"],
            modes=tuple(spec.get("modes") or ()),
            cameo=str(spec.get("cameo", "")),
            description=spec.get("description", ""),
        )
    return categories


def _entry(raw: dict, category: Category, where: str) -> Entry:
    if not isinstance(raw, dict) or "lemma" not in raw:
        raise LexiconError(f"{where}: an entry needs at least 'lemma'")
    if not isinstance(raw["lemma"], str):
        raise LexiconError(
            f"{where}: lemma {raw['lemma']!r} is not text; quote it (YAML reads true/no/on "
            "as booleans)"
        )
    pos = raw.get("pos", "verb")
    if pos not in DEFAULT_ROLES:
        raise LexiconError(f"{where}: pos must be 'verb' or 'noun', not {pos!r}")
    mode = raw.get("mode")
    if mode is not None and category.modes and mode not in category.modes:
        raise LexiconError(
            f"{where}: mode {mode!r} is not a {category.name} mode ({', '.join(category.modes)})"
        )
    roles = {}
    for role in ("actor", "recipient"):
        sources = raw.get(role, DEFAULT_ROLES[pos][role]) or []
        if isinstance(sources, str):
            sources = [sources]
        for source in sources:
            if not ROLE_SOURCE.match(source):
                raise LexiconError(f"{where}: unknown {role} source {source!r} (see README)")
        roles[role] = tuple(sources)
    context = raw.get("context") or []
    return Entry(
        category=category.name,
        lemma=" ".join(str(raw["lemma"]).lower().split()),
        pos=pos,
        mode=mode,
        context=tuple([context] if isinstance(context, str) else context),
        cameo=str(raw.get("cameo") or category.cameo),
        actor=roles["actor"],
        recipient=roles["recipient"],
        symmetric=bool(raw.get("symmetric", False)),
        compound=bool(raw.get("compound", False)),
        note=raw.get("note", "") or "",
        example=raw.get("example", "") or "",
        expect=raw.get("expect") or {},
        source=where,
    )


# Regular inflection, used only when the lemmatizer's lemma matches no entry.
_VERB_ENDINGS = ("", "r", "er", "et", "te", "t", "de", "d", "dde", "s", "es", "tes", "des", "a")
_NOUN_ENDINGS = ("", "en", "et", "a", "er", "r", "ene", "ne", "s", "ens", "ets", "enes", "ers")


@functools.cache
def inflections(lemma: str, pos: str) -> frozenset[str]:
    """Regular Bokmål forms of a lemma ("møte" → møtet, møter, møtene …).

    Cached: the compound search asks for the same entries' forms for every
    unknown word.
    """
    stems = {lemma}
    if lemma.endswith("e") and len(lemma) > 3:
        stems.add(lemma[:-1])
    forms: set[str] = set()
    endings = _VERB_ENDINGS if pos == "verb" else _NOUN_ENDINGS
    for stem in stems:
        forms.update(stem + ending for ending in endings)
        # "uttrykke" → "uttrykte", "uttrykt": a double consonant is simplified before -t
        if pos == "verb" and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouyæøå":
            forms.update(stem[:-1] + ending for ending in ("te", "t", "tes"))
    return frozenset(forms)


def word_tails(words: Iterable[str]) -> frozenset[str]:
    """The last three letters of each word (all of a shorter one), for :func:`may_end_in`."""
    return frozenset(word[-3:] for word in words)


def may_end_in(word: str, tails: frozenset[str]) -> bool:
    """Whether ``word`` ends as one of the words of ``tails`` (:func:`word_tails`)
    does; if it ends in one of them, it does. An exact pre-check that spares most
    words a loop over their suffixes."""
    return word[-3:] in tails or word[-2:] in tails or word[-1:] in tails


class Lexicon:
    """All entries, indexed by the first word of their lemma."""

    #: Most (lemma, form) answers kept by :meth:`candidates` before it starts afresh.
    CACHE_LIMIT = 100_000

    def __init__(self, categories: dict[str, Category], entries: list[Entry]) -> None:
        self.categories = categories
        self.entries = entries
        self._found: dict[tuple[str, str], tuple[tuple[Entry, str], ...]] = {}
        self._needs: dict[tuple[str, str], tuple[list[str], ...] | None] = {}
        self.by_lemma: dict[str, list[Entry]] = {}
        self.by_form: dict[str, list[Entry]] = {}
        self.compounds: list[Entry] = []
        for entry in entries:
            self.by_lemma.setdefault(entry.head, []).append(entry)
            for form in inflections(entry.head, entry.pos):
                self.by_form.setdefault(form, []).append(entry)
            if entry.compound:
                self.compounds.append(entry)
        self.compounds.sort(key=lambda e: -len(e.head))
        # the compound entries a word could end in, by that ending (head or an
        # inflection of it), so the compound search looks only at those
        self._by_ending: dict[str, list[int]] = {}
        for rank, entry in enumerate(self.compounds):
            for ending in {entry.head, *inflections(entry.head, entry.pos)}:
                self._by_ending.setdefault(ending, []).append(rank)
        self._ending_tails = word_tails(self._by_ending)

    def __len__(self) -> int:
        return len(self.entries)

    def candidates(self, lemma: str, form: str) -> list[tuple[Entry, str]]:
        """Entries whose head word this token could be, with how it matched.

        The answer depends on the lemma and form alone and the lexicon does
        not change, so it is remembered: most words of an article were seen
        before, and the compound search tries every compound entry.
        """
        key = (lemma.lower(), form.lower())
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= self.CACHE_LIMIT:
                self._found.clear()
            found = self._found[key] = tuple(self._candidates(*key))
        return list(found)

    def by_lemma_alone(self, lemma: str) -> bool:
        """Whether a word with this lemma has candidates whatever its form: an entry's
        head, or a compound of one. ``candidates(lemma, form)`` is not empty exactly
        when this or :meth:`by_form_alone` holds, so each can be decided (and
        remembered) per distinct lemma and per distinct form."""
        lemma = lemma.lower()
        # a compound's head after at least three letters (the endings index them all)
        return lemma in self.by_lemma or (
            may_end_in(lemma, self._ending_tails)
            and any(
                self.compounds[rank].head == lemma[i:]
                for i in range(3, len(lemma))
                for rank in self._by_ending.get(lemma[i:], ())
            )
        )

    def by_form_alone(self, form: str) -> bool:
        """Whether a word of this form has candidates whatever its lemma: a strong past
        of a verb entry, an inflection of an entry, or a compound of one (as
        :meth:`_candidates` tries them)."""
        form = form.lower()
        strong = irregular_verbs().get(form)
        if strong and any(entry.pos == "verb" for entry in self.by_lemma.get(strong, [])):
            return True
        if form in self.by_form:
            return True
        if not may_end_in(form, self._ending_tails):
            return False
        # an ending after at least three letters is the head or an inflection of a
        # compound entry; an inflection counts only when the form does not end in the
        # head, which must then leave three letters itself
        for i in range(3, len(form)):
            for rank in self._by_ending.get(form[i:], ()):
                head = self.compounds[rank].head
                if not form.endswith(head) or len(form) - len(head) >= 3:
                    return True
        return False

    def needs(self, lemma: str, form: str) -> tuple[list[str], ...] | None:
        """The other words each of the token's candidate entries is built with ("ha
        møte" needs "møte"), or None when one of them is a single word. Remembered as
        :meth:`candidates` is: a trigger whose entries all need a word its article
        lacks is passed over with this answer alone."""
        key = (lemma, form)
        if key not in self._needs:
            if len(self._needs) >= self.CACHE_LIMIT:
                self._needs.clear()
            rests = tuple(entry.rest for entry, _ in self.candidates(lemma, form))
            self._needs[key] = None if not all(rests) else rests
        return self._needs[key]

    def _candidates(self, lemma: str, form: str) -> list[tuple[Entry, str]]:
        found = [(e, "lemma") for e in self.by_lemma.get(lemma, [])]
        strong = irregular_verbs().get(form)
        if strong and strong != lemma:
            # "angrep" is also the past of "angripe": both readings are candidates
            found += [(e, "form") for e in self.by_lemma.get(strong, []) if e.pos == "verb"]
        if not found:
            found = [(e, "form") for e in self.by_form.get(form, [])]
        if not found:
            for entry in self._compounds_ending(lemma, form):
                for word, how in ((lemma, "compound"), (form, "compound-form")):
                    rest = word[: -len(entry.head)] if word.endswith(entry.head) else None
                    if how == "compound-form" and rest is None:
                        for inflected in inflections(entry.head, entry.pos):
                            if word.endswith(inflected) and len(word) - len(inflected) >= 3:
                                rest = word[: -len(inflected)]
                                break
                    if rest is not None and len(rest) >= 3:
                        found.append((entry, how))
                        break
                if found:
                    break
        return found

    def _compounds_ending(self, *words: str) -> list[Entry]:
        """Compound entries whose head or one of its inflections ends one of
        ``words``, in the search order of :attr:`compounds`.

        Only endings after the first three letters are looked up: a compound
        needs at least three letters before its head (:meth:`_candidates`), and
        only of words that end as some ending does (:func:`may_end_in`)."""
        ranks = {
            rank
            for word in words
            if may_end_in(word, self._ending_tails)
            for i in range(3, len(word))
            for rank in self._by_ending.get(word[i:], ())
        }
        return [self.compounds[rank] for rank in sorted(ranks)]


W = TypeVar("W", bound=Hashable)


class WordMemo(Generic[W]):
    """A test on words, remembered per process and asked for a whole article's
    distinct words at once: in steady state the answer is two set operations (no
    Python loop over the words). Forgets everything past ``limit`` words, so that
    a long ingest's vocabulary does not pile up in a worker."""

    def __init__(self, test: Callable[[W], bool], limit: int = 100_000) -> None:
        self.test = test
        self.limit = limit
        self._seen: set[W] = set()
        self._passed: set[W] = set()

    def among(self, words: set[W]) -> set[W]:
        """The words that pass the test."""
        new = words - self._seen
        if new:
            if len(self._seen) + len(new) > self.limit:
                self._seen.clear()
                self._passed.clear()
                new = words
            self._seen |= new
            self._passed |= {word for word in new if self.test(word)}
        return words & self._passed


@functools.cache
def data_file(name: str) -> dict:
    """One of the extractor's language data files (``data/NAME``), read once per process."""
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@functools.cache
def irregular_verbs() -> dict[str, str]:
    """Strong and irregular past forms → infinitive (``data/irregular_verbs.yaml``)."""
    raw = data_file("irregular_verbs.yaml")
    return {str(k).lower(): str(v).lower() for k, v in raw["forms"].items()}


def load_lexicon(folder: Path | None = None) -> Lexicon:
    """Read ``plover.yaml`` and every lexicon file; errors name file and entry."""
    return _load(str(folder or LEXICON_DIR))


@functools.cache
def _load(folder: str) -> Lexicon:
    path = Path(folder)
    categories = _categories(path.parent / "plover.yaml")
    entries: list[Entry] = []
    for file in sorted(path.glob("*.yaml")):
        name = file.stem.upper()
        if name not in categories:
            raise LexiconError(f"{file}: no PLOVER category {name} in plover.yaml")
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        if isinstance(raw, dict):
            raw = raw.get("entries", [])
        for index, item in enumerate(raw, 1):
            entries.append(_entry(item, categories[name], f"{file.name}#{index}"))
    return Lexicon(categories, entries)
