"""The only readers of statistics: SQL aggregates into DataFrames, a fixed number of queries each."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final, TypeVar, cast

import pandas as pd
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections
from django.db.models import F

from regions import selectors as regions_selectors
from regions.data import COUNTRY_CODE
from stats.datasets import EMPTY_DATASET, Dataset, dataset_of_rows
from stats.generation_watch import WATCH
from stats.growth import PERCENT_DECIMALS, growth_rows
from stats.loading import REVISION_FIELDS
from stats.models import CacheGeneration, Indicator, Source

T = TypeVar("T")
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


# The generation is read once per request: the first reader stores it here for the rest of the request
# (request_started/request_finished scope it, see stats.apps); outside a request (CLI, worker) every call
# reads the database, so a long-lived process never serves an old generation.
_UNSCOPED: Final = None
_request_generation: ContextVar[list[tuple[int, bool]] | None] = ContextVar("exportregion_generation", default=None)


def start_request_scope(**_kwargs: object) -> None:
    _request_generation.set([])


def end_request_scope(**_kwargs: object) -> None:
    _request_generation.set(_UNSCOPED)


def cache_generation() -> tuple[int, bool]:
    """(generation, demo data shown): one query per request, however many parts of the page ask."""
    scope = _request_generation.get()
    if scope:
        return scope[0]
    if scope is None:
        return _read_generation()
    generation = WATCH.generation(_read_generation)  # no round trip while nothing has changed
    scope.append(generation)
    return generation


def _read_generation() -> tuple[int, bool]:
    row = _read_generation_row()
    return (int(row[0]), bool(row[1])) if row else (0, False)


def _generation_row() -> tuple[Any, ...] | None:
    # Raw SQL: this runs on every page request (the page cache's key), and the ORM's query building
    # costs more than the query itself.
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT value, demo FROM {CacheGeneration._meta.db_table} ORDER BY id LIMIT 1")
        return cast("tuple[Any, ...] | None", cursor.fetchone())


def _read_generation_row() -> tuple[Any, ...] | None:
    """The generation row. When it is a request's first query on a persistent connection, the query is
    the connection's health check too (CONN_HEALTH_CHECKS would first send one of its own, a second
    round trip on every cached page): a connection found dead is closed and the query sent once more on
    a new one, as the health check would have done."""
    db = connections[DEFAULT_DB_ALIAS]  # once: every attribute read through the `connection` proxy costs a lookup
    # health_check_enabled/health_check_done: Django's own flags (BaseDatabaseWrapper), not in its stubs
    if not (db.connection is not None and db.health_check_enabled  # type: ignore[attr-defined]
            and not db.health_check_done and not db.in_atomic_block):  # type: ignore[attr-defined]
        return _generation_row()
    db.health_check_done = True  # type: ignore[attr-defined]
    try:
        return _generation_row()
    except (OperationalError, InterfaceError):
        db.close()
    return _generation_row()


def bump_cache_generation() -> None:
    """Every cached page part and data set is keyed by the generation: a new one makes them all fresh."""
    CacheGeneration.objects.update(value=F("value") + 1)
    WATCH.forget()  # this process reads the new one at once, not only when its notification arrives
    scope = _request_generation.get()
    if scope:
        scope.clear()


def demo_data_loaded() -> bool:
    return cache_generation()[1]


# Cached values are keyed by the generation, so a process may keep them too: what it holds for a
# generation is what the shared cache holds for it. Small and bounded: the data sets of a few indicators.
_LOCAL: OrderedDict[str, Any] = OrderedDict()
_computing_for: ContextVar[int | None] = ContextVar("exportregion_computing_for", default=None)
LOCAL_ENTRIES = 256


# Other modules' own per-process stores keyed by the generation (dashboard.views' parsed page queries).
_PROCESS_STORES: list[OrderedDict[Any, Any]] = []


def process_store() -> OrderedDict[Any, Any]:
    """A new per-process store for values its owner keys by the generation: clear_caches() empties it
    with the rest."""
    store: OrderedDict[Any, Any] = OrderedDict()
    _PROCESS_STORES.append(store)
    return store


def clear_caches() -> None:
    """Empty the shared cache and this process's copies (tests that flush the database start the
    generation again)."""
    cache.clear()
    WATCH.forget()
    _LOCAL.clear()
    for store in _PROCESS_STORES:
        store.clear()


def cached(name: str, key: str, compute: Callable[[], T], *, generation: int | None = None,
           local: bool = False) -> T:
    """Cache `compute()` under the database's generation, so an import from any process shows at once.
    `local`: keep a copy in this process too (data sets and reference data that every page reads: no
    unpickling per request); never mutate what comes back."""
    gen = (_computing_for.get() or cache_generation()[0]) if generation is None else generation
    # Hashed: the key holds what a visitor typed (a sector name), of any length and any characters.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    full_key = f"exportregion:{gen}:{name}:{digest}"
    if local and full_key in _LOCAL:
        _LOCAL.move_to_end(full_key)
        return cast(T, _LOCAL[full_key])
    value = cache.get(full_key)
    if value is None:
        # What compute() caches in turn (region names, say) belongs to the same generation: no second read.
        token = _computing_for.set(gen)
        try:
            value = compute()
        finally:
            _computing_for.reset(token)
        cache.set(full_key, value, 3600)
    if local:
        _LOCAL[full_key] = value
        if len(_LOCAL) > LOCAL_ENTRIES:
            _LOCAL.popitem(last=False)
    return cast(T, value)


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
    """stats.growth.growth_rows on an already-read series (columns region, name, year, value[, flag]) as a
    frame: the one definition of change, change_pct and rank that the API and the pages share."""
    assert q.year_from is not None and q.year_to is not None
    names = region_names()
    counties = [c for c in (q.regions if q.regions is not None else names) if c != COUNTRY_CODE]
    flags = frame["flag"].tolist() if "flag" in frame.columns else [None] * len(frame)
    rows = growth_rows(dataset_of_rows(zip(frame["region"].tolist(), frame["year"].tolist(), frame["value"].tolist(),
                                           flags, strict=True)),
                       start=q.year_from, end=q.year_to, counties=counties)
    return pd.DataFrame({
        "region": [r.region for r in rows],
        "name": [names[r.region] for r in rows],
        "start": pd.Series([r.start for r in rows], dtype="float64"),
        "end": pd.Series([r.end for r in rows], dtype="float64"),
        "start_flag": [r.start_flag for r in rows],
        "end_flag": [r.end_flag for r in rows],
        "change": pd.Series([r.change for r in rows], dtype="float64"),
        "change_pct": pd.Series([r.change_pct for r in rows], dtype="float64"),
        "rank": pd.Series([r.rank for r in rows], dtype="Int64"),
    })


def rounded_growth(frame: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """growth_frame with the float noise of the subtraction and division rounded off: change to the
    indicator's decimals, change_pct to PERCENT_DECIMALS. The ranks stay those of the exact values."""
    return frame.assign(change=frame["change"].round(decimals), change_pct=frame["change_pct"].round(PERCENT_DECIMALS))


def region_names() -> dict[str, str]:
    """code -> name for every region, cached under the generation (saving a region bumps it)."""
    return cached("region-names", "", regions_selectors.region_names, local=True)


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
def _datasets_from_rows(rows: list[tuple[str, str, str, int, float | None, str]]) -> dict[tuple[str, str], Dataset]:
    """(indicator code, firm size) -> Dataset, from rows of (indicator, firm size, region, year, value, flag)."""
    values: dict[tuple[str, str], dict[str, dict[int, float | None]]] = {}
    flags: dict[tuple[str, str], dict[str, dict[int, str]]] = {}
    for indicator, firm_size, region, year, value, flag in rows:
        key = (indicator, firm_size)
        values.setdefault(key, {}).setdefault(region, {})[int(year)] = None if value is None else float(value)
        flags.setdefault(key, {}).setdefault(region, {})[int(year)] = flag
    return {key: Dataset(values[key], flags[key]) for key in values}


def source_datasets(*, source: Source, sector: str = "") -> dict[tuple[str, str], Dataset]:
    """Every indicator and firm size of one source and sector as Datasets: one query (a few thousand
    values for a source), so that every page of that source reads from one cached read."""
    sql = (
        "SELECT i.code, o.firm_size, r.code, o.year, o.value, o.flag FROM stats_observation o "
        "JOIN regions_region r ON r.id = o.region_id JOIN stats_indicator i ON i.id = o.indicator_id "
        "WHERE o.source_id = %s AND o.sector = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [source.id, sector])
        return _datasets_from_rows(cursor.fetchall())


def dataset(*, indicator: Indicator, source: Source, firm_size: str, sector: str, generation: int) -> Dataset:
    """The cached Dataset of one indicator, source, firm size and sector (an empty one if there is no data).
    A miss reads every indicator and firm size of the source and sector at once (one query): the other
    pages of the source need them next."""
    sets = cached("datasets", f"{source.slug}|{sector}",
                  lambda: source_datasets(source=source, sector=sector), generation=generation, local=True)
    return sets.get((indicator.code, firm_size), EMPTY_DATASET)
