"""Faults survived, with real processes: broker down at upload, a whole worker killed, a batch
delivered twice at once, two admins importing overlapping files at once."""

import shutil
import threading

import pytest
from django.conf import settings
from django.db import connection

from exportregion.celery import app
from stats.import_batches import enqueue_commit
from stats.models import ImportBatch, Observation, ObservationHistory
from tests.conftest import wait_for
from tests.services import RedisServer
from tests.stats.test_import_worker import (
    FILE,
    _block_writes,
    _load_is_waiting,
    _release,
    _status,
    _upload,
    load_held_on_a_lock,
    requires_postgres,
)

pytestmark = pytest.mark.worker
SWEEP_FAST = {"IMPORT_STALE_SECONDS": "1", "SWEEP_INTERVAL_SECONDS": "0.5"}


def _login(client, user):
    client.force_login(user)


def _redis_broker() -> bool:
    return settings.CELERY_BROKER_URL.startswith("redis://")


class BrokerOutage:
    """Take the configured broker away for real: stop its Redis server, or remove the embedded broker's folder."""

    def __enter__(self):
        if _redis_broker():
            self._redis = RedisServer(settings.CELERY_BROKER_URL)
            self._redis.stop()
            wait_for(lambda: not self._redis.ping(), what="redis to stop")
        else:
            folder = app.conf.broker_transport_options["data_folder_out"]
            self._moved = folder.rstrip("/") + ".down"
            shutil.move(folder, self._moved)
        app.pool.force_close_all(close_pool=False)
        return self

    def __exit__(self, *exc):
        if _redis_broker():
            self._redis.start()
            wait_for(self._redis.ping, what="redis to start")
        else:
            shutil.move(self._moved, app.conf.broker_transport_options["data_folder_out"])
        app.pool.force_close_all(close_pool=False)


@pytest.mark.serial
def test_an_upload_while_the_broker_is_down_is_kept_and_runs_when_it_is_back(
    client, stats_admin, start_worker, task_queue
):
    _login(client, stats_admin)
    with BrokerOutage():
        batch_id = _upload(client, FILE)
        page = client.get(f"/imports/{batch_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert _status(batch_id) == "queued"
        assert "queued" in page
        # Redis may be the cache too: pages go on without it.
        assert client.get("/regions/25/").status_code == 200
    start_worker(beat=True, extra_env=SWEEP_FAST)
    wait_for(lambda: _status(batch_id) == "preview", what="the sweep to send the batch", timeout=120)


@requires_postgres
def test_a_whole_worker_killed_mid_load_is_rerun_by_the_sweep(client, stats_admin, start_worker):
    _login(client, stats_admin)
    first = start_worker()
    with load_held_on_a_lock(client) as batch_id:
        first.kill()
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


def _load_both_at_once(client, first: int, second: int) -> None:
    """Confirm both while writes are blocked, so that both loads run at the same moment once they are not."""
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


@requires_postgres
def test_two_overlapping_imports_at_once_equal_a_serial_order(client, stats_admin, start_worker):
    _login(client, stats_admin)
    start_worker(concurrency=2)
    first = _upload(client, _overlapping(111), "a.csv")
    second = _upload(client, _overlapping(222), "b.csv")
    _load_both_at_once(client, first, second)
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


SECTORS = 90  # 21 counties × 35 years × 3 firm sizes × 90 sectors: 198 450 rows, a COPY of a second or so
REGION_CODES = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20",
                "21", "22", "23", "24", "25")
SIZES = ("Samtliga företag", "Små och medelstora företag", "Stora företag")


def _large_file() -> tuple[bytes, int]:
    lines = ["Region;År;Företagsstorlek;Bransch;Varuexport, mnkr"]
    for sector in range(SECTORS):
        for code in REGION_CODES:
            for year in range(1990, 2025):
                lines.extend(f"{code};{year};{size};Bransch {sector};{100 + sector + year % 7},5" for size in SIZES)
    return ("\n".join(lines) + "\n").encode(), len(lines) - 1


def _copy_in_progress() -> bool:
    """The worker's COPY into the observations (or the incoming table) has written rows, not all of them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy")
        return cursor.fetchone()[0] > 0


@requires_postgres
def test_a_whole_worker_killed_during_the_copy_of_a_large_file_leaves_nothing_and_is_rerun(
    client, stats_admin, start_worker
):
    """Killed while rows stream in: a load that committed per chunk would leave some of them behind."""
    _login(client, stats_admin)
    content, rows = _large_file()
    first = start_worker()
    batch_id = _upload(client, content, "large.csv")
    wait_for(lambda: _status(batch_id) == "preview", what="the preview", timeout=300)
    client.post(f"/imports/{batch_id}/confirm/")
    wait_for(_copy_in_progress, what="the COPY to be under way", timeout=300, interval=0.01)
    first.kill()
    assert _status(batch_id) == "loading"
    assert Observation.objects.count() == 0
    start_worker(beat=True, extra_env=SWEEP_FAST)
    wait_for(lambda: _status(batch_id) == "done", what="the sweep to rerun the batch", timeout=300)
    assert Observation.objects.count() == rows
    assert ImportBatch.objects.get(pk=batch_id).new_count == rows


def _partly_overlapping(codes: tuple[int, ...], value: int) -> bytes:
    rows = "".join(f"{code:02d};{year};{value}\n" for code in codes for year in range(2016, 2022))
    return ("Län;År;Antal exporterande företag\n" + rows).encode()


@requires_postgres
def test_two_imports_sharing_some_keys_at_once_equal_a_serial_order(client, stats_admin, start_worker):
    _login(client, stats_admin)
    start_worker(concurrency=2)
    only_a, shared, only_b = (1, 3), (4, 5, 25), (12, 13)
    first = _upload(client, _partly_overlapping(only_a + shared, 111), "a.csv")
    second = _upload(client, _partly_overlapping(shared + only_b, 222), "b.csv")
    _load_both_at_once(client, first, second)
    by_region: dict[str, set[float]] = {}
    for code, value in Observation.objects.values_list("region__code", "value"):
        by_region.setdefault(code, set()).add(value)
    assert Observation.objects.count() == 6 * 7
    assert all(by_region[f"{c:02d}"] == {111.0} for c in only_a)
    assert all(by_region[f"{c:02d}"] == {222.0} for c in only_b)
    shared_values = {v for c in shared for v in by_region[f"{c:02d}"]}
    assert shared_values in ({111.0}, {222.0})  # whichever committed last wins every shared key, never a mix
    assert ObservationHistory.objects.count() == 6 * len(shared)  # the later batch revised only the shared keys
    later = ImportBatch.objects.get(pk=second if shared_values == {222.0} else first)
    assert (later.new_count, later.revised_count) == (6 * 2, 6 * len(shared))
