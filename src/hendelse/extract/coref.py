"""Event coreference within an article: one event, several mentions.

"et møte med Vladimir Putin er planlagt", "møtet ventes å skje på basen
onsdag ettermiddag" and "Kim skal også ha møte med Putin" are one planned
meeting. A later mention joins an earlier event when it has the same
category, compatible participants, a compatible time and the same kind of
factuality (a historical meeting never joins a planned one). A definite
event noun without participants of its own ("møtet", "besøket") joins the
latest event of its category. Mentions that only talk about an event
("besøket er en klar manifestasjon av …") add their place in the text and
nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hendelse.extract.events import EventMention
from hendelse.extract.mentions import Entities
from hendelse.extract.syntax import feature

#: Factuality values that may describe one event over several mentions.
FACTUALITY_FAMILY = {
    "asserted": "real",
    "reported": "real",
    "planned": "future",
    "expected": "future",
    "possible": "future",
    "historical": "past",
    "denied": "denied",
    "negated": "negated",
}


@dataclass
class Event:
    primary: EventMention
    others: list[EventMention] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    @property
    def mentions(self) -> list[EventMention]:
        return [self.primary, *self.others]

    @property
    def participants(self) -> set[int]:
        found: set[int] = set()
        for mention in self.mentions:
            if not mention.reference:
                found.update(mention.actors, mention.recipients)
        return found


def _definite(mention: EventMention) -> bool:
    token = mention.trigger
    return "Def" in feature(token, "Definite") or any(
        c.lower_ in ("denne", "dette", "disse") for c in token.children
    )


def _time_clash(a: EventMention, b: EventMention) -> bool:
    va = getattr(a.time, "value", None)
    vb = getattr(b.time, "value", None)
    if not va or not vb:
        return False
    return not (va.startswith(vb) or vb.startswith(va))


#: Light verbs whose construction is named by its noun ("ha møte" → møte).
LIGHT_VERBS = frozenset(
    {"ha", "holde", "uttrykke", "rette", "komme", "gå", "sette", "inngå", "gi", "bli",
     "føre", "gjennomføre", "innføre", "legge", "ta", "stille", "sende", "bruke"}
)  # fmt: skip


def concept(mention: EventMention) -> str:
    """What the trigger names, across parts of speech: møte/møtes/ha møte → "møt".

    A particle verb is named by its verb ("nekte for" → nekt), a light-verb
    construction by its noun ("ha møte" → møt, "innføre sanksjoner" → sanksjon).
    """
    words = mention.entry.words
    light = len(words) > 1 and mention.entry.pos == "verb" and words[0] in LIGHT_VERBS
    word = words[-1] if light and len(words[-1]) > 3 else words[0]
    return word.rstrip("s").rstrip("e").rstrip("r")


def _same_actor(a: int, b: int, entities: Entities) -> bool:
    """One actor, or a country and an organ of its government ("Kina" / "ambassaden")."""
    if a == b:
        return True
    ea, eb = entities.items[a], entities.items[b]
    if not ea.country or ea.country != eb.country or ea.country == "IGO":
        return False
    return "GPE" in (ea.type, eb.type)


def _covers(these: set[int], those: set[int], entities: Entities) -> bool:
    return all(any(_same_actor(a, b, entities) for b in those) for a in these)


def _named(indices: set[int], entities: Entities) -> set[int]:
    return {i for i in indices if entities.items[i].type != "GROUP"}


def _summary_fits(mine: set[int], theirs: set[int], entities: Entities) -> bool:
    """A headline or caption names its actors loosely ("Tusener demonstrerte …")."""
    named_mine, named_theirs = _named(mine, entities), _named(theirs, entities)
    if not named_mine or not named_theirs:
        return True
    return any(_same_actor(a, b, entities) for a in named_mine for b in named_theirs)


def _compatible(event: Event, mention: EventMention, entities: Entities) -> bool:
    primary = event.primary
    if primary.entry.category != mention.entry.category:
        return False
    if FACTUALITY_FAMILY[primary.factuality] != FACTUALITY_FAMILY[mention.factuality]:
        return False
    if any(_time_clash(m, mention) for m in event.mentions):
        return False
    summary = primary.summary or mention.summary
    if not any(concept(m) == concept(mention) for m in event.mentions):
        return False
    mine = set(mention.actors) | set(mention.recipients)
    theirs = event.participants
    if not mine or not theirs:
        return False
    if mention.trigger.sent == primary.trigger.sent:
        return False
    if summary:
        return _summary_fits(mine, theirs, entities)
    return _covers(mine, theirs, entities) or _covers(theirs, mine, entities)


def _antecedent(events: list[Event], mention: EventMention) -> Event | None:
    """The event a participant-less definite noun points back to ("møtet", "besøket")."""
    same_category = [
        e for e in reversed(events) if e.primary.entry.category == mention.entry.category
    ]
    for event in same_category:
        if any(concept(m) == concept(mention) for m in event.mentions):
            return event
    return same_category[0] if same_category else None


def merge(mentions: list[EventMention], entities: Entities) -> list[Event]:
    """Group event mentions into events, in text order."""
    events: list[Event] = []
    for mention in sorted(mentions, key=lambda m: m.trigger.i):
        has_roles = bool(mention.actors)
        if mention.reference or (not has_roles and mention.entry.pos == "noun"):
            target = None
            if mention.reference or _definite(mention):
                target = _antecedent(events, mention)
            if target is not None and not mention.occurrence:
                # "Sanksjonene rammer …": talks about the event; adds no facts to it
                mention.reference = True
            if target is not None:
                target.others.append(mention)
                target.rules.append(
                    f"'{mention.trigger.text}' refers back to '{target.primary.trigger.text}'"
                )
            continue
        if not has_roles:
            continue  # no actor: not an event record (PLOVER needs an actor)
        target = next((e for e in reversed(events) if _compatible(e, mention, entities)), None)
        if target is None:
            events.append(Event(mention))
            continue
        if target.primary.summary and not mention.summary:
            # a headline or caption told it first; the body sentence is the main mention
            target.others.insert(0, target.primary)
            target.primary = mention
        else:
            target.others.append(mention)
        target.rules.append(
            f"'{mention.trigger.text}' has the same category and participants as "
            f"'{target.primary.trigger.text}'"
        )
    # A headline or subheading that tells no event of the body is too loosely
    # worded to code on its own ("Russland lover svar"); captions stay.
    return [e for e in events if not (e.primary.headline and not e.others)]
