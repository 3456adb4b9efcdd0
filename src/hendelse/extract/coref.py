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
    return "Def" in token.morph.get("Definite") or any(
        c.lower_ in ("denne", "dette", "disse") for c in token.children
    )


def _time_clash(a: EventMention, b: EventMention) -> bool:
    va = getattr(a.time, "value", None)
    vb = getattr(b.time, "value", None)
    if not va or not vb:
        return False
    return not (va.startswith(vb) or vb.startswith(va))


def _compatible(event: Event, mention: EventMention) -> bool:
    primary = event.primary
    if primary.entry.category != mention.entry.category:
        return False
    if FACTUALITY_FAMILY[primary.factuality] != FACTUALITY_FAMILY[mention.factuality]:
        return False
    if any(_time_clash(m, mention) for m in event.mentions):
        return False
    mine = set(mention.actors) | set(mention.recipients)
    theirs = event.participants
    if not mine or not theirs:
        return False
    if mention.trigger.sent == primary.trigger.sent:
        return False
    return mine <= theirs or theirs <= mine


def merge(mentions: list[EventMention]) -> list[Event]:
    """Group event mentions into events, in text order."""
    events: list[Event] = []
    for mention in sorted(mentions, key=lambda m: m.trigger.i):
        has_roles = bool(mention.actors)
        if mention.reference or (not has_roles and mention.entry.pos == "noun"):
            target = next(
                (
                    e
                    for e in reversed(events)
                    if e.primary.entry.category == mention.entry.category
                    and (mention.reference or _definite(mention))
                ),
                None,
            )
            if target is not None:
                target.others.append(mention)
                target.rules.append(
                    f"'{mention.trigger.text}' refers back to '{target.primary.trigger.text}'"
                )
            continue
        if not has_roles:
            continue  # no actor: not an event record (PLOVER needs an actor)
        target = next((e for e in reversed(events) if _compatible(e, mention)), None)
        if target is None:
            events.append(Event(mention))
            continue
        target.others.append(mention)
        target.rules.append(
            f"'{mention.trigger.text}' has the same category and participants as "
            f"'{target.primary.trigger.text}'"
        )
    return events
