"""Reading the Norwegian Dependency Treebank (NDT) parse.

NDT makes the finite verb the head of its clause: auxiliaries and modals
govern the main verb (``INFV``), the subject hangs on the finite verb, and
prepositions govern their complement (``PUTFYLL``). These helpers turn that
into the notions the extractor needs: a verb's clause, its logical subject
and object (passives swapped), conjuncts, prepositional complements, and
the words that modify the clause (modals, negation, adverbs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from hendelse.extract.tokens import TokenTable

#: Auxiliary and modal verbs: they head the main verb in NDT.
AUXILIARIES = frozenset(
    {"være", "ha", "bli", "kunne", "skulle", "ville", "måtte", "burde", "få", "tørre"}
)


def is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_ == "verb"


def is_verb_at(tokens: TokenTable, i: int) -> bool:
    """:func:`is_verb` of the token at ``i``, read from the token table."""
    return tokens.pos[i] in ("VERB", "AUX") or tokens.tag_of(i) == "verb"


def is_clause_head(token: Token) -> bool:
    """A verb that starts a clause: finite, or an infinitive after "å"."""
    if not is_verb(token):
        return False
    # a main verb under an auxiliary is in the auxiliary's clause
    return not (token.dep_ == "INFV" and is_verb(token.head) and token.head.lower_ != "å")


def is_clause_head_at(tokens: TokenTable, i: int) -> bool:
    """:func:`is_clause_head` of the token at ``i``, read from the token table."""
    if not is_verb_at(tokens, i):
        return False
    head = tokens.head[i]
    return not (tokens.dep[i] == "INFV" and is_verb_at(tokens, head) and tokens.lower[head] != "å")


#: Conjunctions that open a subordinate clause, which a clause does not take in.
SUBORDINATORS = ("at", "om", "som")


def _outside(doc: Doc) -> Callable[[int], bool]:
    """Whether the token at an offset starts a clause of its own (parse)."""

    def outside(i: int) -> bool:
        token = doc[i]
        return is_clause_head(token) or (token.lower_ in SUBORDINATORS and token.dep_ == "SBU")

    return outside


def _outside_at(tokens: TokenTable) -> Callable[[int], bool]:
    """:func:`_outside`, read from the token table."""

    def outside(i: int) -> bool:
        return is_clause_head_at(tokens, i) or (
            tokens.lower[i] in SUBORDINATORS and tokens.dep[i] == "SBU"
        )

    return outside


def _clause_walk(
    verbs: list[int], children: Callable[[int], Sequence[int]], outside: Callable[[int], bool]
) -> list[int]:
    """The verbs and the words below them, down to where another clause starts."""
    members = set(verbs)
    stack = [c for verb in verbs for c in children(verb) if c not in members]
    found = list(verbs)
    while stack:
        i = stack.pop()
        if i in members or outside(i):
            continue
        found.append(i)
        stack.extend(children(i))
    return found


@dataclass
class VerbGroup:
    """A main verb with the auxiliaries above it ("skal ha møtt": skal → ha → møtt)."""

    main: Token
    auxiliaries: list[Token] = field(default_factory=list)  # outermost first
    _clause: tuple[int, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def top(self) -> Token:
        return self.auxiliaries[0] if self.auxiliaries else self.main

    @property
    def tokens(self) -> list[Token]:
        return [*self.auxiliaries, self.main]

    @functools.cached_property
    def clause(self) -> tuple[Token, ...]:
        """The tokens of the clause the group heads (:func:`clause_tokens`)."""
        doc = self.main.doc
        return tuple(doc[i] for i in self.clause_offsets())

    def clause_offsets(self, table: TokenTable | None = None) -> tuple[int, ...]:
        """The offsets of :attr:`clause`, found once: the location, factuality and time
        steps all read an event's clause. Read from the token ``table`` when the first
        caller has one (no ``Token`` made), else from the parse."""
        if self._clause is None:
            verbs = [t.i for t in self.tokens]
            if table is not None:
                found = _clause_walk(verbs, table.children.__getitem__, _outside_at(table))
            else:
                doc = self.main.doc
                found = _clause_walk(verbs, lambda i: [c.i for c in doc[i].children], _outside(doc))
            self._clause = tuple(found)
        return self._clause

    @property
    def aux_lemmas(self) -> list[str]:
        return [t.lemma_.lower() for t in self.auxiliaries]

    @functools.cached_property
    def passive(self) -> bool:
        """s-passive ("siteres") or bli/være + participle ("ble tatt imot").

        Found once per group: each role source of an event asks again."""
        if "Pass" in feature(self.main, "Voice"):
            return True
        lemma = self.main.lemma_.lower()
        # "siteres" without a Voice feature: the s-form of a verb whose lemma lacks the s
        if self.main.lower_.endswith("s") and lemma != self.main.lower_ and not lemma.endswith("s"):
            return lemma not in RECIPROCAL_S_VERBS
        return is_participle(self.main) and bool({"bli", "være"} & set(self.aux_lemmas[-1:]))

    @property
    def tense(self) -> str:
        """past, present or future, from the finite verb and modals."""
        lemmas = self.aux_lemmas
        top = self.top
        if "Past" in feature(top, "Tense") and not ({"skulle", "ville"} & set(lemmas[:1])):
            return "past"
        if lemmas[:1] in (["skulle"], ["ville"]):
            # "skal ha + participle" is hearsay about the past, not the future
            if len(lemmas) > 1 and lemmas[1] == "ha" and is_participle(self.main):
                return "past"
            return "future"
        if lemmas[:1] == ["ha"] or (lemmas[:1] == ["være"] and is_participle(self.main)):
            return "past"
        return "present"


#: Verbs whose lemma ends in -s or whose s-form is reciprocal, not passive.
RECIPROCAL_S_VERBS = frozenset({"møtes", "enes", "sloss", "samles", "ses", "treffes"})


def is_participle(token: Token) -> bool:
    return "Part" in feature(token, "VerbForm") or token.tag_ == "adj"


def feature(token: Token, field: str) -> tuple[str, ...]:
    """``token.morph.get(field)``: read from the analysis's text, as
    ``MorphAnalysis.get`` takes ten times as long as ``str(token.morph)``."""
    return _features(str(token.morph)).get(field, ())


@functools.lru_cache(maxsize=4096)  # a tagger's analyses number in the hundreds
def _features(morph: str) -> dict[str, tuple[str, ...]]:
    """The values of each field of a morphological analysis ("Number=Sing|Voice=Pass"),
    as ``MorphAnalysis.get`` gives them: a field's values are the text after its "=",
    split at commas ("PronType=Int,Rel" gives "Int" and "Rel")."""
    values: dict[str, tuple[str, ...]] = {}
    for feat in morph.split("|") if morph else ():
        field, value = feat.split("=", 1)
        values[field] = (*values.get(field, ()), *value.split(","))
    return values


def verb_group(token: Token) -> VerbGroup:
    """The auxiliaries above a main verb, climbing ``INFV`` links."""
    auxiliaries: list[Token] = []
    current = token
    while (
        current.dep_ == "INFV"
        and current.head.i != current.i
        and is_verb(current.head)
        and current.head.lemma_.lower() in AUXILIARIES
    ):
        current = current.head
        auxiliaries.insert(0, current)
    return VerbGroup(token, auxiliaries)


def group_from_top(token: Token) -> VerbGroup:
    """The verb group an auxiliary heads: "ble doblet" from "ble", "skal ha møtt" from "skal"."""
    auxiliaries: list[Token] = []
    current = token
    while current.lemma_.lower() in AUXILIARIES:
        below = [c for c in current.children if c.dep_ == "INFV" and is_verb(c)]
        if not below:
            break
        auxiliaries.append(current)
        current = below[0]
    return VerbGroup(current, auxiliaries)


def children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def group_children(group: VerbGroup, *deps: str) -> list[Token]:
    """Children with the given relations of any verb in the group."""
    found: list[Token] = []
    for verb in group.tokens:
        found.extend(c for c in verb.children if c.dep_ in deps and c not in group.tokens)
    return found


def subject(group: VerbGroup) -> Token | None:
    """The grammatical subject, looking through coordination and relative clauses."""
    found = group_children(group, "SUBJ")
    if found:
        return found[0]
    top = group.top
    # "… og ble tatt imot": a coordinated verb shares the first verb's subject
    if top.dep_ == "KOORD" and is_verb(top.head):
        return subject(verb_group(top.head))
    # "personer som nektet …": the relative clause's subject is the noun it modifies
    if top.dep_ == "ATR" and any(c.lower_ == "som" for c in top.children):
        return top.head
    # "… for å delta": the controller of an infinitive is the governing clause's subject,
    # or its object after verbs like "beskylde X for å ha bombet" (object control)
    if top.head.lower_ == "å" and top.head.head.i != top.head.i:
        governor = top.head.head
        while governor.pos_ == "ADP" and governor.head.i != governor.i:
            governor = governor.head
        if is_verb(governor):
            outer = verb_group(governor)
            if outer.main.lemma_.lower() in object_control_verbs():
                found = objects(outer)
                if found:
                    return found[0]
            return subject(outer)
    return None


@functools.cache
def object_control_verbs() -> frozenset[str]:
    """Verbs whose object does what their infinitive says (``data/support_verbs.yaml``)."""
    from hendelse.extract.lexicon import data_file

    raw = data_file("support_verbs.yaml")
    return frozenset(raw["object_control"])


def objects(group: VerbGroup, dep: str = "DOBJ") -> list[Token]:
    return [t for t in group_children(group, dep) if t.pos_ != "PART" and t.lower_ != "å"]


def logical_subject(group: VerbGroup) -> Token | None:
    """Who does it: the subject, or the "av"-agent of a passive."""
    if group.passive:
        agents = preposition_objects(group.tokens, "av", clause_of=group)
        return agents[0] if agents else None
    return subject(group)


def logical_object(group: VerbGroup) -> Token | None:
    """Who it is done to: the direct object, or the subject of a passive."""
    if group.passive:
        return subject(group)
    found = objects(group)
    return found[0] if found else None


def conjuncts(token: Token) -> list[Token]:
    """The token and the nominal words coordinated with it ("Kim og Putin")."""
    found = [token]
    for child in token.children:
        if child.dep_ in ("KOORD", "KOORD-ELL") and not is_verb(child):
            found.extend(conjuncts(child))
    return found


def preposition_objects(
    heads: list[Token], preposition: str, clause_of: VerbGroup | None = None
) -> list[Token]:
    """Complements of ``preposition`` attached to ``heads``.

    With ``clause_of``, prepositional phrases attached lower inside the same
    clause are accepted too (the parser often hangs "av guvernøren" on the
    nearest noun instead of on the passive verb).
    """
    found: list[Token] = []
    for head in heads:
        for child in head.children:
            if child.lower_ == preposition and child.pos_ == "ADP":
                found.extend(c for c in child.children if c.dep_ == "PUTFYLL")
    if found or clause_of is None:
        return found
    for token in clause_tokens(clause_of):
        if token.lower_ == preposition and token.pos_ == "ADP":
            found.extend(c for c in token.children if c.dep_ == "PUTFYLL")
    return found


def clause_tokens(group: VerbGroup) -> tuple[Token, ...]:
    """The tokens of the clause headed by ``group``, without its subordinate clauses."""
    return group.clause


def infinitive_complements(group: VerbGroup) -> list[VerbGroup]:
    """Verbs after "å" that the group governs: "ventes å skje", "planlegger å besøke"."""
    found: list[VerbGroup] = []
    for verb in group.tokens:
        for child in verb.children:
            if child.lower_ != "å":
                continue
            found += [VerbGroup(c, []) for c in child.children if c.dep_ == "INFV" and is_verb(c)]
    return found


def phrase_span(token: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``token``.

    Keeps determiners, adjectives, genitives, flat name parts and
    appositions to the left; stops at clauses and prepositional phrases.
    """
    left = right = token.i
    for child in token.children:
        if child.dep_ in ("DET", "ATR", "FLAT", "APP") and child.pos_ not in ("ADP", "VERB", "AUX"):
            sub = [t.i for t in child.subtree]
            if child.i < token.i:
                left = min(left, min(sub))
            elif child.dep_ == "FLAT":
                right = max(right, max(sub))
    doc = token.doc
    while left < token.i and doc[left].is_punct:
        left += 1
    return left, right + 1
