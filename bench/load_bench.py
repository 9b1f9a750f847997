"""Page and API load on the production stack while a large import runs on the worker.

    .venv/bin/python bench/load_bench.py                                  # 60 s, 50 connections
    .venv/bin/python bench/load_bench.py --duration 10 --connections 16   # a quick run

It builds the production shape on this machine: PostgreSQL (--database-url, default
postgres://postgres@127.0.0.1:5432/exportregion_load, dropped and created afresh, migrated, the demo
data loaded), the Redis cache (--cache-url, default rediscache://127.0.0.1:6379/2), DEBUG off, static
files collected, gunicorn with 2 sync workers (--no-control-socket, so that it runs beside other
instances) and one Celery worker on Redis (--broker-url, default redis://127.0.0.1:6379/3, a queue of
its own). Then wrk (Debian: apt-get install -y wrk) loads a mix of the overview, region, compare, map and
API URLs (a Lua script, round robin) for --duration seconds with --connections connections while an
import of --rows stored values (default 100 000: a long-format file of rows × 6 indicators, in a source
of its own) is uploaded with import_batch_create(auto_commit=True) and loaded by the worker; the import
is timed from the upload until its batch is done. The import commits in the middle of the load and bumps
the cache generation, so every cached page is rebuilt under load.

The last line is `load: R req/s, p99 L ms, errors E, import S s`, where E counts non-2xx/3xx responses
and socket errors (connect, read, write, timeout).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COUNTIES = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21",
            "22", "23", "24", "25")
MIX = [
    "/",
    "/regions/25/",
    "/regions/14/",
    "/regions/",
    "/compare/?regions=25,14,01&indicator=goods_export_per_capita_sek&from=2016&to=2023",
    "/compare/?regions=" + ",".join(COUNTIES) + "&indicator=goods_export_msek&from=2010&to=2023&view=index",
    "/map/?indicator=goods_export_per_capita_sek&year=2021",
    "/map/?indicator=exporting_firms&year=2022",
    "/api/v1/series?indicator=goods_export_per_capita_sek&regions=25,14&from=2016&to=2023",
    "/api/v1/growth?indicator=goods_export_msek&from=2016&to=2022",
    "/api/v1/regions",
    "/api/v1/indicators",
]

HEADER = ("Region;År;Företagsstorlek;Bransch;Varuexport, mnkr;Varuexport per invånare, kr;Tjänsteexport, mnkr;"
          "Antal exporterande företag;Deltagande företag;Folkmängd")
FIRM_SIZES = ("Samtliga företag", "Små och medelstora företag", "Stora företag")
SECTORS = ("Miljöteknik", "Livsmedel", "Skog och trä", "Fordon", "Life science", "Stål och metall", "Kemi",
           "Maskiner", "Elektronik", "Tjänster")


def log(message: str) -> None:
    print(f"load_bench: {message}", file=sys.stderr, flush=True)


def import_file(values: int) -> bytes:
    """A long-format file with 6 indicator columns: ceil(values / 6) lines, Swedish number format."""
    lines, n = [HEADER], 0
    sector_round = 0
    while n < values:
        sector = f"{SECTORS[sector_round % len(SECTORS)]} {sector_round // len(SECTORS) + 1}"
        for code in COUNTIES:
            for year in range(1990, 2025):
                for size_index, size in enumerate(FIRM_SIZES):
                    if n >= values:
                        break
                    seed = (int(code) * 7919 + year * 104729 + size_index * 31 + sector_round * 13) % 10007
                    population = 60_000 + int(code) * 50_000 + (year - 1990) * 300
                    msek = 1000.0 + seed / 3.0
                    per_capita = round(msek * 1e6 / population)
                    services = round(msek * 0.3, 1)
                    firms = 100 + seed % 900
                    participating = firms // 10
                    cells = [code, str(year), size, sector, _sv(msek, 1), _sv(per_capita, 0), _sv(services, 1),
                             _sv(firms, 0), _sv(participating, 0), _sv(population, 0)]
                    lines.append(";".join(cells))
                    n += 6
        sector_round += 1
    return ("\n".join(lines) + "\n").encode()


def _sv(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}" if decimals else f"{int(value):,}"
    return text.replace(",", " ").replace(".", ",")


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"refusing an unusual database name: {name!r}")
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_until_up(base: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/v1/regions", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s")


def warm(base: str) -> None:
    for path in MIX:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}")


def lua_script(path: Path) -> Path:
    quoted = ",\n  ".join(f'"{p}"' for p in MIX)
    path.write_text(
        "-- Round robin over the page and API mix; each wrk thread starts at its own offset.\n"
        f"local paths = {{\n  {quoted}\n}}\n"
        "local counter = 0\n"
        "function init(args)\n  counter = math.random(#paths)\nend\n"
        "function request()\n  counter = counter + 1\n"
        "  return wrk.format(\"GET\", paths[(counter % #paths) + 1])\nend\n"
    )
    return path


def parse_wrk(output: str) -> dict[str, float]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99_value, p99_unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(p99_value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99_unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p99": p99, "errors": errors, "requests": total}


def stop(process: subprocess.Popen, timeout: float = 20.0) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--rows", type=int, default=100_000, help="values (stored rows) in the imported file")
    parser.add_argument("--database-url", default=os.environ.get(
        "LOAD_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/exportregion_load"))
    parser.add_argument("--cache-url", default="rediscache://127.0.0.1:6379/2")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmark runs on PostgreSQL: --database-url postgres://…")

    work = Path(tempfile.mkdtemp(prefix="load-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "CELERY_BROKER_URL": args.broker_url,
        "CELERY_QUEUE": f"load-bench-{uuid.uuid4().hex[:8]}",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EXPORTREGION_VAR_DIR": str(work / "var"),
        "UPLOAD_ROOT": str(work / "uploads"),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "exportregion.settings",
    }
    log(f"database {urlsplit(args.database_url).path.lstrip('/')}: recreate, migrate, load the demo data")
    recreate_database(args.database_url)
    manage(env, "migrate", "--noinput")
    manage({**env, "DEBUG": "1"}, "load_demo")  # DEBUG only for this command: it refuses demo users otherwise
    manage(env, "collectstatic", "--noinput")
    content = import_file(args.rows)
    lines = content.count(b"\n") - 1
    log(f"import file: {lines} lines, {args.rows} values, {len(content) / 1e6:.1f} MB")

    os.environ.update(env)  # this process uploads the file: the same database, broker, queue and upload root
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache

    from stats.import_batches import import_batch_create
    from stats.models import ImportBatch, Source

    cache.clear()
    source, _ = Source.objects.get_or_create(
        slug="load-bench", defaults={"name": "Load benchmark", "publisher": "bench", "method": "generated"})

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes = []
    try:
        log(f"gunicorn with {args.workers} workers on {base}; a Celery worker on {args.broker_url}")
        processes.append(subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "exportregion.wsgi", "--workers", str(args.workers), "--bind",
             f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True))
        worker_log = open(work / "worker.log", "w")  # noqa: SIM115
        processes.append(subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "exportregion", "worker", "-Q", env["CELERY_QUEUE"], "--concurrency=1",
             "--pool=prefork", "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT, start_new_session=True))
        wait_until_up(base)
        for _ in range(args.workers * 2):
            warm(base)

        log(f"wrk: {args.duration} s, {args.connections} connections, {args.threads} threads, {len(MIX)} URLs")
        load = subprocess.Popen(
            ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s",
             "--latency", "-s", str(lua_script(work / "mix.lua")), base],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        processes.append(load)
        time.sleep(min(2.0, args.duration / 10))
        started = time.monotonic()
        batch = import_batch_create(content=content, original_name="load-bench.csv", source=source,
                                    auto_commit=True)
        status = "queued"
        while status not in ("done", "failed", "rejected"):
            if time.monotonic() - started > 1800:
                raise SystemExit("the import did not finish within 30 minutes")
            time.sleep(0.2)
            status = ImportBatch.objects.values_list("status", flat=True).get(pk=batch.pk)
        import_seconds = time.monotonic() - started
        batch.refresh_from_db()
        if status != "done":
            raise SystemExit(f"the import ended {status}: {batch.error or batch.problems[:3]}")
        log(f"import: batch {batch.pk} done in {import_seconds:.1f} s ({batch.new_count} new values)"
            + ("" if load.poll() is None else "; NOTE: after the load had ended"))
        output, _ = load.communicate(timeout=args.duration + 120)
        if load.returncode != 0:
            raise SystemExit(f"wrk failed:\n{output}")
        result = parse_wrk(output)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(work, ignore_errors=True)

    print(f"gunicorn {args.workers} workers + PostgreSQL + Redis cache + 1 Celery worker; wrk {args.threads} threads, "
          f"{args.connections} connections, {args.duration} s, {len(MIX)} URLs round robin, "
          f"{int(result['requests'])} requests; import of {args.rows} values ({batch.new_count} new) during the load")
    print(f"load: {result['rps']:.0f} req/s, p99 {result['p99']:.0f} ms, errors {int(result['errors'])}, "
          f"import {import_seconds:.1f} s")


if __name__ == "__main__":
    main()
