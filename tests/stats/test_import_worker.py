"""End to end with a real Celery worker process on the configured broker (not eager)."""

import json
import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from stats.models import ImportBatch, Observation, ObservationHistory
from tests.conftest import wait_for

pytestmark = pytest.mark.worker
# Holding a load half-way needs a lock that blocks only the load: PostgreSQL's LOCK TABLE. SQLite's one
# writer lock would block the confirm request too; CI runs these on PostgreSQL.
requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row/table locks; CI runs it on PostgreSQL"
)

FILE = (
    "Regional varuexport\n"
    "Län;År;Företagsstorlek;Varuexport per invånare, kr\n"
    "25 Norrbottens län;2021;Små och medelstora företag;77 777\n"
    "00 Riket;2021;Små och medelstora företag;30 000\n"
    "Källa: test\n"
).encode()


def _login(client, user):
    client.force_login(user)


def _upload(client, content: bytes, name: str = "upload.csv") -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/imports/", {"file": SimpleUploadedFile(name, content), "source": _default_source_id()}, follow=False
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return int(re.search(r"/imports/(\d+)/", response["Location"]).group(1))


def _default_source_id() -> int:
    from stats.models import Source

    return Source.objects.get(is_default=True).pk


def _status(batch_id: int) -> str:
    return ImportBatch.objects.get(pk=batch_id).status


def _region_figure(client, code: str) -> dict:
    html = client.get(f"/regions/{code}/").content.decode()
    blob = re.search(r'<script id="fig-trend" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob)


def test_an_upload_is_processed_by_the_worker_and_shows_on_the_region_page(client, stats_admin, worker):
    _login(client, stats_admin)
    batch_id = _upload(client, FILE)
    wait_for(lambda: _status(batch_id) == "preview", what="the preview", timeout=90)
    page = client.get(f"/imports/{batch_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confirm import" in page
    assert not Observation.objects.exists()

    client.post(f"/imports/{batch_id}/confirm/")
    wait_for(lambda: _status(batch_id) == "done", what="the load")
    figure = _region_figure(client, "25")
    assert 77777.0 in [y for trace in figure["data"] for y in trace.get("y", [])]
    body = client.get("/api/v1/series", {"indicator": "goods_export_per_capita_sek", "regions": "25",
                                         "firm_size": "sme", "from": "2021", "to": "2021"}).json()
    assert body["series"][0]["points"] == [{"year": 2021, "value": 77777.0}]


def test_a_rejected_upload_shows_its_problems_and_writes_nothing(client, stats_admin, worker):
    _login(client, stats_admin)
    batch_id = _upload(client, "Län;År;Varuexport, mnkr\n25;2021;11 040,2\nLappland;2021;1 200,0\n".encode())
    wait_for(lambda: _status(batch_id) == "rejected", what="the rejection")
    page = client.get(f"/imports/{batch_id}/").content.decode()
    assert "Lappland" in page
    assert not Observation.objects.exists()


def _block_writes():
    """Hold an exclusive lock on the observation table from another connection, so a load waits mid-transaction."""
    from django.db import connections

    conn = connections.create_connection("default")
    conn.set_autocommit(False)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("LOCK TABLE stats_observation IN ACCESS EXCLUSIVE MODE")
        else:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("DELETE FROM stats_observation WHERE 1 = 0")
    return conn


def _release(conn) -> None:
    conn.rollback()
    conn.close()


def _load_is_waiting() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        # This test database's own waits: other test processes' databases share the cluster.
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted "
                       "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
        return cursor.fetchone()[0] > 0


@contextmanager
def load_held_on_a_lock(client) -> Iterator[int]:
    """Upload FILE, wait for its preview and confirm it; the batch's id while its load waits on a lock
    held on the observation table (released on leaving)."""
    batch_id = _upload(client, FILE)
    wait_for(lambda: _status(batch_id) == "preview", what="the preview", timeout=90)
    lock = _block_writes()
    try:
        client.post(f"/imports/{batch_id}/confirm/")
        wait_for(lambda: _status(batch_id) == "loading", what="loading")
        wait_for(_load_is_waiting, what="the load to wait on the lock")
        threading.Event().wait(0.5)
        yield batch_id
    finally:
        _release(lock)


@requires_postgres
def test_a_worker_killed_mid_load_leaves_nothing_partial_and_the_batch_completes(
    client, stats_admin, worker, task_queue
):
    _login(client, stats_admin)
    with load_held_on_a_lock(client) as batch_id:
        children = worker.child_pids()
        assert children, worker.log()
        for pid in children:
            os.kill(pid, signal.SIGKILL)
    assert _status(batch_id) == "loading"
    # The killed process's transaction is gone: the message comes back and a new process loads it once.
    wait_for(lambda: _status(batch_id) == "done", what="the retried load", timeout=120)
    assert Observation.objects.count() == 2
    assert not ObservationHistory.objects.exists()
    assert ImportBatch.objects.get(pk=batch_id).new_count == 2
