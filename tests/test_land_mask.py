"""The packaged land/sea raster the map view draws: known places, the file's format, and refusing bad files."""

from __future__ import annotations

import importlib.util
import math
import struct
import zlib
from importlib import resources

import pytest

from tui.presentation.map import make_land_mask
from tui.presentation.map.land import HEADER, MAGIC, RESOURCE, VERSION, LandMask, encode

PACKAGE = "tui.presentation.map"


def shipped_bytes() -> bytes:
    return resources.files(PACKAGE).joinpath(RESOURCE).read_bytes()


@pytest.fixture(scope="module")
def mask() -> LandMask:
    return LandMask.load()


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("the Sahara", 23.0, 13.0),
        ("Iraq", 33.0, 44.0),
        ("Mindanao", 7.5, 124.5),
        ("Syria, near Raqqa", 35.9, 39.0),
        ("Afghanistan, near Kabul", 34.5, 69.2),
        ("north-east Nigeria, near Maiduguri", 11.8, 13.2),
        ("Somalia, Puntland", 9.5, 49.0),
        ("the interior of Greenland", 72.0, -40.0),
        ("Antarctica", -80.0, 0.0),
    ],
)
def test_known_land(mask: LandMask, place: str, lat: float, lon: float) -> None:
    assert mask.is_land(lat, lon), f"{place} ({lat}, {lon}) should be land"


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("the middle of the North Atlantic", 30.0, -40.0),
        ("the Atlantic at the equator", 0.0, -25.0),
        ("the Indian Ocean", -10.0, 80.0),
        ("the Pacific at the equator", 0.0, -150.0),
        ("the South Pacific", -40.0, -120.0),
        ("the Mediterranean, Ionian Sea", 35.0, 18.0),
        ("the Red Sea", 20.0, 38.5),
        ("the Persian Gulf", 27.0, 51.0),
        ("the Arctic Ocean near the pole", 88.0, 0.0),
    ],
)
def test_known_sea(mask: LandMask, place: str, lat: float, lon: float) -> None:
    # Not the Caspian: GLOBE, the source, gives it (like most lakes) an elevation, so it counts as land.
    assert not mask.is_land(lat, lon), f"{place} ({lat}, {lon}) should be sea"


def test_land_is_about_29_percent_of_the_earth(mask: LandMask) -> None:
    total = land = 0.0
    for r in range(mask.height):
        weight = math.cos(math.radians(90.0 - mask.cell_deg * (r + 0.5)))  # a cell's area shrinks to the poles
        total += weight * mask.width
        land += weight * sum(mask.row(r))
    assert 0.27 < land / total < 0.31


def test_the_shipped_file_is_small_and_its_header_right(mask: LandMask) -> None:
    data = shipped_bytes()
    assert len(data) <= 50_000
    assert data[:4] == MAGIC == b"ISLM"
    assert struct.unpack(">4sBHH", data[:9]) == (b"ISLM", VERSION, 1440, 720)
    assert (mask.width, mask.height, mask.cell_deg) == (1440, 720, 0.25)


def test_rows_are_whole_and_hold_only_zero_or_one(mask: LandMask) -> None:
    for r in range(mask.height):
        row = mask.row(r)
        assert len(row) == mask.width
        assert set(row) <= {0, 1}
    assert sum(mask.row(0)) == 0  # 90N is sea
    assert sum(mask.row(mask.height - 1)) == mask.width  # 90S is Antarctica
    with pytest.raises(IndexError):
        mask.row(-1)
    with pytest.raises(IndexError):
        mask.row(mask.height)


def test_is_land_reads_the_row_of_the_cell(mask: LandMask) -> None:
    for r, c in [(228, 772), (300, 900), (330, 1218), (400, 620)]:
        lat = 90.0 - mask.cell_deg * (r + 0.5)
        lon = -180.0 + mask.cell_deg * (c + 0.5)
        assert mask.cell(lat, lon) == (r, c)
        assert mask.is_land(lat, lon) == (mask.row(r)[c] == 1)


def test_longitude_wraps_and_latitude_clamps(mask: LandMask) -> None:
    for lat in range(-85, 90, 5):
        assert mask.cell(lat, 190.0) == mask.cell(lat, -170.0)
        assert mask.cell(lat, 180.0) == mask.cell(lat, -180.0)
        assert mask.cell(lat, 44.0 + 720.0) == mask.cell(lat, 44.0)
    assert mask.is_land(33.0, 44.0 - 360.0)
    assert mask.cell(95.0, 10.0) == (0, mask.cell(0.0, 10.0)[1])
    assert mask.cell(-100.0, 10.0)[0] == mask.height - 1
    with pytest.raises(ValueError, match="no cell"):
        mask.is_land(math.nan, 0.0)
    with pytest.raises(ValueError, match="no cell"):
        mask.is_land(0.0, math.inf)


def test_load_is_read_once(mask: LandMask) -> None:
    assert LandMask.load() is mask


def test_round_trip_packs_bits_most_significant_first() -> None:
    width, height = 12, 6  # 12 bits: rows are padded to 2 bytes
    stride = 2
    packed = bytearray(stride * height)
    packed[0] = 0b1000_0000  # row 0, column 0
    packed[stride * 5 + 1] = 0b0001_0000  # row 5, column 11 (the last)
    decoded = LandMask.from_bytes(encode(width, height, bytes(packed)))
    assert decoded.cell_deg == 30.0
    assert decoded.row(0) == b"\x01" + b"\x00" * 11
    assert decoded.row(5) == b"\x00" * 11 + b"\x01"
    assert decoded.is_land(89.0, -179.0)
    assert decoded.is_land(-89.0, 179.0)
    assert not decoded.is_land(0.0, 0.0)


def _file(width: int, height: int, raster: bytes, *, magic: bytes = MAGIC, version: int = VERSION) -> bytes:
    return HEADER.pack(magic, version, width, height) + zlib.compress(raster, 9)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "shorter than its 9-byte header"),
        (b"ISLM\x01\x05", "shorter than its 9-byte header"),
        (_file(16, 8, bytes(16), magic=b"PNG\x89"), "not b'ISLM'"),
        (_file(16, 8, bytes(16), version=2), "version 2"),
        (_file(16, 9, bytes(18)), "not a world grid"),
        (_file(0, 0, b""), "not a world grid"),
        (HEADER.pack(MAGIC, VERSION, 65534, 32767), "not a world grid"),
        (_file(16, 8, bytes(15)), "holds 15 bytes"),
        (_file(16, 8, bytes(17)), "holds more than"),
        (_file(16, 8, bytes(16)) + b"\x00", "stray bytes"),
        (HEADER.pack(MAGIC, VERSION, 16, 8) + b"not zlib at all", "not a valid zlib stream"),
    ],
)
def test_a_bad_file_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LandMask.from_bytes(data)


def test_a_truncated_file_is_refused() -> None:
    data = shipped_bytes()
    for cut in (HEADER.size, HEADER.size + 1, len(data) // 2, len(data) - 1):
        with pytest.raises(ValueError, match="truncated"):
            LandMask.from_bytes(data[:cut])


def test_a_damaged_file_is_refused() -> None:
    data = bytearray(shipped_bytes())
    data[-2] ^= 0xFF  # inside the stream's Adler-32 checksum
    with pytest.raises(ValueError, match="not a valid zlib stream"):
        LandMask.from_bytes(bytes(data))


def test_the_script_writes_the_file_the_reader_reads() -> None:
    shipped = resources.files(PACKAGE).joinpath(RESOURCE)
    assert make_land_mask.OUTPUT.read_bytes() == shipped.read_bytes()
    assert make_land_mask.OUTPUT.name == RESOURCE
    assert LandMask.load().cell_deg == make_land_mask.CELL_DEG


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("global_land_mask") is None or importlib.util.find_spec("numpy") is None,
    reason="needs the script's own dependencies: pip install global-land-mask numpy",
)
def test_the_shipped_file_matches_a_fresh_build() -> None:
    assert make_land_mask.main(["--check"]) == 0
