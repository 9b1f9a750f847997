"""Goods export per inhabitant derived from goods exports and population, and checked where given."""

import numpy as np
import pandas as pd

from stats.importing import describe
from stats.importing.cells import DERIVED, GIVEN, MISSING
from stats.importing.problems import WARNING, ProblemLog
from stats.importing.rows import report

MSEK, PER_CAPITA, POPULATION = "goods_export_msek", "goods_export_per_capita_sek", "population"
BREAKDOWN = ["region", "year", "firm_size", "sector"]
TOLERANCE = 0.02


def _populations(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Population per breakdown, and per region/year for all firms in all sectors."""
    rows = frame[(frame["indicator"] == POPULATION) & (frame["value"] > 0)]
    rows = rows.rename(columns={"value": "population", "line": "population_line"})
    same = rows[BREAKDOWN + ["population", "population_line"]].drop_duplicates(BREAKDOWN)
    total = rows[(rows["firm_size"] == "all") & (rows["sector"] == "")]
    total = total[["region", "year", "population", "population_line"]].drop_duplicates(["region", "year"])
    return same, total


def _derivations(frame: pd.DataFrame) -> pd.DataFrame:
    exports = frame[(frame["indicator"] == MSEK) & frame["value"].notna()]
    exports = exports[BREAKDOWN + ["value", "line", "column", "order"]].rename(
        columns={"value": "msek", "line": "msek_line"})
    same, total = _populations(frame)
    # Population has no breakdown: the all-firms, all-sectors figure serves every firm size and sector.
    merged = exports.merge(total, on=["region", "year"], how="left")
    fallback = exports.merge(same, on=BREAKDOWN, how="left")
    use_same = merged["population"].isna().to_numpy()
    for name in ("population", "population_line"):
        merged.loc[use_same, name] = fallback.loc[use_same, name].to_numpy()
    merged = merged[merged["population"].notna()].copy()
    merged["derived"] = merged["msek"] * 1e6 / merged["population"].astype("float64")
    return merged.drop_duplicates(BREAKDOWN)


def _new_rows(derived: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """The derived values as rows of the same column types as `like` (categoricals stay categoricals)."""
    def same_type(value: str, name: str) -> pd.Series:
        return pd.Series(value, index=derived.index, dtype=like[name].dtype)

    return pd.DataFrame({
        "region": derived["region"], "year": derived["year"], "indicator": same_type(PER_CAPITA, "indicator"),
        "firm_size": derived["firm_size"], "sector": derived["sector"], "value": derived["derived"],
        "flag": same_type(DERIVED, "flag"), "line": derived["msek_line"], "column": derived["column"],
        "order": derived["order"],
    })


def _warn_mismatches(given: pd.DataFrame, log: ProblemLog) -> None:
    off = (given["value"] - given["derived"]).abs() > TOLERANCE * given["derived"]
    rows = given[off.to_numpy()]

    def details(index: int) -> dict[str, object]:
        row = rows.iloc[index]
        lines = sorted({int(row["line"]), int(row["msek_line"]), int(row["population_line"])})
        pct = abs(row["value"] - row["derived"]) / row["derived"] * 100 if row["derived"] > 0 else 100.0
        return {
            "line": int(row["line"]), "column": row["column"],
            "region": describe.region_label(row["region"]), "year": int(row["year"]),
            "breakdown": describe.breakdown(row["firm_size"], row["sector"], log.lang),
            "given": describe.number(row["value"], log.lang, 0), "pct": describe.number(pct, log.lang, 1),
            "msek": describe.number(row["msek"], log.lang, 1),
            "population": describe.number(row["population"], log.lang, 0),
            "derived": describe.number(row["derived"], log.lang, 0),
            "lines": ", ".join(str(line) for line in lines),
        }

    report(log, "per_capita_mismatch", np.arange(len(rows)), details, WARNING)


def add_per_capita(frame: pd.DataFrame, log: ProblemLog) -> pd.DataFrame:
    """Fill per-capita values the file lacks (or marks ".." / empty); warn where given ones disagree."""
    indicators = set(frame["indicator"].unique()) if len(frame) else set()
    if not {MSEK, POPULATION} <= indicators:
        return frame
    derived = _derivations(frame)
    if derived.empty:
        return frame
    existing = frame[frame["indicator"] == PER_CAPITA].reset_index()
    joined = existing.merge(derived[BREAKDOWN + ["derived", "msek", "msek_line", "population",
                                                 "population_line"]], on=BREAKDOWN, how="inner")
    _warn_mismatches(joined[(joined["flag"] == GIVEN) & joined["value"].notna()], log)
    fill = joined[joined["flag"] == MISSING]
    frame = frame.copy()
    frame.loc[fill["index"].to_numpy(), "value"] = fill["derived"].to_numpy()
    frame.loc[fill["index"].to_numpy(), "flag"] = DERIVED
    have = existing[BREAKDOWN].assign(present=True)
    missing = derived.merge(have, on=BREAKDOWN, how="left")
    missing = missing[missing["present"].isna()]
    return pd.concat([frame, _new_rows(missing, frame)], ignore_index=True) if len(missing) else frame
