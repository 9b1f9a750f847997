"""Checks across rows: duplicate keys (errors) and year-on-year jumps above 300 % (warnings)."""

import numpy as np
import pandas as pd

from stats.importing import describe
from stats.importing.cells import GIVEN
from stats.importing.limits import STORED_TEXT_LENGTHS
from stats.importing.problems import WARNING, ProblemLog
from stats.importing.rows import report
from stats.importing.text import shorten

KEY = ["region", "year", "indicator", "firm_size", "sector"]
SERIES = ["region", "indicator", "firm_size", "sector"]
JUMP_FACTOR = 4.0  # "more than 300 %" means new > 4 × old


def _codes(frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    """One int64 per distinct combination: hashing integers is far faster than hashing string tuples."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for name in names:
        codes, uniques = pd.factorize(frame[name])
        combined = combined * (len(uniques) + 1) + codes
    return combined


def check_text_lengths(frame: pd.DataFrame, log: ProblemLog) -> None:
    """Every stored text fits its database column; the loader must never meet a value too long."""
    for name, limit in STORED_TEXT_LENGTHS.items():
        texts = frame[name].astype("category")
        too_long = [text for text in texts.cat.categories if len(str(text)) > limit]
        if not too_long:
            continue
        rows = np.flatnonzero(texts.isin(too_long).to_numpy())

        def details(index: int, texts: pd.Series = texts, limit: int = limit) -> dict[str, object]:
            text = str(texts.iloc[index])
            return {"line": int(frame["line"].iloc[index]), "value": shorten(text, 40), "n": len(text),
                    "limit": limit}

        report(log, "text_too_long", rows, details)


def check_duplicates(frame: pd.DataFrame, log: ProblemLog) -> None:
    if frame.empty:
        return
    keys = pd.Series(_codes(frame, KEY), index=frame.index)
    repeated = keys.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return
    dups = frame.loc[repeated, KEY + ["line"]].assign(key=keys[repeated])
    dups["first"] = dups.groupby("key")["line"].transform("min")
    dups = dups[dups["line"] != dups["first"]]
    pairs = dups[["first", "line"]].drop_duplicates().sort_values(["line", "first"])

    def details(index: int) -> dict[str, object]:
        first, second = (int(v) for v in pairs.iloc[index])
        rows = dups[(dups["line"] == second) & (dups["first"] == first)]
        row = rows.iloc[0]
        indicators = ", ".join(dict.fromkeys(describe.indicator_name(i, log.lang) for i in rows["indicator"]))
        what = (f"{describe.region_label(row['region'])}, {row['year']}"
                f"{describe.breakdown(row['firm_size'], row['sector'], log.lang)}: {indicators}")
        return {"line": int(second), "first": int(first), "second": int(second), "what": what}

    report(log, "duplicate_row", np.arange(len(pairs)), details)


def check_jumps(frame: pd.DataFrame, log: ProblemLog) -> None:
    candidates = np.flatnonzero(((frame["flag"] == GIVEN) & frame["value"].notna()).to_numpy())
    if len(candidates) < 2:
        return
    given = frame.iloc[candidates]
    series = _codes(given, SERIES)
    order = np.lexsort((given["year"].to_numpy(), series))
    series, rows = series[order], candidates[order]
    years = frame["year"].to_numpy()[rows]
    values = frame["value"].to_numpy(dtype="float64")[rows]
    jump = np.zeros(len(rows), dtype=bool)
    jump[1:] = ((series[1:] == series[:-1]) & (years[1:] == years[:-1] + 1)
                & (values[:-1] > 0) & (values[1:] > JUMP_FACTOR * values[:-1]))

    def details(index: int) -> dict[str, object]:
        row, before = frame.iloc[rows[index]], frame.iloc[rows[index - 1]]
        return {
            "line": int(row["line"]), "column": row["column"],
            "region": describe.region_label(row["region"]),
            "breakdown": describe.breakdown(row["firm_size"], row["sector"], log.lang),
            "indicator": describe.indicator_name(row["indicator"], log.lang),
            "old": describe.number(before["value"], log.lang), "previous": int(before["year"]),
            "new": describe.number(row["value"], log.lang), "year": int(row["year"]),
            "pct": describe.number((row["value"] / before["value"] - 1) * 100, log.lang, 0),
        }

    report(log, "jump", np.flatnonzero(jump), details, WARNING)
