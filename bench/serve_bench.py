"""Serving speed of the compare page against a view that does nothing, in the same run.

    .venv/bin/python bench/serve_bench.py                          # 3 rounds of 5 s per target, 16 connections
    .venv/bin/python bench/serve_bench.py --rounds 1 --duration 3  # a quick run

It builds a production-like server: PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/exportregion_serve_bench, dropped and created afresh), the demo
data through the import pipeline, DEBUG off, static files collected, gunicorn with 2 sync workers
(--no-control-socket, so that it can run beside other instances). Then it loads with wrk
(Debian: apt-get install -y wrk), one after the other:

- the baseline: /bench/trivial, a view that returns "ok" through the same middleware stack, switched
  on only here (EXPORTREGION_BENCH_VIEWS=1);
- the compare page for all 21 counties, 2010–2023 (the values view, as a shared link opens it).

Each target is warmed first (every worker fills its cache); then the two alternate for --rounds
rounds, so that a passing load on the machine hits both alike, and the medians are reported.
The last line is
`compare/trivial throughput ratio: X.XX (compare R1 req/s p99 L1 ms, trivial R2 req/s p99 L2 ms, errors E)`
where E counts non-2xx responses and socket errors of both runs.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/exportregion_serve_bench"
COUNTIES = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21",
            "22", "23", "24", "25")
COMPARE = "/compare/?regions=" + ",".join(COUNTIES) + "&indicator=goods_export_per_capita_sek&from=2010&to=2023"
TRIVIAL = "/bench/trivial"


def log(message: str) -> None:
    print(f"serve_bench: {message}", file=sys.stderr, flush=True)


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"refusing an unusual database name: {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
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
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL if "load_demo" in args else None)


def wait_until_up(base: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + TRIVIAL, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


def check_page(base: str) -> None:
    with urllib.request.urlopen(base + COMPARE, timeout=30) as response:
        body = response.read().decode()
    if response.status != 200 or 'id="fig-compare"' not in body:
        raise SystemExit("the compare page did not render")


def parse_wrk(output: str) -> dict[str, float]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99_value, p99_unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(p99_value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99_unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {"rps": rps, "p99": p99, "errors": errors}


def wrk(url: str, *, duration: int, connections: int, threads: int) -> dict[str, float]:
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True, capture_output=True, text=True,
    ).stdout
    return parse_wrk(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per target and round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are reported")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        raise SystemExit("the benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EXPORTREGION_BENCH_VIEWS": "1",
        "EXPORTREGION_VAR_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "exportregion.settings",
    }
    log(f"database {urlsplit(url).path.lstrip('/')}: recreate, migrate, load the demo data")
    recreate_database(url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log(f"gunicorn with {args.workers} workers on {base}")
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "exportregion.wsgi", "--workers", str(args.workers), "--bind",
         f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        wait_until_up(base)
        check_page(base)
        targets = (("trivial", TRIVIAL), ("compare", COMPARE))
        for _name, path in targets:
            wrk(base + path, duration=2, connections=args.connections, threads=args.threads)  # warm every worker
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, _path in targets}
        for round_no in range(1, args.rounds + 1):
            for name, path in targets:
                r = wrk(base + path, duration=args.duration, connections=args.connections, threads=args.threads)
                runs[name].append(r)
                log(f"round {round_no} {name}: {r['rps']:.0f} req/s, p99 {r['p99']:.2f} ms, errors {r['errors']}")
        results = {name: {"rps": statistics.median(r["rps"] for r in rs),
                          "p99": statistics.median(r["p99"] for r in rs),
                          "errors": sum(r["errors"] for r in rs)} for name, rs in runs.items()}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)

    compare, trivial = results["compare"], results["trivial"]
    errors = int(compare["errors"] + trivial["errors"])
    print(f"gunicorn {args.workers} workers, wrk {args.threads} threads, {args.connections} connections, "
          f"{args.rounds} rounds of {args.duration} s per target (medians); compare: {COMPARE}")
    print(
        f"compare/trivial throughput ratio: {compare['rps'] / trivial['rps']:.2f} "
        f"(compare {compare['rps']:.0f} req/s p99 {compare['p99']:.1f} ms, "
        f"trivial {trivial['rps']:.0f} req/s p99 {trivial['p99']:.1f} ms, errors {errors})"
    )


if __name__ == "__main__":
    main()
