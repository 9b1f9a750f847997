"""The only writer of statistics: one transaction per batch, never a query per row.

The batch's rows are encoded once as columns of codes (`_Incoming`) and written by set-based SQL:

- PostgreSQL, a large batch (BULK_ROWS) into an empty table: indexes and constraints are set aside,
  the rows are streamed with COPY straight into `stats_observation`, and the indexes and foreign
  keys are built again from their own definitions (sorted builds, one set-based check per key),
  all in the batch's transaction.
- PostgreSQL, none of the batch's keys stored yet (a first import of a source, a new year): the
  rows are streamed with COPY straight into `stats_observation`; every value is new.
- Otherwise the rows are streamed into a temporary table (PostgreSQL: COPY; SQLite: one bulk
  statement per chunk) and one join against `stats_observation` keeps only the new and the
  changed rows (`incoming_delta`, with the values they replace). From that: revised values move
  to `stats_observationhistory` (so the batch can be reverted exactly) and are updated in place,
  new ones are inserted. The counts come from the statements' row counts; unchanged values are
  never touched.

On PostgreSQL a load or revert first takes a SHARE ROW EXCLUSIVE lock on `stats_observation`:
writers of statistics run one at a time (readers are not blocked), so what the diff saw is what
the writes change.
"""

from __future__ import annotations

import io
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import connection, transaction

from regions.models import Region
from stats.generation_watch import WATCH
from stats.models import Indicator, Source

log = logging.getLogger(__name__)

KEY = ("region_id", "indicator_id", "year", "firm_size", "sector", "source_id")
INCOMING_COLUMNS = ("region_id", "indicator_id", "year", "firm_size", "sector", "value", "flag")
REVISIONS_LISTED = 200
SQLITE_CHUNK = 150  # 7 parameters a row stays under SQLite's 999-variable floor on old builds
COPY_BLOCK_ROWS = 32_768  # rows encoded at a time: about 1.5 MB of COPY text
COPY_READ_SIZE = 1 << 20  # psycopg2 reads 8 KB at a time unless told otherwise
BULK_ROWS = 100_000  # into an empty table from this many rows on, build indexes after loading (None: never)
INDEX_BUILD_MEMORY = "256MB"  # maintenance_work_mem for those builds: a million keys sort in memory
JOIN_MEMORY = "256MB"  # work_mem for the diff of a batch against the stored values


@dataclass(frozen=True)
class Diff:
    """What a load did (or, from observations_diff, would do): the loader returns it and
    stats.import_batches records it on the batch."""

    new: int = 0
    revised: int = 0
    unchanged: int = 0
    revisions: list[dict] = field(default_factory=list)
    # Per region and indicator: {"region", "indicator", "new", "revised", "unchanged", "missing"}, "missing"
    # counting the revised values that become missing (a stored value, none in the batch). Preview only.
    summary: list[dict] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.new + self.revised


class RevertRefused(Exception):
    def __init__(self, message: str, *, later: int | None = None) -> None:
        super().__init__(message)
        self.later = later  # the batch that revised this one's values and must be reverted first


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _distinct(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if _is_postgres() else f"{a} IS NOT {b}"


def _key_join(left: str, right: str, *, source: bool = True) -> str:
    cols = [c for c in KEY if c != "source_id"]
    parts = [f"{left}.{c} = {right}.{c}" for c in cols]
    if source:
        parts.append(f"{left}.source_id = {right}.source_id")
    return " AND ".join(parts)


class _Phases:
    """Wall-clock seconds per step of a load, logged at DEBUG (the benchmark reads them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.add(name, now - self._last)
        self._last = now

    def restart(self) -> None:
        self._last = time.perf_counter()


# ---------------------------------------------------------------------------------------------
# The batch's rows as columns of codes


class _Codes:
    """A column as integer codes into its distinct values (statistics files repeat their keys)."""

    def __init__(self, codes: np.ndarray, uniques: list) -> None:
        self.codes = codes
        self.uniques = uniques

    @classmethod
    def of(cls, series: pd.Series, *, missing: object = "", convert=str) -> _Codes:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = [convert(v) for v in uniques]
        if (codes < 0).any():  # NaN: one more distinct value at the end
            codes = np.where(codes < 0, len(values), codes)
            values.append(missing)
        return cls(np.asarray(codes, dtype=np.int64), values)

    def mapped(self, mapping: dict, what: str) -> _Codes:
        ids: list = [mapping.get(str(value)) for value in self.uniques]
        if any(i is None for i in ids):
            raise ValueError(f"the frame names a {what} that the database does not know")
        return _Codes(self.codes, [int(i) for i in ids])

    def array(self, dtype=object) -> np.ndarray:
        return np.asarray(self.uniques, dtype=dtype)[self.codes]


class _Incoming:
    """The reader's frame mapped to database ids (two queries whatever the size of the file)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        region_ids = dict(Region.objects.values_list("code", "id"))
        indicator_ids = dict(Indicator.objects.values_list("code", "id"))
        self.size = len(frame)
        self.region = _Codes.of(frame["region"], missing=None).mapped(region_ids, "region or indicator")
        self.indicator = _Codes.of(frame["indicator"], missing=None).mapped(indicator_ids, "region or indicator")
        self.year = _Codes.of(frame["year"].astype("int64"), convert=int)
        self.firm_size = _Codes.of(frame["firm_size"])
        self.sector = _Codes.of(frame["sector"])
        self.flag = _Codes.of(frame["flag"])
        self.value = frame["value"].to_numpy(dtype="float64", na_value=np.nan)
        self._sort_by_key()

    def _sort_by_key(self) -> None:
        """Put the rows in the order of the unique key (region, indicator, year, firm size, sector):
        COPY then writes them in that order, the key's index receives ascending entries, and a build
        of it finds its input already sorted (PostgreSQL's sort checks for that). Text sorts by code
        point, as the C and C.UTF-8 collations do; another collation only loses the head start."""
        ranks = []
        for column in reversed(self.key_columns()):  # np.lexsort: the last key is the primary one
            by_value = sorted(range(len(column.uniques)), key=column.uniques.__getitem__)
            rank = np.empty(len(by_value), dtype=np.int64)
            rank[by_value] = np.arange(len(by_value))
            ranks.append(rank[column.codes])
        order = np.lexsort(ranks)
        for column in (*self.key_columns(), self.flag):
            column.codes = column.codes[order]
        self.value = self.value[order]

    def key_columns(self) -> list[_Codes]:
        return [self.region, self.indicator, self.year, self.firm_size, self.sector]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "region_id": self.region.array(np.int64),
                "indicator_id": self.indicator.array(np.int64),
                "year": self.year.array(np.int64),
                "firm_size": pd.array(self.firm_size.array(), dtype="str"),
                "sector": pd.array(self.sector.array(), dtype="str"),
                "value": self.value,
                "flag": pd.array(self.flag.array(), dtype="str"),
            }
        )

    def csv_blocks(self, tail: str = "", phases: _Phases | None = None, block_rows: int = COPY_BLOCK_ROWS):
        """COPY csv text, a block of rows at a time: each distinct key and flag is formatted once,
        values with repr() (exact round trip), missing values as unquoted empty fields (NULL)."""
        started = time.perf_counter()
        texts = [np.asarray([_csv_field(str(v)) for v in c.uniques], dtype=object) for c in self.key_columns()]
        flags = np.asarray([_csv_field(str(v)) for v in self.flag.uniques], dtype=object)
        codes = [c.codes for c in self.key_columns()]
        for start in range(0, self.size, block_rows):
            end = start + block_rows
            chunk = self.value[start:end]
            values = list(map(repr, chunk.tolist()))
            for missing in np.flatnonzero(np.isnan(chunk)).tolist():
                values[missing] = ""
            columns = [t[c[start:end]].tolist() for t, c in zip(texts, codes, strict=True)]
            columns += [values, flags[self.flag.codes[start:end]].tolist()]
            if tail:
                columns.append([tail] * len(columns[0]))
            block = ("\n".join(map(",".join, zip(*columns, strict=True))) + "\n").encode()
            if phases is not None:
                phases.add("encode", time.perf_counter() - started)
            yield block
            started = time.perf_counter()

    def tuples(self, start: int, end: int) -> list[tuple]:
        """Rows start..end as Python values (None for a missing value), for bulk INSERT statements."""
        columns = [np.asarray(c.uniques, dtype=object)[c.codes[start:end]].tolist() for c in self.key_columns()]
        value = self.value[start:end]
        values = np.where(np.isnan(value), None, value.astype(object)).tolist()  # type: ignore[call-overload]
        flags = np.asarray(self.flag.uniques, dtype=object)[self.flag.codes[start:end]].tolist()
        return list(zip(*columns, values, flags, strict=True))

    def key_prefixes(self) -> tuple[list[int], list[int], list[int]]:
        """The distinct (region, indicator, year) of the batch, as id lists."""
        n_indicators, n_years = len(self.indicator.uniques), len(self.year.uniques)
        combined = (self.region.codes * n_indicators + self.indicator.codes) * n_years + self.year.codes
        distinct = np.unique(combined)
        regions = np.asarray(self.region.uniques, dtype=np.int64)[distinct // (n_indicators * n_years)]
        indicators = np.asarray(self.indicator.uniques, dtype=np.int64)[(distinct // n_years) % n_indicators]
        years = np.asarray(self.year.uniques, dtype=np.int64)[distinct % n_years]
        return regions.tolist(), indicators.tolist(), years.tolist()


def _csv_field(text: str) -> str:
    """A CSV field that COPY reads back as exactly this text: never NULL, never trimmed."""
    if text == "" or text != text.strip() or any(ch in text for ch in ',"\n\r\\'):
        return '"' + text.replace('"', '""') + '"'
    return text


def incoming_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Map the reader's codes to database ids (two queries whatever the size of the file), in the
    order of the unique key."""
    return _Incoming(frame).frame()


# ---------------------------------------------------------------------------------------------
# Streaming rows into tables


class _ChunkedReader(io.RawIOBase):
    """A file-like object over already-encoded blocks, for COPY to read COPY_READ_SIZE at a time."""

    def __init__(self, blocks) -> None:
        self._blocks = iter(blocks)
        self._block = b""
        self._offset = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            rest = [self._block[self._offset :], *self._blocks]
            self._block, self._offset = b"", 0
            return b"".join(rest)
        while self._offset >= len(self._block):
            block = next(self._blocks, None)
            if block is None:
                return b""
            self._block, self._offset = block, 0
        out = self._block[self._offset : self._offset + size]
        self._offset += len(out)
        return out


def _copy(cursor, table: str, columns: tuple[str, ...], incoming: _Incoming, phases: _Phases,
          tail: str = "") -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
    start = time.perf_counter()
    encoded = phases.seconds.get("encode", 0.0)
    cursor.cursor.copy_expert(sql, _ChunkedReader(incoming.csv_blocks(tail, phases)), size=COPY_READ_SIZE)
    phases.add("copy", time.perf_counter() - start - (phases.seconds.get("encode", 0.0) - encoded))
    phases.restart()


def _create_incoming_table(cursor) -> None:
    cursor.execute("DROP TABLE IF EXISTS incoming")
    cursor.execute(
        "CREATE TEMPORARY TABLE incoming (region_id bigint NOT NULL, indicator_id bigint NOT NULL, "
        "year integer NOT NULL, firm_size varchar(10) NOT NULL, sector varchar(100) NOT NULL, "
        "value double precision NULL, flag varchar(12) NOT NULL)"
    )


def _fill_incoming(cursor, incoming: _Incoming, phases: _Phases) -> None:
    _create_incoming_table(cursor)
    if _is_postgres():
        _copy(cursor, "incoming", INCOMING_COLUMNS, incoming, phases)
        # The diff joins the whole batch with the stored values: real row counts for the planner,
        # and room to hash a million keys in memory instead of in batches on disk.
        cursor.execute("ANALYZE incoming")
        cursor.execute(f"SET LOCAL work_mem = '{JOIN_MEMORY}'")
        phases.mark("analyze")
        return
    for start in range(0, incoming.size, SQLITE_CHUNK):
        chunk = incoming.tuples(start, start + SQLITE_CHUNK)
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        cursor.execute(
            f"INSERT INTO incoming ({', '.join(INCOMING_COLUMNS)}) VALUES {placeholders}",
            [v for row in chunk for v in row],
        )
    phases.mark("copy")


def _nothing_stored(cursor, incoming: _Incoming, source_id: int) -> bool:
    """True when no stored value of this source shares a region, indicator and year with the batch
    (PostgreSQL: one probe of the unique index per distinct prefix, a few thousand at most)."""
    if not _is_postgres() or incoming.size == 0:
        return False
    regions, indicators, years = incoming.key_prefixes()
    cursor.execute(
        """SELECT EXISTS (
             SELECT 1 FROM unnest(%s::bigint[], %s::bigint[], %s::smallint[]) AS k(region_id, indicator_id, year)
             JOIN stats_observation o ON o.region_id = k.region_id AND o.indicator_id = k.indicator_id
               AND o.year = k.year AND o.source_id = %s)""",
        [regions, indicators, years, source_id],
    )
    return not cursor.fetchone()[0]


def _lock_writers(cursor) -> None:
    if _is_postgres():
        cursor.execute("LOCK TABLE stats_observation IN SHARE ROW EXCLUSIVE MODE")


def _bulk_load_possible(cursor, incoming: _Incoming, *, outermost: bool) -> bool:
    """PostgreSQL, a large batch, our own transaction (not a caller's: the lock must end with the
    load, and the DDL must not meet the caller's pending trigger events) and an empty table that
    we own and that nothing references: then the batch is loaded with indexes and constraints set
    aside, as pg_restore does, under an ACCESS EXCLUSIVE lock (readers of the empty table wait
    until the commit). Call with the writers' lock held, so no other load slips in meanwhile."""
    if not (_is_postgres() and outermost and BULK_ROWS is not None and incoming.size >= BULK_ROWS):
        return False
    cursor.execute(
        """SELECT NOT EXISTS (SELECT 1 FROM stats_observation)
                  AND pg_has_role(current_user, c.relowner, 'USAGE')
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.confrelid = c.oid)
           FROM pg_class c WHERE c.oid = 'stats_observation'::regclass"""
    )
    if not cursor.fetchone()[0]:
        return False
    cursor.execute("LOCK TABLE stats_observation IN ACCESS EXCLUSIVE MODE")
    return True


@contextmanager
def _indexes_built_after(cursor, phases: _Phases):
    """Drop the table's constraints and indexes, let the body load it, then create them again from
    their own definitions (same names): one sorted build per index and one set-based check per
    foreign key instead of a million index insertions and four million per-row trigger checks.
    Everything is transactional: a failure anywhere leaves the table as it was."""
    cursor.execute(
        """SELECT quote_ident(conname), pg_get_constraintdef(oid), contype = 'f' FROM pg_constraint
           WHERE conrelid = 'stats_observation'::regclass AND contype IN ('p', 'u', 'f', 'x')
           ORDER BY contype = 'f', conname"""
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
           WHERE i.indrelid = 'stats_observation'::regclass AND NOT EXISTS (
             SELECT 1 FROM pg_constraint c WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid)
           ORDER BY 1"""
    )
    indexes = cursor.fetchall()
    for name, _, _ in reversed(constraints):
        cursor.execute(f"ALTER TABLE stats_observation DROP CONSTRAINT {name}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    phases.mark("unindex")
    yield
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
    for name, definition, _ in (c for c in constraints if not c[2]):
        cursor.execute(f"ALTER TABLE stats_observation ADD CONSTRAINT {name} {definition}")
    for _, definition in indexes:
        cursor.execute(definition)
    phases.mark("index")
    for name, definition, _ in (c for c in constraints if c[2]):
        cursor.execute(f"ALTER TABLE stats_observation ADD CONSTRAINT {name} {definition}")
    phases.mark("check")


# ---------------------------------------------------------------------------------------------
# Diff and writes


def _changed(o: str, i: str) -> str:
    return f"({_distinct(f'{o}.value', f'{i}.value')} OR {o}.flag <> {i}.flag)"


REVISION_FIELDS = ("region", "indicator", "year", "firm_size", "sector", "old", "new", "flag")


def _revisions(cursor, rows_sql: str, params: list, *, limit: int | None = REVISIONS_LISTED) -> list[dict]:
    """The revised values (codes, old and new value, new flag) in key order; the first `limit` (None: all)."""
    cursor.execute(
        f"""SELECT r.code, ind.code, d.year, d.firm_size, d.sector, d.old_value, d.value, d.flag
            FROM ({rows_sql}) d
            JOIN regions_region r ON r.id = d.region_id JOIN stats_indicator ind ON ind.id = d.indicator_id
            ORDER BY r.code, ind.code, d.year, d.firm_size, d.sector"""
        + ("" if limit is None else f" LIMIT {int(limit)}"),
        params,
    )
    return [dict(zip(REVISION_FIELDS, row, strict=True)) for row in cursor.fetchall()]


def _diff(cursor, source_id: int, *, revisions_limit: int | None) -> Diff:
    """What loading `incoming` would change, without writing (the preview), with its summary per
    region and indicator (one grouped query)."""
    join = f"FROM incoming i LEFT JOIN stats_observation o ON {_key_join('o', 'i', source=False)} AND o.source_id = %s"
    cursor.execute(
        f"""SELECT r.code, ind.code, COUNT(*),
                   SUM(CASE WHEN o.id IS NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN o.id IS NOT NULL AND {_changed('o', 'i')} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN o.value IS NOT NULL AND i.value IS NULL THEN 1 ELSE 0 END)
            {join} JOIN regions_region r ON r.id = i.region_id JOIN stats_indicator ind ON ind.id = i.indicator_id
            GROUP BY r.code, ind.code, ind.id ORDER BY ind.id, r.code""",
        [source_id],
    )
    summary = []
    for region, indicator, total, new, revised, missing in cursor.fetchall():
        new, revised = int(new or 0), int(revised or 0)
        summary.append({"region": region, "indicator": indicator, "new": new, "revised": revised,
                        "unchanged": int(total) - new - revised, "missing": int(missing or 0)})
    new = sum(row["new"] for row in summary)
    revised = sum(row["revised"] for row in summary)
    unchanged = sum(row["unchanged"] for row in summary)
    revisions = []
    if revised:
        rows = (f"SELECT i.region_id, i.indicator_id, i.year, i.firm_size, i.sector, o.value AS old_value, i.value, "
                f"i.flag {join} WHERE o.id IS NOT NULL AND {_changed('o', 'i')}")
        revisions = _revisions(cursor, rows, [source_id], limit=revisions_limit)
    return Diff(new=new, revised=revised, unchanged=unchanged, revisions=revisions, summary=summary)


def _values_per_group(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    """How many values the batch has per (indicator, region) code."""
    counts = frame.groupby(["indicator", "region"], observed=True, sort=False).size()
    return {(str(indicator), str(region)): int(n) for (indicator, region), n in zip(counts.index, counts, strict=True) if n}


def _summary(totals: dict[tuple[str, str], int], changed: dict[tuple[str, str], tuple[int, int, int]]) -> list[dict]:
    """Diff.summary from the values per group and the (new, revised, missing) per group, in the order of the
    indicators, then of the region codes."""
    order = {code: i for i, code in enumerate(Indicator.objects.order_by("id").values_list("code", flat=True))}
    rows = []
    for indicator, region in sorted(totals, key=lambda k: (order.get(k[0], len(order)), k[0], k[1])):
        new, revised, missing = changed.get((indicator, region), (0, 0, 0))
        rows.append({"region": region, "indicator": indicator, "new": new, "revised": revised,
                     "unchanged": totals[(indicator, region)] - new - revised, "missing": missing})
    return rows


def _all_new_summary(frame: pd.DataFrame) -> list[dict]:
    """The summary of a batch of which no value is stored yet: everything new."""
    totals = _values_per_group(frame)
    return _summary(totals, {key: (n, 0, 0) for key, n in totals.items()})


def _delta_summary(cursor, frame: pd.DataFrame) -> list[dict]:
    """The summary of a load from `incoming_delta` (its new and changed rows only) and the batch's totals."""
    cursor.execute(
        """SELECT ind.code, r.code, SUM(CASE WHEN d.stored_id IS NULL THEN 1 ELSE 0 END),
                  SUM(CASE WHEN d.stored_id IS NOT NULL THEN 1 ELSE 0 END),
                  SUM(CASE WHEN d.old_value IS NOT NULL AND d.value IS NULL THEN 1 ELSE 0 END)
           FROM incoming_delta d JOIN regions_region r ON r.id = d.region_id
           JOIN stats_indicator ind ON ind.id = d.indicator_id GROUP BY ind.code, r.code"""
    )
    changed = {(ind, region): (int(new or 0), int(revised or 0), int(missing or 0))
               for ind, region, new, revised, missing in cursor.fetchall()}
    return _summary(_values_per_group(frame), changed)


def _write(cursor, source_id: int, batch_id: int, frame: pd.DataFrame, phases: _Phases) -> Diff:
    """One join keeps the new and changed rows; history, update and insert read only those."""
    cursor.execute("DROP TABLE IF EXISTS incoming_delta")
    cursor.execute(
        f"""CREATE TEMPORARY TABLE incoming_delta AS
            SELECT i.region_id, i.indicator_id, i.year, i.firm_size, i.sector, i.value, i.flag,
                   o.id AS stored_id, o.value AS old_value, o.flag AS old_flag, o.batch_id AS old_batch_id
            FROM incoming i LEFT JOIN stats_observation o
              ON {_key_join('o', 'i', source=False)} AND o.source_id = %s
            WHERE o.id IS NULL OR {_changed('o', 'i')}""",
        [source_id],
    )
    phases.mark("diff")
    revised = new = 0
    revisions: list[dict] = []
    if cursor.rowcount != 0:  # SQLite reports -1: unknown
        cursor.execute(
            """INSERT INTO stats_observationhistory
                 (region_id, indicator_id, year, firm_size, sector, source_id, value, flag, batch_id,
                  replaced_by_id, replaced_at)
               SELECT region_id, indicator_id, year, firm_size, sector, %s, old_value, old_flag, old_batch_id,
                      %s, CURRENT_TIMESTAMP
               FROM incoming_delta WHERE stored_id IS NOT NULL""",
            [source_id, batch_id],
        )
        revised = max(cursor.rowcount, 0)
        phases.mark("history")
        if revised:
            cursor.execute(
                """UPDATE stats_observation SET value = d.value, flag = d.flag, batch_id = %s
                   FROM incoming_delta d WHERE stats_observation.id = d.stored_id""",
                [batch_id],
            )
        phases.mark("revise")
        cursor.execute(
            """INSERT INTO stats_observation
                 (region_id, indicator_id, year, firm_size, sector, source_id, value, flag, batch_id)
               SELECT region_id, indicator_id, year, firm_size, sector, %s, value, flag, %s
               FROM incoming_delta WHERE stored_id IS NULL""",
            [source_id, batch_id],
        )
        new = max(cursor.rowcount, 0)
        phases.mark("insert")
        if revised:
            revisions = _revisions(
                cursor,
                "SELECT region_id, indicator_id, year, firm_size, sector, old_value, value, flag "
                "FROM incoming_delta WHERE stored_id IS NOT NULL",
                [],
            )
            phases.mark("list")
    summary = _delta_summary(cursor, frame)
    phases.mark("summary")
    cursor.execute("DROP TABLE incoming_delta")
    total = len(frame)
    return Diff(new=new, revised=revised, unchanged=total - new - revised, revisions=revisions, summary=summary)


def bump_cache_generation(cursor) -> None:
    cursor.execute("UPDATE stats_cachegeneration SET value = value + 1")
    WATCH.forget()


def observations_diff(frame: pd.DataFrame, *, source: Source, revisions_limit: int | None = REVISIONS_LISTED) -> Diff:
    """What loading `frame` would change, with the first `revisions_limit` revisions (None: all);
    writes nothing (the transaction is rolled back)."""
    phases = _Phases()
    incoming = _Incoming(frame)
    with transaction.atomic(), connection.cursor() as cursor:
        if _nothing_stored(cursor, incoming, source.id):
            diff = Diff(new=incoming.size, summary=_all_new_summary(frame))
        else:
            _fill_incoming(cursor, incoming, phases)
            diff = _diff(cursor, source.id, revisions_limit=revisions_limit)
        transaction.set_rollback(True)
    return diff


def observations_load(frame: pd.DataFrame, *, source_id: int, batch_id: int, bulk: bool | None = None) -> Diff:
    """Load a batch's rows in one transaction (a savepoint inside a caller's) and say what changed.

    `bulk`: whether an empty table may be loaded with its indexes set aside, which needs a transaction
    that ends with the load (the caller's, when it opened one for the load alone); None: only when this
    call opens the outermost transaction."""
    phases = _Phases()
    incoming = _Incoming(frame)
    phases.mark("map")
    outermost = not connection.in_atomic_block if bulk is None else bulk
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_writers(cursor)
        stored_columns = (*INCOMING_COLUMNS, "source_id", "batch_id")
        tail = f"{int(source_id)},{int(batch_id)}"
        if _bulk_load_possible(cursor, incoming, outermost=outermost):
            phases.mark("probe")
            with _indexes_built_after(cursor, phases):
                _copy(cursor, "stats_observation", stored_columns, incoming, phases, tail=tail)
            diff = Diff(new=incoming.size, summary=_all_new_summary(frame))
        elif _nothing_stored(cursor, incoming, source_id):
            phases.mark("probe")
            _copy(cursor, "stats_observation", stored_columns, incoming, phases, tail=tail)
            diff = Diff(new=incoming.size, summary=_all_new_summary(frame))
        else:
            phases.mark("probe")
            _fill_incoming(cursor, incoming, phases)
            diff = _write(cursor, source_id, batch_id, frame, phases)
            cursor.execute("DROP TABLE incoming")
        if diff.changes:
            bump_cache_generation(cursor)
        phases.mark("finish")
    phases.mark("commit")
    log.debug("batch %s loaded", batch_id, extra={"phases": phases.seconds})
    return diff


def _blocking_later_batch(cursor, batch_id: int) -> int | None:
    cursor.execute(
        "SELECT MIN(replaced_by_id) FROM stats_observationhistory WHERE batch_id = %s", [batch_id]
    )
    row = cursor.fetchone()
    return row[0] if row and row[0] is not None else None


def observations_revert(*, batch_id: int) -> int:
    """Restore exactly the values that were current before `batch_id` was loaded, in one transaction
    (a savepoint inside a caller's); returns how many values were removed or restored. The caller
    checks that the batch was loaded."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_writers(cursor)
        later = _blocking_later_batch(cursor, batch_id)
        if later is not None:
            raise RevertRefused(f"batch {later} revised values of batch {batch_id}: revert batch {later} first",
                                later=later)
        cursor.execute(
            f"""DELETE FROM stats_observation WHERE batch_id = %s AND NOT EXISTS (
                  SELECT 1 FROM stats_observationhistory h
                  WHERE h.replaced_by_id = %s AND {_key_join('h', 'stats_observation')})""",
            [batch_id, batch_id],
        )
        removed = max(cursor.rowcount, 0)
        cursor.execute(
            f"""UPDATE stats_observation SET value = h.value, flag = h.flag, batch_id = h.batch_id
                FROM stats_observationhistory h
                WHERE h.replaced_by_id = %s AND {_key_join('h', 'stats_observation')}""",
            [batch_id],
        )
        restored = max(cursor.rowcount, 0)
        cursor.execute("DELETE FROM stats_observationhistory WHERE replaced_by_id = %s", [batch_id])
        bump_cache_generation(cursor)
    return removed + restored
