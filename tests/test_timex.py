"""The Norwegian temporal tagger: finding, merging and resolving time expressions.

The sentences are written for these tests. Resolution uses a publication
date in week 37 of 2023 unless a test says otherwise: Wednesday
2023-09-13 08:10 (the "day" date line), "2023-09" (month only) or none.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from hendelse.extract.timex import (
    ResolvedTime,
    TimeExpression,
    TimexData,
    _candidates,
    find_times,
    parse_published,
    resolve,
    timex_data,
)

DAY = "2023-09-13T08:10:00+02:00"  # a Wednesday
MONTH = "2023-09"


def texts(sentence: str) -> list[str]:
    found = find_times(sentence)
    for expr in found:
        assert sentence[expr.start : expr.end] == expr.text
    return [e.text for e in found]


def only(sentence: str) -> TimeExpression:
    found = find_times(sentence)
    assert len(found) == 1, [e.text for e in found]
    return found[0]


def value(
    sentence: str, published: str | None = DAY, tense: str = "past"
) -> tuple[str | None, str | None]:
    resolved = resolve(only(sentence), published, tense)
    return resolved.value, resolved.granularity


# ----------------------------------------------------------------- finding


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Statsministeren ankom tirsdag den svenske byen Haparanda.", ["tirsdag"]),
        ("Vi møtes på onsdag.", ["onsdag"]),
        ("Onsdagens møte ble avlyst.", ["Onsdagens"]),
        ("Sist tirsdag ble to personer pågrepet.", ["Sist tirsdag"]),
        ("Forhandlingene fortsetter neste fredag.", ["neste fredag"]),
        ("Statsministeren besøkte Kyiv i går.", ["i går"]),
        ("Han ble løslatt i forgårs og reiser i overmorgen.", ["i forgårs", "i overmorgen"]),
        ("Regjeringen legger fram forslaget i kveld.", ["i kveld"]),
        ("Skuddene falt i natt, og i morges var det stille.", ["i natt", "i morges"]),
        ("Pressekonferansen holdes i ettermiddag.", ["i ettermiddag"]),
        ("Partene møttes forrige uke i Genève.", ["forrige uke"]),
        ("Saken behandles denne uken og avgjøres neste uke.", ["denne uken", "neste uke"]),
        ("Putin er i starten av uka i Vladivostok.", ["i starten av uka"]),
        ("Rapporten kommer i slutten av måneden.", ["i slutten av måneden"]),
        ("Flere tusen demonstrerte i helgen.", ["i helgen"]),
        ("Arbeidsledigheten var høyere i fjor enn i år.", ["i fjor", "i år"]),
        ("Budsjettet skal vedtas neste år.", ["neste år"]),
        ("Forrige gang de møttes var i 2019.", ["2019"]),
        ("Ordningen har vart fra 2019 til 2021.", ["2019", "2021"]),
        ("Forhandlingene starter i september.", ["september"]),
        ("Loven trådte i kraft i september 2023.", ["september 2023"]),
        ("Valget ble holdt 12. sept. etter en lang valgkamp.", ["12. sept."]),
        ("Ulykken skjedde 12.09.2023 på E6.", ["12.09.2023"]),
        ("Avtalen ble signert 2023-09-12 i Moskva.", ["2023-09-12"]),
        ("Politiet kom klokken 14 og dro kl. 14.30.", ["klokken 14", "kl. 14.30"]),
        ("Avtalen ble inngått for to uker siden.", ["for to uker siden"]),
        ("Skolene holder stengt i uke 40.", ["uke 40"]),
        ("2019: Kim og Putin møttes i Vladivostok.", ["2019"]),
    ],
)
def test_finds(sentence: str, expected: list[str]):
    assert texts(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Møtet ventes å skje onsdag ettermiddag.", "onsdag ettermiddag"),
        ("Valget er tirsdag 12. september.", "tirsdag 12. september"),
        ("Valget er tirsdag den 12. september.", "tirsdag den 12. september"),
        ("Brannen startet i går kveld.", "i går kveld"),
        ("Dommen falt 12. september 2023 klokken 14.30.", "12. september 2023 klokken 14.30"),
        ("Brannen brøt ut natt til søndag.", "natt til søndag"),
        ("Flyet landet tidlig onsdag morgen.", "tidlig onsdag morgen"),
        ("Han kom hjem sent i går kveld.", "sent i går kveld"),
        ("Avtalen ble undertegnet fredag i forrige uke.", "fredag i forrige uke"),
        ("Valget var i september i fjor.", "september i fjor"),
        ("Møtet starter klokken 14 på onsdag.", "klokken 14 på onsdag"),
        ("Delegasjonen reiser i morgen tidlig.", "i morgen tidlig"),
        ("Demonstrantene samlet seg fredagskvelden.", "fredagskvelden"),
        ("Prisene faller i begynnelsen av september.", "i begynnelsen av september"),
    ],
)
def test_merges_adjacent_pieces(sentence: str, expected: str):
    assert texts(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "12 personer ble skadet.",
        "Over 2019 soldater deltok i øvelsen.",
        "Antallet steg til 2000 personer.",
        "Billetten koster fra 1950 kroner.",
        "Forrige gang gikk det galt.",
        "Det var en hyggelig kveld.",
        "Han kom for sent.",
        "Romsonden er på vei til Mars.",
        "Butikken holder stengt på mandager.",
        "Det skjedde på 1990-tallet.",
        "Hun vant 3. plass i fjorårsløpet.",
        "Han leste Morgenbladet og Dagbladet.",
        "Kampen endte 2–1 etter ekstraomganger.",
    ],
)
def test_does_not_tag_non_times(sentence: str):
    assert texts(sentence) == []


def test_separate_expressions_are_not_merged():
    assert texts("Fra mandag til onsdag.") == ["mandag", "onsdag"]
    assert texts("Det skjedde i 2019, i går kom dommen.") == ["2019", "i går"]
    assert texts("Han kom i går.\nOnsdag drar han.") == ["i går", "Onsdag"]


def test_offsets_are_into_the_whole_text():
    text = "Tittel\n\nKim ankom tirsdag. Møtet er onsdag ettermiddag."
    sentence_start = text.index("Møtet")
    found = find_times(text, sentence_start, len(text))
    assert [(e.start, e.end, e.text) for e in found] == [
        (text.index("onsdag"), len(text) - 1, "onsdag ettermiddag")
    ]
    assert text[found[0].start : found[0].end] == found[0].text


def test_normalised_meaning_before_resolution():
    expr = only("Møtet ventes å skje onsdag ettermiddag.")
    assert (expr.anchor, expr.weekday, expr.part, expr.rule) == (
        "weekday",
        "wednesday",
        "afternoon",
        "weekday+part",
    )
    assert only("Han kom i går.").day_offset == -1
    assert only("Partene møttes forrige uke.").week_offset == -1
    assert only("Neste fredag møtes de.").direction == "future"
    clock = only("Politiet kom kl. 14.30.")
    assert (clock.anchor, clock.hour, clock.minute) == ("clock", 14, 30)
    assert only("Valget ble holdt 12. september.").anchor == "date"
    assert only("Ulykken skjedde 12.09.2023.").anchor == "absolute"


# ----------------------------------------------------------------- resolving


@pytest.mark.parametrize(
    ("sentence", "tense", "expected"),
    [
        ("Kim ankom tirsdag.", "past", ("2023-09-12", "day")),
        ("Kim ankom onsdag.", "past", ("2023-09-13", "day")),  # the publication day itself
        ("Kim ankom torsdag.", "past", ("2023-09-07", "day")),
        ("Kim ankom torsdag.", "unknown", ("2023-09-07", "day")),
        ("Kim kommer torsdag.", "future", ("2023-09-14", "day")),
        ("Kim kommer tirsdag.", "future", ("2023-09-19", "day")),
        ("Vi møtes neste fredag.", "unknown", ("2023-09-15", "day")),
        ("De møttes sist onsdag.", "past", ("2023-09-06", "day")),
        ("Brannen startet i går.", "past", ("2023-09-12", "day")),
        ("Brannen startet i forgårs.", "past", ("2023-09-11", "day")),
        ("Saken kommer opp i morgen.", "future", ("2023-09-14", "day")),
        ("Brannen startet i går kveld.", "past", ("2023-09-12TEV", "part-of-day")),
        ("Det ble stille i morges.", "past", ("2023-09-13TMO", "part-of-day")),
        ("Møtet ventes onsdag ettermiddag.", "future", ("2023-09-13TAF", "part-of-day")),
        ("Brannen brøt ut natt til søndag.", "past", ("2023-09-10TNI", "part-of-day")),
        ("Flyet landet tidlig tirsdag morgen.", "past", ("2023-09-12TMO", "part-of-day")),
        ("Politiet kom klokken 14 i går.", "past", ("2023-09-12T14:00", "datetime")),
        ("Dommen faller i kveld klokken 20.", "future", ("2023-09-13T20:00", "datetime")),
        ("Dommen faller klokken 8 i kveld.", "future", ("2023-09-13T20:00", "datetime")),
        ("Avtalen ble signert fredag i forrige uke.", "past", ("2023-09-08", "day")),
        ("Partene møttes forrige uke.", "past", ("2023-W36", "week")),
        ("Saken behandles neste uke.", "future", ("2023-W38", "week")),
        ("Putin er i starten av uka i Vladivostok.", "present", ("2023-W37", "week")),
        ("Det er ventet regn i helgen.", "present", ("2023-W37-WE", "week")),
        ("Tusener demonstrerte i helgen.", "past", ("2023-W36-WE", "week")),
        ("Prisene steg kraftig forrige måned.", "past", ("2023-08", "month")),
        ("Rapporten kommer i slutten av måneden.", "future", ("2023-09", "month")),
        ("Ledigheten var høyere i fjor.", "past", ("2022", "year")),
        ("Budsjettet vedtas neste år.", "future", ("2024", "year")),
        ("Valget var i september i fjor.", "past", ("2022-09", "month")),
        ("Avtalen ble inngått for to uker siden.", "past", ("2023-W35", "week")),
        ("Dommen falt for tre dager siden.", "past", ("2023-09-10", "day")),
        ("Valget ble holdt 11. september.", "past", ("2023-09-11", "day")),
        ("Valget holdes 12. sept. klokken 9.", "future", ("2023-09-12T09:00", "datetime")),
        ("Loven ble vedtatt i mars.", "past", ("2023-03", "month")),
        ("Skolene holder stengt i uke 40.", "future", ("2023-W40", "week")),
    ],
)
def test_resolves_against_a_publication_day(sentence: str, tense: str, expected: tuple):
    assert value(sentence, DAY, tense) == expected


def test_month_only_and_full_date_lines():
    """A month-only date line ("2023-09") keeps weekday and part; a full one resolves them."""
    arrival = only("Statsministeren ankom tirsdag den svenske byen Haparanda med tog.")
    meeting = only(
        "NTB siterer en tjenesteperson på at møtet ventes å skje i Luleå onsdag ettermiddag."
    )
    forum = only("Ministeren er i starten av uka i Bodø for å delta på en konferanse.")

    assert resolve(arrival, MONTH, "past").to_dict() == {
        "value": "2023-09",
        "granularity": "month",
        "weekday": "tuesday",
        "part": None,
        "span": {"start": 22, "end": 29, "text": "tirsdag"},
    }
    coarse = resolve(meeting, MONTH, "future")
    assert (coarse.value, coarse.granularity, coarse.weekday, coarse.part) == (
        "2023-09",
        "month",
        "wednesday",
        "afternoon",
    )
    assert resolve(forum, MONTH, "present").value == "2023-09"

    full = "2023-09-12T18:00:00+02:00"
    assert resolve(arrival, full, "past").value == "2023-09-12"
    assert resolve(meeting, full, "future").value == "2023-09-13TAF"
    assert resolve(forum, full, "present").value == "2023-W37"
    assert resolve(only("Forrige gang møttes de i 2019."), MONTH, "past").value == "2019"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kim ankom tirsdag.", ("2023-09", "month")),
        ("Brannen startet i går kveld.", ("2023-09", "month")),
        ("Politiet kom klokken 14 onsdag.", ("2023-09", "month")),
        ("Partene møttes forrige uke.", ("2023-09", "month")),
        ("Tusener demonstrerte i helgen.", ("2023-09", "month")),
        ("Prisene steg forrige måned.", ("2023-08", "month")),
        ("Ledigheten var høyere i fjor.", ("2022", "year")),
        ("Valget ble holdt 11. september.", ("2023-09-11", "day")),
        ("Ulykken skjedde 12.09.2023.", ("2023-09-12", "day")),
    ],
)
def test_month_only_date_line_is_never_refined(sentence: str, expected: tuple):
    assert value(sentence, MONTH) == expected


def test_year_only_date_line():
    assert value("Kim ankom tirsdag.", "2023") == ("2023", "year")
    assert value("Prisene steg forrige måned.", "2023") == ("2023", "year")
    assert value("Valget ble holdt 11. september.", "2023") == ("2023-09-11", "day")
    assert value("Ledigheten var høyere i fjor.", "2023") == ("2022", "year")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kim ankom tirsdag.", (None, None)),
        ("Brannen startet i går.", (None, None)),
        ("Partene møttes forrige uke.", (None, None)),
        ("Ledigheten var høyere i fjor.", (None, None)),
        ("Valget ble holdt 11. september.", (None, None)),  # which year is not said
        ("Ulykken skjedde 12.09.2023.", ("2023-09-12", "day")),
        ("Avtalen ble signert 2023-09-12 klokken 14.", ("2023-09-12T14:00", "datetime")),
        ("Forrige gang møttes de i 2019.", ("2019", "year")),
        ("Loven trådte i kraft i januar 2020.", ("2020-01", "month")),
    ],
)
def test_without_publication_date_only_absolute_times_resolve(sentence: str, expected: tuple):
    assert value(sentence, None) == expected


def test_weekday_and_part_are_kept_without_a_value():
    resolved = resolve(only("Møtet ventes onsdag ettermiddag."), None, "future")
    assert (resolved.value, resolved.weekday, resolved.part) == (None, "wednesday", "afternoon")


def test_year_boundaries():
    new_year = "2024-01-03"
    assert value("Det skjedde 30. desember.", new_year, "past") == ("2023-12-30", "day")
    assert value("Det skjedde i desember.", new_year, "past") == ("2023-12", "month")
    assert value("Det skjedde 30. desember.", "2023-12-31", "past") == ("2023-12-30", "day")
    assert value("Møtet holdes 5. januar.", "2023-12-20", "future") == ("2024-01-05", "day")
    assert value("Møtet holdes 5. januar.", "2023-12-20", "unknown") == ("2024-01-05", "day")
    assert value("Det skjedde i fjor.", new_year, "past") == ("2023", "year")
    assert value("Det skjedde forrige uke.", new_year, "past") == ("2023-W52", "week")
    assert value("Det skjedde i går.", new_year, "past") == ("2024-01-02", "day")
    assert value("Det skjedde fredag.", new_year, "past") == ("2023-12-29", "day")
    assert value("Det skjedde forrige måned.", new_year, "past") == ("2023-12", "month")
    # ISO week-numbering year differs from the calendar year at the turn of the year.
    assert value("Det skjer neste uke.", "2024-12-25", "future") == ("2025-W01", "week")


def test_past_tense_keeps_a_date_within_half_a_year_ahead():
    # A past-tense report may name a date a few months ahead ("ble utsatt til 20. oktober").
    assert value("Møtet ble utsatt til 20. oktober.", DAY, "past") == ("2023-10-20", "day")


def test_publication_date_formats():
    assert parse_published("2023-09-12T18:00:00+02:00").date.isoformat() == "2023-09-12"
    assert parse_published("2023-09").month == 9
    assert parse_published("2023").month is None
    assert parse_published("13.09.2023").day == 13
    assert parse_published("sometime") is None
    assert parse_published("") is None


def test_resolved_time_record():
    text = "Valget er tirsdag 12. september."
    resolved = resolve(only(text), DAY, "future")
    assert isinstance(resolved, ResolvedTime)
    assert resolved.to_dict() == {
        "value": "2023-09-12",
        "granularity": "day",
        "weekday": "tuesday",
        "part": None,
        "span": {"start": 10, "end": 31, "text": "tirsdag 12. september"},
    }
    assert resolved.rule == "weekday+day_month"


def test_mod_is_kept():
    assert resolve(only("Putin er i starten av uka i Vladivostok."), DAY, "present").mod == "START"
    assert resolve(only("Valget holdes medio oktober."), DAY, "future").mod == "MID"


def test_unknown_tense_is_refused():
    with pytest.raises(ValueError):
        resolve(only("Kim ankom tirsdag."), DAY, "pluperfect")


# ----------------------------------------------------------------- the data file


@pytest.mark.parametrize("rule", timex_data().rules, ids=lambda r: r.name)
def test_every_rule_example_matches_its_rule(rule):
    assert rule.example, f"rule {rule.name} has no example sentence"
    found = find_times(rule.example)
    assert any(rule.name in e.rule.split("+") for e in found), [(e.text, e.rule) for e in found]


def test_the_screen_changes_no_candidates():
    """Scanning every rule everywhere finds the same pieces as the screened scan."""
    data = timex_data()
    unscreened = dataclasses.replace(data, screen=re.compile(""))  # matches everywhere
    repo = Path(__file__).resolve().parents[1]
    files = [*repo.glob("gold/*.txt"), *repo.glob("src/hendelse/examples/*.txt")]
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    lines += [rule.example for rule in data.rules if rule.example]
    rejected = 0
    for line in lines:
        rejected += data.screen.search(line) is None

        def pieces(d: TimexData, line: str = line) -> list[tuple]:
            return [(p.start, p.end, p.rule.name, p.values) for p in _candidates(line, d)]

        assert pieces(data) == pieces(unscreened), line
    assert rejected > len(lines) // 4  # the screen does turn lines away
    assert {r.name for r in data.unscreened} == {"numeric_date", "factbox_year"}
