"""How soon a web process learns that the cache generation changed, against a query's round trip.

    .venv/bin/python bench/notify_bench.py                   # 300 commits, 2 listening connections
    .venv/bin/python bench/notify_bench.py --listeners 4 --commits 1000

Each web process keeps one connection that LISTENs for the generation's notification and, per request,
only looks at that connection's socket (stats/generation_watch.py). The server sends the notification
to each listener just after the commit returns, so a request that arrives in that instant still sees the
old generation. This bench, on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/postgres; no table is touched), commits `pg_notify` on a channel of its
own --commits times from one connection and, for each commit, times from the moment the commit returned
until every listener's socket is readable; it counts the notifications that had not arrived at that
moment. The baseline is the round trip of `SELECT 1` on the committing connection, measured in the same
run. The last line is
`notification/round-trip ratio: X.XX (delivery median M ms p99 P ms max X ms, round trip R ms, not yet there at the commit K of N)`
where the ratio compares the medians.
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import time

import psycopg2

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"  # or DATABASE_URL
CHANNEL = "exportregion_notify_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listeners", type=int, default=2)
    parser.add_argument("--commits", type=int, default=300)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("notify_bench needs PostgreSQL: set DATABASE_URL=postgres://…")

    writer = psycopg2.connect(url)
    writer.autocommit = True
    listeners = []
    for _ in range(args.listeners):
        listener = psycopg2.connect(url)
        listener.autocommit = True
        listener.cursor().execute(f"LISTEN {CHANNEL}")
        listeners.append(listener)

    deliveries, round_trips, late = [], [], 0
    with writer.cursor() as cursor:
        for _ in range(args.commits):
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])  # autocommit: returns after the commit
            committed = time.perf_counter()
            for listener in listeners:
                if not select.select([listener], [], [], 0)[0]:
                    late += 1
                    if not select.select([listener], [], [], 5)[0]:
                        raise SystemExit("a notification did not arrive within 5 s")
                listener.poll()
                listener.notifies.clear()
            deliveries.append(time.perf_counter() - committed)
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            round_trips.append(time.perf_counter() - started)
            time.sleep(0.005)  # the listeners' backends idle again, as between requests

    delivery, round_trip = statistics.median(deliveries), statistics.median(round_trips)
    p99 = statistics.quantiles(deliveries, n=100)[98]
    print(f"notification/round-trip ratio: {delivery / round_trip:.2f} "
          f"(delivery median {delivery * 1e3:.3f} ms p99 {p99 * 1e3:.3f} ms "
          f"max {max(deliveries) * 1e3:.3f} ms, round trip {round_trip * 1e3:.3f} ms, "
          f"not yet there at the commit {late} of {args.commits * args.listeners})")


if __name__ == "__main__":
    main()
