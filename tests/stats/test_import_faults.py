"""Faults survived, with real processes: broker down at upload, a whole worker killed, a batch
delivered twice at once, two admins importing overlapping files at once."""

import shutil
import subprocess
import threading

import pytest
from django.conf import settings
from django.db import connection

from exportregion.celery import app
from stats.imports import enqueue_commit
from stats.models import ImportBatch, Observation, ObservationHistory
from tests.conftest import wait_for
from tests.stats.test_import_worker import (
    FILE,
    _block_writes,
    _load_is_waiting,
    _release,
    _status,
    _upload,
    requires_postgres,
)

pytestmark = pytest.mark.worker
SWEEP_FAST = {"IMPORT_STALE_SECONDS": "1", "SWEEP_INTERVAL_SECONDS": "0.5"}


def _login(client, user):
    client.force_login(user)


def _redis_broker() -> bool:
    return settings.CELERY_BROKER_URL.startswith("redis://")


class BrokerOutage:
    """Take the broker away for real: stop the Redis server, or remove the embedded broker's folder."""

    def __enter__(self):
        if _redis_broker():
            subprocess.run(["redis-cli", "-u", settings.CELERY_BROKER_URL, "shutdown", "nosave"], check=False)
            wait_for(lambda: subprocess.run(["redis-cli", "-u", settings.CELERY_BROKER_URL, "ping"],
                                            capture_output=True).returncode != 0, what="redis to stop")
        else:
            folder = app.conf.broker_transport_options["data_folder_out"]
            self._moved = folder.rstrip("/") + ".down"
            shutil.move(folder, self._moved)
        app.pool.force_close_all(close_pool=False)
        return self

    def __exit__(self, *exc):
        if _redis_broker():
            subprocess.run(
                ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
                 "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"],
                check=True,
            )
            wait_for(lambda: subprocess.run(["redis-cli", "-u", settings.CELERY_BROKER_URL, "ping"],
                                            capture_output=True).returncode == 0, what="redis to start")
        else:
            shutil.move(self._moved, app.conf.broker_transport_options["data_folder_out"])
        app.pool.force_close_all(close_pool=False)


def test_an_upload_while_the_broker_is_down_is_kept_and_runs_when_it_is_back(
    client, stats_admin, start_worker, task_queue
):
    _login(client, stats_admin)
    with BrokerOutage():
        batch_id = _upload(client, FILE)
        page = client.get(f"/imports/{batch_id}/").content.decode()
        assert _status(batch_id) == "queued"
        assert "queued" in page or "köad" in page
        # Redis may be the cache too: pages go on without it.
        assert client.get("/regions/25/").status_code == 200
    start_worker(beat=True, extra_env=SWEEP_FAST)
    wait_for(lambda: _status(batch_id) == "preview", what="the sweep to send the batch", timeout=120)


@requires_postgres
def test_a_whole_worker_killed_mid_load_is_rerun_by_the_sweep(client, stats_admin, start_worker):
    _login(client, stats_admin)
    first = start_worker()
    batch_id = _upload(client, FILE)
    wait_for(lambda: _status(batch_id) == "preview", what="the preview", timeout=90)
    lock = _block_writes()
    try:
        client.post(f"/imports/{batch_id}/confirm/")
        wait_for(lambda: _status(batch_id) == "loading", what="loading")
        wait_for(_load_is_waiting, what="the load to wait on the lock")
        threading.Event().wait(0.5)
        first.kill()
    finally:
        _release(lock)
    assert Observation.objects.count() == 0
    start_worker(beat=True, extra_env=SWEEP_FAST)
    wait_for(lambda: _status(batch_id) == "done", what="the sweep to rerun the batch", timeout=120)
    assert Observation.objects.count() == 2
    assert ImportBatch.objects.get(pk=batch_id).new_count == 2


@requires_postgres
def test_the_same_batch_delivered_twice_at_once_commits_once(client, stats_admin, start_worker):
    _login(client, stats_admin)
    start_worker(concurrency=2)
    batch_id = _upload(client, FILE)
    wait_for(lambda: _status(batch_id) == "preview", what="the preview", timeout=90)
    lock = _block_writes()
    try:
        client.post(f"/imports/{batch_id}/confirm/")
        enqueue_commit(batch_id)  # the second delivery of the same batch
        wait_for(lambda: _status(batch_id) == "loading", what="loading")
        wait_for(_load_is_waiting, what="a load to wait on the lock")
        threading.Event().wait(1.0)
    finally:
        _release(lock)
    wait_for(lambda: _status(batch_id) == "done", what="the load")
    threading.Event().wait(1.0)  # give a second delivery the time to do harm, if it could
    assert Observation.objects.count() == 2
    assert not ObservationHistory.objects.exists()
    batch = ImportBatch.objects.get(pk=batch_id)
    assert (batch.status, batch.new_count, batch.revised_count) == ("done", 2, 0)


def _overlapping(value: int) -> bytes:
    rows = "".join(f"{code:02d};{year};{value}\n" for code in (1, 3, 4, 5, 25) for year in range(2016, 2022))
    return ("Län;År;Antal exporterande företag\n" + rows).encode()


@requires_postgres
def test_two_overlapping_imports_at_once_equal_a_serial_order(client, stats_admin, start_worker):
    _login(client, stats_admin)
    start_worker(concurrency=2)
    first = _upload(client, _overlapping(111), "a.csv")
    second = _upload(client, _overlapping(222), "b.csv")
    wait_for(lambda: _status(first) == "preview" and _status(second) == "preview", what="both previews", timeout=90)
    lock = _block_writes()
    try:
        client.post(f"/imports/{first}/confirm/")
        client.post(f"/imports/{second}/confirm/")
        wait_for(lambda: _status(first) == "loading" and _status(second) == "loading", what="both loading")
        threading.Event().wait(1.0)
    finally:
        _release(lock)
    wait_for(lambda: _status(first) == "done" and _status(second) == "done", what="both loads")
    values = set(Observation.objects.values_list("value", flat=True))
    assert Observation.objects.count() == 30
    assert values in ({111.0}, {222.0})  # the last to commit wins whole, never a mix
    assert ObservationHistory.objects.count() == 30  # the later batch revised every value of the earlier
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT region_id, indicator_id, year, firm_size, sector, source_id "
            "FROM stats_observation GROUP BY 1, 2, 3, 4, 5, 6 HAVING COUNT(*) > 1) d"
        )
        assert cursor.fetchone()[0] == 0
