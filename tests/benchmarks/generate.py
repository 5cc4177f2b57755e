"""Generate a large, valid, deterministic synthetic knowledge base for benchmarks.

    python tests/benchmarks/generate.py OUT_DIR --scale S [--seed N]

Scale 1.0 is the reference size (see `expected_counts`): 3,534 regions, 10,000 groups, 30,000
relationships, 100,000 assessments, 20,000 events, 15,000 figures over 3,000 measures, 3,000 people,
400 sources, 800 organizations, 600 works and 300 topics: 54 files, about 90 MB of YAML. Every count scales
linearly with S (rounded, with a small minimum); there is always exactly one world region, and
countries stop at 676 (every A-Z pair is used once as an iso code).

The region tree is deep: world > region > subregion > country > area > city > district (kind
`area`), seven levels, so the deepest region has six ancestors at every scale. One node is wide on
purpose, the target of the "expand a node with 1,000 children" benchmark: the area with the stable
id `region-wide` (under the first country) has `wide_children(S)` = max(10, floor(1100 * S + 0.5)) direct
children (cities), i.e. 1,100 at scale 1.0 and at least 1,000 from scale 0.91.

The same seed and scale give byte-identical files: every random choice comes from a
`random.Random` seeded from the seed and the kind's name, and the YAML is written by the small
emitter below (every string double-quoted, only `"` and `\\` escaped; no anchors, tags or control
characters). Each kind is split into files of at most about 2 MB (`assessments-0001.yaml`, ...).

Every country, area, city and district has a `point` ([latitude, longitude], 2 decimals) and every
area and district a `bbox` ([south, west, north, east]) around it, all citing the last source, the
gazetteer `synthetic-gazetteer` (no cite) in `coords_source`; the world, regions and subregions have
none. The coordinates are random but clustered so a map has structure: countries spread over
latitudes -50..70 and longitudes -170..170, each area within a few degrees of its country, each city
inside its area's box, each district near its city. They come from a random stream of their own,
so they do not change the other records' random choices.

The data is valid under every rule of `isis-explorer validate`: the first source is the standard
`iso-3166` (no cite) that every country's `iso_source` names; some records carry a hedge, some dates
are `inferred`, some events have an end (`until`); figures compete (`competes_with`, both ways) only
in pairs of one measure, the same regions and the same as_of year; no figure's `given_by` is a source
it cites; a few people are collective ("Some analysts"), and a few assessments are relayed (`via`).
"""

from __future__ import annotations

import argparse
import calendar
import os
import random
import re
import sys
import time
import unicodedata

KINDS = (
    "sources",
    "organizations",
    "regions",
    "groups",
    "relationships",
    "measures",
    "figures",
    "people",
    "works",
    "topics",
    "assessments",
    "events",
)
BASE = {
    "sources": 400,
    "organizations": 800,
    "groups": 10_000,
    "relationships": 30_000,
    "measures": 3_000,
    "figures": 15_000,
    "people": 3_000,
    "works": 600,
    "topics": 300,
    "assessments": 100_000,
    "events": 20_000,
}
# a relationship needs two groups; competing figures need two; the standard and the gazetteer are two sources
MINIMUM = {"groups": 2, "figures": 2, "sources": 2}
# region levels below the world: (name, YAML kind, count at scale 1, minimum)
LEVELS = (
    ("region", "region", 8, 2),
    ("subregion", "subregion", 24, 2),
    ("country", "country", 200, 3),
    ("area", "area", 600, 3),
    ("city", "city", 1200, 3),
    ("district", "area", 400, 2),
)
WIDE_ID, WIDE_CHILDREN, WIDE_MIN = "region-wide", 1100, 10
MAX_ISO, MAX_FILE_BYTES = 26 * 26, 2_000_000  # every A-Z pair once; bytes per file
OWN_FILE = re.compile("(" + "|".join(KINDS) + r")-\d{4}\.yaml\Z")

SYLLABLES = (
    "al",
    "ba",
    "dar",
    "kar",
    "sa",
    "tel",
    "mir",
    "qa",
    "ra",
    "zan",
    "hir",
    "mos",
    "ul",
    "ka",
    "bad",
    "ja",
    "ni",
    "ro",
    "ve",
    "sur",
    "ham",
    "tā",
    "rī",
    "ḥa",
    "an",
    "is",
    "or",
    "de",
)
PLACE_SUFFIX = ("", "", "", "abad", "pur", "iya", "stan", "an")
CITY_PREFIX = ("", "", "", "Tel ", "Al-", "Bir ", "Ras ", "Wadi ", "Deir ")
ADJ = (
    "Victorious",
    "Eastern",
    "Western",
    "Northern",
    "Southern",
    "Loyal",
    "Free",
    "Righteous",
    "Steadfast",
    "United",
    "Revolutionary",
    "Islamic",
    "Popular",
    "National",
    "Hidden",
    "Black",
)
NOUN = (
    "Brigade",
    "Front",
    "Army",
    "Battalion",
    "Movement",
    "Council",
    "Legion",
    "Network",
    "Vanguard",
    "Partisans",
    "Guard",
    "Squadron",
    "Mujahideen",
    "Shura",
    "Emirate",
    "Alliance",
)
ARABIC = ("Ansar", "Jund", "Katibat", "Liwa", "Harakat", "Jaysh", "Saraya", "Jamaat", "Ahl")
ARABIC2 = ("Khilafa", "Tawhid", "Haqq", "Sham", "Furqan", "Mujahideen", "Sunna", "Nusra", "Qadisiyya")
GREEK = ("Alpha", "Bravo", "Delta", "Kilo", "Sierra", "Tango", "Victor", "Zulu")
FIRST = (
    "Ali",
    "Chris",
    "Hassan",
    "Lina",
    "Seth",
    "Daniel",
    "Amira",
    "Jean-Luc",
    "Mariam",
    "Omar",
    "Katherine",
    "Yusuf",
    "Ingrid",
    "Tomás",
    "Zainab",
    "Piotr",
    "Aisha",
    "Kenji",
    "Fatima",
    "Björn",
)
LAST = (
    "Soufan",
    "Maier",
    "Hassan",
    "Khatib",
    "Jones",
    "Byman",
    "Weiss",
    "O’Brien",
    "al-Tamimi",
    "Nguyen",
    "Müller",
    "Haddad",
    "Okafor",
    "Lindqvist",
    "Rahman",
    "García",
    "Kowalski",
    "Zelin",
)
TITLES = (
    "Senior fellow",
    "Director",
    "Analyst",
    "Professor of security studies",
    "Spokesman",
    "Former ambassador",
    "Researcher",
    "Commander",
    "Minister of the interior",
    "Reporter",
)
WORDS = (
    "the",
    "group",
    "fighters",
    "caliphate",
    "territory",
    "will",
    "remain",
    "a",
    "threat",
    "in",
    "Iraq",
    "Syria",
    "and",
    "its",
    "affiliates",
    "are",
    "under",
    "pressure",
    "from",
    "local",
    "forces",
    "we",
    "see",
    "recruits",
    "moving",
    "toward",
    "desert",
    "outposts",
    "insurgency",
    "underground",
    "networks",
    "governance",
    "vacuum",
    "instability",
    "ideology",
    "returnees",
    "foreign",
    "propaganda",
    "online",
    "attacks",
    "cells",
    "of",
    "to",
    "not",
    "but",
    "still",
    "leadership",
    "pledged",
    "allegiance",
    "rivals",
    "coalition",
    "strikes",
    "border",
    "towns",
)
CURLY = ("don’t", "it’s", "ISIS’s", "won’t", "they’re", "the group’s", "we’ve", "isn’t")
MARKUP = (
    "[bold]",
    "[/bold]",
    "[red]warning[/]",
    "[link=https://example.org]x[/link]",
    "[1]",
    "[sic]",
    "[...]",
    "*",
    "**emphasis**",
    "&",
    "R&D",
    "A & B",
    "&amp;",
    "#hashtag",
    "{x}",
    "${HOME}",
    "$var",
    "`code`",
    "%d",
    "@handle",
    "| pipe",
    "> quoted",
    "- dash",
    "key: value",
    "---",
    '"straight"',
    "'single'",
    "back\\slash",
    "<b>bold</b>",
    "~",
    "!important",
    "&anchor",
    "*alias",
    "<<",
    "%YAML",
)
UNITS = ("people", "fighters", "km²", "percent", "countries", "months", "attacks", "USD", "returnees")
ATTRIBUTION = ("some analysts", "local officials", "a UN panel", "US officials", "Kurdish commanders")
COLLECTIVES = ("Some analysts", "Few analysts", "Local officials", "Western diplomats", "The Defeat ISIS community")
HEDGES = ("perhaps", "apparent", "estimated", "likely", "some-say")
STANDARD = "iso-3166"  # the first source: where the countries' iso codes come from
GAZETTEER = "synthetic-gazetteer"  # the last source: where the regions' points and boxes come from
# Where countries' points fall (land-ish latitudes), and how far their areas, cities and districts spread.
COUNTRY_LAT, COUNTRY_LON = (-50.0, 70.0), (-170.0, 170.0)
AREA_SPREAD, AREA_HALF = (4.0, 5.0), ((0.2, 2.0), (0.2, 2.5))  # area point around its country; half-size
DISTRICT_SPREAD, DISTRICT_HALF = 0.3, (0.05, 0.3)
CITED_SOURCE = re.compile(r"([a-z0-9-]+)/p")


def scaled(base: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, int(base * scale + 0.5))


def level_counts(scale: float) -> dict[str, int]:
    counts = {name: scaled(base, scale, low) for name, _, base, low in LEVELS}
    counts["country"] = min(counts["country"], MAX_ISO)
    return counts


def wide_children(scale: float) -> int:
    """Direct children of `region-wide`: max(10, floor(1100 * scale + 0.5))."""
    return scaled(WIDE_CHILDREN, scale, WIDE_MIN)


def expected_counts(scale: float) -> dict[str, int]:
    """Records per kind that `generate(out, scale)` writes, in the loader's kind order."""
    counts = {kind: scaled(BASE[kind], scale, MINIMUM.get(kind, 1)) for kind in BASE}
    counts["regions"] = 1 + sum(level_counts(scale).values()) + 1 + wide_children(scale)
    return {kind: counts[kind] for kind in KINDS}


# -- emitting ---------------------------------------------------------------------------------
def q(text: str) -> str:
    """A double-quoted YAML scalar: only `\\` and `"` need escaping in what we generate."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow(items) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


class Writer:
    """Writes one kind as `KIND-NNNN.yaml` files of at most MAX_FILE_BYTES each."""

    def __init__(self, out: str, kind: str, header: str) -> None:
        self.out, self.kind = out, kind
        self.head = f"# {header}: {kind}, part %d\n{kind}:\n"
        self.parts: list[str] = []
        self.size = len(self.head.encode()) + 8
        self.files: list[str] = []

    def add(self, fields: dict[str, str | None]) -> None:
        """One record; fields whose value is None are left out, a list of lines is a block."""
        text = "".join(
            f"    {key}:\n" + "".join(value) if isinstance(value, list) else f"    {key}: {value}\n"
            for key, value in fields.items()
            if value is not None
        )
        text = "  - " + text[4:]
        size = len(text.encode("utf-8"))
        if self.parts and self.size + size > MAX_FILE_BYTES:
            self.flush()
        self.parts.append(text)
        self.size += size

    def flush(self) -> None:
        if self.parts:
            path = os.path.join(self.out, f"{self.kind}-{len(self.files) + 1:04d}.yaml")
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(self.head % (len(self.files) + 1))
                handle.writelines(self.parts)
            self.files.append(path)
            self.parts, self.size = [], len(self.head.encode()) + 8


# -- words ------------------------------------------------------------------------------------
def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"


def place(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(PLACE_SUFFIX)
    return word.capitalize()


def sentence(rng: random.Random, low: int = 6, high: int = 16) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def quote(rng: random.Random) -> str:
    """A 'verbatim' quotation of 50-600 characters, some with curly quotes or markup-like text."""
    target = int(rng.triangular(50, 600, 120))
    parts: list[str] = []
    length = 0
    while length <= target:  # the joined text is then at least `target` long
        part, roll = sentence(rng), rng.random()
        if roll < 0.25:
            words = part.split(" ")
            words.insert(rng.randrange(len(words)), rng.choice(CURLY))
            part = " ".join(words)
        elif roll < 0.35:
            part = f"“{part[:-1]},” he said."
        elif roll < 0.5:
            part = f"{part[:-1]} {rng.choice(MARKUP)} {rng.choice(MARKUP)}."
        parts.append(part)
        length += len(part) + 1
    text = " ".join(parts)
    return text[:600].rsplit(" ", 1)[0] if len(text) > 600 else text


def date(rng: random.Random) -> str:
    """Every precision: `unknown`, `2015`, `early 2015`, `2016-08`, `late 2016-08`, `2017-10-17`;
    one in ten known dates inferred (`inferred 2016-08`)."""
    roll, year, month = rng.random(), rng.randint(2003, 2019), rng.randint(1, 12)
    part = rng.choice(("early", "mid", "late"))
    inferred = "inferred " if rng.random() < 0.1 else ""
    if roll < 0.07:
        return "unknown"
    if roll < 0.35:
        return inferred + (f"{part} {year}" if roll > 0.25 else str(year))
    if roll < 0.65:
        return inferred + (f"{part} {year}-{month:02d}" if roll > 0.55 else f"{year}-{month:02d}")
    return inferred + f"{year}-{month:02d}-{rng.randint(1, calendar.monthrange(year, month)[1]):02d}"


def year_of(written: str) -> int | None:
    """The year of a date as `date()` writes it, None when unknown."""
    found = re.search(r"[0-9]{4}", written)
    return int(found.group()) if found else None


def hedge(rng: random.Random, share: float) -> str | None:
    return q(rng.choice(HEDGES)) if rng.random() < share else None


# -- coordinates ------------------------------------------------------------------------------
def degrees(value: float) -> str:
    return f"{round(value, 2) + 0.0:.2f}"  # + 0.0: never -0.00


class Places:
    """Points and boxes from their own random stream (the other records do not change with them):
    countries spread over land-ish latitudes, each area around its country with a box, the cities
    inside their area's box, each district (an area) around its city with a small box."""

    def __init__(self, rng: random.Random) -> None:
        self.uniform = rng.uniform
        self.points: dict[str, tuple[float, float]] = {}
        self.boxes: dict[str, tuple[float, float, float, float]] = {}

    def of(self, level: str, rid: str, parent: str) -> dict[str, str]:
        """The point, bbox and coords_source fields of a region at `level` (none above countries)."""
        uniform = self.uniform
        if level == "country":
            lat, lon = uniform(*COUNTRY_LAT), uniform(*COUNTRY_LON)
        elif level == "city":
            south, west, north, east = self.boxes[parent]
            lat, lon = uniform(south, north), uniform(west, east)
        elif level in ("area", "district"):
            (spread_lat, spread_lon), (half_lat, half_lon) = (
                (AREA_SPREAD, AREA_HALF) if level == "area" else ((DISTRICT_SPREAD,) * 2, (DISTRICT_HALF,) * 2)
            )
            plat, plon = self.points[parent]
            lat, lon = plat + uniform(-spread_lat, spread_lat), plon + uniform(-spread_lon, spread_lon)
        else:
            return {}
        lat, lon = round(min(max(lat, -89.0), 89.0), 2), round(min(max(lon, -179.0), 179.0), 2)
        self.points[rid] = (lat, lon)
        fields = {"point": f"[{degrees(lat)}, {degrees(lon)}]"}
        if level in ("area", "district"):
            dlat, dlon = uniform(*half_lat), uniform(*half_lon)
            box = (
                round(max(lat - dlat, -90.0), 2),
                round(max(lon - dlon, -180.0), 2),
                round(min(lat + dlat, 90.0), 2),
                round(min(lon + dlon, 180.0), 2),
            )
            self.boxes[rid] = box
            fields["bbox"] = "[" + ", ".join(map(degrees, box)) + "]"
        fields["coords_source"] = q(GAZETTEER)
        return fields


# -- records ----------------------------------------------------------------------------------
class Generator:
    """One method per kind yields its records; ids are kept so later kinds can refer to them."""

    def __init__(self, out: str, scale: float, seed: int) -> None:
        self.out, self.scale, self.seed = out, scale, seed
        self.n = expected_counts(scale)
        self.ids: dict[str, list[str]] = {kind: [] for kind in KINDS}
        self.header = f"Synthetic knowledge base (tests/benchmarks/generate.py --scale {scale} --seed {seed})"

    def rng(self, kind: str) -> random.Random:
        return random.Random(f"{self.seed}:{kind}")  # a str seed is hashed with SHA-512: stable

    def pick(self, rng: random.Random, kind: str) -> str:
        ids = self.ids[kind]
        return ids[rng.randrange(len(ids))]

    def some(self, rng: random.Random, kind: str, low: int, high: int, start: int = 0) -> str:
        ids = self.ids[kind]
        k = min(rng.randint(low, high), len(ids) - start)
        return flow(ids[i] for i in sorted(rng.sample(range(start, len(ids)), k)))

    def cite(self, rng: random.Random) -> str:
        def one() -> str:
            para = rng.randint(1, 60)
            tail = f"-{para + rng.randint(1, 3)}" if rng.random() < 0.15 else ""
            return f"{self.pick(rng, 'sources')}/p{para}{tail}"

        return q(one()) if rng.random() < 0.7 else flow(one() for _ in range(rng.randint(2, 3)))

    def run(self) -> list[str]:
        names = self.rng("source-ids")
        reports = [f"{slug(place(names))}-report-{i}" for i in range(1, self.n["sources"] - 1)]
        self.ids["sources"] = [STANDARD, *reports, GAZETTEER]
        files: list[str] = []
        for kind in (
            "regions",
            "organizations",
            "groups",
            "measures",
            "people",
            "topics",
            "sources",
            "relationships",
            "figures",
            "works",
            "assessments",
            "events",
        ):  # referred-to kinds first
            writer = Writer(self.out, kind, self.header)
            for fields in getattr(self, kind)(self.rng(kind)):
                writer.add(fields)
            writer.flush()
            files += writer.files
        return sorted(files)

    def regions(self, rng):
        ids = self.ids["regions"] = ["world"]
        yield {
            "id": q("world"),
            "name": q("World"),
            "kind": q("world"),
            "summary": q("Root of the synthetic region tree."),
            "cite": self.cite(rng),
        }
        counts = level_counts(self.scale)
        where = Places(self.rng("coordinates"))
        isos = rng.sample([a + b for a in map(chr, range(65, 91)) for b in map(chr, range(65, 91))], counts["country"])
        parents = ["world"]
        for level, kind, _, _ in LEVELS:
            mine: list[str] = []
            for i in range(counts[level]):
                name = (rng.choice(CITY_PREFIX) if kind == "city" else "") + place(rng)
                name += {"region": " Region", "subregion": " Basin", "district": " Quarter"}.get(level, "")
                mine.append(rid := f"{slug(name)}-{level[0]}{i}")
                parent = parents[i] if i < len(parents) else parents[rng.randrange(len(parents))]
                yield {
                    "id": q(rid),
                    "name": q(name),
                    "kind": q(kind),
                    "parent": q(parent),
                    "structural": "true" if level == "region" and i % 2 else None,
                    "iso": q(isos[i]) if kind == "country" else None,
                    "iso_source": q(STANDARD) if kind == "country" else None,
                    **where.of(level, rid, parent),
                    "aliases": flow([name.upper(), f"{name} ({level})"]) if rng.random() < 0.1 else None,
                    "summary": q(sentence(rng)) if rng.random() < 0.2 else None,
                    "cite": self.cite(rng),
                }
                if level == "country" and i == 0:
                    yield {
                        "id": q(WIDE_ID),
                        "name": q("Wide Governorate"),
                        "kind": q("area"),
                        "parent": q(rid),
                        **where.of("area", WIDE_ID, rid),
                        "summary": q(f"Has {wide_children(self.scale)} direct children."),
                        "cite": self.cite(rng),
                    }
            ids.extend(mine)
            parents = mine
        ids.append(WIDE_ID)
        for i in range(wide_children(self.scale)):
            name = rng.choice(CITY_PREFIX) + place(rng)
            ids.append(rid := f"{slug(name)}-w{i}")
            yield {
                "id": q(rid),
                "name": q(name),
                "kind": q("city"),
                "parent": q(WIDE_ID),
                **where.of("city", rid, WIDE_ID),
                "cite": self.cite(rng),
            }

    def organizations(self, rng):
        kinds = ("think-tank", "government", "military", "university", "research-centre", "news-agency", "agency")
        ids = self.ids["organizations"]
        for i in range(self.n["organizations"]):
            end = rng.choice(("Institute", "Ministry", "Command", "University", "Centre", "News", "Agency"))
            name = f"{rng.choice(ADJ)} {place(rng)} {end}"
            ids.append(oid := f"{slug(name)}-{i}")
            yield {
                "id": q(oid),
                "name": q(name),
                "kind": q(rng.choice(kinds)),
                "parent": q(ids[rng.randrange(i)]) if rng.random() < 0.2 and i else None,  # an older one: acyclic
                "aliases": flow(["".join(w[0] for w in name.split())]) if rng.random() < 0.3 else None,
                "location": q(self.pick(rng, "regions")) if rng.random() < 0.6 else None,
                "cite": self.cite(rng),
            }

    def groups(self, rng):
        kinds = (
            "isis-core",
            "isis-branch",
            "isis-affiliate",
            "isis-aligned",
            "jihadist-rival",
            "insurgency",
            "state-force",
            "coalition-force",
        )
        for i in range(self.n["groups"]):
            kind, spot = kinds[0] if i == 0 else rng.choice(kinds[1:]), place(rng)
            if kind == "isis-core":
                name = "Islamic State"
            elif kind in ("isis-branch", "isis-affiliate"):
                name = f"{'ISIS in' if kind == 'isis-branch' else 'Wilayat'} {spot}"
            elif kind in ("state-force", "coalition-force"):
                name = f"{spot} {rng.choice(('Armed Forces', 'Police', 'Border Guard', 'Coalition Task Force'))}"
            else:
                name = rng.choice(
                    (
                        f"{rng.choice(ADJ)} {rng.choice(NOUN)} of {spot}",
                        f"{spot} {rng.choice(NOUN)}",
                        f"{rng.choice(ARABIC)} al-{rng.choice(ARABIC2)} ({spot})",
                    )
                )
            self.ids["groups"].append(gid := f"{slug(name)}-{i}")
            aliases = [
                "".join(w[0] for w in name.split() if w[0].isupper()),
                f"the {rng.choice(NOUN)}",
                f"{name} ({rng.choice(GREEK)})",
            ]
            aliases = [a for a in aliases if rng.random() < 0.4]
            yield {
                "id": q(gid),
                "name": q(name),
                "kind": q(kind),
                "aliases": flow(aliases) if aliases else None,
                "regions": self.some(rng, "regions", 1, 4, start=1),
                "status": q(sentence(rng)) if rng.random() < 0.5 else None,
                "summary": q(f"{sentence(rng)} {sentence(rng)}"),
                "cite": self.cite(rng),
            }

    def measures(self, rng):
        for i in range(self.n["measures"]):
            what = rng.choice(("fighters", "territory", "attacks", "returnees", "population"))
            name = f"{rng.choice(ADJ)} {what} in {place(rng)}"
            self.ids["measures"].append(mid := f"{slug(name)}-{i}")
            yield {
                "id": q(mid),
                "name": q(name),
                "unit": q(rng.choice(UNITS)),
                "summary": q(sentence(rng)) if rng.random() < 0.5 else None,
                "cite": self.cite(rng),
            }

    def people(self, rng):
        for i in range(self.n["people"]):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            self.ids["people"].append(pid := f"{slug(name)}-{i}")
            roles = []
            for _ in range(rng.randint(0, 3)):
                role = f"      - title: {q(rng.choice(TITLES))}\n"
                if rng.random() < 0.7:
                    role += f"        organization: {q(self.pick(rng, 'organizations'))}\n"
                if rng.random() < 0.3:
                    role += f"        former: {rng.choice(('true', 'false'))}\n"
                roles.append(role)
            collective = rng.random() < 0.03
            yield {
                "id": q(pid),
                "name": q(rng.choice(COLLECTIVES) if collective else name),
                "roles": None if collective else roles or None,
                "collective": "true" if collective else None,
                "location": q(self.pick(rng, "regions")) if rng.random() < 0.5 else None,
                "summary": q(sentence(rng)) if rng.random() < 0.6 else None,
                "cite": self.cite(rng),
            }

    def topics(self, rng):
        for i in range(self.n["topics"]):
            name = f"{rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)} in {place(rng)}"
            self.ids["topics"].append(tid := f"{slug(name)}-{i}")
            yield {
                "id": q(tid),
                "name": q(name),
                "summary": q(sentence(rng)) if rng.random() < 0.5 else None,
                "cite": self.cite(rng),
            }

    def sources(self, rng):
        yield {
            "id": q(STANDARD),
            "title": q("ISO 3166-1 alpha-2 country codes"),
            "kind": q("standard"),
            "url": q("https://www.iso.org/iso-3166-country-codes.html"),
            "summary": q("Background knowledge: where the countries' iso codes come from."),
        }
        for i, sid in enumerate(self.ids["sources"][1:-1], start=1):
            yield {
                "id": q(sid),
                "title": q(f"{sentence(rng, 4, 10)[:-1]}: a {rng.choice(('report', 'study'))}"),
                "kind": q(rng.choice(("article", "report", "study", "statement"))),
                "publisher": q(self.pick(rng, "organizations")) if rng.random() < 0.7 else None,
                "date": q(date(rng)) if rng.random() < 0.8 else None,
                "url": q(f"https://example.org/{sid}?ref={i}&lang=en#p1") if rng.random() < 0.5 else None,
                "summary": q(f"{sentence(rng)} {sentence(rng)}") if rng.random() < 0.6 else None,
                "cite": q(f"{sid}/p1"),
            }
        yield {
            "id": q(GAZETTEER),
            "title": q("Synthetic gazetteer"),
            "kind": q("gazetteer"),
            "summary": q("Background knowledge: where the regions' points and boxes come from (random, not real)."),
        }

    def relationships(self, rng):
        types = (
            "branch-of",
            "affiliate-of",
            "pledged-allegiance-to",
            "splinter-of",
            "aligned-with",
            "rival-of",
            "fights",
            "ally-of",
            "pressures",
        )  # the first four must stay acyclic
        groups = self.ids["groups"]
        for i in range(self.n["relationships"]):
            kind = types[i] if i < len(types) else rng.choice(types)
            a, b = rng.sample(range(len(groups)), 2)
            if kind in types[:4] and a < b:  # only from a later group to an earlier one: no cycles
                a, b = b, a
            yield {
                "id": q(f"{kind}-{i}"),
                "type": q(kind),
                "from": q(groups[a]),
                "to": q(groups[b]),
                "regions": self.some(rng, "regions", 1, 2, start=1) if rng.random() < 0.6 else None,
                "date": q(date(rng)) if rng.random() < 0.4 else None,
                "certainty": q(rng.choice(("stated", "implied", "inferred"))),
                "hedge": hedge(rng, 0.1),
                "summary": q(sentence(rng)),
                "cite": self.cite(rng),
            }

    def figures(self, rng):
        quals = ("exact", "about", "at-least", "more-than", "up-to", "fewer-than", "less-than", "barely")
        n, measures = self.n["figures"], self.ids["measures"]
        paired: dict[str, str | None] = {}  # the scope of figure i - 1 when figure i competes with it
        for i in range(n):
            low = rng.choice((rng.randint(0, 100), rng.randint(100, 10_000_000), round(rng.uniform(0, 100), 1)))
            ranged = rng.random() < 0.3
            given, by = rng.random(), rng.choice(("sources", "people", "organizations"))
            measure = measures[i * len(measures) // n]  # blocks of one measure
            regions = self.some(rng, "regions", 1, 3) if rng.random() < 0.7 else None
            as_of = date(rng)
            competes = None
            if paired:  # the second of a pair: the same measure, regions and year as the first
                regions, as_of, competes = paired["regions"], paired["as_of"], flow([f"figure-{i - 1}"])
                paired = {}
            elif i + 1 < n and measures[(i + 1) * len(measures) // n] == measure and rng.random() < 0.3:
                as_of = as_of if year_of(as_of) else "inferred 2017"
                paired, competes = {"regions": regions, "as_of": as_of}, flow([f"figure-{i + 1}"])
            cite = self.cite(rng)
            giver = self.pick(rng, by) if given < 0.6 else None
            if giver in CITED_SOURCE.findall(cite):  # the source it cites does not say whose figure it is
                giver = None
            yield {
                "id": q(f"figure-{i}"),
                "measure": q(measure),
                "value": None if ranged else str(low),
                "low": str(low) if ranged else None,
                "high": str(round(low + rng.choice((0, 1, 5, 250, 10_000)), 1)) if ranged else None,
                "qualifier": q(quals[i] if i < len(quals) else rng.choice(quals)),
                "hedge": hedge(rng, 0.2),
                "regions": regions,
                "groups": self.some(rng, "groups", 1, 2) if rng.random() < 0.6 else None,
                "as_of": q(as_of),
                "given_by": q(giver) if giver else None,
                "attribution": q(rng.choice(ATTRIBUTION)) if 0.6 <= given < 0.85 else None,
                "competes_with": competes,
                "summary": q(sentence(rng)),
                "cite": cite,
            }

    def works(self, rng):
        for i in range(self.n["works"]):
            title = f"{rng.choice(ADJ)} {rng.choice(NOUN)}: {sentence(rng, 3, 8)[:-1]}"
            yield {
                "id": q(f"{slug(title)[:40].strip('-')}-{i}"),
                "title": q(title),
                "kind": q("book"),
                "authors": self.some(rng, "people", 1, 3),
                "cite": self.cite(rng),
            }

    def assessments(self, rng):
        for i in range(self.n["assessments"]):
            speaker = self.pick(rng, "people" if rng.random() < 0.7 else "sources")
            via = self.pick(rng, "people") if rng.random() < 0.03 else None
            record = {
                "id": q(f"{speaker[:30].strip('-')}-says-{i}"),
                "speaker": q(speaker),
                "via": q(via) if via and via != speaker else None,
                "text": q(quote(rng)) if rng.random() < 0.85 else None,
                "hedge": hedge(rng, 0.05),
                "summary": q(sentence(rng, 8, 20)),
            }
            about = [rng.choice(("groups", "regions", "topics")) for _ in range(rng.randint(1, 3))]
            for kind in ("groups", "regions", "topics"):  # 1-3 references in all
                k = about.count(kind)
                record[kind] = self.some(rng, kind, k, k) if k else None
            yield record | {"cite": self.cite(rng)}

    def events(self, rng):
        what = ("Attack on", "Fall of", "Siege of", "Liberation of", "Bombing in", "Raid near")
        for i in range(self.n["events"]):
            name = f"{rng.choice(what)} {place(rng)}"
            began = date(rng)
            year, lasted = year_of(began), rng.random()
            yield {
                "id": q(f"{slug(name)}-{i}"),
                "name": q(name),
                "date": q(began),
                "until": q(f"{'inferred ' if lasted < 0.05 else ''}{year + rng.randint(0, 2)}")
                if year and lasted < 0.1
                else None,
                "regions": self.some(rng, "regions", 1, 3) if rng.random() < 0.8 else None,
                "actors": self.some(rng, "groups", 1, 3) if rng.random() < 0.8 else None,
                "hedge": hedge(rng, 0.05),
                "summary": q(f"{sentence(rng)} {sentence(rng)}"),
                "cite": self.cite(rng),
            }


def generate(out: str, scale: float, seed: int = 2017) -> list[str]:
    """Write the knowledge base into `out` (created; our own old files replaced); the paths written."""
    os.makedirs(out, exist_ok=True)
    names = sorted(os.listdir(out))
    foreign = [n for n in names if n.endswith((".yaml", ".yml")) and not OWN_FILE.match(n)]
    if foreign:
        raise SystemExit(f"{out} holds other YAML files ({', '.join(foreign[:3])}): use an empty directory")
    for name in names:
        if OWN_FILE.match(name):
            os.remove(os.path.join(out, name))
    return Generator(out, scale, seed).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("out_dir", metavar="OUT_DIR")
    parser.add_argument("--scale", type=float, required=True, help="1.0 = the reference size")
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args(argv)
    if not 0 < args.scale < 1000:
        parser.error("--scale must be above 0 (and below 1000)")
    start = time.perf_counter()
    files = generate(args.out_dir, args.scale, args.seed)
    size = sum(os.path.getsize(f) for f in files)
    counts = " · ".join(f"{kind} {n}" for kind, n in expected_counts(args.scale).items())
    print(f"{len(files)} files, {size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
