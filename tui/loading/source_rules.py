"""Rules that keep the data as sure as its source, and no surer: who gives a figure, which figures
compete, where an ISO code and coordinates come from (and that coordinates are in range and in order),
which sources need a citation, when a lasting event ends, who relays a quote.

`record_findings` checks one record as it is read; `cross_findings` checks what links records, once
every file is read. Each finding names the YAML key (and list item) it is about, so the builder can
report it at that node. No YAML and no Textual here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tui.knowledge.dates import PartialDate
from tui.knowledge.records import Assessment, Event, Figure, Measure, Record, Region, Source
from tui.loading.source_text import Finding

BACKGROUND_KINDS = ("standard", "gazetteer")  # sources of background knowledge: nothing cites them
# Fields checked against other records once every file is read (their item places are kept).
CROSS_CHECKED = {"figures": ("competes_with",), "regions": ("iso_source", "coords_source")}
GAZETTEER = "gazetteer"  # the kind of source a region's coordinates come from
COMPETING = "competing figures estimate the same measure for the same place and period"
VIA = "via is who relays the speaker's words; omit it when the speaker says them in the source"
UNATTRIBUTED = "omit given_by: the source does not say whose figure it is; it is shown as unattributed"


def record_findings(record: Record) -> list[Finding]:
    """What is wrong in one record on its own, by these rules; [] almost always."""
    if isinstance(record, Figure):
        return _figure(record)
    if isinstance(record, Region):
        return _region(record)
    if isinstance(record, Event):
        return _event(record) if record.until is not None else []
    if isinstance(record, Assessment):
        if record.via is not None and record.via == record.speaker:
            return [("via", None, f"assessment {record.id!r}: via names the speaker; {VIA}")]
        return []
    if isinstance(record, Source) and record.kind not in BACKGROUND_KINDS and not record.cite:
        return [
            (
                "",
                None,
                f"source {record.id!r} of kind {record.kind} needs cite (where the text names it); "
                f"only a source of kind {' or '.join(BACKGROUND_KINDS)} may have none",
            )
        ]
    return []


def _figure(fig: Figure) -> list[Finding]:
    out: list[Finding] = []
    if fig.given_by is not None and any(c.source == fig.given_by for c in fig.cite):
        out.append(("given_by", None, f"figure {fig.id!r}: given_by names the source it cites; {UNATTRIBUTED}"))
    if fig.unattributed and (fig.given_by is not None or fig.attribution is not None):
        out.append(("unattributed", None, f"figure {fig.id!r} is unattributed, yet says who gives it"))
    return out


def _region(region: Region) -> list[Finding]:
    out: list[Finding] = []
    if region.iso is not None and region.iso_source is None:
        kinds = " or ".join(BACKGROUND_KINDS)
        out.append(
            (
                "iso",
                None,
                f"region {region.id!r} has an iso code but no iso_source: name the source of kind {kinds} "
                "it comes from (e.g. iso-3166)",
            )
        )
    if region.iso is None and region.iso_source is not None:
        out.append(("iso_source", None, f"region {region.id!r} has an iso_source but no iso code"))
    if region.point is not None or region.bbox is not None or region.coords_source is not None:
        out += _coordinates(region)
    return out


LATITUDE, LONGITUDE = ("latitude", 90), ("longitude", 180)
POINT_ITEMS = (("latitude", LATITUDE), ("longitude", LONGITUDE))
BBOX_ITEMS = (("south", LATITUDE), ("west", LONGITUDE), ("north", LATITUDE), ("east", LONGITUDE))
BBOX_ORDER = "write [south, west, north, east]"


def _coordinates(region: Region) -> list[Finding]:
    """A region's point and bbox: in range, a bbox in order, the point inside it, and their gazetteer named."""
    out: list[Finding] = []
    name, point, bbox = region.id, region.point, region.bbox
    for key, values, items in (("point", point, POINT_ITEMS), ("bbox", bbox, BBOX_ITEMS)):
        if values is None:
            continue
        for index, (value, (item, (axis, limit))) in enumerate(zip(values, items, strict=True)):
            if not -limit <= value <= limit:
                message = f"{key} {item} {_deg(value)} is out of range: a {axis} is -{limit} to {limit} degrees"
                out.append((key, index, f"region {name!r}: {message}"))
    if bbox is not None and not out:  # in range: then in order, and around the point
        south, west, north, east = bbox
        if south > north:
            message = f"bbox south {_deg(south)} is north of its north {_deg(north)}: {BBOX_ORDER}"
            out.append(("bbox", 0, f"region {name!r}: {message}"))
        if west > east:
            message = (
                f"bbox west {_deg(west)} is east of its east {_deg(east)}: {BBOX_ORDER}, with west <= east "
                "(no antimeridian crossing)"
            )
            out.append(("bbox", 1, f"region {name!r}: {message}"))
        ordered = south <= north and west <= east
        if point is not None and ordered and not (south <= point[0] <= north and west <= point[1] <= east):
            where = f"{_deg(point[0])}, {_deg(point[1])}"
            box = ", ".join(map(_deg, bbox))
            out.append(("point", None, f"region {name!r}: point [{where}] lies outside its bbox [{box}]"))
    given = " and ".join(key for key, value in (("point", point), ("bbox", bbox)) if value is not None)
    if given and region.coords_source is None:
        message = (
            f"region {name!r} has a {given} but no coords_source: name the source of kind gazetteer "
            "the coordinates come from (e.g. geonames)"
        )
        out.append(("point" if point is not None else "bbox", None, message))
    if not given and region.coords_source is not None:
        out.append(("coords_source", None, f"region {name!r} has a coords_source but no point or bbox"))
    return out


def _deg(value: float) -> str:
    """33.34, or 44 (not 44.0): a coordinate as the data would write it."""
    return str(int(value)) if value.is_integer() else repr(value)


def _event(event: Event) -> list[Finding]:
    until = event.until
    assert until is not None
    if not event.date.known:
        return [("date", None, f"event {event.id!r} has an end (until) but no known date: give when it began")]
    if until.known and _end(until) <= _start(event.date):
        return [("until", None, f"event {event.id!r} ends ({until.iso()}) before it begins ({event.date.iso()})")]
    return []


_PART_MONTHS = {None: (1, 13), "early": (1, 5), "mid": (5, 9), "late": (9, 13)}
_PART_DAYS = {None: (1, 32), "early": (1, 11), "mid": (11, 21), "late": (21, 32)}


def _start(date: PartialDate) -> tuple[int, int, int]:
    """Where the span a known date covers begins (year, month, day)."""
    assert date.year is not None
    if date.month is None:
        return date.year, _PART_MONTHS[date.part][0], 1
    return date.year, date.month, date.day or _PART_DAYS[date.part][0]


def _end(date: PartialDate) -> tuple[int, int, int]:
    """Where the span a known date covers ends, exclusive (day 32 and month 13 compare right)."""
    assert date.year is not None
    if date.month is None:
        return date.year, _PART_MONTHS[date.part][1], 1
    if date.day is None:
        return date.year, date.month, _PART_DAYS[date.part][1]
    return date.year, date.month, date.day + 1


# (kind, record id, YAML key, item index or None, message)
CrossFinding = tuple[str, str, str, int | None, str]


def cross_findings(records: Mapping[str, Mapping[str, Record]]) -> Iterator[CrossFinding]:
    """What is wrong in the links between records, by these rules. A reference to a missing record
    is reported elsewhere and skipped here."""
    figures, sources = records["figures"], records["sources"]
    for fig in figures.values():
        if isinstance(fig, Figure) and fig.competes_with:
            for index, other_id in enumerate(fig.competes_with):
                other = figures.get(other_id)
                if isinstance(other, Figure):
                    why = _competition(fig, other, records)
                    if why:
                        yield "figures", fig.id, "competes_with", index, why
    for region in records["regions"].values():
        if isinstance(region, Region) and region.iso_source is not None:
            source = sources.get(region.iso_source)
            if isinstance(source, Source) and source.kind not in BACKGROUND_KINDS:
                kinds = " or ".join(BACKGROUND_KINDS)
                yield (
                    "regions",
                    region.id,
                    "iso_source",
                    None,
                    f"region {region.id!r}: iso_source {source.id!r} is a source of kind {source.kind}; "
                    f"an iso code comes from a source of kind {kinds}",
                )
        if isinstance(region, Region) and region.coords_source is not None:
            source = sources.get(region.coords_source)
            if isinstance(source, Source) and source.kind != GAZETTEER:
                yield (
                    "regions",
                    region.id,
                    "coords_source",
                    None,
                    f"region {region.id!r}: coords_source {source.id!r} is a source of kind {source.kind}; "
                    f"coordinates come from a source of kind {GAZETTEER}",
                )


def _competition(fig: Figure, other: Figure, records: Mapping[str, Mapping[str, Record]]) -> str | None:
    """Why `fig` cannot compete with `other`, or None when it can."""
    if other.id == fig.id:
        return f"figure {fig.id!r} competes with itself: {COMPETING}"
    if fig.as_of.year is None:
        return f"figure {fig.id!r} has no known as_of, so it competes with no other figure: {COMPETING}"
    differences = []
    if other.measure != fig.measure:
        measures = records["measures"]
        differences.append(f"counts {_measure(measures, other.measure)}, not {_measure(measures, fig.measure)}")
    if set(other.regions) != set(fig.regions):
        regions = records["regions"]
        differences.append(f"is about {_places(regions, other.regions)}, not {_places(regions, fig.regions)}")
    if other.as_of.year is None:
        differences.append("has no known as_of")
    elif other.as_of.year != fig.as_of.year:
        differences.append(f"is as of {other.as_of.year}, not {fig.as_of.year}")
    if not differences:
        return None
    return f"figure {fig.id!r} competes with {other.id!r} but {other.id} {' and '.join(differences)}: {COMPETING}"


def _measure(measures: Mapping[str, Record], measure_id: str) -> str:
    measure = measures.get(measure_id)
    return repr(measure.name) if isinstance(measure, Measure) else repr(measure_id)


def _places(regions: Mapping[str, Record], ids: tuple[str, ...]) -> str:
    if not ids:
        return "no place"
    names = []
    for region_id in ids:
        region = regions.get(region_id)
        names.append(region.name if isinstance(region, Region) else region_id)
    return ", ".join(names)
