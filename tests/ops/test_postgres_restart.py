"""PostgreSQL restarted under page load, with real processes: gunicorn (2 workers, DEBUG off) serves pages
in a loop while the cluster is stopped and started again with pg_ctlcluster. While it is down every
request is answered fast with our 503 page (never a 500, never a hang); once it is back the same gunicorn
workers serve 200 again (CONN_HEALTH_CHECKS drops their dead connections), without any restart.

It stops the configured PostgreSQL (the local cluster on DATABASE_URL's port) for about OUTAGE_SECONDS:
every other client of that cluster loses its connection too.
The cluster is started again in `finally`, whatever happens. pytest-django's test database is untouched
by a restart; the test's own connection is closed before and reconnects after.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from tests.conftest import _test_database_url, wait_for
from tests.services import postgres_cluster

pytestmark = [
    pytest.mark.serial,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="restarts the PostgreSQL server; there is none with SQLite (set DATABASE_URL=postgres://…)"),
    pytest.mark.skipif(not Path("/usr/bin/pg_ctlcluster").exists(), reason="needs Debian's pg_ctlcluster"),
]

PAGES = ["/", "/regions/25/", "/compare/?regions=25,14", "/map/", "/api/v1/regions"]
OUTAGE_SECONDS = 3.0
FAST = 5.0  # seconds: a request during the outage must be answered within this


def cluster() -> list[str]:
    return postgres_cluster()


def pg_ready() -> bool:
    db = connection.settings_dict
    return subprocess.run(["pg_isready", "-q", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)],
                          capture_output=True).returncode == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Hit:
    path: str
    status: int
    seconds: float
    body: str
    retry_after: str | None
    at: float


def fetch(base: str, path: str) -> Hit:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            status, body, retry = response.status, response.read(), response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        status, body, retry = error.code, error.read(), error.headers.get("Retry-After")
    except OSError as error:  # the server itself failed: never expected
        status, body, retry = 0, repr(error).encode(), None
    return Hit(path, status, time.monotonic() - started, body.decode(errors="replace"), retry, started)


@pytest.fixture
def gunicorn(transactional_db, tmp_path, settings):
    settings.DEBUG = True  # load_demo refuses demo users with DEBUG off; the server below runs with DEBUG off
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _test_database_url(),
        "CACHE_URL": "locmemcache://restart-test",
        "STATIC_ROOT": str(tmp_path / "static"),
        "EXPORTREGION_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "exportregion.settings",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=settings.BASE_DIR, env=env,
                   check=True, capture_output=True)
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "exportregion.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--no-control-socket", "--timeout", "60"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(base, "/healthz").status in (200, 503), what="gunicorn to answer", timeout=60)
        yield base, server, tmp_path / "gunicorn.log"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def worker_pids(server) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout
    return sorted(int(p) for p in out.split())


def load(base: str, stop: threading.Event, hits: list[Hit]) -> None:
    n = 0
    while not stop.is_set():
        hits.append(fetch(base, PAGES[n % len(PAGES)]))
        n += 1


def test_pages_fail_fast_with_503_while_postgres_is_down_and_recover_without_a_restart(gunicorn):
    base, server, log = gunicorn
    for _ in range(4):  # both workers hold a persistent connection to PostgreSQL
        for path in PAGES:
            assert fetch(base, path).status == 200, path
    workers = worker_pids(server)
    assert len(workers) == 2

    stop, hits = threading.Event(), []
    loaders = [threading.Thread(target=load, args=(base, stop, hits), daemon=True) for _ in range(2)]
    connections.close_all()  # the stop below ends this process's connection too: close it cleanly first
    health_down = None
    try:
        for thread in loaders:
            thread.start()
        time.sleep(0.5)
        subprocess.run([*cluster(), "stop"], check=True, capture_output=True, timeout=60)
        down_at = time.monotonic()
        assert not pg_ready()
        time.sleep(OUTAGE_SECONDS / 2)
        health_down = fetch(base, "/healthz")
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
        up_at = time.monotonic()
        subprocess.run([*cluster(), "start"], check=True, capture_output=True, timeout=60)
        wait_for(pg_ready, what="PostgreSQL to accept connections", timeout=60)
        # Recovery: every page answers 200 again, from the same gunicorn workers.
        wait_for(lambda: all(fetch(base, p).status == 200 for p in PAGES), what="the pages to recover", timeout=30)
        recovered_at = time.monotonic()
        time.sleep(1.0)
    finally:
        stop.set()
        for thread in loaders:
            thread.join(timeout=60)
        if not pg_ready():
            subprocess.run([*cluster(), "start"], capture_output=True, timeout=60)
            wait_for(pg_ready, what="PostgreSQL to come back", timeout=60)

    unexpected = [h for h in hits if h.status not in (200, 503)]
    assert not unexpected, [(h.path, h.status, h.body[:300]) for h in unexpected] + [log.read_text()[-3000:]]
    during = [h for h in hits if down_at + 0.2 < h.at < up_at]
    assert len(during) >= 4, f"only {len(during)} requests during the outage"
    assert all(h.status == 503 for h in during), [(h.path, h.status) for h in during if h.status != 503]
    unavailable = [h for h in hits if h.status == 503]
    assert all(h.seconds < FAST for h in unavailable), max(h.seconds for h in unavailable)
    assert all(h.retry_after == "5" for h in unavailable)
    pages = [h for h in unavailable if not h.path.startswith("/api/")]
    api = [h for h in unavailable if h.path.startswith("/api/")]
    assert pages and all("Temporarily unavailable" in h.body for h in pages)
    assert api and all(set(json.loads(h.body)) == {"error"} for h in api)  # the API answers JSON
    assert {h.path for h in during} == set(PAGES)

    assert health_down is not None and health_down.status == 503 and health_down.seconds < FAST
    assert json.loads(health_down.body)["database"] == "error: OperationalError"

    after = [h for h in hits if h.at > recovered_at]
    assert after and all(h.status == 200 for h in after)
    assert server.poll() is None and worker_pids(server) == workers  # no worker died or was restarted
    assert fetch(base, "/healthz").status in (200, 503)  # (the broker is not this test's business)
    assert "Internal Server Error" not in log.read_text()
    # This process reconnects too; pytest-django's test database is still there.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM regions_region")
        assert cursor.fetchone()[0] == 22
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
