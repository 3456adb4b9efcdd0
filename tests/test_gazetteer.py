"""The offline gazetteer: Norwegian place names to coordinates (hendelse.resolve.gazetteer).

The shared index is built on first use into ``$HENDELSE_CACHE`` or
``~/.cache/hendelse`` (about 15 s once, then reused); the rebuild test builds
a small index (GeoNames cities15000) in a temporary directory.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

import pytest
import yaml

from hendelse.resolve import countries
from hendelse.resolve.gazetteer import (
    PlaceCandidate,
    PlaceContext,
    context_from,
    default,
    name_key,
    resolve,
    romanise_variants,
    split_place_noun,
)
from hendelse.resolve.gazetteer import candidates as gaz_candidates

from .conftest import REPO

DATA = REPO / "src" / "hendelse" / "resolve" / "data"
RUS = PlaceContext(countries=("RUS",))


def _r(text: str, context: PlaceContext | None = None) -> PlaceCandidate:
    """resolve(), which must find something."""
    place = resolve(text, context)
    assert place is not None, f"{text!r} not resolved"
    return place


def _near(cand: PlaceCandidate | None, lat: float, lon: float, tol: float = 0.05) -> bool:
    assert cand is not None and cand.lat is not None and cand.lon is not None
    return abs(cand.lat - lat) <= tol and abs(cand.lon - lon) <= tol


# --- the seed article's places -------------------------------------------------


def test_khasan_is_the_russian_town_not_hassan_in_india() -> None:
    place = resolve("Khasan", RUS)
    assert place is not None
    assert place.country == "RUS"
    assert place.feature == "city"
    assert place.gazetteer_id == "geonames:2022586"
    assert place.admin1 == "Primorsky Krai"
    assert _near(place, 42.43, 130.64, tol=0.03)


def test_khasan_with_its_place_noun() -> None:
    place = resolve("byen Khasan")
    assert place is not None and place.country == "RUS" and place.feature == "city"


def test_vostochny_cosmodrome() -> None:
    place = resolve("Vostotsjnyj kosmodrom")
    assert place is not None
    assert place.feature == "facility"
    assert place.country == "RUS"
    assert place.gazetteer_id == "hendelse:facility:vostochny"
    assert place.admin1 == "Amur Oblast"
    assert _near(place, 51.88, 128.33)
    definite = resolve("Vostotsjnyj-kosmodromet")
    assert definite is not None and definite.gazetteer_id == place.gazetteer_id


def test_vladivostok() -> None:
    place = resolve("Vladivostok")
    assert place is not None and place.country == "RUS" and place.feature == "city"
    assert _near(place, 43.12, 131.89, tol=0.05)
    assert place.admin1 == "Primorsky Krai"


@pytest.mark.parametrize("text", ["Primorskij Kraj", "Primorskij kraj", "regionen Primorskij Kraj"])
def test_primorsky_krai_is_an_admin1_region(text: str) -> None:
    place = resolve(text)
    assert place is not None
    assert (place.name, place.country, place.feature) == ("Primorsky Krai", "RUS", "admin1")
    assert place.gazetteer_id == "geonames:2017623"
    assert place.lat is not None and place.lon is not None
    assert 42.3 < place.lat < 48.5 and 130.4 < place.lon < 139.0  # inside the krai


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Russland", "RUS"),
        ("Nord-Korea", "PRK"),
        ("Ukraina", "UKR"),
        ("Japan", "JPN"),
        ("Sør-Korea", "KOR"),
        ("Georgia", "GEO"),
    ],
)
def test_country_names_give_countries_with_the_centroid_of_countries_py(
    text: str, iso3: str
) -> None:
    place = resolve(text)
    country = countries.by_iso3(iso3)
    assert place is not None and country is not None
    assert (place.feature, place.country) == ("country", iso3)
    assert (place.lat, place.lon) == (country.lat, country.lon)
    assert place.gazetteer_id.startswith("geonames:")


# --- Norwegian exonyms and transliterations ---------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "iso3"),
    [
        ("Moskva", "Moscow", "RUS"),
        ("København", "Copenhagen", "DNK"),
        ("Peking", "Beijing", "CHN"),
        ("Beijing", "Beijing", "CHN"),
        ("Helsingfors", "Helsinki", "FIN"),
        ("Sankt Petersburg", "Saint Petersburg", "RUS"),
        ("Nizjnij Novgorod", "Nizhniy Novgorod", "RUS"),
        ("Tsjeljabinsk", "Chelyabinsk", "RUS"),
        ("Jekaterinburg", "Yekaterinburg", "RUS"),
        ("Khabarovsk", "Khabarovsk", "RUS"),
        ("Kharkiv", "Kharkiv", "UKR"),
        ("Kharkov", "Kharkiv", "UKR"),
        ("Kyiv", "Kyiv", "UKR"),
        ("Kiev", "Kyiv", "UKR"),
        ("Odessa", "Odesa", "UKR"),
        ("Lviv", "Lviv", "UKR"),
        ("Zaporizjzja", "Zaporizhzhya", "UKR"),
        ("Tsjernihiv", "Chernihiv", "UKR"),
        ("Avdijivka", "Avdiyivka", "UKR"),
        ("Bakhmut", "Bakhmut", "UKR"),
        ("Mariupol", "Mariupol", "UKR"),
        ("Sevastopol", "Sevastopol", "UKR"),
        ("Luhansk", "Luhansk", "UKR"),
        ("Donetsk", "Donetsk", "UKR"),
        ("Gaza", "Gaza", "PSE"),
        ("Rafah", "Rafaḩ", "PSE"),
        ("Khan Younis", "Khān Yūnis", "PSE"),
        ("Jerusalem", "Jerusalem", "ISR"),
        ("Teheran", "Tehran", "IRN"),
        ("Bagdad", "Baghdad", "IRQ"),
        ("Damaskus", "Damascus", "SYR"),
        ("Khartoum", "Khartoum", "SDN"),
        ("Omdurman", "Omdurman", "SDN"),
    ],
)
def test_norwegian_names_of_cities(text: str, name: str, iso3: str) -> None:
    place = resolve(text)
    assert place is not None
    assert (place.name, place.country, place.feature) == (name, iso3, "city")


@pytest.mark.parametrize(
    ("text", "name", "iso3", "feature"),
    [
        ("Krim", "Crimea", "UKR", "admin1"),
        ("Vestbredden", "West Bank", "PSE", "admin1"),
        ("Gazastripen", "Gaza Strip", "PSE", "admin1"),
        ("Golan", "Golan Heights", "SYR", "region"),
        ("Donbas", "Donbas", "UKR", "region"),
        ("Tsjetsjenia", "Chechnya", "RUS", "admin1"),
        ("Donetsk oblast", "Donetsk Oblast", "UKR", "admin1"),
        ("Bayern", "Bavaria", "DEU", "admin1"),
        ("Zaporizjzja atomkraftverk", "Zaporizhzhia Nuclear Power Plant", "UKR", "facility"),
        ("Storskog grenseovergang", "Storskog Border Crossing", "NOR", "facility"),
        ("Rafah grenseovergang", "Rafah Border Crossing", "PSE", "facility"),
        ("Ramstein", "Ramstein Air Base", "DEU", "facility"),
        ("Ørland flystasjon", "Ørland Air Station", "NOR", "facility"),
        ("Guantánamo-basen", "Guantanamo Bay Naval Base", "CUB", "facility"),
    ],
)
def test_regions_and_facilities(text: str, name: str, iso3: str, feature: str) -> None:
    place = resolve(text)
    assert place is not None
    assert (place.name, place.country, place.feature) == (name, iso3, feature)


def test_moskva_is_moscow_not_the_village_in_tajikistan() -> None:
    found = gaz_candidates("Moskva", limit=20)
    assert found[0].gazetteer_id == "geonames:524901"
    assert any(c.country == "TJK" for c in found)  # the trap is there, and ranked lower
    assert found[0].score > max(c.score for c in found if c.country == "TJK")


def test_washington_is_washington_dc() -> None:
    place = resolve("Washington")
    assert place is not None
    assert (place.country, place.feature, place.admin1) == ("USA", "city", "District of Columbia")
    assert _near(place, 38.9, -77.04)


def test_genitive_and_case_and_accents() -> None:
    assert _r("Jekaterinburgs").name == "Yekaterinburg"
    assert _r("MOSKVA").name == "Moscow"
    assert _r("Guantanamo-basen").feature == "facility"


# --- transliteration fallback -------------------------------------------------------


def test_romanise_variants_follow_spraakraadet_backwards() -> None:
    assert "chelyabinsk" in romanise_variants("Tsjeljabinsk")
    assert "vostochnyy" in romanise_variants("Vostotsjnyj")
    assert "vostochny" in romanise_variants("Vostotsjnyj")
    assert "nizhniy novgorod" in romanise_variants("Nizjnij Novgorod")
    assert "zaporizhzhia" in romanise_variants("Zaporizjzja")
    assert "shchekino" in romanise_variants("Sjtsjekino")
    assert "yekaterinburg" in romanise_variants("Jekaterinburg")
    assert romanise_variants("Oslo") == []  # nothing to undo


@pytest.mark.parametrize(
    ("text", "name", "iso3"),
    [
        ("Kropyvnytskyj", "Kropyvnytskyi", "UKR"),
        ("Tsjuhujiv", "Chuhuyiv", "UKR"),
        ("Sjostka", "Shostka", "UKR"),
        ("Tsjornomorsk", "Chornomors’k", "UKR"),
    ],
)
def test_unlisted_transliterations_resolve_through_the_fallback(
    text: str, name: str, iso3: str
) -> None:
    place = resolve(text)
    assert place is not None
    assert (place.name, place.country) == (name, iso3)
    assert "romanised" in place.why


# --- disambiguation -------------------------------------------------------------------


def test_country_hint_decides() -> None:
    assert _r("Khasan", PlaceContext(countries=("IND",))).name == "Hassan"
    assert _r("Khasan", RUS).country == "RUS"
    assert _r("Donetsk", RUS).country == "RUS"  # the Russian town
    assert _r("Donetsk").country == "UKR"


def test_feature_hint_decides() -> None:
    assert _r("Vostotsjnyj", PlaceContext(feature="facility")).feature == "facility"
    assert _r("Severomorsk").feature == "city"
    naval = resolve("Severomorsk", PlaceContext(feature="facility"))
    assert naval is not None and naval.name == "Severomorsk Naval Base"
    region = resolve("Donetsk", PlaceContext(feature="admin1"))
    assert region is not None and region.name == "Donetsk Oblast"
    state = resolve("Georgia", PlaceContext(countries=("USA",), feature="admin1"))
    assert state is not None and (state.country, state.feature) == ("USA", "admin1")


def test_proximity_to_other_places_decides() -> None:
    assert _r("Paris").country == "FRA"
    dallas = resolve("Dallas")
    texas = resolve("Paris", context_from(others=[dallas] if dallas else []))
    assert texas is not None and (texas.country, texas.admin1) == ("USA", "Texas")
    assert _r("Alexandria").country == "EGY"
    virginia = resolve("Alexandria", PlaceContext(nearby=((38.9, -77.04),)))
    assert virginia is not None and virginia.admin1 == "Virginia"


def test_candidates_api() -> None:
    found = gaz_candidates("Khasan", country="RUS", limit=5)
    assert 1 <= len(found) <= 5
    assert found[0].gazetteer_id == "geonames:2022586"
    assert found == sorted(found, key=lambda c: -c.score)
    near = gaz_candidates("Alexandria", near=(38.9, -77.04), limit=3)
    assert near[0].admin1 == "Virginia"
    assert gaz_candidates("") == []
    assert set(found[0].to_place()) == {
        "name",
        "country",
        "admin1",
        "lat",
        "lon",
        "feature",
        "gazetteer_id",
    }


def test_acronyms_and_parts_of_countries() -> None:
    assert resolve("EU") is None  # not the French town Eu
    assert _r("USA").feature == "country"
    assert _r("OSLO").name == "Oslo"  # a headline in capitals
    scotland = _r("Skottland")  # countries.yaml counts it as GBR; the place is the part
    assert (scotland.name, scotland.country, scotland.feature) == ("Scotland", "GBR", "admin1")
    assert _r("Luxembourg").feature == "country"  # the country, not its capital
    assert _r("Europa").feature == "region"


def test_regions_against_cities_of_the_same_name() -> None:
    florida = _r("Florida")  # the US state, not Florida in Uruguay or Puerto Rico
    assert (florida.country, florida.feature) == ("USA", "admin1")
    assert _r("Texas").feature == "admin1"  # bigger than any town called Texas
    assert _r("Salzburg").feature == "city"  # the city is bigger than a tenth of the state
    assert _r("Ørland").country == "NOR"  # spelt with ø: not Orland, California


@pytest.mark.parametrize("text", ["Blablaby", "Xqzwvøya", "kosmodrom"])
def test_unknown_names_give_none(text: str) -> None:
    assert resolve(text) is None


# --- the data files -----------------------------------------------------------------


def test_hand_written_files_are_consistent_with_the_data() -> None:
    assert default().check() == []


def test_check_reports_a_wrong_geonames_id(tmp_path: Path) -> None:
    from hendelse.resolve.gazetteer import Gazetteer

    places = tmp_path / "places_nb.yaml"
    places.write_text(
        "cities:\n"
        "  - {geonames: 524901, en: Moscow, nb: [Moskva]}\n"
        "  - {geonames: 524901, en: Tokyo, nb: [Tokio]}\n"
        "admin1:\n  - {code: RU.999, en: Nowhere Krai}\n"
        "places:\n  - {id: 'x:1', name: X, feature: town, country: XXX, lat: 91, lon: 0}\n",
        encoding="utf-8",
    )
    gaz = Gazetteer(tmp_path / "cache", dataset="cities15000", places_file=places)
    problems = gaz.check()
    assert len(problems) == 5, problems
    assert any("'Moscow', not 'Tokyo'" in p for p in problems)
    assert any("RU.999" in p for p in problems)
    gaz.close()


def test_enough_hand_written_entries() -> None:
    places = yaml.safe_load((DATA / "places_nb.yaml").read_text(encoding="utf-8"))
    facilities = yaml.safe_load((DATA / "facilities.yaml").read_text(encoding="utf-8"))
    entries = sum(len(places[k]) for k in ("cities", "admin1", "places"))
    assert entries >= 150
    assert len(facilities["facilities"]) >= 40


def test_name_keys_and_place_nouns() -> None:
    assert name_key("Zaporizʹka Oblastʹ") == "zaporizka oblast"
    assert name_key("  Tromsø ") == "tromso"
    assert name_key("Rostov-na-Donu") == name_key("Rostov na Donu")
    assert split_place_noun("Donetsk oblast") == ("Donetsk", "admin1")
    assert split_place_noun("byen Khasan") == ("Khasan", "city")
    assert split_place_noun("Khasan") is None


def test_lookups_are_fast() -> None:
    gaz = default()
    names = ["Moskva", "Khasan", "Vostotsjnyj kosmodrom", "Primorskij Kraj", "Kropyvnytskyj"]
    gaz.resolve("Moskva")
    timings = []
    for _ in range(20):
        for name in names:
            started = time.perf_counter()
            gaz.resolve(name, RUS)
            timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.001


# --- building and rebuilding ---------------------------------------------------------------


def test_index_rebuilds_when_the_data_changes(tmp_path: Path) -> None:
    from hendelse.resolve.gazetteer import Gazetteer

    facilities = tmp_path / "facilities.yaml"
    shutil.copy(DATA / "facilities.yaml", facilities)
    cache = tmp_path / "cache"

    first = Gazetteer(cache, dataset="cities15000", facilities_file=facilities)
    assert not first.is_current()
    first.ensure()
    assert first.build_seconds is not None and first.build_seconds < 60
    assert first.resolve("Testbasen Nord") is None
    assert first.resolve("Vostotsjnyj kosmodrom") is not None
    version = first.version
    first.close()

    unchanged = Gazetteer(cache, dataset="cities15000", facilities_file=facilities)
    assert unchanged.is_current()
    unchanged.ensure()
    assert unchanged.build_seconds is None  # nothing rebuilt
    unchanged.close()

    data = yaml.safe_load(facilities.read_text(encoding="utf-8"))
    data["facilities"].append(
        {
            "id": "test-base",
            "name": "Test Base North",
            "nb": ["Testbasen Nord"],
            "kind": "army base",
            "country": "NOR",
            "lat": 69.0,
            "lon": 18.0,
        }
    )
    facilities.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    changed = Gazetteer(cache, dataset="cities15000", facilities_file=facilities)
    assert changed.version != version
    assert not changed.is_current()
    place = changed.resolve("Testbasen Nord")  # rebuilt on first use
    assert changed.build_seconds is not None
    assert place is not None and place.gazetteer_id == "hendelse:facility:test-base"
    assert place.admin1 is not None  # taken from the nearest town
    changed.close()

    # each version keeps a file of its own: the first data's index is still there
    again = Gazetteer(cache, dataset="cities15000", facilities_file=DATA / "facilities.yaml")
    assert again.version == version and again.is_current()
    assert changed.path != again.path and changed.is_current()
    again.close()


def test_the_cache_keeps_the_newest_versions(tmp_path: Path, monkeypatch) -> None:
    from hendelse.resolve.gazetteer import Gazetteer

    cache = tmp_path / "cache"
    first = Gazetteer(cache, dataset="cities15000")
    first.ensure()
    first.close()
    old = cache / "gazetteer-cities15000-0123456789abcdef.sqlite"  # an older version's file
    old.write_bytes(first.path.read_bytes())
    os.utime(old, (1, 1))
    other = cache / "gazetteer-cities500-0123456789abcdef.sqlite"  # another dataset's
    other.write_bytes(b"")
    monkeypatch.setattr(Gazetteer, "KEEP_VERSIONS", 2)
    first.build()
    assert old.exists() and first.path.exists()  # two versions kept
    monkeypatch.setattr(Gazetteer, "KEEP_VERSIONS", 1)
    first.build()
    assert not old.exists() and first.path.exists() and other.exists()
    assert first.resolve("Vostotsjnyj kosmodrom") is not None
    first.close()


# --- names with place nouns, facilities, parts of countries ----------------------


def test_a_place_noun_joined_with_a_hyphen_is_split_off() -> None:
    assert split_place_noun("Hmeimim-basen") == ("Hmeimim", "facility")
    assert split_place_noun("Belgorod-regionen") == ("Belgorod", "admin1")
    assert split_place_noun("Rostov-na-Donu") is None
    assert _r("Belgorod-regionen").feature == "admin1"  # the oblast, not the city
    assert _r("Sichuan-provinsen").country == "CHN"


def test_facility_names_take_synonyms_of_their_noun_and_a_weak_short_form() -> None:
    # written "Olkiluoto atomkraftverk" in the data; "kjernekraftverk" is the same
    assert _r("Olkiluoto kjernekraftverk").gazetteer_id == "hendelse:facility:olkiluoto-npp"
    assert _r("Incirlik flystasjon").feature == "facility"
    # the town keeps its name; the base needs its noun
    assert _r("Engels").feature == "city"
    assert _r("Engels flybase").gazetteer_id == "hendelse:facility:engels-2"
    saky = resolve("Saky", PlaceContext(feature="facility"))
    assert saky is not None and saky.gazetteer_id == "hendelse:facility:saky"


def test_scandinavian_names_are_not_read_as_transliterations() -> None:
    assert romanise_variants("Bjørgen") == []  # not "Bergen"
    assert romanise_variants("Tsjeljabinsk")


def test_parts_of_a_country_are_regions_in_the_gazetteer() -> None:
    gazetteer = default()
    assert gazetteer.is_region_name("Skottland")
    assert gazetteer.is_region_name("Nord-Irland")
    assert not gazetteer.is_region_name("Storbritannia")
    assert not gazetteer.is_region_name("Bergen")


def test_small_towns_and_alternate_names_are_uncertain_choices() -> None:
    assert _r("Khasan", RUS).uncertain  # 776 people
    assert not _r("Moskva").uncertain
    assert not _r("Krim").uncertain  # an admin1 region by its Norwegian name


def _metonyms() -> list[tuple[str, str]]:
    return [(name, c.iso3) for c in countries.countries() for name, _ in c.metonyms]


@pytest.mark.parametrize(("text", "iso3"), _metonyms(), ids=lambda v: str(v))
def test_every_seat_of_power_is_a_place_near_its_capital(text: str, iso3: str) -> None:
    """Each metonym of countries.yaml ("Stortinget", "Kreml", "Downing Street") is,
    read as a place, somewhere in its country near the capital: a facility of
    facilities.yaml, or the district or city it names, never a namesake abroad."""
    place = _r(text, PlaceContext(countries=(iso3,)))
    country = countries.by_iso3(iso3)
    assert place.country == iso3, f"{text!r} -> {place.name} ({place.country})"
    assert country is not None and country.capital_lat is not None
    assert _near(place, country.capital_lat, country.capital_lon, tol=1.0), place.name
