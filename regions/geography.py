"""Which counties lie next to each other, and which are alike: the compare page's quick picks.

Pure Python (no ORM). The adjacency is the land borders of the county shapes in static/geo/lan.geojson
(two counties are neighbours when their outlines share a border; Uppsala and Södermanland only face each
other across Mälaren, Östergötland and Västra Götaland across Vättern, so neither pair is). Gotland has no
land border and so no neighbours.

"Liknande län" follows Kolada's similarity search: each county is a point of standardised key figures
(here the population and the size of the exports, on a log scale since both span two orders of magnitude
between Gotland and Stockholm), and the most similar counties are the nearest points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from regions.data import COUNTRY_CODE

_BORDERS: tuple[tuple[str, str], ...] = (
    ("01", "03"), ("01", "04"),
    ("03", "19"), ("03", "20"), ("03", "21"),
    ("04", "05"), ("04", "18"), ("04", "19"),
    ("05", "06"), ("05", "08"), ("05", "18"),
    ("06", "07"), ("06", "08"), ("06", "13"), ("06", "14"),
    ("07", "08"), ("07", "10"), ("07", "12"), ("07", "13"),
    ("08", "10"),
    ("10", "12"),
    ("12", "13"),
    ("13", "14"),
    ("14", "17"), ("14", "18"),
    ("17", "18"), ("17", "20"),
    ("18", "19"), ("18", "20"),
    ("19", "20"), ("19", "21"),
    ("20", "21"), ("20", "23"),
    ("21", "22"), ("21", "23"),
    ("22", "23"), ("22", "24"),
    ("23", "24"),
    ("24", "25"),
)


def _adjacency(borders: Sequence[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for a, b in borders:
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return {code: tuple(sorted(codes)) for code, codes in sorted(found.items())}


# County code -> the codes of the counties it shares a land border with, in code order.
COUNTY_NEIGHBOURS: dict[str, tuple[str, ...]] = {"09": (), **_adjacency(_BORDERS)}


def neighbours(code: str) -> tuple[str, ...]:
    """The counties sharing a land border with county `code` (none for Sweden, Gotland or an unknown code)."""
    return COUNTY_NEIGHBOURS.get(code, ())


def similar_regions(code: str, figures: Mapping[str, Sequence[float | None]], *, count: int = 3,
                    weights: Sequence[float] | None = None) -> list[str]:
    """The `count` counties most like county `code`, nearest first (ties by code).

    `figures` maps each county code to its key figures, all positive and in the same order (e.g.
    population, exports in SEK million). Every figure is taken as log10, standardised over the counties
    that have all of them (mean 0, standard deviation 1) and weighted (default: equally); the distance
    is Euclidean. A county missing a figure, or with one at or below zero, takes no part; so does Sweden.
    Returns [] when `code` itself takes no part."""
    usable = {c: [math.log10(v) for v in values if v is not None and v > 0]
              for c, values in figures.items() if c != COUNTRY_CODE}
    width = max((len(v) for v in figures.values()), default=0)
    usable = {c: v for c, v in usable.items() if len(v) == width and width > 0}
    if code not in usable or len(usable) < 2:
        return []
    w = list(weights) if weights is not None else [1.0] * width
    columns = list(zip(*usable.values(), strict=True))
    means = [sum(col) / len(col) for col in columns]
    spreads = [math.sqrt(sum((x - m) ** 2 for x in col) / len(col)) or 1.0 for col, m in zip(columns, means,
                                                                                             strict=True)]

    def standard(values: Sequence[float]) -> list[float]:
        return [(x - m) / s for x, m, s in zip(values, means, spreads, strict=True)]

    target = standard(usable[code])

    def distance(other: str) -> float:
        point = standard(usable[other])
        return math.sqrt(sum(k * (a - b) ** 2 for k, a, b in zip(w, target, point, strict=True)))

    others = sorted((c for c in usable if c != code), key=lambda c: (distance(c), c))
    return others[:count]
