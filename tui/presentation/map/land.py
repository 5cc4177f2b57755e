"""The world's land and sea as a small raster shipped with the package, read with the standard library only.

The file ``land_mask.bin`` beside this module is made by ``make_land_mask.py`` (see there for its source
and licences). Its layout, all integers big-endian:

- a 9-byte header: the magic ``b"ISLM"``, a version byte (1), the width and the height in cells (u16 each);
- then one zlib stream holding the raster: ``height`` rows from north to south, each row ``width`` bits
  (1 = land) packed most significant bit first and padded with zero bits to a whole byte.

Cells are equirectangular and square: ``cell_deg = 360 / width = 180 / height``. Row ``r`` covers
latitudes ``90 - cell_deg*(r+1)`` .. ``90 - cell_deg*r`` and column ``c`` longitudes
``-180 + cell_deg*c`` .. ``-180 + cell_deg*(c+1)``.

Nothing here trusts the file: a wrong magic, version or size, a truncated or padded stream raises a
``ValueError`` saying what is wrong.
"""

from __future__ import annotations

import functools
import math
import struct
import zlib

MAGIC = b"ISLM"
VERSION = 1
HEADER = struct.Struct(">4sBHH")
RESOURCE = "land_mask.bin"
MAX_WIDTH = 7200  # 0.05 degree cells; bounds what a damaged or hostile header can make the reader inflate
_PACKAGE = __name__.rpartition(".")[0]

# Turns the text of a binary number ("0101...") into cell values (b"\x00\x01\x00\x01...").
_DIGITS_TO_CELLS = bytes.maketrans(b"01", b"\x00\x01")


def row_bytes(width: int) -> int:
    """How many bytes one packed row of ``width`` cells takes."""
    return (width + 7) // 8


def encode(width: int, height: int, packed: bytes) -> bytes:
    """The file for a raster already packed as the module docstring says (rows of ``row_bytes(width)``)."""
    _check_size(width, height)
    expected = row_bytes(width) * height
    if len(packed) != expected:
        raise ValueError(f"land mask: {len(packed)} bytes of raster, expected {expected} for {width}x{height}")
    return HEADER.pack(MAGIC, VERSION, width, height) + zlib.compress(packed, 9)


def _check_size(width: int, height: int) -> None:
    if not 0 < width <= MAX_WIDTH or width != 2 * height:
        raise ValueError(f"land mask: size {width}x{height} is not a world grid of square cells (width = 2 x height)")


class LandMask:
    """The land/sea raster: ``is_land(lat, lon)`` and ``row(r)`` (one row of 0/1 cell values)."""

    __slots__ = ("_rows", "cell_deg", "height", "width")

    def __init__(self, width: int, height: int, rows: tuple[bytes, ...]) -> None:
        _check_size(width, height)
        if len(rows) != height or any(len(row) != width for row in rows):
            raise ValueError(f"land mask: rows do not make a {width}x{height} grid")
        self.width = width
        self.height = height
        self.cell_deg = 360.0 / width
        self._rows = rows

    @classmethod
    def load(cls) -> LandMask:
        """The mask shipped with the package, read once per process."""
        return _packaged()

    @classmethod
    def from_bytes(cls, data: bytes) -> LandMask:
        """Decode a land-mask file; ``ValueError`` if it is not a whole, valid one."""
        if len(data) < HEADER.size:
            raise ValueError(f"land mask: {len(data)} bytes, shorter than its {HEADER.size}-byte header")
        magic, version, width, height = HEADER.unpack_from(data)
        if magic != MAGIC:
            raise ValueError(f"land mask: starts with {magic!r}, not {MAGIC!r}")
        if version != VERSION:
            raise ValueError(f"land mask: version {version}, this reader knows version {VERSION}")
        _check_size(width, height)
        stride = row_bytes(width)
        expected = stride * height
        packed = _inflate(data[HEADER.size :], expected)
        digits = stride * 8
        rows = tuple(
            format(int.from_bytes(packed[start : start + stride], "big"), f"0{digits}b")
            .encode("ascii")
            .translate(_DIGITS_TO_CELLS)[:width]
            for start in range(0, expected, stride)
        )
        return cls(width, height, rows)

    def row(self, r: int) -> bytes:
        """Row ``r`` (0 = the northernmost) as ``width`` bytes, 1 for land and 0 for sea, west to east."""
        if not 0 <= r < self.height:
            raise IndexError(f"land mask row {r} is outside 0..{self.height - 1}")
        return self._rows[r]

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        """(row, column) of the cell holding a point; longitude wraps around, latitude clamps to the poles."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError(f"land mask: no cell for latitude {lat}, longitude {lon}")
        r = min(max(int((90.0 - lat) // self.cell_deg), 0), self.height - 1)
        c = int(((lon + 180.0) % 360.0) // self.cell_deg) % self.width
        return r, c

    def is_land(self, lat: float, lon: float) -> bool:
        """Whether the cell holding (lat, lon), in degrees, is land."""
        r, c = self.cell(lat, lon)
        return self._rows[r][c] == 1


def _inflate(stream: bytes, expected: int) -> bytes:
    """Exactly ``expected`` bytes from one complete zlib stream, never inflating more than that (plus one)."""
    inflater = zlib.decompressobj()
    try:
        packed = inflater.decompress(stream, expected)
        if not inflater.eof and len(packed) == expected and inflater.decompress(inflater.unconsumed_tail, 1):
            raise ValueError(f"land mask: the raster holds more than the {expected} bytes its header gives")
    except zlib.error as exc:
        raise ValueError(f"land mask: the raster is not a valid zlib stream ({exc})") from None
    if not inflater.eof:
        raise ValueError(f"land mask: truncated (the raster stops after {len(packed)} of {expected} bytes)")
    if len(packed) != expected:
        raise ValueError(f"land mask: the raster holds {len(packed)} bytes, its header gives {expected}")
    if inflater.unused_data:
        raise ValueError(f"land mask: {len(inflater.unused_data)} stray bytes after the raster")
    return packed


@functools.cache
def _packaged() -> LandMask:
    from importlib import resources  # here, not at the top: importing it costs ~20 ms where nothing else has

    data = resources.files(_PACKAGE).joinpath(RESOURCE).read_bytes()
    return LandMask.from_bytes(data)
