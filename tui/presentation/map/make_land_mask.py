"""Make ``land_mask.bin``, the world land/sea raster the map view draws, from the ``global-land-mask`` package.

Source: ``global-land-mask`` 1.0.0 by Todd Karin (https://github.com/toddkarin/global-land-mask, MIT licence).
Its mask is derived from GLOBE, the Global Land One-km Base Elevation project of NOAA's National Centers
for Environmental Information (https://www.ngdc.noaa.gov/mgg/topo/globe.html), which is in the public
domain: 21600 x 43200 samples of 1/120 degree, True where GLOBE has no land elevation (the sea; most lakes
count as land).

Method: the world is cut into square cells of ``CELL_DEG`` degrees (0.25: 1440 x 720 cells, 30 x 30
source samples each); a cell is land when strictly more than half of its source samples are land
(a majority of all samples, counted with a numpy reshape). The raster is written as ``land.py`` reads it.

Its dependencies are NOT runtime dependencies of isis-explorer; they are needed only to run this by hand:

    pip install global-land-mask numpy
    python -m tui.presentation.map.make_land_mask          # writes land_mask.bin beside this file
    python -m tui.presentation.map.make_land_mask --check  # exit 1 if the shipped file differs

``--check`` compares the decoded rasters (header and cells), not the compressed bytes, which another
zlib build may compress differently.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from tui.presentation.map.land import RESOURCE, LandMask, encode

CELL_DEG = 0.25
SOURCE_SAMPLES_PER_DEG = 120  # global-land-mask: 1/120 degree
SOURCE_FILE = "globe_combined_mask_compressed.npz"
OUTPUT = Path(__file__).with_name(RESOURCE)


def _source() -> tuple[Any, Any]:
    """numpy and the source's ocean mask (rows north to south from 90N, columns east from 180W)."""
    # Imported by name so that this module type-checks where numpy and global_land_mask are not installed.
    np = importlib.import_module("numpy")
    resources = importlib.import_module("importlib.resources")
    with resources.as_file(resources.files("global_land_mask").joinpath(SOURCE_FILE)) as path:
        archive = np.load(path)
        ocean, lat, lon = archive["mask"], archive["lat"], archive["lon"]
    step = 1.0 / SOURCE_SAMPLES_PER_DEG
    if ocean.shape != (180 * SOURCE_SAMPLES_PER_DEG, 360 * SOURCE_SAMPLES_PER_DEG) or ocean.dtype != np.bool_:
        raise SystemExit(f"unexpected source mask {ocean.shape} {ocean.dtype}")
    if not (np.isclose(lat[0], 90.0) and np.isclose(lat[1] - lat[0], -step)):
        raise SystemExit(f"unexpected source latitudes {lat[:2]}")
    if not (np.isclose(lon[0], -180.0) and np.isclose(lon[1] - lon[0], step)):
        raise SystemExit(f"unexpected source longitudes {lon[:2]}")
    return np, ocean


def build(cell_deg: float = CELL_DEG) -> bytes:
    """The land-mask file at ``cell_deg`` degrees per cell."""
    np, ocean = _source()
    per_cell = round(cell_deg * SOURCE_SAMPLES_PER_DEG)
    if per_cell <= 0 or ocean.shape[0] % per_cell or abs(per_cell / SOURCE_SAMPLES_PER_DEG - cell_deg) > 1e-9:
        raise SystemExit(f"{cell_deg} degrees is not a whole number of source samples that divides the world")
    height, width = ocean.shape[0] // per_cell, ocean.shape[1] // per_cell
    sea_counts = ocean.reshape(height, per_cell, width, per_cell).sum(axis=(1, 3), dtype=np.int32)
    land = (per_cell * per_cell - sea_counts) * 2 > per_cell * per_cell
    packed = np.packbits(land, axis=1, bitorder="big")  # rows padded to whole bytes, as land.py reads them
    return encode(width, height, packed.tobytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make land_mask.bin from the global-land-mask package.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file differs from a fresh one")
    args = parser.parse_args(argv)
    fresh = build()
    if args.check:
        shipped = LandMask.from_bytes(OUTPUT.read_bytes())
        made = LandMask.from_bytes(fresh)
        same = (shipped.width, shipped.height) == (made.width, made.height) and all(
            shipped.row(r) == made.row(r) for r in range(made.height)
        )
        print(f"{OUTPUT}: {'up to date' if same else 'DIFFERS from a fresh build'}")
        return 0 if same else 1
    OUTPUT.write_bytes(fresh)
    print(f"wrote {OUTPUT} ({len(fresh)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
