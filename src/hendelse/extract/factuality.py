"""How certain an event is, from the grammar around it (``data/factuality.yaml``).

The event's own clause speaks first (negation, "skal ha + participle",
modals, adverbs, the verb an event noun hangs on), then the words that
govern the clause ("nektet for at …", "muligheten for at …"), then time:
a past event well before the publication date is background (historical).
Each decision returns the rule that made it, for explanations.
"""

from __future__ import annotations

import datetime as dt
import functools

from spacy.tokens import Token

from hendelse.extract.lexicon import data_file
from hendelse.extract.syntax import VerbGroup, is_participle, is_verb_at
from hendelse.extract.tokens import TokenTable

#: Relations of a verb that make its clause part of the clause above it.
CLAUSE_ARGUMENTS = frozenset({"PUTFYLL", "DOBJ", "INFV", "ATR"})
#: When the own clause and a governing word disagree, which one wins.
GOVERNOR_WINS = {"denied", "possible", "expected"}


@functools.cache
def cues() -> dict:
    raw = data_file("factuality.yaml")
    lemma_sets: dict[str, object] = {"raw": raw}
    for section in ("predicates", "governors"):
        table: dict[str, str] = {}
        for value, words in raw[section].items():
            for word in words:
                table.setdefault(word, value)
        lemma_sets[section] = table
    return lemma_sets


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def own_clause(group: VerbGroup | None, trigger: Token, table: TokenTable) -> tuple[str, str]:
    """Factuality from the event's own clause (its words read from the token ``table``)."""
    data = cues()
    raw = data["raw"]["clause"]
    predicates: dict[str, str] = data["predicates"]
    clause = list(group.clause_offsets(table)) if group is not None else []
    if trigger.i not in clause:
        clause += [c for c in table.children[trigger.i] if table.dep[c] in ("ADV", "ATR")]
    lowers = [table.lower[k] for k in clause]
    words = {table.lemma[k].lower() for k in clause} | set(lowers)
    text = " ".join(lowers)
    for word in raw["negation"]:
        if word in words:
            return "negated", f"negation '{word}'"
    if group is not None:
        lemmas = group.aux_lemmas
        if lemmas[:2] == ["skulle", "ha"] and is_participle(group.main):
            return "reported", "'skal ha' + participle (hearsay)"
    for word in raw["hearsay_adverbs"]:
        if word in words or (" " in word and word in text):
            return "reported", f"hearsay adverb '{word}'"
    # the verb an event noun hangs on, or a participle beside it ("et møte … planlagt")
    at, dep = trigger.i, table.dep
    carriers: list[int] = []
    if group is not None:
        carriers += [t.i for t in group.tokens]
        carriers += [c for c in table.children[group.main.i] if dep[c] in ("SPRED", "INFV", "DOBJ")]
    carriers += [
        c for c in table.children[at] if dep[c] in ("ATR", "SPRED") and is_verb_at(table, c)
    ]
    if table.head[at] != at and is_verb_at(table, table.head[at]):
        carriers.append(table.head[at])
    for k in carriers:
        if not (is_verb_at(table, k) or table.pos[k] == "ADJ"):
            continue  # "undertegnet en avtale": the noun "avtale" plans nothing
        value = predicates.get(table.lemma[k].lower()) or predicates.get(table.lower[k])
        if value and k != at:
            return value, f"predicate '{table.words[k]}'"
    for word in raw["possible_adverbs"]:
        if word in words:
            return "possible", f"adverb '{word}'"
    if group is not None:
        for aux in group.auxiliaries:
            value = raw["modals"].get(_lemma(aux))
            if value:
                return value, f"modal '{aux.text}'"
    for word in raw["planned_adverbs"]:
        if word in words:
            return "planned", f"adverb '{word}'"
    return "asserted", "no cue: reported as happening"


def governing(trigger: Token, group: VerbGroup | None, table: TokenTable) -> tuple[str, str] | None:
    """Factuality from the nearest word governing the event's clause, if any (the
    words read from the token ``table``)."""
    governors: dict[str, str] = cues()["governors"]
    current = group.top.i if group is not None else trigger.i
    steps = 0
    while table.head[current] != current and steps < 8:
        child, current = current, table.head[current]
        steps += 1
        value = governors.get(table.lemma[current].lower()) or governors.get(table.lower[current])
        if value and table.dep[child] not in ("SUBJ",):
            return value, f"governed by '{table.words[current]}'"
        if is_verb_at(table, current) and table.dep[current] not in CLAUSE_ARGUMENTS:
            break  # reached a main clause that is not itself governed
    return None


def from_grammar(trigger: Token, group: VerbGroup | None, table: TokenTable) -> tuple[str, str]:
    """Factuality from the words alone (before time is known)."""
    value, rule = own_clause(group, trigger, table)
    governed = governing(trigger, group, table)
    if governed is not None and value != "negated":
        g_value, g_rule = governed
        if g_value in GOVERNOR_WINS or value == "asserted":
            value, rule = g_value, g_rule
    return value, rule


def with_time(
    value: str,
    rule: str,
    trigger: Token,
    group: VerbGroup | None,
    time_value: str | None,
    published: str | None,
    table: TokenTable,
) -> tuple[str, str]:
    """An asserted event becomes historical or planned by its time and markers."""
    if value == "asserted":
        raw = cues()["raw"]
        clause = list(group.clause_offsets(table)) if group is not None else [trigger.i]
        clause = sorted({*clause, *_left_edge(clause, table)})
        lowered = " " + " ".join(table.lower[k] for k in clause) + " "
        for marker in raw["historical_markers"]:
            if f" {marker} " in lowered and _past(group):
                return "historical", f"background marker '{marker}'"
        if time_value and published and _long_before(time_value, published, raw):
            return "historical", f"time {time_value} well before publication ({published})"
        if time_value and published and _after(time_value, published):
            return "planned", f"time {time_value} after publication ({published})"
    return value, rule


def _left_edge(clause: list[int], table: TokenTable) -> list[int]:
    """Words in front of the clause that modify it ("Forrige gang Kim og Putin møttes"):
    up to three, within the sentence of the clause's first word."""
    if not clause:
        return []
    first = min(clause)
    sentence_start = clause[0]  # as ``Token.sent`` finds it: back to a sentence start
    while sentence_start > 0 and not table.sent_start[sentence_start]:
        sentence_start -= 1
    return list(range(max(sentence_start, first - 3), first))


def _past(group: VerbGroup | None) -> bool:
    return group is None or group.tense == "past"


def _start(value: str) -> dt.date | None:
    """The first day a TIMEX value can mean ("2019" → 2019-01-01)."""
    head = value[:10]
    try:
        if len(head) >= 10 and head[4] == "-" and head[7] == "-":
            return dt.date.fromisoformat(head)
        if len(head) >= 7 and head[4] == "-" and head[5:7].isdigit():
            return dt.date(int(head[:4]), int(head[5:7]), 1)
        if head[:4].isdigit():
            return dt.date(int(head[:4]), 1, 1)
    except ValueError:
        return None
    return None


def _end(value: str) -> dt.date | None:
    """The last day a TIMEX value can mean ("2019" → 2019-12-31)."""
    start = _start(value)
    if start is None:
        return None
    head = value[:10]
    if len(head) >= 10 and head[7] == "-":
        return start
    if len(head) >= 7 and head[4] == "-" and head[5:7].isdigit():
        nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(start.year, 12, 31)


def _long_before(value: str, published: str, raw: dict) -> bool:
    end, pub = _end(value), _start(published)
    return bool(end and pub and (pub - end).days >= raw["historical_days"])


def _after(value: str, published: str) -> bool:
    start, pub_end = _start(value), _end(published)
    return bool(start and pub_end and start > pub_end)
