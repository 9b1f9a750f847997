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

With --unique, the same run then measures pages the page cache cannot answer: wrk, through a Lua
script, requests URLs that are never repeated (every URL appears once in a shuffled list; each wrk
thread and each round takes its own part of it), so every request parses, reads (the cached data
sets) and builds its page:

- region pages: a random county (or Sweden), source and period;
- compare pages: a random subset of the regions, indicator, firm size, view and period.

Each alternates with the trivial view as above, and the last two lines are
`unique region/trivial throughput ratio: X.XX (region R1 req/s p99 L1 ms, trivial R2 req/s p99 L2 ms, errors E)`
`unique compare/trivial throughput ratio: X.XX (compare R1 req/s p99 L1 ms, trivial R2 req/s p99 L2 ms, errors E)`.
A round that used up its part of the list (and so repeated URLs) is reported, never hidden.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/exportregion_serve_bench"  # or DATABASE_URL
COUNTIES = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21",
            "22", "23", "24", "25")
COMPARE = "/compare/?regions=" + ",".join(COUNTIES) + "&indicator=goods_export_per_capita_sek&from=2010&to=2023"
TRIVIAL = "/bench/trivial"
REGIONS = ("00", *COUNTIES)
INDICATORS = ("goods_export_msek", "goods_export_per_capita_sek", "services_export_msek", "exporting_firms",
              "participating_firms", "population")
YEARS = range(2010, 2024)  # the demo data: head office 2010-2015, workplace 2016-2023
SOURCES = ("scb-workplace", "scb-head-office")
# wrk: each thread takes every `step`-th URL of its round's part of the list, from its own start.
UNIQUE_LUA = """
local paths = {}
local position, step, last = 0, 1, 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  local first, size, count = tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  position = first + number - 1
  step = count
  last = first + size
end
function request()
  local path = paths[position % #paths + 1]
  if position >= last then path = path .. "&repeated=1" end
  position = position + step
  return wrk.format(nil, path)
end
"""


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


def region_urls(rng: random.Random) -> list[str]:
    """Every region page of a region, source and period (22 x 2 x 105): each URL once, shuffled."""
    urls = [f"/regions/{code}/?source={source}&from={start}&to={end}" for code in REGIONS for source in SOURCES
            for start, end in itertools.combinations_with_replacement(YEARS, 2)]
    rng.shuffle(urls)
    return urls


def compare_urls(rng: random.Random, count: int) -> list[str]:
    """`count` different compare pages: random regions (2 to 22), indicator, firm size, view and period."""
    urls: set[str] = set()
    while len(urls) < count:
        regions = ",".join(sorted(rng.sample(REGIONS, rng.randint(2, len(REGIONS)))))
        start, end = sorted(rng.sample(YEARS, 2))
        firm_size = "all" if rng.random() < 0.6 else rng.choice(("sme", "large"))
        view = rng.choice(("value", "index", "growth"))
        urls.add(f"/compare/?regions={regions}&indicator={rng.choice(INDICATORS)}&firm_size={firm_size}"
                 f"&from={start}&to={end}&view={view}")
    ordered = sorted(urls)
    rng.shuffle(ordered)
    return ordered


def wrk_unique(base: str, paths_file: Path, script: Path, *, first: int, size: int, duration: int,
               connections: int, threads: int) -> dict[str, float]:
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), base, "--",
         str(paths_file), str(first), str(size), str(threads)],
        check=True, capture_output=True, text=True,
    ).stdout
    result = parse_wrk(output)
    result["requests"] = float(re.search(r"(\d+) requests in", output).group(1))
    return result


def measure_unique(base: str, work: Path, name: str, urls: list[str], args: argparse.Namespace
                   ) -> dict[str, dict[str, float]]:
    """Alternate the trivial view with never-repeated URLs of one page; each round its own part of `urls`
    (the first part warms the data sets every worker reads)."""
    paths_file = work / f"{name}-urls.txt"
    paths_file.write_text("\n".join(urls) + "\n")
    script = work / "unique.lua"
    script.write_text(UNIQUE_LUA)
    part = len(urls) // (args.rounds + 1)
    wrk_unique(base, paths_file, script, first=0, size=part, duration=2, connections=args.connections,
               threads=args.threads)
    runs: dict[str, list[dict[str, float]]] = {"trivial": [], name: []}
    for round_no in range(1, args.rounds + 1):
        trivial = wrk(base + TRIVIAL, duration=args.duration, connections=args.connections, threads=args.threads)
        page = wrk_unique(base, paths_file, script, first=round_no * part, size=part, duration=args.duration,
                          connections=args.connections, threads=args.threads)
        if page["requests"] > part:
            log(f"round {round_no} unique {name}: {page['requests']:.0f} requests for {part} URLs: "
                f"{page['requests'] - part:.0f} repeated (raise the list or shorten --duration)")
        runs["trivial"].append(trivial)
        runs[name].append(page)
        log(f"round {round_no} unique {name}: {page['rps']:.0f} req/s, p99 {page['p99']:.2f} ms, errors "
            f"{page['errors']}; trivial {trivial['rps']:.0f} req/s")
    return {key: _medians(rs) for key, rs in runs.items()}


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {"rps": statistics.median(r["rps"] for r in runs), "p99": statistics.median(r["p99"] for r in runs),
            "errors": sum(r["errors"] for r in runs)}


def ratio_line(label: str, name: str, page: dict[str, float], trivial: dict[str, float]) -> str:
    errors = int(page["errors"] + trivial["errors"])
    return (f"{label}/trivial throughput ratio: {page['rps'] / trivial['rps']:.2f} "
            f"({name} {page['rps']:.0f} req/s p99 {page['p99']:.1f} ms, "
            f"trivial {trivial['rps']:.0f} req/s p99 {trivial['p99']:.1f} ms, errors {errors})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per target and round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are reported")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--unique", action="store_true",
                        help="then region and compare pages at URLs never repeated (no page cache)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the unique URLs")
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
        results = {name: _medians(rs) for name, rs in runs.items()}
        if args.unique:
            rng = random.Random(args.seed)
            unique = {"region": measure_unique(base, work, "region", region_urls(rng), args),
                      "compare": measure_unique(base, work, "compare", compare_urls(rng, 40_000), args)}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)

    print(f"gunicorn {args.workers} workers, wrk {args.threads} threads, {args.connections} connections, "
          f"{args.rounds} rounds of {args.duration} s per target (medians); compare: {COMPARE}")
    print(ratio_line("compare", "compare", results["compare"], results["trivial"]))
    if args.unique:
        for name in ("region", "compare"):
            print(ratio_line(f"unique {name}", name, unique[name][name], unique[name]["trivial"]))


if __name__ == "__main__":
    main()
