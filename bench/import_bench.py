"""Import pipeline against raw COPY on PostgreSQL: how close do we come to the floor?

    .venv/bin/python bench/import_bench.py                 # 1 000 000 values into an empty table
    .venv/bin/python bench/import_bench.py --revise        # the same rows revising existing ones (10 % changed)
    .venv/bin/python bench/import_bench.py --rows 60000    # a quick run

It generates a long-format file (regions × years × firm sizes × sectors, six indicator columns,
Swedish number formatting) and, on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/exportregion_bench, created and migrated if missing), times in
the same run, alternating, for three rounds:

- the floor: raw COPY of the very rows the pipeline stores, already encoded, through psycopg2's
  copy_expert(size=1 MiB), into a table with the same columns and the same unique index as
  stats_observation, then COMMIT (the same durable commit as the pipeline's);
- the pipeline: stats.import_batches.import_file_now on the file (read + validate + load + commit), each
  round in a child process so that its peak memory (ru_maxrss) is its own.

Each round loads into an empty table (tables truncated before it). With --revise the database
first holds the original file (imported untimed before every round) and the timed pipeline
imports a second file with 10 % of its values changed. Medians of the rounds are reported; the
last line is `import/copy ratio: X.XX (N rows, pipeline S s, copy C s)`.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/exportregion_bench"

HEADER = ("Region;År;Företagsstorlek;Bransch;Varuexport, mnkr;Varuexport per invånare, kr;Tjänsteexport, mnkr;"
          "Antal exporterande företag;Deltagande företag;Folkmängd")
# In the order of the value columns above.
INDICATORS = ("goods_export_msek", "goods_export_per_capita_sek", "services_export_msek", "exporting_firms",
              "participating_firms", "population")
DECIMALS = (1, 0, 1, 0, 0, 0)
REGIONS = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21",
           "22", "23", "24", "25")
YEARS = tuple(range(1990, 2025))
FIRM_SIZES = (("Samtliga företag", "all"), ("Små och medelstora företag", "sme"), ("Stora företag", "large"))
SECTOR_NAMES = ("Miljöteknik", "Livsmedel", "Skog och trä", "Fordon", "Life science", "Stål och metall",
                "Kemi", "Maskiner", "Elektronik", "Tjänster", "Besöksnäring", "Energi", "Gruvor", "Textil",
                "Möbler", "Plast", "Papper och massa", "IT och telekom", "Bygg", "Handel")
MISSING_SHARE = 0.01  # of the services cells: ".." (not available), stored as missing
REVISED_SHARE = 0.10


# ---------------------------------------------------------------------------------------------
# The files


class Data:
    """The generated rows: keys per file row, values per row and indicator (NaN = "..")."""

    def __init__(self, rows: int, seed: int = 20240611) -> None:
        per_sector = len(REGIONS) * len(YEARS) * len(FIRM_SIZES)
        sectors = max(1, math.ceil(rows / per_sector))
        names = [f"{SECTOR_NAMES[i % len(SECTOR_NAMES)]} {i // len(SECTOR_NAMES) + 1}" for i in range(sectors)]
        shape = (len(REGIONS), len(YEARS), len(FIRM_SIZES), sectors)
        index = np.indices(shape).reshape(4, -1)[:, :rows]  # region, year, size, sector: the file's order
        self.region, self.year, self.size, self.sector = index
        self.sector_names = names
        rng = np.random.default_rng(seed)
        growth = 1.03 ** (self.year.astype(np.float64))
        noise = rng.uniform(0.95, 1.05, size=(6, rows))
        population = np.round(rng.uniform(60_000, 2_400_000, len(REGIONS))[self.region] * (1.005 ** self.year))
        msek = np.round(rng.uniform(2_000, 40_000, (len(REGIONS), sectors))[self.region, self.sector] * growth
                        * noise[0], 1)
        services = np.round(msek * rng.uniform(0.1, 0.5, (len(REGIONS), sectors))[self.region, self.sector]
                            * noise[2], 1)
        services[rng.random(rows) < MISSING_SHARE] = np.nan
        exporting = np.round(rng.uniform(100, 5_000, len(REGIONS))[self.region] * noise[3])
        participating = np.round(exporting * rng.uniform(0.02, 0.2, len(REGIONS))[self.region])
        per_capita = np.round(msek * 1e6 / population)
        self.values = np.vstack([msek, per_capita, services, exporting, participating, population])
        self.rows = rows

    def revised(self, share: float = REVISED_SHARE, seed: int = 7) -> Data:
        """A copy with `share` of the numeric values changed by about one per cent (a revision)."""
        other = object.__new__(Data)
        other.__dict__.update(self.__dict__)
        values = self.values.copy()
        flat = values.reshape(-1)
        candidates = np.flatnonzero(~np.isnan(flat))
        chosen = np.random.default_rng(seed).choice(candidates, size=round(share * flat.size), replace=False)
        decimals = np.repeat(np.asarray(DECIMALS), self.rows)[chosen]
        flat[chosen] = np.where(decimals == 1, np.round(flat[chosen] * 1.01 + 0.1, 1), flat[chosen] + 1)
        other.values = values
        other.changed = len(chosen)
        return other

    @property
    def count(self) -> int:
        return self.values.size

    def csv_bytes(self) -> bytes:
        """The file an admin would upload: UTF-8, semicolons, Swedish numbers ("12 345,6")."""
        columns = [
            np.asarray(REGIONS, dtype=object)[self.region],
            np.asarray([str(y) for y in YEARS], dtype=object)[self.year],
            np.asarray([label for label, _ in FIRM_SIZES], dtype=object)[self.size],
            np.asarray(self.sector_names, dtype=object)[self.sector],
        ]
        columns += [_swedish(self.values[i], DECIMALS[i]) for i in range(6)]
        lines = [";".join(cells) for cells in zip(*columns, strict=True)]
        return (HEADER + "\n" + "\n".join(lines) + "\n").encode("utf-8")

    def copy_bytes(self, ids: dict[str, dict[str, int]], source_id: int, batch_id: int) -> bytes:
        """The stored rows, encoded for COPY (csv) beforehand, in the file's order: what the floor loads."""
        region = np.asarray([str(ids["region"][c]) for c in REGIONS], dtype=object)[self.region]
        year = np.asarray([str(y) for y in YEARS], dtype=object)[self.year]
        size = np.asarray([code for _, code in FIRM_SIZES], dtype=object)[self.size]
        sector = np.asarray([f'"{s}"' for s in self.sector_names], dtype=object)[self.sector]
        per_indicator = []
        for i, code in enumerate(INDICATORS):
            values = self.values[i]
            text = np.where(np.isnan(values), "", values.astype(str)).tolist()
            flags = np.where(np.isnan(values), "missing", "given").tolist()
            indicator = ids["indicator"][code]
            per_indicator.append([
                f"{r},{indicator},{y},{s},{sec},{source_id},{v},{f},{batch_id}"
                for r, y, s, sec, v, f in zip(region, year, size, sector, text, flags, strict=True)
            ])
        lines = [line for row in zip(*per_indicator, strict=True) for line in row]  # line by line, as read
        return ("\n".join(lines) + "\n").encode()


def _swedish(values: np.ndarray, decimals: int) -> np.ndarray:
    out = []
    for v in values.tolist():
        if v != v:
            out.append("..")
        elif decimals:
            out.append(f"{v:,.{decimals}f}".replace(",", " ").replace(".", ","))
        else:
            out.append(f"{int(v):,}".replace(",", " "))
    return np.asarray(out, dtype=object)


# ---------------------------------------------------------------------------------------------
# The database


def _ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parsed = _parse(url)
    admin = psycopg2.connect(**{**parsed, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parsed["dbname"]])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parsed["dbname"])))
    admin.close()


def _parse(url: str) -> dict:
    from urllib.parse import unquote, urlparse

    u = urlparse(url)
    out = {"dbname": unquote(u.path.lstrip("/")), "host": u.hostname or "127.0.0.1", "port": u.port or 5432,
           "user": unquote(u.username or "postgres")}
    if u.password:
        out["password"] = unquote(u.password)
    return out


def _django(url: str, upload_root: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["UPLOAD_ROOT"] = upload_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exportregion.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


FLOOR_TABLE = "bench_copy_floor"
CLONE_TABLE = "bench_copy_clone"
COPY_COLUMNS = "region_id, indicator_id, year, firm_size, sector, source_id, value, flag, batch_id"


def _create_floor_tables(cur, clone: bool) -> None:
    """The floor: the same columns (id generated the same way) and the same unique index as
    stats_observation, nothing else. The clone (--clone): every index and foreign key of it too."""
    cur.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}, {CLONE_TABLE}")
    cur.execute(f"CREATE TABLE {FLOOR_TABLE} (LIKE stats_observation INCLUDING DEFAULTS INCLUDING IDENTITY)")
    cur.execute(f"CREATE UNIQUE INDEX {FLOOR_TABLE}_key ON {FLOOR_TABLE} "
                "(region_id, indicator_id, year, firm_size, sector, source_id)")
    if not clone:
        return
    cur.execute(f"CREATE TABLE {CLONE_TABLE} (LIKE stats_observation INCLUDING ALL)")
    cur.execute("""SELECT pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE conrelid = 'stats_observation'::regclass AND contype = 'f'""")
    for (definition,) in cur.fetchall():
        cur.execute(f"ALTER TABLE {CLONE_TABLE} ADD {definition}")


def _copy_once(conn, table: str, payload: bytes) -> tuple[float, int]:
    with conn.cursor() as cur:
        cur.execute(f"TRUNCATE {table}")
    conn.commit()
    _checkpoint(conn)
    start = time.perf_counter()
    with conn.cursor() as cur:
        cur.copy_expert(f"COPY {table} ({COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv)", io.BytesIO(payload),
                        size=1 << 20)
    conn.commit()
    elapsed = time.perf_counter() - start
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        stored = cur.fetchone()[0]
        cur.execute(f"TRUNCATE {table}")
    conn.commit()
    return elapsed, stored


def _checkpoint(conn) -> None:
    """Start every timed step from the same WAL state (untimed)."""
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CHECKPOINT")
    conn.autocommit = False


def _truncate_observations(conn) -> None:
    with conn.cursor() as cur:
        cur.execute("TRUNCATE stats_observationhistory, stats_observation")
    conn.commit()


def _vacuum(conn) -> None:
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE stats_observation")
    conn.autocommit = False


# ---------------------------------------------------------------------------------------------
# The pipeline, in a child process


def _child(args: argparse.Namespace) -> None:
    import resource

    _django(args.url, args.upload_root)
    import stats.import_batches as import_batches
    from stats.models import Source

    phases: dict[str, float] = {}

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            phases.update(getattr(record, "phases", {}) or {})

    loading_log = logging.getLogger("stats.loading")
    loading_log.addHandler(Capture())
    loading_log.setLevel(logging.DEBUG)
    loading_log.propagate = False
    reader = import_batches.read_statistics

    def timed_read(*a, **kw):
        start = time.perf_counter()
        try:
            return reader(*a, **kw)
        finally:
            phases["read"] = time.perf_counter() - start

    import_batches.read_statistics = timed_read
    source = Source.objects.get(is_default=True)
    start = time.perf_counter()
    content = Path(args.child).read_bytes()
    result, batch, diff = import_batches.import_file_now(content=content, original_name=Path(args.child).name,
                                                         source=source)
    elapsed = time.perf_counter() - start
    if batch is None:
        problems = [p.format(Path(args.child).name) for p in result.problems[:10]]
        raise SystemExit("the benchmark file was rejected:\n" + "\n".join(problems))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "seconds": elapsed, "maxrss_kb": usage.ru_maxrss, "batch": batch.pk, "new": diff.new,
        "revised": diff.revised, "unchanged": diff.unchanged, "warnings": len(result.problems), "phases": phases,
    }))


def _pipeline_once(args: argparse.Namespace, path: Path, conn) -> dict:
    _checkpoint(conn)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "--url", args.url,
               "--upload-root", args.upload_root]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _check_counts(run: dict, timed: Data, *, revise: bool) -> None:
    expected = (0, timed.changed, timed.count - timed.changed) if revise else (timed.count, 0, 0)
    if (run["new"], run["revised"], run["unchanged"]) != expected:
        raise SystemExit(f"pipeline counted {run['new']} new, {run['revised']} revised, "
                         f"{run['unchanged']} unchanged; expected {expected}")


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="values (observations) in the file")
    parser.add_argument("--revise", action="store_true", help="time a 10 %% revision of an imported file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--clone", action="store_true",
                        help="also time COPY into a full clone of stats_observation (all its indexes and foreign "
                             "keys): what our schema costs, for information; the ratio stays against the floor")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--upload-root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    if not args.url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")

    work = tempfile.TemporaryDirectory(prefix="import_bench_")
    args.upload_root = str(Path(work.name) / "uploads")
    _ensure_database(args.url)
    _django(args.url, args.upload_root)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import psycopg2

    from regions.models import Region
    from stats.import_batches import import_batch_create
    from stats.models import Indicator, Source

    start = time.perf_counter()
    file_rows = math.ceil(args.rows / len(INDICATORS))
    original = Data(file_rows)
    timed = original.revised() if args.revise else original
    original_path = Path(work.name) / "exports_long.csv"
    original_path.write_bytes(original.csv_bytes())
    timed_path = original_path
    if args.revise:
        timed_path = Path(work.name) / "exports_long_revised.csv"
        timed_path.write_bytes(timed.csv_bytes())
    ids = {"region": dict(Region.objects.values_list("code", "id")),
           "indicator": dict(Indicator.objects.values_list("code", "id"))}
    source = Source.objects.get(is_default=True)
    # The floor's rows need a batch to point at; it is never processed.
    floor_batch = import_batch_create(content=b"copy floor", original_name="copy floor", source=source, enqueue=False)
    payload = timed.copy_bytes(ids, source.id, floor_batch.pk)
    print(f"{timed.count} values ({file_rows} lines × {len(INDICATORS)} indicators), file "
          f"{timed_path.stat().st_size / 1e6:.1f} MB, COPY payload {len(payload) / 1e6:.1f} MB, "
          f"generated in {time.perf_counter() - start:.1f} s", flush=True)

    conn = psycopg2.connect(**_parse(args.url))
    with conn.cursor() as cur:
        _create_floor_tables(cur, args.clone)
    conn.commit()
    from django.db import connection as django_connection

    django_connection.close()  # the parent holds no Django connection while children run

    copies: list[float] = []
    clones: list[float] = []
    pipelines: list[float] = []
    memory: list[int] = []
    try:
        for round_number in range(1, args.rounds + 1):
            _truncate_observations(conn)
            if args.revise:
                setup = _pipeline_once(args, original_path, conn)
                _vacuum(conn)
                if setup["new"] != original.count:
                    raise SystemExit(f"setup import stored {setup['new']} values, expected {original.count}")
            copy_seconds, stored = _copy_once(conn, FLOOR_TABLE, payload)
            if stored != timed.count:
                raise SystemExit(f"COPY stored {stored} rows, expected {timed.count}")
            copies.append(copy_seconds)
            if args.clone:
                clones.append(_copy_once(conn, CLONE_TABLE, payload)[0])
            run = _pipeline_once(args, timed_path, conn)
            _check_counts(run, timed, revise=args.revise)
            pipelines.append(run["seconds"])
            memory.append(run["maxrss_kb"])
            split = ", ".join(f"{name} {seconds:.2f}" for name, seconds in run["phases"].items())
            clone = f", clone copy {clones[-1]:.2f} s" if args.clone else ""
            print(f"round {round_number}: copy {copy_seconds:.2f} s{clone}, pipeline {run['seconds']:.2f} s "
                  f"({split}), peak {run['maxrss_kb'] / 1024:.0f} MB, {run['new']} new, {run['revised']} "
                  f"revised, {run['unchanged']} unchanged", flush=True)
    finally:
        _truncate_observations(conn)
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}, {CLONE_TABLE}")
        conn.commit()
        conn.close()
        work.cleanup()

    copy_median = statistics.median(copies)
    pipeline_median = statistics.median(pipelines)
    if args.clone:
        clone_median = statistics.median(clones)
        print(f"for information: COPY into a full clone of stats_observation (every index and foreign key) "
              f"{clone_median:.2f} s; pipeline/clone ratio {pipeline_median / clone_median:.2f}")
    print(f"peak memory: {max(memory) / 1024:.0f} MB")  # the largest ru_maxrss of the pipeline children
    print(f"import/copy ratio: {pipeline_median / copy_median:.2f} ({timed.count} rows, "
          f"pipeline {pipeline_median:.2f} s, copy {copy_median:.2f} s)")


if __name__ == "__main__":
    main()
