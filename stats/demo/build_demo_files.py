"""Write the illustrative demo statistics files in ``stats/demo/`` (deterministic).

Every figure known from the project's facts (populations, Norrbotten's SME series, the
2020 levels, the growth rates) is used as given; everything else is invented to be
plausible with a seeded RNG. The script ends by reading the written files back and
asserting the known figures, so a regeneration cannot silently break them.

Run from the project root:  .venv/bin/python stats/demo/build_demo_files.py
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from stats.formatting import as_number
from stats.growth import change_pct

OUT_DIR = Path(__file__).resolve().parent
WORKPLACE_FILE = OUT_DIR / "workplace_2016_2023.csv"
HEAD_OFFICE_FILE = OUT_DIR / "head_office_2010_2015.csv"
SEED = 20_220_831

SWEDEN = "00"
STOCKHOLM, UPPSALA, KRONOBERG, GOTLAND, BLEKINGE = "01", "03", "07", "09", "10"
SKANE, HALLAND, VASTRA_GOTALAND, VASTMANLAND, NORRBOTTEN = "12", "13", "14", "19", "25"
COUNTIES: tuple[str, ...] = (
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
)
HEAD_OFFICE_YEARS: tuple[int, ...] = tuple(range(2010, 2016))
WORKPLACE_YEARS: tuple[int, ...] = tuple(range(2016, 2024))
YEARS: tuple[int, ...] = HEAD_OFFICE_YEARS + WORKPLACE_YEARS

ALL, SME = "Samtliga företag", "Små och medelstora företag"
SIZES: tuple[str, ...] = (ALL, SME)
COL_REGION, COL_YEAR, COL_SIZE = "Region", "År", "Företagsstorlek"
COL_GOODS, COL_PER_CAPITA = "Varuexport, mnkr", "Varuexport per invånare, kr"
COL_SERVICES, COL_EXPORTERS = "Tjänsteexport, mnkr", "Antal exporterande företag"
COL_PARTICIPATING, COL_POPULATION = "Deltagande företag", "Folkmängd"
HEADER: tuple[str, ...] = (
    COL_REGION, COL_YEAR, COL_SIZE, COL_GOODS, COL_PER_CAPITA,
    COL_SERVICES, COL_EXPORTERS, COL_PARTICIPATING, COL_POPULATION,
)

# One region-year-size row while building: indicator -> value. Money is held in tenths of
# a million SEK (integers), so Sweden is exactly the sum of what the county rows print.
Row = dict[str, int | None]
Table = dict[tuple[str, int, str], Row]
Series = dict[str, dict[int, float]]

# --- Population on 31 December ---------------------------------------------------------
# Sweden: FACTS for 2015-2021 and 2023; 2010-2014 and 2022 are filled in SCB-like.
SWEDEN_POPULATION: dict[int, int] = {
    2010: 9_415_570, 2011: 9_482_855, 2012: 9_555_893, 2013: 9_644_864, 2014: 9_747_355,
    2015: 9_851_017, 2016: 9_995_153, 2017: 10_120_242, 2018: 10_230_185, 2019: 10_327_589,
    2020: 10_379_295, 2021: 10_452_326, 2022: 10_521_556, 2023: 10_551_707,
}
# Counties pinned in every year. FACTS: Blekinge, Kronoberg, Gotland 2016-2021 and
# Norrbotten 2017, 2018, 2023; the other years of these four are invented.
PINNED_POPULATION: dict[str, dict[int, int]] = {
    BLEKINGE: {
        2010: 152_757, 2011: 152_315, 2012: 152_591, 2013: 152_430, 2014: 153_227, 2015: 156_253,
        2016: 158_453, 2017: 159_371, 2018: 159_684, 2019: 159_606, 2020: 159_056, 2021: 158_937,
        2022: 158_300, 2023: 157_650,
    },
    KRONOBERG: {
        2010: 184_654, 2011: 185_520, 2012: 186_600, 2013: 187_951, 2014: 189_847, 2015: 191_369,
        2016: 194_628, 2017: 197_519, 2018: 199_886, 2019: 201_469, 2020: 202_263, 2021: 203_340,
        2022: 203_860, 2023: 204_120,
    },
    GOTLAND: {
        2010: 57_161, 2011: 57_308, 2012: 57_255, 2013: 57_241, 2014: 57_221, 2015: 57_255,
        2016: 58_003, 2017: 58_595, 2018: 59_249, 2019: 59_686, 2020: 60_124, 2021: 61_001,
        2022: 61_020, 2023: 60_950,
    },
    NORRBOTTEN: {
        2010: 248_609, 2011: 248_545, 2012: 248_587, 2013: 248_893, 2014: 249_436, 2015: 249_677,
        2016: 250_570, 2017: 251_295, 2018: 250_497, 2019: 250_093, 2020: 249_693, 2021: 249_480,
        2022: 248_900, 2023: 248_480,
    },
}
# The other counties: a 2020 level and a yearly growth rate, rescaled every year so that
# all counties sum exactly to Sweden.
POPULATION_2020: dict[str, tuple[int, float]] = {
    "01": (2_391_990, 0.013), "03": (388_394, 0.014), "04": (299_401, 0.009),
    "05": (467_095, 0.008), "06": (365_010, 0.008), "08": (245_446, 0.004),
    "12": (1_389_336, 0.010), "13": (335_124, 0.012), "14": (1_725_881, 0.009),
    "17": (282_885, 0.003), "18": (305_643, 0.009), "19": (277_074, 0.009),
    "20": (287_806, 0.003), "21": (287_660, 0.003), "22": (244_193, 0.001),
    "23": (131_139, 0.004), "24": (273_061, 0.006),
}

# --- Goods export, all firms (workplace-based) ------------------------------------------
# 2020 level as SEK per inhabitant (FACTS: Norrbotten, Kronoberg, Blekinge; the rest
# invented below the FACTS top four) or as msek (FACTS: Västra Götaland, Stockholm, Skåne).
GOODS_2020_PER_CAPITA: dict[str, int] = {
    NORRBOTTEN: 190_000, KRONOBERG: 181_000, BLEKINGE: 177_000,
    "03": 104_000, "04": 128_000, "05": 122_000, "06": 165_000, "08": 140_000, "09": 101_000,
    "13": 135_000, "17": 150_000, "18": 132_000, "19": 160_000, "20": 158_000, "21": 155_000,
    "22": 145_000, "23": 102_000, "24": 138_000,
}
# The 2020 per-capita levels that FACTS gives are printed as given; the rest are derived.
PINNED_GOODS_PER_CAPITA = frozenset({NORRBOTTEN, KRONOBERG, BLEKINGE})
GOODS_2020_MSEK: dict[str, float] = {VASTRA_GOTALAND: 301_000.0, STOCKHOLM: 278_000.0, SKANE: 117_000.0}
# Sweden relative to 2020. FACTS: 2016 -> 2021 +36 %, 2020 -6 %, 2021 +14 %.
SWEDEN_GOODS_INDEX: dict[int, float] = {
    2016: 1.14 / 1.36, 2017: 1.14 / 1.36 * 1.085, 2018: 1 / 0.94 / 1.078, 2019: 1 / 0.94,
    2020: 1.0, 2021: 1.14, 2022: 1.14 * 1.12, 2023: 1.14 * 1.12 * 1.02,
}
# Counties on a pinned path relative to 2020. FACTS: Norrbotten 2016 -> 2021 +98 % and
# 2020 -> 2021 +32 % (it grew through the pandemic); Gotland and Västmanland +7 to +10 %.
PINNED_GOODS_INDEX: dict[str, dict[int, float]] = {
    NORRBOTTEN: {
        2016: 1 / 1.5, 2017: 0.74, 2018: 0.83, 2019: 0.92, 2020: 1.0, 2021: 1.32, 2022: 1.41, 2023: 1.38,
    },
    GOTLAND: {
        2016: 1.05 / 1.085, 2017: 0.99, 2018: 1.01, 2019: 1.02, 2020: 1.0, 2021: 1.05, 2022: 1.13, 2023: 1.15,
    },
    VASTMANLAND: {
        2016: 1.08 / 1.09, 2017: 1.03, 2018: 1.07, 2019: 1.06, 2020: 1.0, 2021: 1.08, 2022: 1.20, 2023: 1.22,
    },
}
# Five-year log growth relative to Sweden; nominees fixed, the rest drawn.
GOODS_TILT: dict[str, float] = {HALLAND: 0.10, SKANE: 0.05, UPPSALA: 0.07}

# --- Goods export, small and medium-sized firms -----------------------------------------
# FACTS 2016-2021 (+80.0 %, dip in 2020); 2022 and 2023 invented.
NORRBOTTEN_SME_PER_CAPITA: dict[int, int] = {
    2016: 24_560, 2017: 28_130, 2018: 33_400, 2019: 38_950, 2020: 36_020, 2021: 44_210,
    2022: 46_900, 2023: 48_300,
}
SME_SHARE_2020: dict[str, float] = {STOCKHOLM: 0.24, VASTRA_GOTALAND: 0.20, SKANE: 0.36, HALLAND: 0.38,
                                    UPPSALA: 0.34, "06": 0.42}
SME_TILT: dict[str, float] = {HALLAND: 0.03, UPPSALA: 0.04}

# --- Services export ---------------------------------------------------------------------
SERVICES_RATIO_2020: dict[str, float] = {
    "01": 1.05, "03": 0.60, "04": 0.18, "05": 0.30, "06": 0.14, "07": 0.15, "08": 0.12,
    "09": 0.30, "10": 0.17, "12": 0.50, "13": 0.22, "14": 0.30, "17": 0.18, "18": 0.22,
    "19": 0.20, "20": 0.12, "21": 0.12, "22": 0.15, "23": 0.35, "24": 0.22, "25": 0.12,
}
# Sweden relative to 2020: +6, +8, +7, -9, +10, +15, +5 % a year from 2017.
SWEDEN_SERVICES_INDEX: dict[int, float] = {
    2016: 1 / 0.91 / 1.07 / 1.08 / 1.06, 2017: 1 / 0.91 / 1.07 / 1.08, 2018: 1 / 0.91 / 1.07,
    2019: 1 / 0.91, 2020: 1.0, 2021: 1.10, 2022: 1.10 * 1.15, 2023: 1.10 * 1.15 * 1.05,
}
SERVICES_TILT: dict[str, float] = {UPPSALA: 0.15, STOCKHOLM: 0.03}

# --- Goods-exporting firms: SMEs per 1 000 inhabitants in 2020 --------------------------
# Halland follows its own path: FACTS 363 goods-exporting SMEs per 100 000 inhabitants (2021
# nomination); the demo holds it in both 2020 and 2021 so either award period agrees.
HALLAND_SME_EXPORTERS_PER_1000 = 3.63
SME_EXPORTERS_PER_1000: dict[str, float] = {
    "01": 3.30, "03": 2.70, "04": 2.75, "05": 2.85, "06": 3.40, "07": 3.35, "08": 2.95,
    "09": 2.50, "10": 2.60, "12": 3.10, "14": 3.25, "17": 2.70, "18": 2.80, "19": 2.90,
    "20": 2.75, "21": 2.60, "22": 2.45, "23": 2.40, "24": 2.35, "25": 2.20,
}

# --- Firms in regional export collaboration (2021 level; FACTS: Norrbotten fourth) -------
PARTICIPATING_2021: dict[str, int] = {
    "01": 390, "14": 345, "12": 300, "25": 250, "13": 172, "03": 150, "06": 146, "05": 138,
    "24": 124, "07": 118, "18": 112, "20": 104, "17": 101, "21": 96, "08": 92, "19": 88,
    "22": 84, "04": 80, "10": 66, "23": 58, "09": 34,
}
# Norrbotten was the last region to form a regional export collaboration: a steep ramp.
NORRBOTTEN_PARTICIPATING_RAMP: dict[int, float] = {
    2016: 0.28, 2017: 0.42, 2018: 0.60, 2019: 0.78, 2020: 0.88, 2021: 1.0, 2022: 1.04, 2023: 1.08,
}

# --- Head-office-based series, 2010-2015 --------------------------------------------------
# National level relative to the 2016 workplace-based level.
HEAD_OFFICE_GOODS_INDEX: dict[int, float] = {2010: 0.90, 2011: 0.95, 2012: 0.93, 2013: 0.89, 2014: 0.93,
                                             2015: 0.97}
HEAD_OFFICE_SERVICES_INDEX: dict[int, float] = {2010: 0.78, 2011: 0.80, 2012: 0.82, 2013: 0.84, 2014: 0.89,
                                                2015: 0.95}
# Head-office value / workplace value. FACTS: Norrbotten rose ~25 % with the workplace
# method (so ~20 % lower by head office); head offices sit in Stockholm.
HEAD_OFFICE_FACTOR: dict[str, float] = {NORRBOTTEN: 0.83, STOCKHOLM: 1.32, VASTRA_GOTALAND: 1.04,
                                        VASTMANLAND: 1.10, SKANE: 1.00, UPPSALA: 0.95}


# ========================================================================================
# Building blocks
# ========================================================================================

def allocate(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split an integer total in proportion to weights (largest remainder)."""
    scale = total / sum(weights.values())
    raw = {key: weight * scale for key, weight in weights.items()}
    out = {key: math.floor(value) for key, value in raw.items()}
    short = total - sum(out.values())
    for key in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[:short]:
        out[key] += 1
    return out


def drifting_path(
    rng: np.random.Generator, years: Iterable[int], slope: float, noise: float
) -> dict[int, float]:
    """exp(slope per five years + noise) around 2020, exactly 1.0 in 2020."""
    path: dict[int, float] = {}
    for year in years:
        shock = float(rng.normal(0.0, noise))
        path[year] = 1.0 if year == 2020 else math.exp(slope * (year - 2020) / 5 + shock)
    return path


def tenths(msek: float) -> int:
    return round(msek * 10)


def build_population() -> dict[str, dict[int, int]]:
    population: dict[str, dict[int, int]] = {code: {} for code in COUNTIES}
    for year in YEARS:
        pinned = {code: PINNED_POPULATION[code][year] for code in PINNED_POPULATION}
        weights = {code: base * (1 + rate) ** (year - 2020) for code, (base, rate) in POPULATION_2020.items()}
        free = allocate(SWEDEN_POPULATION[year] - sum(pinned.values()), weights)
        for code, value in (pinned | free).items():
            population[code][year] = value
    return population


def goods_level_2020(code: str, population_2020: int) -> float:
    if code in GOODS_2020_MSEK:
        return GOODS_2020_MSEK[code]
    return GOODS_2020_PER_CAPITA[code] * population_2020 / 1e6


def balancing_factor(level: Mapping[str, float], free_path: Series, year: int) -> float:
    """Scale of the free counties that makes Sweden hit its index in this year."""
    target = SWEDEN_GOODS_INDEX[year] * sum(level.values())
    pinned = sum(level[code] * path[year] for code, path in PINNED_GOODS_INDEX.items())
    free = sum(level[code] * SWEDEN_GOODS_INDEX[year] * path[year] for code, path in free_path.items())
    return (target - pinned) / free


def build_goods_all(population: dict[str, dict[int, int]], rng: np.random.Generator) -> Series:
    """All firms' workplace-based goods export in msek, 2016-2023."""
    level = {code: goods_level_2020(code, population[code][2020]) for code in COUNTIES}
    free_path: Series = {}
    for code in COUNTIES:
        slope = GOODS_TILT.get(code, float(rng.uniform(-0.10, 0.12)))
        path = drifting_path(rng, WORKPLACE_YEARS, slope, 0.015)
        if code not in PINNED_GOODS_INDEX:
            free_path[code] = path
    balance = {year: balancing_factor(level, free_path, year) for year in WORKPLACE_YEARS}
    goods: Series = {}
    for code in COUNTIES:
        if code in PINNED_GOODS_INDEX:
            index = PINNED_GOODS_INDEX[code]
        else:
            index = {y: SWEDEN_GOODS_INDEX[y] * free_path[code][y] * balance[y] for y in WORKPLACE_YEARS}
        goods[code] = {year: level[code] * index[year] for year in WORKPLACE_YEARS}
    return goods


def build_goods_sme(goods: Series, population: dict[str, dict[int, int]], rng: np.random.Generator) -> Series:
    """SMEs' goods export in msek: Norrbotten from its known per-capita series, the rest as shares."""
    sme: Series = {}
    for code in COUNTIES:
        share = SME_SHARE_2020.get(code, float(rng.uniform(0.22, 0.36)))
        path = drifting_path(rng, WORKPLACE_YEARS, SME_TILT.get(code, float(rng.uniform(-0.04, 0.05))), 0.02)
        if code == NORRBOTTEN:
            sme[code] = {y: NORRBOTTEN_SME_PER_CAPITA[y] * population[code][y] / 1e6 for y in WORKPLACE_YEARS}
        else:
            sme[code] = {y: goods[code][y] * share * path[y] for y in WORKPLACE_YEARS}
    return sme


def build_services(goods: Series, rng: np.random.Generator) -> tuple[Series, Series]:
    """(all firms, SMEs) services export in msek, 2016-2023."""
    services_all: Series = {}
    services_sme: Series = {}
    for code in COUNTIES:
        slope = SERVICES_TILT.get(code, float(rng.uniform(-0.06, 0.08)))
        path = drifting_path(rng, WORKPLACE_YEARS, slope, 0.02)
        level = SERVICES_RATIO_2020[code] * goods[code][2020]
        services_all[code] = {y: level * SWEDEN_SERVICES_INDEX[y] * path[y] for y in WORKPLACE_YEARS}
        share = float(rng.uniform(0.35, 0.55))
        services_sme[code] = {y: value * share for y, value in services_all[code].items()}
    return services_all, services_sme


def sme_exporter_rate(code: str, year: int, rng: np.random.Generator) -> float:
    """Goods-exporting SMEs per 1 000 inhabitants."""
    if code == HALLAND:  # level in 2020 and 2021 (both award periods), slow growth around it
        years_off = min(year - 2020, 0) + max(year - 2021, 0)
        return HALLAND_SME_EXPORTERS_PER_1000 * math.exp(0.007 * years_off)
    return SME_EXPORTERS_PER_1000[code] * math.exp(float(rng.normal(0.0, 0.01)))


def build_exporters(
    population: dict[str, dict[int, int]], years: Iterable[int], rng: np.random.Generator
) -> tuple[dict[str, dict[int, int]], dict[str, dict[int, int]]]:
    """(all firms, SMEs) goods-exporting firms; large firms are 4-7 % of the exporters."""
    exporters_all: dict[str, dict[int, int]] = {}
    exporters_sme: dict[str, dict[int, int]] = {}
    for code in COUNTIES:
        large_share = float(rng.uniform(0.04, 0.07))
        rates = {y: sme_exporter_rate(code, y, rng) for y in years}
        exporters_sme[code] = {y: round(rate * population[code][y] / 1000) for y, rate in rates.items()}
        exporters_all[code] = {y: round(n / (1 - large_share)) for y, n in exporters_sme[code].items()}
    return exporters_all, exporters_sme


def build_participating(rng: np.random.Generator) -> dict[str, dict[int, int]]:
    """Firms taking part in regional export collaboration, 2016-2023."""
    participating: dict[str, dict[int, int]] = {}
    for code in COUNTIES:
        start = float(rng.uniform(0.55, 0.75))
        ramp = {y: start + (1 - start) * (y - 2016) / 5 for y in WORKPLACE_YEARS}
        noise = {y: 1.0 if y == 2021 else math.exp(float(rng.normal(0.0, 0.04))) for y in WORKPLACE_YEARS}
        if code == NORRBOTTEN:
            ramp = NORRBOTTEN_PARTICIPATING_RAMP
        level = PARTICIPATING_2021[code]
        participating[code] = {y: round(level * ramp[y] * noise[y]) for y in WORKPLACE_YEARS}
    return participating


def build_head_office(
    goods: Series, sme: Series, services: tuple[Series, Series], rng: np.random.Generator
) -> tuple[Series, Series, Series, Series]:
    """Head-office-based (goods all, goods SME, services all, services SME) msek, 2010-2015.

    Anchored on each county's 2016 workplace-based level. SMEs mostly have one site, so
    the method hardly moves their figures; the large firms' exports move to head offices.
    """
    out: tuple[Series, Series, Series, Series] = ({}, {}, {}, {})
    for code in COUNTIES:
        factor = HEAD_OFFICE_FACTOR.get(code, float(rng.uniform(0.82, 0.95)))
        anchors = (goods[code][2016] * factor, sme[code][2016], services[0][code][2016] * factor ** 0.5,
                   services[1][code][2016])
        indices = (HEAD_OFFICE_GOODS_INDEX, HEAD_OFFICE_GOODS_INDEX, HEAD_OFFICE_SERVICES_INDEX,
                   HEAD_OFFICE_SERVICES_INDEX)
        for series, anchor, index in zip(out, anchors, indices, strict=True):
            noise = {y: math.exp(float(rng.normal(0.0, 0.03))) for y in HEAD_OFFICE_YEARS}
            series[code] = {y: anchor * index[y] * noise[y] for y in HEAD_OFFICE_YEARS}
    return out


# ========================================================================================
# Tables and files
# ========================================================================================

def county_rows(
    years: Iterable[int],
    population: dict[str, dict[int, int]],
    goods: tuple[Series, Series],
    services: tuple[Series, Series],
    exporters: tuple[dict[str, dict[int, int]], dict[str, dict[int, int]]],
    participating: dict[str, dict[int, int]] | None,
) -> Table:
    table: Table = {}
    for code in COUNTIES:
        for year in years:
            for i, size in enumerate(SIZES):
                table[(code, year, size)] = {
                    COL_GOODS: tenths(goods[i][code][year]),
                    COL_SERVICES: tenths(services[i][code][year]),
                    COL_EXPORTERS: exporters[i][code][year],
                    COL_PARTICIPATING: participating[code][year] if participating and size == ALL else None,
                    COL_POPULATION: population[code][year] if size == ALL else None,
                }
    return table


def column_sum(rows: list[Row], column: str) -> int | None:
    values = [row[column] for row in rows]
    return None if any(value is None for value in values) else sum(int(value or 0) for value in values)


def add_sweden(table: Table, years: Iterable[int]) -> None:
    """Sweden's row is the sum of the county rows (missing stays missing)."""
    for year in years:
        for size in SIZES:
            rows = [table[(code, year, size)] for code in COUNTIES]
            table[(SWEDEN, year, size)] = {column: column_sum(rows, column) for column in rows[0]}


def per_capita(table: Table, code: str, year: int, size: str) -> int:
    """Given where known (Norrbotten SME, the 2020 FACTS levels), else derived from printed msek."""
    if code == NORRBOTTEN and size == SME and year in NORRBOTTEN_SME_PER_CAPITA:
        return NORRBOTTEN_SME_PER_CAPITA[year]
    if year == 2020 and size == ALL and code in PINNED_GOODS_PER_CAPITA:
        return GOODS_2020_PER_CAPITA[code]
    population = table[(code, year, ALL)][COL_POPULATION]
    assert population
    return round(int(table[(code, year, size)][COL_GOODS] or 0) * 1e5 / population)


def format_cell(column: str, value: int | None) -> str:
    if value is None:
        return ""
    if column in (COL_GOODS, COL_SERVICES):
        return f"{value // 10}.{value % 10}"
    return str(value)


def write_table(path: Path, table: Table) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(HEADER)
        for code, year, size in sorted(table):
            row = table[(code, year, size)]
            cells = {COL_PER_CAPITA: str(per_capita(table, code, year, size))}
            cells |= {column: format_cell(column, value) for column, value in row.items()}
            writer.writerow([code, year, size, *(cells[column] for column in HEADER[3:])])


def build_tables(rng: np.random.Generator) -> tuple[Table, Table]:
    population = build_population()
    goods = build_goods_all(population, rng)
    sme = build_goods_sme(goods, population, rng)
    services = build_services(goods, rng)
    exporters = build_exporters(population, WORKPLACE_YEARS, rng)
    participating = build_participating(rng)
    workplace = county_rows(WORKPLACE_YEARS, population, (goods, sme), services, exporters, participating)
    add_sweden(workplace, WORKPLACE_YEARS)
    ho_goods, ho_sme, ho_services, ho_services_sme = build_head_office(goods, sme, services, rng)
    ho_exporters = build_exporters(population, HEAD_OFFICE_YEARS, rng)
    head_office = county_rows(
        HEAD_OFFICE_YEARS, population, (ho_goods, ho_sme), (ho_services, ho_services_sme), ho_exporters, None
    )
    add_sweden(head_office, HEAD_OFFICE_YEARS)
    return workplace, head_office


# ========================================================================================
# Checks on the written files
# ========================================================================================

def read_file(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=";", dtype={COL_REGION: str}, encoding="utf-8")
    assert tuple(frame.columns) == HEADER, frame.columns
    return frame


def pivot(frame: pd.DataFrame, column: str, size: str = ALL) -> pd.DataFrame:
    """Years as rows, region codes as columns."""
    part = frame[frame[COL_SIZE] == size]
    # pivot, not pivot_table: it raises on a duplicate key and keeps all-missing columns.
    return part.pivot(index=COL_YEAR, columns=COL_REGION, values=column)  # noqa: PD010


def growth(table: pd.DataFrame, start: int, end: int) -> pd.Series:
    """Percentage change per region, from stored values (stats.growth.change_pct: the app's arithmetic)."""
    return pd.Series({code: change_pct(as_number(table.loc[start, code]), as_number(table.loc[end, code]))
                      for code in table.columns}, dtype="float64")


def rank_of(values: pd.Series, code: str) -> int:
    """1 = highest, among the 21 counties."""
    counties = values.drop(SWEDEN, errors="ignore").sort_values(ascending=False)
    return list(counties.index).index(code) + 1


def near(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance


def check_shape(frame: pd.DataFrame, years: tuple[int, ...]) -> None:
    assert set(frame[COL_YEAR]) == set(years)
    assert set(frame[COL_REGION]) == {SWEDEN, *COUNTIES}
    assert len(frame) == len(years) * 22 * 2
    assert not frame.duplicated([COL_REGION, COL_YEAR, COL_SIZE]).any()
    assert frame[COL_POPULATION].notna().eq(frame[COL_SIZE] == ALL).all(), "population only on all-firm rows"
    numbers = frame[list(HEADER[3:])]
    assert (numbers.fillna(0) >= 0).all().all(), "no negative numbers"


def check_consistency(frame: pd.DataFrame) -> None:
    population = pivot(frame, COL_POPULATION)
    for size in SIZES:
        derived = pivot(frame, COL_GOODS, size) * 1e6 / population
        given = pivot(frame, COL_PER_CAPITA, size)
        assert ((given - derived).abs() / derived).max().max() <= 0.005, f"per capita vs msek ({size})"
        assert (pivot(frame, COL_GOODS, SME) <= pivot(frame, COL_GOODS, ALL)).all().all()
        for column in (COL_GOODS, COL_SERVICES, COL_EXPORTERS, COL_PARTICIPATING, COL_POPULATION):
            values = pivot(frame, column, ALL if column == COL_POPULATION else size)
            if values.isna().all().all():
                continue
            county_sum = values[list(COUNTIES)].sum(axis=1)
            assert (county_sum - values[SWEDEN]).abs().max() < 0.01, f"Sweden = sum of counties: {column}"
            ratio = values / values.shift(1)
            assert ratio.max().max() <= 4.0 and ratio.min().min() >= 0.25, f"year-on-year jump: {column}"


def check_population(frame: pd.DataFrame) -> None:
    population = pivot(frame, COL_POPULATION)
    for year in population.index:
        assert population.loc[year, SWEDEN] == SWEDEN_POPULATION[year]
        for code, series in PINNED_POPULATION.items():
            assert population.loc[year, code] == series[year]


def check_workplace_goods(frame: pd.DataFrame) -> None:
    goods, per_capita_all = pivot(frame, COL_GOODS), pivot(frame, COL_PER_CAPITA)
    known = {NORRBOTTEN: 190_000, KRONOBERG: 181_000, BLEKINGE: 177_000, VASTRA_GOTALAND: 174_000}
    for code, target in known.items():
        assert near(per_capita_all.loc[2020, code], target, 0.01 * target), code
    for code, target in GOODS_2020_MSEK.items():
        assert near(goods.loc[2020, code], target, 0.01 * target), code
    counties_2020 = per_capita_all.loc[2020, list(COUNTIES)]
    # Skåne's 117 000 msek on ~1.39 M inhabitants is ~84 000 SEK: the one county below range.
    assert set(counties_2020[(counties_2020 < 100_000) | (counties_2020 > 200_000)].index) == {SKANE}
    top4 = set(counties_2020.sort_values(ascending=False).index[:4])
    assert top4 == {NORRBOTTEN, KRONOBERG, BLEKINGE, VASTRA_GOTALAND}
    change = growth(goods, 2016, 2021)
    counties = change[list(COUNTIES)].sort_values(ascending=False)
    assert counties.index[0] == NORRBOTTEN and near(counties.iloc[0], 98, 0.5)
    assert counties.iloc[1] < 75, "Norrbotten clearly ahead of the runner-up"
    assert set(counties.index[-2:]) == {GOTLAND, VASTMANLAND}
    assert all(7 <= value <= 10 for value in counties.iloc[-2:])
    assert counties.iloc[-3] > 12
    assert near(change[SWEDEN], 36, 0.5)
    assert near(growth(goods, 2020, 2021)[NORRBOTTEN], 32, 0.5)
    assert near(growth(goods, 2019, 2020)[SWEDEN], -6, 0.5)
    assert near(growth(goods, 2020, 2021)[SWEDEN], 14, 0.5)


def check_workplace_sme(frame: pd.DataFrame) -> None:
    sme_per_capita = pivot(frame, COL_PER_CAPITA, SME)
    derived = pivot(frame, COL_GOODS, SME) * 1e6 / pivot(frame, COL_POPULATION)
    for year, value in NORRBOTTEN_SME_PER_CAPITA.items():
        assert sme_per_capita.loc[year, NORRBOTTEN] == value
        assert abs(derived.loc[year, NORRBOTTEN] - value) <= 1, year
    change = growth(sme_per_capita, 2016, 2021)
    assert near(change[NORRBOTTEN], 80, 0.05)
    assert change[SWEDEN] < 50, "Sweden well below Norrbotten"
    assert rank_of(change, NORRBOTTEN) <= 3
    norrbotten = sme_per_capita[NORRBOTTEN]
    assert norrbotten.idxmin() == 2016 and norrbotten[2020] < norrbotten[2019], "dip in the pandemic year"


def check_firms(frame: pd.DataFrame) -> None:
    participating = pivot(frame, COL_PARTICIPATING)
    assert participating[list(COUNTIES)].min().min() >= 10 and participating.max().drop(SWEDEN).max() <= 500
    assert rank_of(participating.loc[2021], NORRBOTTEN) == 4
    assert rank_of(participating.loc[2016:2021].sum(), NORRBOTTEN) == 4
    assert pivot(frame, COL_PARTICIPATING, SME).isna().all().all()
    density = pivot(frame, COL_EXPORTERS, SME) / pivot(frame, COL_POPULATION) * 1e5
    assert near(density.loc[2020, HALLAND], 363, 0.5) and near(density.loc[2021, HALLAND], 363, 0.5)


# Rounded growth rates quoted in awards.json: (column, firm size, region, from, to) -> percent.
QUOTED_GROWTH: dict[tuple[str, str, str, int, int], int] = {
    (COL_GOODS, ALL, NORRBOTTEN, 2016, 2020): 50, (COL_GOODS, ALL, HALLAND, 2016, 2020): 33,
    (COL_GOODS, ALL, SKANE, 2016, 2020): 22, (COL_GOODS, ALL, SWEDEN, 2016, 2020): 19,
    (COL_GOODS, ALL, SKANE, 2016, 2021): 38, (COL_GOODS, ALL, NORRBOTTEN, 2016, 2021): 98,
    (COL_SERVICES, ALL, UPPSALA, 2016, 2021): 46, (COL_GOODS, SME, UPPSALA, 2016, 2021): 51,
    (COL_PER_CAPITA, SME, NORRBOTTEN, 2016, 2021): 80,
}


def check_quoted_growth(frame: pd.DataFrame) -> None:
    for (column, size, code, start, end), percent in QUOTED_GROWTH.items():
        actual = growth(pivot(frame, column, size), start, end)[code]
        assert round(actual) == percent, (column, size, code, start, end, actual)


def check_award_claims(frame: pd.DataFrame) -> None:
    """Figures that the statements and motivations in awards.json rely on."""
    check_quoted_growth(frame)
    goods, services = pivot(frame, COL_GOODS), pivot(frame, COL_SERVICES)
    population = pivot(frame, COL_POPULATION)
    sme_per_capita, participating = pivot(frame, COL_PER_CAPITA, SME), pivot(frame, COL_PARTICIPATING)
    density = pivot(frame, COL_EXPORTERS, SME) / population * 1e5
    for end in (2020, 2021):  # the 2021 award looks at 2016-2020, the 2022 award at 2016-2021
        assert rank_of(growth(goods, 2016, end), NORRBOTTEN) == 1
        assert rank_of(growth(sme_per_capita, 2016, end), NORRBOTTEN) == 1
        assert rank_of(growth(goods, 2016, end), HALLAND) == 2
        assert rank_of(growth(sme_per_capita, 2016, end), HALLAND) == 2
        assert rank_of(density.loc[end], HALLAND) == 1
        assert rank_of(goods.loc[end], SKANE) == 3 and rank_of(services.loc[end], SKANE) == 3
        assert rank_of(participating.loc[end], SKANE) == 3
        assert growth(goods, 2016, end)[SKANE] > growth(goods, 2016, end)[SWEDEN]
    assert goods.loc[2019, NORRBOTTEN] < goods.loc[2020, NORRBOTTEN] < goods.loc[2021, NORRBOTTEN]
    assert rank_of(pivot(frame, COL_PER_CAPITA).loc[2020], NORRBOTTEN) == 1
    assert participating.loc[2020, NORRBOTTEN] >= 3 * participating.loc[2016, NORRBOTTEN]
    assert rank_of(growth(services, 2016, 2021), UPPSALA) == 1
    sme_goods = pivot(frame, COL_GOODS, SME)
    assert rank_of(growth(sme_goods, 2016, 2021), UPPSALA) <= 4
    assert growth(sme_goods, 2016, 2021)[UPPSALA] > growth(sme_goods, 2016, 2021)[SWEDEN]
    assert rank_of(pivot(frame, COL_EXPORTERS, SME).loc[2021], SKANE) == 3


def check_head_office(head_office: pd.DataFrame, workplace: pd.DataFrame) -> None:
    assert head_office[COL_YEAR].max() == 2015 and workplace[COL_YEAR].min() == 2016
    assert head_office[COL_PARTICIPATING].isna().all(), "no export collaboration before 2016"
    step = pivot(workplace, COL_GOODS).loc[2016] / pivot(head_office, COL_GOODS).loc[2015]
    relative = step / step[SWEDEN]
    assert 1.15 <= relative[NORRBOTTEN] <= 1.40, "Norrbotten ~25 % higher by workplace"
    assert relative[STOCKHOLM] < 0.85, "Stockholm lower by workplace (head offices)"


# ========================================================================================
# Summary
# ========================================================================================

def joined(pairs: Iterable[tuple[object, str]]) -> str:
    return ", ".join(f"{key} {text}" for key, text in pairs)


def summary_lines(workplace: pd.DataFrame, head_office: pd.DataFrame) -> list[str]:
    goods, per_capita_all = pivot(workplace, COL_GOODS), pivot(workplace, COL_PER_CAPITA)
    sme_per_capita = pivot(workplace, COL_PER_CAPITA, SME)
    sme_change = growth(sme_per_capita, 2016, 2021)
    change = growth(goods, 2016, 2021)
    ranked = change[list(COUNTIES)].sort_values(ascending=False)
    participating = pivot(workplace, COL_PARTICIPATING)
    density = pivot(workplace, COL_EXPORTERS, SME) / pivot(workplace, COL_POPULATION) * 1e5
    step = goods.loc[2016] / pivot(head_office, COL_GOODS).loc[2015]
    top = (NORRBOTTEN, KRONOBERG, BLEKINGE, VASTRA_GOTALAND, SKANE, SWEDEN)
    return [
        f"{WORKPLACE_FILE.name}: {len(workplace)} rows; {HEAD_OFFICE_FILE.name}: {len(head_office)} rows",
        "Norrbotten SME goods export per inhabitant: "
        + joined((y, f"{v:.0f}") for y, v in sme_per_capita[NORRBOTTEN].items()),
        f"  2016->2021 {sme_change[NORRBOTTEN]:+.1f} %, rank {rank_of(sme_change, NORRBOTTEN)} of 21;"
        f" Sweden {sme_change[SWEDEN]:+.1f} %",
        "All firms, goods export per inhabitant 2020: "
        + joined((c, f"{per_capita_all.loc[2020, c]:.0f}") for c in top),
        "Goods export 2020, msek: "
        + joined((c, f"{goods.loc[2020, c]:.1f}") for c in (VASTRA_GOTALAND, STOCKHOLM, SKANE, SWEDEN)),
        "Goods export 2016->2021, top 3: " + joined((c, f"{v:+.1f} %") for c, v in ranked.iloc[:3].items()),
        "  bottom 3: " + joined((c, f"{v:+.1f} %") for c, v in ranked.iloc[-3:].items())
        + f"; Sweden {change[SWEDEN]:+.1f} %",
        f"Norrbotten 2020->2021 {growth(goods, 2020, 2021)[NORRBOTTEN]:+.1f} %;"
        f" Sweden 2020 {growth(goods, 2019, 2020)[SWEDEN]:+.1f} %,"
        f" 2021 {growth(goods, 2020, 2021)[SWEDEN]:+.1f} %",
        f"Participating firms 2021: Norrbotten {participating.loc[2021, NORRBOTTEN]:.0f},"
        f" rank {rank_of(participating.loc[2021], NORRBOTTEN)};"
        f" 2016-2021 sum rank {rank_of(participating.loc[2016:2021].sum(), NORRBOTTEN)}",
        f"Halland goods-exporting SMEs per 100 000 inhabitants 2021: {density.loc[2021, HALLAND]:.1f}",
        "Head office 2015 -> workplace 2016, relative to Sweden: "
        + joined((c, f"{step[c] / step[SWEDEN]:.2f}") for c in (NORRBOTTEN, STOCKHOLM)),
        "All checks passed.",
    ]


def main() -> None:
    workplace, head_office = build_tables(np.random.default_rng(SEED))
    write_table(WORKPLACE_FILE, workplace)
    write_table(HEAD_OFFICE_FILE, head_office)
    written_workplace, written_head_office = read_file(WORKPLACE_FILE), read_file(HEAD_OFFICE_FILE)
    check_shape(written_workplace, WORKPLACE_YEARS)
    check_shape(written_head_office, HEAD_OFFICE_YEARS)
    for frame in (written_workplace, written_head_office):
        check_consistency(frame)
        check_population(frame)
    check_workplace_goods(written_workplace)
    check_workplace_sme(written_workplace)
    check_firms(written_workplace)
    check_award_claims(written_workplace)
    check_head_office(written_head_office, written_workplace)
    print("\n".join(summary_lines(written_workplace, written_head_office)))


if __name__ == "__main__":
    main()
