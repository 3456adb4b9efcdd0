"""Build ``src/hendelse/resolve/data/countries.yaml``, the country table hendelse reads.

Two inputs are merged:

* Unicode CLDR, through Babel: every ISO 3166-1 country or territory that has
  an alpha-3 code, with its Bokmål (``nb``) and English name. CLDR lists the
  alpha-3 codes as "overlong" aliases of the alpha-2 codes; codes that are
  deprecated, private-use or CLDR-only are left out (see ``NOT_ISO``).
  Babel drops CLDR's ``alt="short"``/``alt="variant"`` names, so short forms
  are derived from the names it does give: "Myanmar (Burma)" gives "Myanmar"
  and "Burma", "Hongkong SAR Kina" gives "Hongkong", "Congo - Kinshasa" gives
  "Congo-Kinshasa". Other alternative names are written by hand (below).
* ``src/hendelse/resolve/data/countries_extra.yaml``, written by hand:
  alternative Norwegian names, adjectives, inhabitant nouns, capitals,
  government metonyms ("Kreml"), coordinates, and the international
  organisations. This script expands the adjectives (+ "-e") and the
  inhabitant nouns (definite and plural forms) by rule.

Babel is needed only here, not at run time. Usage::

    python scripts/build_countries.py           # write countries.yaml
    python scripts/build_countries.py --check   # exit 1 if countries.yaml is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "hendelse" / "resolve" / "data"
EXTRA = DATA / "countries_extra.yaml"
OUTPUT = DATA / "countries.yaml"

# Alpha-3 aliases in CLDR that are not current ISO 3166-1 codes: deprecated
# codes (Burma, East Germany, Metropolitan France, East Timor, South Yemen,
# Zaire) and CLDR-only regions (Ascension, Clipperton, Diego Garcia, Tristan
# da Cunha). User-assigned codes (AAA, QMM, XKK …) are dropped by rule.
NOT_ISO = {"BUR", "DDR", "FXX", "TMP", "YMD", "ZAR", "ASC", "CPT", "DGA", "TAA"}

SECTORS = {"GOV", "LEG", "MIL", "JUD"}

HEADER = """\
# Countries and international organisations with their Norwegian (Bokmål)
# names, for hendelse.resolve.countries.
#
# GENERATED FILE - do not edit. Edit countries_extra.yaml (hand-written facts)
# or scripts/build_countries.py, then run
#     .venv/bin/python scripts/build_countries.py
#
# Sources: names_nb/names_en start with the Unicode CLDR names (via Babel, see
# generated_with) and short forms derived from them; everything else is
# hand-written in countries_extra.yaml.
#
# Top level:
#   generated_with:     Babel and CLDR versions the names came from
#   capitalised_only:   keys that match only when written with a capital letter
#   unindexed_capitals: capitals kept for display but never looked up
#   countries:          one entry per ISO 3166-1 country or territory
#   igos:               international organisations (country code "IGO")
# Country fields:
#   iso3, iso2:       ISO 3166-1 alpha-3 / alpha-2 (Kosovo: user-assigned XKX/XK)
#   name_nb, name_en: display names (CLDR)
#   names_nb:         every Norwegian name that is looked up (CLDR + hand-written)
#   names_en:         English names, looked up after the Norwegian ones
#   adjectives:       adjective forms (russisk, russiske)
#   inhabitants:      inhabitant noun forms (russer, russeren, russere, russerne)
#   capital:          capital in Norwegian, or null
#   capital_aliases:  other spellings and seats of government
#   metonyms:         name -> CAMEO sector it stands for (Kreml: GOV)
#   lat, lon:         approximate centre of the country, or null
#   capital_lat, capital_lon: the capital, or null
# Aliases written in capitals (USA, FN) match only when written in capitals.
"""


# --- inflection -------------------------------------------------------------


def adjective_forms(base: str) -> list[str]:
    """``russisk`` -> ``[russisk, russiske]`` (the plural/definite form)."""
    return [base] if base.endswith("e") else [base, base + "e"]


def inhabitant_forms(singular: str) -> list[str]:
    """Indefinite singular -> singular, definite singular, plural, definite plural."""
    if singular.endswith("mann"):  # nordmann, nordmannen, nordmenn, nordmennene
        stem = singular[: -len("mann")]
        return [singular, singular + "en", stem + "menn", stem + "mennene"]
    if singular.endswith("er"):  # russer, russeren, russere, russerne
        return [singular, singular + "en", singular + "e", singular + "ne"]
    if singular.endswith("e"):  # brite, briten, briter, britene
        return [singular, singular + "n", singular + "r", singular + "ne"]
    # polakk, polakken, polakker, polakkene
    return [singular, singular + "en", singular + "er", singular + "ene"]


# --- CLDR -------------------------------------------------------------------


def babel_versions() -> dict[str, str]:
    import babel
    from babel.core import get_cldr_version

    return {"babel": babel.__version__, "cldr": str(get_cldr_version())}


def _user_assigned(code: str) -> bool:
    """ISO 3166-1 alpha-3 ranges left to users: AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ."""
    return code[:2] in {"AA", "ZZ"} or "QM" <= code[:2] <= "QZ" or code[0] == "X"


def cldr_alpha3() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> alpha-2, from CLDR's territory aliases."""
    from babel.core import get_global

    aliases = get_global("territory_aliases")
    codes: dict[str, str] = {}
    for code, targets in aliases.items():
        if len(code) != 3 or not code.isalpha() or len(targets) != 1:
            continue
        if code in NOT_ISO or _user_assigned(code):
            continue
        codes[code] = targets[0]
    seen: dict[str, str] = {}
    for a3, a2 in codes.items():
        if a2 in seen:
            raise SystemExit(f"two alpha-3 codes for {a2}: {seen[a2]} and {a3}")
        seen[a2] = a3
    return codes


def derived_names(name: str) -> list[str]:
    """Short forms of a CLDR name: parenthesised alternatives, SAR suffixes, ' - '."""
    out = [name]
    if name.endswith(")") and " (" in name:
        main, alt = name[:-1].split(" (", 1)
        out += [main, alt]
    for suffix in (" SAR Kina", " SAR China"):
        if name.endswith(suffix):
            out.append(name[: -len(suffix)])
    if " - " in name:
        out.append(name.replace(" - ", "-"))
    return out


# --- building ---------------------------------------------------------------


def _unique(items: list[str]) -> list[str]:
    """Drop empty and repeated items, keeping the first; case counts (NATO, Nato)."""
    return [item for i, item in enumerate(items) if item and item not in items[:i]]


def _point(value: Any, where: str) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    lat, lon = value
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise SystemExit(f"{where}: coordinates out of range: {value}")
    return round(float(lat), 2), round(float(lon), 2)


def build_data() -> dict[str, Any]:
    from babel.core import Locale

    extra = yaml.safe_load(EXTRA.read_text("utf-8"))
    nb = Locale("nb").territories
    en = Locale("en").territories
    codes = cldr_alpha3()
    codes.update(extra.get("extra_codes") or {})
    blocked_names = set(extra.get("blocked_names") or [])
    blocked_forms = set(extra.get("blocked_forms") or [])
    hand = extra.get("countries") or {}
    unknown = sorted(set(hand) - set(codes))
    if unknown:
        raise SystemExit(f"countries_extra.yaml: unknown alpha-3 codes {unknown}")

    countries = []
    for iso3 in sorted(codes):
        iso2 = codes[iso3]
        facts = hand.get(iso3) or {}
        allowed = {"names", "names_en", "adjectives", "inhabitants", "capital"}
        allowed |= {"capital_aliases", "metonyms", "at", "capital_at"}
        if set(facts) - allowed:
            raise SystemExit(f"{iso3}: unknown fields {sorted(set(facts) - allowed)}")
        name_nb, name_en = nb[iso2], en[iso2]
        names_nb = derived_names(name_nb) + list(facts.get("names") or [])
        names_en = derived_names(name_en) + list(facts.get("names_en") or [])
        adjectives = [f for a in facts.get("adjectives") or [] for f in adjective_forms(a)]
        inhabitants = [f for i in facts.get("inhabitants") or [] for f in inhabitant_forms(i)]
        metonyms = dict(facts.get("metonyms") or {})
        bad = {k: v for k, v in metonyms.items() if v not in SECTORS}
        if bad:
            raise SystemExit(f"{iso3}: unknown sectors {bad}")
        lat, lon = _point(facts.get("at"), iso3)
        capital_lat, capital_lon = _point(facts.get("capital_at"), iso3)
        countries.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "name_nb": name_nb,
                "name_en": name_en,
                "names_nb": _unique([n for n in names_nb if n not in blocked_names]),
                "names_en": _unique([n for n in names_en if n not in blocked_names]),
                "adjectives": _unique(adjectives),
                "inhabitants": _unique([f for f in inhabitants if f not in blocked_forms]),
                "capital": facts.get("capital"),
                "capital_aliases": _unique(list(facts.get("capital_aliases") or [])),
                "metonyms": metonyms,
                "lat": lat,
                "lon": lon,
                "capital_lat": capital_lat,
                "capital_lon": capital_lon,
            }
        )

    igos = []
    for igo in extra.get("igos") or []:
        if igo.get("sector") not in {"IGO", "NGO"}:
            raise SystemExit(f"{igo.get('id')}: sector must be IGO or NGO")
        igos.append(
            {
                "id": igo["id"],
                "code": "IGO",
                "sector": igo["sector"],
                "name_en": igo["name_en"],
                "name_nb": igo["name_nb"],
                "aliases": _unique([igo["name_nb"], *igo.get("aliases", [])]),
                "parent": igo.get("parent"),
            }
        )
    ids = {i["id"] for i in igos}
    for igo in igos:
        if igo["parent"] is not None and igo["parent"] not in ids:
            raise SystemExit(f"{igo['id']}: unknown parent {igo['parent']}")

    data = {
        "version": 1,
        "generated_with": babel_versions(),
        "capitalised_only": list(extra.get("capitalised_only") or []),
        "unindexed_capitals": list(extra.get("unindexed_capitals") or []),
        "countries": countries,
        "igos": igos,
    }
    check_collisions(data)
    return data


def check_collisions(data: dict[str, Any]) -> None:
    """Fail when one lookup key would point to two different entities."""
    tables: dict[str, dict[str, str]] = {}

    def add(table: str, key: str, owner: str) -> None:
        seen = tables.setdefault(table, {})
        folded = key.casefold()
        if seen.get(folded, owner) != owner:
            raise SystemExit(f"{table}: {key!r} belongs to both {seen[folded]} and {owner}")
        seen[folded] = owner

    skip = set(data["unindexed_capitals"])
    for c in data["countries"]:
        for name in c["names_nb"]:
            add("name", name, c["iso3"])
        for word in c["adjectives"]:
            add("adjective", word, c["iso3"])
        for word in c["inhabitants"]:
            add("inhabitant", word, c["iso3"])
        capitals = [c["capital"], *c["capital_aliases"], *c["metonyms"]]
        for name in capitals:
            if name and name not in skip:
                add("capital", name, c["iso3"])
    for igo in data["igos"]:
        for alias in igo["aliases"]:
            add("igo", alias, igo["id"])
            if alias.casefold() in tables["name"]:
                raise SystemExit(f"IGO alias {alias!r} is also a country name")


def render(data: dict[str, Any]) -> str:
    body = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is current")
    args = parser.parse_args(argv)
    text = render(build_data())
    if args.check:
        if OUTPUT.exists() and OUTPUT.read_text("utf-8") == text:
            print(f"{OUTPUT.relative_to(REPO)} is up to date")
            return 0
        print(f"{OUTPUT.relative_to(REPO)} is stale: run scripts/build_countries.py")
        return 1
    OUTPUT.write_text(text, "utf-8")
    n = text.count("\n- iso3:")
    print(f"wrote {OUTPUT.relative_to(REPO)}: {n} countries, {len(text):,} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
