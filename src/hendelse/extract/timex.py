"""Norwegian time expressions: find them in text, then resolve them against a date.

All language knowledge (weekday and month names, relative day words, parts of
the day, the patterns) is in ``data/timex.yaml``; this module only

1. runs the rules of that file over the text and keeps the longest
   non-overlapping matches ("pieces"),
2. merges neighbouring pieces into one expression ("onsdag" + "ettermiddag"),
3. resolves an expression against the article's publication date by news
   conventions (:func:`resolve`), never finer than the evidence: with a
   month-only date line, "onsdag ettermiddag" is "2023-09", weekday
   "wednesday", part "afternoon".

Values follow ISO 8601 / TIMEX3: "2019", "2023-09", "2023-W36",
"2023-W37-WE", "2023-09-12", "2023-09-13TAF", "2023-09-13T14:30".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "timex.yaml"

#: Fields a rule can fill, with the type a value must have.
_INT_FIELDS = (
    "year",
    "month",
    "week",
    "day",
    "hour",
    "minute",
    "year_offset",
    "month_offset",
    "week_offset",
    "day_offset",
)
_STR_FIELDS = ("weekday", "part", "direction", "mod")
_BOOL_FIELDS = ("weekend",)
_FIELDS = _INT_FIELDS + _STR_FIELDS + _BOOL_FIELDS
#: Computed from a rule: count × sign goes to the offset of unit.
_HELPERS = ("count", "unit", "sign")

_RULE_KEYS = {
    "name",
    "pattern",
    "map",
    "set",
    "before",
    "not_after",
    "standalone",
    "needs",
    "attach",
    "example",
}

#: Valid ranges of the numeric fields a text can give.
_RANGES = {
    "year": (1900, 2099),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "hour": (0, 24),
    "minute": (0, 59),
}

#: TIMEX3 codes for parts of the day.
PART_CODES = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TENSES = ("past", "present", "future", "unknown")

#: A month or day+month without a year is put in the year that keeps it
#: within about half a year of publication on the side the tense allows.
_HALF_YEAR = dt.timedelta(days=183)

# Units from coarse to fine, with the fields that say them explicitly or relatively.
_UNITS = ("year", "month", "week", "day")
_EXPLICIT = {"year": "year", "month": "month", "week": "week", "day": "day"}
_RELATIVE = {
    "year": "year_offset",
    "month": "month_offset",
    "week": "week_offset",
    "day": "day_offset",
}


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Rule:
    """One pattern of ``timex.yaml``, compiled."""

    name: str
    index: int
    pattern: re.Pattern[str]
    map: Mapping[str, str]
    set: Mapping[str, Any]
    before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    standalone: bool
    needs: str | None
    attach_next: bool
    example: str | None


@dataclass(frozen=True)
class TimexData:
    words: Mapping[str, Mapping[str, Any]]
    rules: tuple[Rule, ...]
    connector: re.Pattern[str]
    pm_parts: frozenset[str]
    #: All the rules' patterns but those of ``unscreened`` in one alternation:
    #: one scan that most sentences fail, where the rules take one scan each.
    screen: re.Pattern[str]
    #: The rules ``screen`` stands for.
    screened: tuple[Rule, ...]
    #: The rules ``screen`` cannot stand for (a back-reference or a global flag
    #: means something else inside an alternation), scanned for always.
    unscreened: tuple[Rule, ...]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _alternation(words: Iterable[str]) -> str:
    parts = []
    for word in sorted(words, key=lambda w: (-len(w), w)):
        parts.append(r"\s+".join(re.escape(piece) for piece in word.split()))
    return "(?:" + "|".join(parts) + ")"


def _trie(words: Iterable[str]) -> str:
    """The words as one prefix tree ("mandag|mars" → "m(?:andag|ars)"): it matches
    exactly the strings :func:`_alternation` matches, but not in the same order of
    preference, so it serves only the screen (where a match's start is all that
    counts), where it saves trying each word at every position of a sentence."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for k, piece in enumerate(word.split()):
            for unit in [r"\s+"] * (k > 0) + [re.escape(c) for c in piece]:
                node = node.setdefault(unit, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:
        branches = [unit + pattern(node[unit]) for unit in sorted(node) if unit]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return "(?:" + pattern(root) + ")"


def _expand(
    pattern: str,
    words: Mapping[str, Mapping[str, Any]],
    where: str,
    alternation: Callable[[Iterable[str]], str] = _alternation,
) -> str:
    def replace_list(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in words:
            raise ValueError(f"{where}: unknown word list {{{name}}}")
        return alternation(words[name])

    return re.sub(r"\{([A-Za-z_]\w*)\}", replace_list, pattern)


def _load_words(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    words: dict[str, dict[str, Any]] = {}
    unions: dict[str, list[str]] = {}
    for name, entries in raw.items():
        if isinstance(entries, list):
            unions[name] = entries
        elif isinstance(entries, dict):
            words[name] = {_norm(str(k)): v for k, v in entries.items()}
        else:
            raise ValueError(f"timex.yaml: words.{name} must be a mapping or a list of lists")
    for name, members in unions.items():
        merged: dict[str, Any] = {}
        for member in members:
            if member not in words:
                raise ValueError(f"timex.yaml: words.{name} names unknown list {member}")
            merged.update(words[member])
        words[name] = merged
    return words


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"{where}: bad regular expression: {err}") from None


def _load_rule(raw: Mapping[str, Any], index: int, words: Mapping) -> Rule:
    name = raw.get("name")
    where = f"timex.yaml rule {name or index}"
    unknown = set(raw) - _RULE_KEYS
    if not name or "pattern" not in raw or unknown:
        raise ValueError(f"{where}: needs name and pattern; unknown keys {sorted(unknown)}")
    for target in [*raw.get("map", {}), *raw.get("set", {})]:
        if target not in _FIELDS and target not in _HELPERS:
            raise ValueError(f"{where}: unknown field {target}")
    needs = raw.get("needs")
    if raw.get("attach") not in (None, "next"):
        raise ValueError(f"{where}: attach must be 'next' when given")
    if needs is not None and needs not in _FIELDS:
        raise ValueError(f"{where}: needs an unknown field {needs}")
    before = raw.get("before")
    not_after = raw.get("not_after")
    return Rule(
        name=name,
        index=index,
        pattern=_compile(_expand(raw["pattern"], words, where), where),
        map=dict(raw.get("map", {})),
        set=dict(raw.get("set", {})),
        before=_compile(f"(?:{_expand(before, words, where)})\\s*$", where) if before else None,
        not_after=_compile(_expand(not_after, words, where), where) if not_after else None,
        standalone=bool(raw.get("standalone", True)),
        needs=needs,
        attach_next=raw.get("attach") == "next",
        example=raw.get("example"),
    )


@cache
def timex_data(path: str | None = None) -> TimexData:
    """The rules and word lists of ``timex.yaml`` (or of ``path``), compiled once."""
    raw = yaml.safe_load(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    words = _load_words(raw["words"])
    rules = tuple(_load_rule(r, i, words) for i, r in enumerate(raw["rules"]))
    names = [r.name for r in rules]
    if len(names) != len(set(names)):
        raise ValueError("timex.yaml: rule names must be unique")
    screened = [r for r in rules if not _UNSCREENABLE.search(r.pattern.pattern)]
    return TimexData(
        words=words,
        rules=rules,
        connector=re.compile(raw["connector"], re.IGNORECASE),
        pm_parts=frozenset(raw.get("pm_parts", [])),
        screen=_screen(
            [_expand(raw["rules"][r.index]["pattern"], words, r.name, _trie) for r in screened]
        ),
        screened=tuple(screened),
        unscreened=tuple(r for r in rules if r not in screened),
    )


def _screen(patterns: list[str]) -> re.Pattern[str]:
    """One alternation of the screened rules' patterns (their word lists as tries)."""
    return _compile(
        "|".join(f"(?:{_NAMED_GROUP.sub('(?:', p)})" for p in patterns) or "(?!)",
        "timex.yaml screen",
    )


#: What keeps a pattern out of the screen: a back-reference by number or name,
#: or a global inline flag ("(?m)").
_UNSCREENABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)")
#: A named group, made a plain one in the screen (two rules may name a group alike).
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


# --------------------------------------------------------------------------- finding


@dataclass(frozen=True)
class TimeExpression:
    """A time expression as the text says it, before resolution.

    Offsets are into the text given to :func:`find_times`. ``rule`` names the
    data rules that matched, joined by "+" when pieces were merged.
    ``anchor`` says what fixes the time: "absolute" (a full date), "date"
    (day and month, year from context), "relative_day", "weekday", "weekend",
    "week", "relative_week", "month", "relative_month", "year",
    "relative_year", "clock" (a clock time alone) or "part" (a part of the
    day alone).
    """

    start: int
    end: int
    text: str
    rule: str
    anchor: str
    year: int | None = None
    month: int | None = None
    week: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    year_offset: int | None = None
    month_offset: int | None = None
    week_offset: int | None = None
    day_offset: int | None = None
    weekday: str | None = None
    part: str | None = None
    direction: str | None = None  # "past" | "future": a marker in the expression
    mod: str | None = None  # "START" | "MID" | "END"
    weekend: bool = False


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    rule: Rule
    values: Mapping[str, Any]


def _group_value(words: Mapping[str, Mapping[str, Any]], group: str, text: str) -> Any:
    listed = words.get(group)
    if listed is not None and _norm(text) in listed:
        return listed[_norm(text)]
    if text.isdigit():
        return int(text)
    return _norm(text)


def _piece_values(rule: Rule, match: re.Match[str], words: Mapping) -> dict[str, Any] | None:
    values: dict[str, Any] = dict(rule.set)
    by_group = {group: target for target, group in rule.map.items()}
    for group, text in match.groupdict().items():
        if text is None:
            continue
        target = by_group.get(group, group)
        if target in _FIELDS or target in _HELPERS:
            values[target] = _group_value(words, group, text)
    if "count" in values or "unit" in values:
        count, unit, sign = (
            values.pop("count", None),
            values.pop("unit", None),
            values.pop("sign", 1),
        )
        if not isinstance(count, int) or unit not in _RELATIVE:
            return None
        values[_RELATIVE[unit]] = sign * count
    values.pop("sign", None)
    for key, value in values.items():
        if key in _INT_FIELDS and not isinstance(value, int):
            return None
        if key in _RANGES and not _RANGES[key][0] <= value <= _RANGES[key][1]:
            return None
    if values.get("hour") == 24 and values.get("minute"):
        return None
    return values


def _candidates(segment: str, data: TimexData) -> list[_Piece]:
    pieces = []
    # no screened rule can match where the screen does not, nor start before the
    # screen's first match (the leftmost place where any of them matches)
    screen = data.screen.search(segment)
    scans = [(rule, 0) for rule in data.unscreened]
    if screen:
        scans += [(rule, screen.start()) for rule in data.screened]
    # the order of the pieces does not matter: _select sorts them by a key no two share
    for rule, begin in scans:
        for match in rule.pattern.finditer(segment, begin):
            s, e = match.span()
            if s == e:
                continue
            if rule.before and not rule.before.search(segment[max(0, s - 80) : s]):
                continue
            if rule.not_after and rule.not_after.match(segment, e):
                continue
            values = _piece_values(rule, match, data.words)
            if values is not None:
                pieces.append(_Piece(s, e, rule, values))
    return pieces


def _select(pieces: list[_Piece]) -> list[_Piece]:
    """Longest first (then earlier rule, then leftmost); no two chosen pieces overlap."""
    chosen: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.start - p.end, p.rule.index, p.start)):
        if all(piece.end <= c.start or piece.start >= c.end for c in chosen):
            chosen.append(piece)
    return sorted(chosen, key=lambda p: p.start)


def _field_groups(values: Mapping[str, Any]) -> set[str]:
    # hour and minute are one clock time, a weekend is a week; other fields stand alone.
    groups = {"hour": "clock", "minute": "clock", "weekend": "week_offset"}
    return {groups.get(k, k) for k, v in values.items() if v is not None and v is not False}


def _compatible(merged: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether two pieces can describe one time.

    They may not both fill a field, the expression may hold only one relative
    offset, and nothing explicit may be as coarse as or coarser than that
    offset ("i 2019" does not combine with "i går"; "september" does with
    "i fjor").
    """
    if _field_groups(merged) & _field_groups(values):
        return False
    both = {**merged, **values}
    relative = [u for u in _UNITS if both.get(_RELATIVE[u]) is not None]
    if both.get("weekend"):
        relative.append("week")
    if len(set(relative)) > 1:
        return False
    if relative:
        finest = _UNITS.index(relative[0])
        if any(both.get(_EXPLICIT[u]) is not None for u in _UNITS[: finest + 1]):
            return False
    return True


def _anchor(v: Mapping[str, Any]) -> str:
    if v.get("day") is not None and v.get("month") is not None:
        return "absolute" if v.get("year") is not None else "date"
    order = (
        ("day_offset", "relative_day"),
        ("weekday", "weekday"),
        ("weekend", "weekend"),
        ("week_offset", "relative_week"),
        ("week", "week"),
        ("month", "month"),
        ("month_offset", "relative_month"),
        ("year", "year"),
        ("year_offset", "relative_year"),
        ("hour", "clock"),
        ("part", "part"),
    )
    for key, anchor in order:
        if v.get(key) is not None and v.get(key) is not False:
            return anchor
    return "modifier"


def _keep(group: list[_Piece]) -> bool:
    for piece in group:
        if piece.rule.standalone:
            return True
        if piece.rule.needs and any(
            other is not piece and other.values.get(piece.rule.needs) is not None for other in group
        ):
            return True
    return False


def _expression(group: list[_Piece], text: str, offset: int) -> TimeExpression:
    values: dict[str, Any] = {}
    for piece in group:
        values.update({k: v for k, v in piece.values.items() if v is not None})
    start, end = group[0].start + offset, group[-1].end + offset
    return TimeExpression(
        start=start,
        end=end,
        text=text[start:end],
        rule="+".join(p.rule.name for p in group),
        anchor=_anchor(values),
        **{k: v for k, v in values.items() if k in _FIELDS},
    )


def find_times(text: str, start: int = 0, end: int | None = None) -> list[TimeExpression]:
    """Time expressions in ``text[start:end]``, offsets into ``text``, in text order.

    Only text inside the range is read, context included: the range is
    usually one sentence.
    """
    data = timex_data()
    end = len(text) if end is None else end
    segment = text[start:end]
    pieces = _select(_candidates(segment, data))
    groups: list[list[_Piece]] = []
    merged: dict[str, Any] = {}
    for piece in pieces:
        if groups and not piece.rule.attach_next:
            last = groups[-1][-1]
            gap = segment[last.end : piece.start]
            if data.connector.fullmatch(gap) and _compatible(merged, piece.values):
                groups[-1].append(piece)
                merged.update(piece.values)
                continue
        groups.append([piece])
        merged = dict(piece.values)
    return [_expression(g, text, start) for g in groups if _keep(g)]


# --------------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class ResolvedTime:
    """A time expression with its value: the event record's ``time`` field.

    ``mod`` (TIMEX3 START/MID/END: "i starten av uka") is kept for callers
    that want it; it is not part of the record.
    """

    value: str | None
    granularity: str | None
    weekday: str | None
    part: str | None
    start: int
    end: int
    text: str
    rule: str
    mod: str | None = None

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "granularity": self.granularity,
            "weekday": self.weekday,
            "part": self.part,
            "span": {"start": self.start, "end": self.end, "text": self.text},
        }


@dataclass(frozen=True)
class Reference:
    """The publication date, as precise as it was given."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def date(self) -> dt.date | None:
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def coarse(self) -> tuple[str, str]:
        """The reference itself as a value, at month or year precision."""
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}", "month"
        return f"{self.year:04d}", "year"


_PUBLISHED = (
    re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?(?![\d])"),
    re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
)


def parse_published(published: str | None) -> Reference | None:
    """Read a publication date: "2023", "2023-09", "2023-09-12", "2023-09-12T18:00:00+02:00".

    The local date as written counts (no time-zone conversion). A value that
    is not a date gives None, as if no date were known.
    """
    if not published:
        return None
    for pattern in _PUBLISHED:
        match = pattern.match(published.strip())
        if not match:
            continue
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        try:
            if month is not None:
                dt.date(year, month, day or 1)
        except ValueError:
            return None
        return Reference(year, month, day if month is not None else None)
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int | None, ref: Reference, tense: str) -> int:
    """The year of a day or month given without one, by the half-year rule."""
    if ref.month is None:
        return ref.year
    anchor = dt.date(ref.year, ref.month, ref.day or 15)
    candidate = _safe_date(ref.year, month, day or 15) or dt.date(ref.year, month, 28)
    if tense != "future" and candidate - anchor > _HALF_YEAR:
        return ref.year - 1
    if tense != "past" and anchor - candidate > _HALF_YEAR:
        return ref.year + 1
    return ref.year


def _year_of(expr: TimeExpression, ref: Reference | None, tense: str) -> int | None:
    if expr.year is not None:
        return expr.year
    if ref is None:
        return None
    if expr.year_offset is not None:
        return ref.year + expr.year_offset
    return _infer_year(expr.month or 1, expr.day, ref, tense) if expr.month else ref.year


def _on_day(day: dt.date, expr: TimeExpression, pm_parts: frozenset[str]) -> tuple[str, str]:
    """A day, refined by a clock time or a part of the day when the text gives one."""
    if expr.hour is not None:
        hour = expr.hour
        if expr.part in pm_parts and hour < 12:
            hour += 12
        return f"{day.isoformat()}T{hour:02d}:{expr.minute or 0:02d}", "datetime"
    if expr.part is not None:
        return f"{day.isoformat()}{PART_CODES[expr.part]}", "part-of-day"
    return day.isoformat(), "day"


def _nearest_weekday(ref: dt.date, weekday: str, direction: str | None, tense: str) -> dt.date:
    """The news reading of a bare weekday.

    A marker in the expression ("sist", "neste") names the nearest such day
    strictly before or after publication; otherwise the most recent such day
    up to the publication day, or with future tense the next one from it.
    """
    delta = (WEEKDAYS.index(weekday) - ref.weekday()) % 7  # days forward, 0..6
    if direction == "future":
        return ref + dt.timedelta(days=delta or 7)
    if direction == "past":
        return ref - dt.timedelta(days=(7 - delta) % 7 or 7)
    if tense == "future":
        return ref + dt.timedelta(days=delta)
    return ref - dt.timedelta(days=(7 - delta) % 7)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _week_value(monday: dt.date, weekend: bool) -> str:
    iso = monday.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}" + ("-WE" if weekend else "")


def _weekend_monday(ref: dt.date, direction: str | None, tense: str) -> dt.date:
    """Which weekend "i helgen", "forrige helg", "neste helg" means."""
    this_week = _monday(ref)
    on_weekend = ref.weekday() >= 5
    if direction == "past":
        return this_week - dt.timedelta(weeks=1)
    if direction == "future":
        return this_week + dt.timedelta(weeks=1 if on_weekend else 0)
    if tense == "past" and not on_weekend:
        return this_week - dt.timedelta(weeks=1)
    return this_week


def _week_monday(expr: TimeExpression, ref: Reference | None) -> dt.date | None:
    """Monday of the week the expression names, or None when it cannot be fixed."""
    if expr.week is not None:
        year = expr.year if expr.year is not None else (ref.year if ref else None)
        if year is None:
            return None
        try:
            return dt.date.fromisocalendar(year, expr.week, 1)
        except ValueError:
            return None
    if ref is None or ref.date is None:
        return None
    return _monday(ref.date) + dt.timedelta(weeks=expr.week_offset or 0)


def _value(
    expr: TimeExpression, ref: Reference | None, tense: str, pm_parts: frozenset[str]
) -> tuple[str | None, str | None]:
    none: tuple[None, None] = (None, None)
    # Relative to the publication day but the date line is coarser: its own value.
    coarse = ref.coarse() if ref is not None else none

    # A day and a month: a date, the year said, shifted or inferred.
    if expr.day is not None and expr.month is not None:
        year = _year_of(expr, ref, tense)
        day = _safe_date(year, expr.month, expr.day) if year is not None else None
        return _on_day(day, expr, pm_parts) if day else none

    if expr.day_offset is not None:
        if ref is None or ref.date is None:
            return coarse
        return _on_day(ref.date + dt.timedelta(days=expr.day_offset), expr, pm_parts)

    week_given = expr.week is not None or expr.week_offset is not None
    if expr.weekday is not None and (week_given or (expr.month is None and expr.year is None)):
        if week_given:
            monday = _week_monday(expr, ref)
            if monday is not None:
                day = monday + dt.timedelta(days=WEEKDAYS.index(expr.weekday))
                return _on_day(day, expr, pm_parts)
            return coarse if expr.week is None else none
        if ref is None or ref.date is None:
            return coarse
        return _on_day(
            _nearest_weekday(ref.date, expr.weekday, expr.direction, tense), expr, pm_parts
        )

    if expr.weekend or week_given:
        if expr.week is None and (ref is None or ref.date is None):
            return coarse
        if expr.weekend and expr.week is None and expr.week_offset is None:
            assert ref is not None and ref.date is not None
            monday = _weekend_monday(ref.date, expr.direction, tense)
        else:
            monday = _week_monday(expr, ref)
        return (_week_value(monday, expr.weekend), "week") if monday else none

    if expr.month is not None:
        year = _year_of(expr, ref, tense)
        return (f"{year:04d}-{expr.month:02d}", "month") if year is not None else none

    if expr.month_offset is not None:
        if ref is None or ref.month is None:
            return coarse
        index = ref.year * 12 + ref.month - 1 + expr.month_offset
        return f"{index // 12:04d}-{index % 12 + 1:02d}", "month"

    if expr.year is not None:
        return f"{expr.year:04d}", "year"
    if expr.year_offset is not None:
        return (f"{ref.year + expr.year_offset:04d}", "year") if ref else none
    # A clock time or a part of the day alone: which day is not said.
    return none


def resolve(expr: TimeExpression, published: str | None, tense: str = "unknown") -> ResolvedTime:
    """Give ``expr`` its ISO 8601 / TIMEX3 value relative to the publication date.

    ``tense`` ("past", "present", "future", "unknown") comes from the verb the
    expression belongs to; it decides which "onsdag" is meant when the
    expression has no marker of its own. ``published`` may be partial
    ("2023", "2023-09"): then every value that depends on the day is given at
    the precision of the date line, while ``weekday`` and ``part`` keep what
    the text says. Without ``published`` only expressions that name their
    year resolve.
    """
    if tense not in TENSES:
        raise ValueError(f"tense must be one of {', '.join(TENSES)}, not {tense!r}")
    ref = parse_published(published)
    value, granularity = _value(expr, ref, tense, timex_data().pm_parts)
    return ResolvedTime(
        value=value,
        granularity=granularity,
        weekday=expr.weekday,
        part=expr.part,
        start=expr.start,
        end=expr.end,
        text=expr.text,
        rule=expr.rule,
        mod=expr.mod,
    )


def expression_fields(expr: TimeExpression) -> dict[str, Any]:
    """The normalised meaning of an expression, without the unset fields (for explanations)."""
    return {
        f.name: getattr(expr, f.name)
        for f in fields(expr)
        if getattr(expr, f.name) not in (None, False)
    }


__all__ = [
    "ResolvedTime",
    "TimeExpression",
    "expression_fields",
    "find_times",
    "parse_published",
    "resolve",
    "timex_data",
]
