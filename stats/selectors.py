"""The only readers of statistics: SQL aggregates into DataFrames, a fixed number of queries each."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
from django.core.cache import cache
from django.db import connection

from regions.data import COUNTRY_CODE
from stats.loading import REVISION_FIELDS
from stats.models import CacheGeneration, Indicator, Source

SERIES_COLUMNS = ["region", "name", "year", "value", "flag"]


@dataclass(frozen=True)
class SeriesQuery:
    """A validated request for one indicator's series: what every chart, table and download reads."""

    indicator: Indicator
    source: Source
    firm_size: str = "all"
    sector: str = ""
    regions: tuple[str, ...] | None = None  # None = every county
    year_from: int | None = None
    year_to: int | None = None

    def cache_key(self) -> str:
        regions = ",".join(self.regions) if self.regions is not None else "*"
        return (
            f"{self.indicator.code}|{self.source.slug}|{self.firm_size}|{self.sector}|{regions}|"
            f"{self.year_from}|{self.year_to}"
        )


def cache_generation() -> tuple[int, bool]:
    # Raw SQL: this runs on every page request (the page cache's key), and the ORM's query building
    # costs more than the query itself.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value, demo FROM {CacheGeneration._meta.db_table} ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    return (int(row[0]), bool(row[1])) if row else (0, False)


def demo_data_loaded() -> bool:
    return cache_generation()[1]


def cached(name: str, key: str, compute, *, generation: int | None = None):
    """Cache `compute()` under the database's generation, so an import from any process shows at once."""
    gen = cache_generation()[0] if generation is None else generation
    # Hashed: the key holds what a visitor typed (a sector name), of any length and any characters.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    full_key = f"exportregion:{gen}:{name}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, 3600)
    return value


def _series_sql(q: SeriesQuery, *, include_country: bool) -> tuple[str, list]:
    where = ["o.indicator_id = %s", "o.source_id = %s", "o.firm_size = %s", "o.sector = %s"]
    params: list = [q.indicator.id, q.source.id, q.firm_size, q.sector]
    if q.regions is not None:
        codes = list(q.regions) + ([COUNTRY_CODE] if include_country else [])
        where.append(f"r.code IN ({', '.join(['%s'] * len(codes))})")
        params.extend(codes)
    elif not include_country:
        where.append("r.level = 'county'")
    if q.year_from is not None:
        where.append("o.year >= %s")
        params.append(q.year_from)
    if q.year_to is not None:
        where.append("o.year <= %s")
        params.append(q.year_to)
    sql = (
        "SELECT r.code, r.name, o.year, o.value, o.flag FROM stats_observation o "
        "JOIN regions_region r ON r.id = o.region_id WHERE " + " AND ".join(where) + " ORDER BY r.code, o.year"
    )
    return sql, params


def series_frame(q: SeriesQuery, *, include_country: bool = False) -> pd.DataFrame:
    """One row per region and year (region code, name, year, value, flag); one query."""
    sql, params = _series_sql(q, include_country=include_country)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def growth_frame(q: SeriesQuery) -> pd.DataFrame:
    """Change from `year_from` to `year_to` per region, counties ranked by change_pct (descending);
    a county missing either end comes last with no rank. Includes the national row (not ranked)."""
    assert q.year_from is not None and q.year_to is not None
    ends = SeriesQuery(q.indicator, q.source, q.firm_size, q.sector, q.regions, q.year_from, q.year_to)
    return growth_from_series(series_frame(ends, include_country=True), q)


def growth_from_series(frame: pd.DataFrame, q: SeriesQuery) -> pd.DataFrame:
    """growth_frame's arithmetic on an already-read series (columns region, name, year, value): the one
    definition of change, change_pct and rank that the API, the compare page and the region page share."""
    assert q.year_from is not None and q.year_to is not None
    frame = frame[frame["year"].isin([q.year_from, q.year_to])]
    # Index on the code alone: with dropna=False, a (region, name) index would pair every code with
    # every name (pandas fills the product of the levels); the names come from _with_all_regions.
    wide = frame.pivot_table(index="region", columns="year", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=sorted({q.year_from, q.year_to}))  # from == to: one column, change 0
    out = pd.DataFrame(
        {
            "region": wide.index.to_numpy(),
            "name": "",
            "start": wide[q.year_from].to_numpy(),
            "end": wide[q.year_to].to_numpy(),
        }
    )
    out = _with_all_regions(out, q)
    # The flags of the two ends (confidential, derived, …): a table shows a confidential end as such.
    flags = {}
    if "flag" in frame.columns:
        flags = {(r, int(y)): f for r, y, f in zip(frame["region"], frame["year"], frame["flag"], strict=True)}
    out["start_flag"] = [flags.get((r, q.year_from)) for r in out["region"]]
    out["end_flag"] = [flags.get((r, q.year_to)) for r in out["region"]]
    out["change"] = out["end"] - out["start"]
    start = out["start"].where(out["start"] != 0)
    out["change_pct"] = (out["end"] / start - 1.0) * 100.0
    counties = out[out["region"] != COUNTRY_CODE].sort_values(
        ["change_pct", "region"], ascending=[False, True], na_position="last"
    )
    ranked = counties["change_pct"].notna()
    counties["rank"] = pd.Series(pd.NA, index=counties.index, dtype="Int64")
    counties.loc[ranked, "rank"] = counties.loc[ranked, "change_pct"].rank(ascending=False, method="min")
    national = out[out["region"] == COUNTRY_CODE].assign(rank=pd.NA)
    return pd.concat([counties, national], ignore_index=True)


PERCENT_DECIMALS = 2  # change_pct in the API and the figures: 80.01, never 80.00797646374404


def rounded_growth(frame: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """growth_frame with the float noise of the subtraction and division rounded off: change to the
    indicator's decimals, change_pct to PERCENT_DECIMALS. The ranks stay those of the exact values."""
    return frame.assign(change=frame["change"].round(decimals), change_pct=frame["change_pct"].round(PERCENT_DECIMALS))


def _with_all_regions(frame: pd.DataFrame, q: SeriesQuery) -> pd.DataFrame:
    from regions.selectors import region_names

    names = region_names()
    wanted = list(q.regions) if q.regions is not None else [c for c in names if c != COUNTRY_CODE]
    if COUNTRY_CODE not in wanted:
        wanted.append(COUNTRY_CODE)
    base = pd.DataFrame({"region": wanted, "name": [names[c] for c in wanted]})
    return base.merge(frame.drop(columns="name"), on="region", how="left")


def available_years(*, indicator: Indicator, source: Source) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT year FROM stats_observation WHERE indicator_id = %s AND source_id = %s ORDER BY year",
            [indicator.id, source.id],
        )
        return [row[0] for row in cursor.fetchall()]


OBSERVATION_COLUMNS = ["region", "name", "level", "indicator", "source", "firm_size", "year", "value", "flag"]


def observations_frame(
    *, source: Source, firm_sizes: tuple[str, ...] = ("all", "sme"), sector: str = ""
) -> pd.DataFrame:
    """Every indicator for every region (Sweden included) of one source, firm sizes and sector, long:
    region, name, level, indicator (code), source (slug), firm_size, year, value, flag. One query,
    whatever the number of regions, indicators and years (about 2 000 rows for the demo source)."""
    sizes = ", ".join(["%s"] * len(firm_sizes))
    sql = (
        "SELECT r.code, r.name, r.level, i.code, o.firm_size, o.year, o.value, o.flag "
        "FROM stats_observation o JOIN regions_region r ON r.id = o.region_id "
        "JOIN stats_indicator i ON i.id = o.indicator_id "
        f"WHERE o.source_id = %s AND o.sector = %s AND o.firm_size IN ({sizes}) "
        "ORDER BY r.code, i.code, o.firm_size, o.year"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [source.id, sector, *firm_sizes])
        rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=[c for c in OBSERVATION_COLUMNS if c != "source"])
    frame.insert(4, "source", source.slug)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def observation_dimensions() -> pd.DataFrame:
    """Which (source slug, sector, year) combinations hold data: the choices the controls offer. One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT s.slug, o.sector, o.year FROM stats_observation o "
            "JOIN stats_source s ON s.id = o.source_id ORDER BY s.slug, o.sector, o.year"
        )
        rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=["source", "sector", "year"])
    frame["year"] = frame["year"].astype("int64")
    return frame


STORED_KEY_COLUMNS = ["region", "indicator", "year", "firm_size", "sector"]


def stored_keys_frame(*, source: Source) -> pd.DataFrame:
    """The keys (region code, indicator code, year, firm size, sector) of every value stored in one
    source, missing values included. One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.code, i.code, o.year, o.firm_size, o.sector FROM stats_observation o "
            "JOIN regions_region r ON r.id = o.region_id JOIN stats_indicator i ON i.id = o.indicator_id "
            "WHERE o.source_id = %s",
            [source.id],
        )
        rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=STORED_KEY_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    return frame


def loaded_batch_revisions(*, batch_id: int) -> list[dict]:
    """Every value a loaded batch revised, in key order: region and indicator codes, year, firm size,
    sector, old value, new value and new flag (the shape of `Diff.revisions`). The old value is in the
    history; the new one is current, or in the history of the later batch that revised it in turn."""
    key = "{a}.region_id = h.region_id AND {a}.indicator_id = h.indicator_id AND {a}.year = h.year " \
          "AND {a}.firm_size = h.firm_size AND {a}.sector = h.sector AND {a}.source_id = h.source_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT r.code, i.code, h.year, h.firm_size, h.sector, h.value,
                       CASE WHEN o.id IS NOT NULL THEN o.value ELSE later.value END,
                       CASE WHEN o.id IS NOT NULL THEN o.flag ELSE later.flag END
                FROM stats_observationhistory h
                JOIN regions_region r ON r.id = h.region_id JOIN stats_indicator i ON i.id = h.indicator_id
                LEFT JOIN stats_observation o ON {key.format(a="o")} AND o.batch_id = h.replaced_by_id
                LEFT JOIN stats_observationhistory later ON {key.format(a="later")} AND later.batch_id = h.replaced_by_id
                WHERE h.replaced_by_id = %s
                ORDER BY r.code, i.code, h.year, h.firm_size, h.sector""",
            [batch_id],
        )
        rows = cursor.fetchall()
    return [dict(zip(REVISION_FIELDS, row, strict=True)) for row in rows]
