"""Norwegian country names, adjectives, inhabitants, capitals and IGOs."""

from __future__ import annotations

import importlib.util

import pytest
import yaml

from hendelse.resolve.countries import (
    Country,
    Igo,
    by_code,
    by_iso3,
    countries,
    igo_by_id,
    igos,
    lookup_adjective,
    lookup_any,
    lookup_capital,
    lookup_igo,
    lookup_inhabitant,
    lookup_name,
)

from .conftest import REPO


def _iso3(country: Country | None) -> str | None:
    return country.iso3 if country else None


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Russland", "RUS"),
        ("russland", "RUS"),
        ("RUSSLAND", "RUS"),
        ("Russlands", "RUS"),
        ("Den russiske føderasjon", "RUS"),
        ("Nord-Korea", "PRK"),
        ("Nord-Koreas", "PRK"),
        ("Nordkorea", "PRK"),
        ("Den demokratiske folkerepublikken Korea", "PRK"),
        ("Sør-Korea", "KOR"),
        ("Sør-Koreas", "KOR"),
        ("USA", "USA"),
        ("USAs", "USA"),
        ("USA's", "USA"),
        ("USA’s", "USA"),
        ("De forente stater", "USA"),
        ("Amerika", "USA"),
        ("Storbritannia", "GBR"),
        ("Det forente kongerike", "GBR"),
        ("Britannia", "GBR"),
        ("Hviterussland", "BLR"),
        ("Belarus", "BLR"),
        ("Elfenbenskysten", "CIV"),
        ("Burma", "MMR"),
        ("Myanmar", "MMR"),
        ("Tsjekkia", "CZE"),
        ("Kongo", "COD"),
        ("Kongo-Brazzaville", "COG"),
        ("Hellas'", "GRC"),
        ("Hongkong", "HKG"),
        ("Palestina", "PSE"),
        ("Kosovo", "XKX"),
        ("Ukraina", "UKR"),
        ("Norges", "NOR"),
        ("«Russland»", "RUS"),
        ("Russland,", "RUS"),
        ("Isle of Man", "IMN"),
        ("Jersey", "JEY"),
        ("North Korea", "PRK"),  # English names are a fallback
    ],
)
def test_lookup_name(text: str, iso3: str) -> None:
    assert _iso3(lookup_name(text)) == iso3


@pytest.mark.parametrize(
    "text",
    ["Kim", "møte", "russ", "russisk", "Moskva", "man", "Man", "jersey", "usa", "Korea", "", " "],
)
def test_lookup_name_rejects(text: str) -> None:
    assert lookup_name(text) is None


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("russisk", "RUS"),
        ("russiske", "RUS"),
        ("Russiske", "RUS"),
        ("nordkoreansk", "PRK"),
        ("nordkoreanske", "PRK"),
        ("nord-koreanske", "PRK"),
        ("sørkoreansk", "KOR"),
        ("sørkoreanske", "KOR"),
        ("amerikanske", "USA"),
        ("britisk", "GBR"),
        ("kinesiske", "CHN"),
        ("ukrainske", "UKR"),
        ("svensk", "SWE"),
        ("norske", "NOR"),
        ("hviterussiske", "BLR"),
        ("belarusiske", "BLR"),
        ("saudiarabiske", "SAU"),
    ],
)
def test_lookup_adjective(word: str, iso3: str) -> None:
    assert _iso3(lookup_adjective(word)) == iso3


@pytest.mark.parametrize("word", ["russ", "russer", "prorussiske", "koreanske", "møte", "Russland"])
def test_lookup_adjective_rejects(word: str) -> None:
    assert lookup_adjective(word) is None


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("russer", "RUS"),
        ("russeren", "RUS"),
        ("russere", "RUS"),
        ("russerne", "RUS"),
        ("russernes", "RUS"),
        ("nordmann", "NOR"),
        ("nordmenn", "NOR"),
        ("nordmennene", "NOR"),
        ("amerikanere", "USA"),
        ("briter", "GBR"),
        ("svenskene", "SWE"),
        ("polakker", "POL"),
        ("nordkoreanere", "PRK"),
        ("finnene", "FIN"),
    ],
)
def test_lookup_inhabitant(word: str, iso3: str) -> None:
    assert _iso3(lookup_inhabitant(word)) == iso3


@pytest.mark.parametrize("word", ["russ", "finne", "finner", "russisk", "Kim"])
def test_lookup_inhabitant_rejects(word: str) -> None:
    assert lookup_inhabitant(word) is None


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Moskva", "RUS"),
        ("Moskvas", "RUS"),
        ("Kreml", "RUS"),
        ("Kremls", "RUS"),
        ("Pyongyang", "PRK"),
        ("Seoul", "KOR"),
        ("Washington", "USA"),
        ("Washington D.C.", "USA"),
        ("Det hvite hus", "USA"),
        ("Det hvite huset", "USA"),
        ("Pentagon", "USA"),
        ("Downing Street", "GBR"),
        ("Elysée-palasset", "FRA"),
        ("Beijing", "CHN"),
        ("Peking", "CHN"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("København", "DNK"),
        ("Teheran", "IRN"),
        ("Ankara", "TUR"),
        ("Tokyo", "JPN"),
        ("Bogota", "COL"),  # accents may be left out
    ],
)
def test_lookup_capital(text: str, iso3: str) -> None:
    assert _iso3(lookup_capital(text)) == iso3


@pytest.mark.parametrize(
    "text", ["det hvite huset", "pentagon", "alger", "male", "rom", "Victoria"]
)
def test_lookup_capital_rejects_ordinary_words(text: str) -> None:
    assert lookup_capital(text) is None


@pytest.mark.parametrize(
    ("text", "igo_id"),
    [
        ("FN", "UN"),
        ("FNs", "UN"),
        ("De forente nasjoner", "UN"),
        ("FNs sikkerhetsråd", "UNSC"),
        ("Sikkerhetsrådet", "UNSC"),
        ("FNs generalforsamling", "UNGA"),
        ("NATO", "NATO"),
        ("Nato", "NATO"),
        ("Natos", "NATO"),
        ("EU", "EU"),
        ("EUs", "EU"),
        ("Den europeiske union", "EU"),
        ("Europakommisjonen", "EC"),
        ("OSSE", "OSCE"),
        ("IAEA", "IAEA"),
        ("WHO", "WHO"),
        ("IMF", "IMF"),
        ("Verdensbanken", "WB"),
        ("Den afrikanske union", "AU"),
        ("ASEAN", "ASEAN"),
        ("OPEC", "OPEC"),
        ("Nordisk råd", "NORDEN"),
        ("Europarådet", "COE"),
        ("ICC", "ICC"),
        ("Den internasjonale straffedomstolen", "ICC"),
        ("ICJ", "ICJ"),
        ("Røde Kors", "ICRC"),
        ("ICRC", "ICRC"),
        ("WFP", "WFP"),
        ("UNHCR", "UNHCR"),
        ("UNICEF", "UNICEF"),
        ("Leger uten grenser", "MSF"),
    ],
)
def test_lookup_igo(text: str, igo_id: str) -> None:
    igo = lookup_igo(text)
    assert igo is not None and igo.id == igo_id
    assert igo.code == "IGO"


@pytest.mark.parametrize("text", ["who", "au", "fn", "generalforsamlingen", "Russland", "Kim"])
def test_lookup_igo_rejects(text: str) -> None:
    assert lookup_igo(text) is None


def test_igo_sectors_and_parents() -> None:
    assert lookup_igo("Røde Kors").sector == "NGO"
    assert lookup_igo("Leger uten grenser").sector == "NGO"
    assert lookup_igo("NATO").sector == "IGO"
    assert lookup_igo("FNs sikkerhetsråd").parent == "UN"
    assert igo_by_id("UNSC").name == igo_by_id("UNSC").name_en == "UN Security Council"
    assert all(isinstance(i, Igo) and i.sector in {"IGO", "NGO"} for i in igos())


@pytest.mark.parametrize(
    ("text", "kind", "code", "sector"),
    [
        ("Russland", "country", "RUS", None),
        ("russiske", "adjective", "RUS", None),
        ("russerne", "inhabitant", "RUS", None),
        ("Kreml", "capital", "RUS", "GOV"),
        ("Pentagon", "capital", "USA", "MIL"),
        ("Dumaen", "capital", "RUS", "LEG"),
        ("FNs sikkerhetsråd", "igo", "IGO", "IGO"),
        ("Leger uten grenser", "igo", "IGO", "NGO"),
    ],
)
def test_lookup_any(text: str, kind: str, code: str, sector: str | None) -> None:
    match = lookup_any(text)
    assert match is not None
    assert (match.kind, match.code, match.sector) == (kind, code, sector)
    assert match.text == text


@pytest.mark.parametrize("text", ["Kim", "møte", "russ", "Putin", "tirsdag"])
def test_lookup_any_rejects(text: str) -> None:
    assert lookup_any(text) is None


def test_country_record() -> None:
    russia = by_code("RUS")
    assert russia is not None and russia is by_code("ru") is by_iso3("RUS")
    assert by_iso3("RU") is None and by_iso3("XKX").name_nb == "Kosovo"
    assert (russia.iso2, russia.name_nb, russia.name_en) == ("RU", "Russland", "Russia")
    assert russia.capital == "Moskva"
    assert russia.capital_lat == pytest.approx(55.76, abs=0.1)
    assert russia.capital_lon == pytest.approx(37.62, abs=0.1)
    assert 40 < russia.lat < 75 and 30 < russia.lon < 180
    assert ("Kreml", "GOV") in russia.metonyms
    assert lookup_name("Russland") is russia  # one object per country


def test_data_size() -> None:
    table = countries()
    assert len(table) >= 249
    assert len({c.iso3 for c in table}) == len(table)
    assert all(len(c.iso3) == 3 and len(c.iso2) == 2 for c in table)
    curated = [c for c in table if c.adjectives and c.capital and c.lat is not None]
    assert len(curated) >= 120
    for c in table:
        for lat, lon in ((c.lat, c.lon), (c.capital_lat, c.capital_lon)):
            if lat is not None:
                assert -90 <= lat <= 90 and -180 <= lon <= 180, c.iso3


def _build_script():
    path = REPO / "scripts" / "build_countries.py"
    spec = importlib.util.spec_from_file_location("build_countries", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_yaml_is_in_sync_with_build_script() -> None:
    pytest.importorskip(
        "babel", reason="babel is not installed: cannot rebuild countries.yaml to compare"
    )
    build = _build_script()
    current = build.OUTPUT.read_text("utf-8")
    recorded = yaml.safe_load(current)["generated_with"]
    installed = build.babel_versions()
    if installed != recorded:
        pytest.skip(
            f"countries.yaml was generated with {recorded}, installed is {installed}: "
            "CLDR names may differ; rerun scripts/build_countries.py to update"
        )
    assert current == build.render(build.build_data()), (
        "countries.yaml is stale: run .venv/bin/python scripts/build_countries.py"
    )


def test_inflection_rules() -> None:
    build = _build_script()
    assert build.adjective_forms("russisk") == ["russisk", "russiske"]
    assert build.inhabitant_forms("russer") == ["russer", "russeren", "russere", "russerne"]
    assert build.inhabitant_forms("nordmann") == [
        "nordmann",
        "nordmannen",
        "nordmenn",
        "nordmennene",
    ]
    assert build.inhabitant_forms("brite") == ["brite", "briten", "briter", "britene"]
    assert build.inhabitant_forms("polakk") == ["polakk", "polakken", "polakker", "polakkene"]
