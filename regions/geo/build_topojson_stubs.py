"""Write the empty topojson stubs ``static/geo/<scope>_<resolution>m.json`` for plotly.js ``geo``.

One-off, hand-run script (commit its output); the app never imports it.

Why: every ``geo`` subplot that has a trace with a ``locationmode`` (a ``choropleth`` with
``geojson`` gets ``locationmode="geojson-id"``) or any base layer switched on makes plotly.js
download a basemap topojson, by default from ``https://cdn.plot.ly/un/``. We draw the counties
from our own ``lan.geojson`` with ``geo.visible=False``, so the basemap is not needed, but
without a reachable file the figure stays blank. Pointing the plotly config
``topojsonURL`` at ``/static/geo/`` and serving these stubs keeps every request on our host.

What plotly.js (3.x and 4.1.1, ``src/lib/topojson_utils.js``) requests::

    topojsonURL + ("/" unless it already ends with one)
                + scope.replace(/ /g, "-") + "_" + resolution + "m.json"

``scope`` is one of world (default), usa, europe, asia, africa, north america,
south america, antarctica, oceania; ``resolution`` is 110 (default) or 50. ``fitbounds``
and ``projection`` do not change the name, so ``fitbounds="locations"`` with the default
scope fetches ``world_110m.json``, and ``scope="europe"`` fetches ``europe_110m.json``.
A ``projection.type="albers usa"`` forces scope ``usa``.

Each stub is a valid, empty Topology holding an empty GeometryCollection for every base
layer plotly.js may read (``topojson.objects[layer]``), so switching a layer on
(``showland`` etc.) draws nothing instead of throwing. Usage (from the repository root)::

    .venv/bin/python -m regions.geo.build_topojson_stubs [--output-dir static/geo]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT_DIR = REPO_ROOT / "static" / "geo"

# plotly.js src/plots/geo/constants.js: scopeDefaults keys, layout_attributes.js: resolution values.
SCOPES = (
    "world",
    "usa",
    "europe",
    "asia",
    "africa",
    "north america",
    "south america",
    "antarctica",
    "oceania",
)
RESOLUTIONS = (110, 50)
# constants.js fillLayers + lineLayers (without "frame", which is drawn from a Sphere).
LAYERS = ("ocean", "land", "lakes", "subunits", "countries", "coastlines", "rivers")


def stub_name(scope: str, resolution: int) -> str:
    """Mirror plotly.js ``topojsonUtils.getTopojsonName`` + ``getTopojsonPath``."""
    return f"{scope.replace(' ', '-')}_{resolution}m.json"


def stub_topology() -> dict:
    return {
        "type": "Topology",
        "arcs": [],
        "objects": {layer: {"type": "GeometryCollection", "geometries": []} for layer in LAYERS},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR, help="default %(default)s")
    args = parser.parse_args(argv)

    data = json.dumps(stub_topology(), separators=(",", ":")) + "\n"
    args.output_dir.mkdir(parents=True, exist_ok=True)
    for scope in SCOPES:
        for resolution in RESOLUTIONS:
            (args.output_dir / stub_name(scope, resolution)).write_text(data, encoding="utf-8")
    print(f"wrote {len(SCOPES) * len(RESOLUTIONS)} stubs ({len(data)} bytes each) to {args.output_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
