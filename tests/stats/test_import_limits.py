"""Imports that cannot jam the queue: an attempt cap (a file that keeps stopping the worker fails with a
clear message and is never sent again), time limits, a memory limit per worker child, and a cancel action
for queued and running batches."""

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.test import Client
from django.utils import timezone

from stats import import_batches, tasks
from stats.import_batches import import_batch_cancel, import_batch_create, stale_batches_sweep
from stats.models import ImportBatch, Observation, Source
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

Status = ImportBatch.Status


def _batch(*, status: str = Status.QUEUED, attempts: int = 0, language: str = "en") -> ImportBatch:
    batch = import_batch_create(content=FILE, original_name="f.csv", source=Source.objects.get(is_default=True),
                                language=language, enqueue=False)
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, attempts=attempts,
                                                    updated_at=timezone.now() - timedelta(hours=1))
    return ImportBatch.objects.get(pk=batch.pk)


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """The batches the sweep hands to the broker (the broker itself is not this unit test's business)."""
    out: list[int] = []
    monkeypatch.setattr(import_batches, "enqueue_process", out.append)
    monkeypatch.setattr(import_batches, "enqueue_commit", out.append)
    return out


def test_the_sweep_never_sends_a_batch_past_its_attempt_cap_it_fails_it(db, sent):
    fresh = _batch(status=Status.READING, attempts=1)
    poison = _batch(status=Status.READING, attempts=settings.IMPORT_MAX_ATTEMPTS, language="sv")
    assert stale_batches_sweep() == [fresh.pk] and sent == [fresh.pk]
    poison.refresh_from_db()
    assert poison.status == Status.FAILED and poison.finished_at is not None
    assert poison.error.startswith("filen stoppade arbetsprocessen 3 gånger")
    assert stale_batches_sweep(older_than=timedelta(0)) == [fresh.pk]  # never the failed one again


def test_a_delivery_past_the_cap_fails_the_batch_instead_of_reading_it(db, monkeypatch):
    poison = _batch(status=Status.READING, attempts=settings.IMPORT_MAX_ATTEMPTS)
    monkeypatch.setattr(import_batches, "read_batch_file", lambda batch: pytest.fail("a capped batch was read again"))
    import_batches.import_batch_process(batch_id=poison.pk)
    poison.refresh_from_db()
    assert poison.status == Status.FAILED and "the file stopped the worker 3 times" in poison.error


def test_a_retry_starts_the_count_again(db):
    failed = _batch(status=Status.FAILED, attempts=3)
    assert import_batches.import_batch_retry(batch_id=failed.pk)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.QUEUED, 0)


@pytest.mark.parametrize(("raised", "message"), [
    (SoftTimeLimitExceeded(), "the import took longer than 600 seconds and was stopped"),
    (MemoryError(), "the file needs more memory than an import may use"),
])
def test_a_time_limit_or_memory_limit_fails_the_batch_with_a_clear_message(db, monkeypatch, raised, message):
    batch = _batch()

    def read(batch):
        raise raised

    monkeypatch.setattr(import_batches, "read_batch_file", read)
    with pytest.raises(type(raised)):
        tasks.process_import_batch.apply(args=[batch.pk], throw=True)
    batch.refresh_from_db()
    assert batch.status == Status.FAILED and batch.error.startswith(message)


@pytest.mark.parametrize("status", [Status.QUEUED, Status.READING, Status.LOADING])
def test_a_queued_or_running_batch_can_be_cancelled(db, status):
    batch = _batch(status=status)
    assert import_batch_cancel(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == Status.CANCELLED and batch.is_finished
    import_batches.import_batch_fail(batch_id=batch.pk, error="late failure of the cancelled run")
    assert _status(batch.pk) == Status.CANCELLED


@pytest.mark.parametrize("status", [Status.PREVIEW, Status.DONE, Status.FAILED, Status.REVERTED])
def test_a_batch_that_is_not_running_cannot_be_cancelled(db, status):
    batch = _batch(status=status)
    assert not import_batch_cancel(batch_id=batch.pk)
    assert _status(batch.pk) == status


def test_a_batch_cancelled_while_reading_is_never_moved_on_by_the_worker(db, monkeypatch):
    batch = _batch()
    real_read = import_batches.read_batch_file

    def read_then_cancel(b):
        result = real_read(b)
        import_batch_cancel(batch_id=b.pk)  # the admin presses Cancel while the worker reads
        return result

    monkeypatch.setattr(import_batches, "read_batch_file", read_then_cancel)
    import_batches.import_batch_process(batch_id=batch.pk)
    assert _status(batch.pk) == Status.CANCELLED


def test_the_batch_page_offers_cancel_to_admins_only(admin_client, analyst):
    batch = _batch()
    page = admin_client.get(f"/imports/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/imports/{batch.pk}/cancel/" in page and "Cancel this import" in page
    stranger = Client()
    stranger.force_login(analyst)
    assert stranger.post(f"/imports/{batch.pk}/cancel/").status_code == 403
    assert _status(batch.pk) == Status.QUEUED
    response = admin_client.post(f"/imports/{batch.pk}/cancel/", follow=True, HTTP_ACCEPT_LANGUAGE="sv")
    assert "Importen är avbruten" in response.content.decode()
    assert _status(batch.pk) == Status.CANCELLED
    assert "/cancel/" not in admin_client.get(f"/imports/{batch.pk}/").content.decode()


def test_celery_time_and_memory_limits_follow_the_settings():
    code = ("from exportregion.celery import app; c = app.conf; "
            "print(c.task_soft_time_limit, c.task_time_limit, c.worker_max_memory_per_child)")
    env = {**os.environ, "IMPORT_TIMEOUT_SECONDS": "90", "WORKER_MEMORY_LIMIT_MB": "1500"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=settings.BASE_DIR).stdout.split()
    assert out == ["90", "120", str(1500 * 1024 // 2)]


# With a real worker process.

def _address_space_limit(pid: int) -> str:
    line = next(li for li in open(f"/proc/{pid}/limits") if li.startswith("Max address space"))
    return line.split()[3]


@pytest.mark.worker
def test_every_worker_child_runs_under_the_address_space_limit(start_worker):
    worker = start_worker(extra_env={"WORKER_MEMORY_LIMIT_MB": "3000"})
    children = wait_for(worker.child_pids, what="the pool child", timeout=60)
    wait_for(lambda: _address_space_limit(children[0]) == str(3000 * 1024 * 1024), what="the limit", timeout=30)


# PostgreSQL notices a killed client only when it next talks to it; a backend waiting on a lock would
# wait on, holding the batch's locks. With this check it ends itself within half a second, as it must
# for the next delivery to run.
NOTICE_DEAD_CLIENTS = {"PGOPTIONS": "-c client_connection_check_interval=500"}


def _no_load_waiting() -> bool:
    return not _load_is_waiting()


@pytest.mark.worker
@requires_postgres
def test_a_batch_that_stops_the_worker_three_times_fails_and_is_never_sent_again(
    client, stats_admin, start_worker
):
    client.force_login(stats_admin)
    worker = start_worker(extra_env=NOTICE_DEAD_CLIENTS)
    batch_id = _upload(client, FILE)
    wait_for(lambda: _status(batch_id) == "preview", what="the preview", timeout=90)
    lock = _block_writes()
    try:
        client.post(f"/imports/{batch_id}/confirm/")
        for attempt in range(1, settings.IMPORT_MAX_ATTEMPTS + 1):
            wait_for(lambda a=attempt: ImportBatch.objects.get(pk=batch_id).attempts == a and _load_is_waiting(),
                     what=f"attempt {attempt} to wait on the lock", timeout=120)
            for pid in worker.child_pids():
                os.kill(pid, 9)  # the file "stops the worker", as a poison file does
            wait_for(_no_load_waiting, what="the killed attempt's backend to end", timeout=30)
            # The broker delivers it again (Redis) or the sweep sends it (the embedded broker loses it).
            stale_batches_sweep(older_than=timedelta(0))
        wait_for(lambda: _status(batch_id) == "failed", what="the batch to fail", timeout=120)
    finally:
        _release(lock)
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.language == "sv"  # uploaded without Accept-Language: the site's language, the message's too
    assert "stoppade arbetsprocessen 3 gånger" in batch.error
    assert stale_batches_sweep(older_than=timedelta(0)) == []
    threading.Event().wait(2.0)  # a late delivery, if any, finds it failed and leaves it so
    assert _status(batch_id) == "failed" and not Observation.objects.exists()


def _hold_source_lock():
    """Another import loading into the same source, from another connection: a load waits before it starts."""
    from django.db import connections

    conn = connections.create_connection("default")
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(4243, %s)", [Source.objects.get(is_default=True).pk])
    return conn


@pytest.mark.worker
@requires_postgres
def test_a_load_cancelled_while_it_runs_stores_nothing(client, stats_admin, worker):
    client.force_login(stats_admin)
    batch_id = _upload(client, FILE)
    wait_for(lambda: _status(batch_id) == "preview", what="the preview", timeout=90)
    other_import = _hold_source_lock()
    try:
        client.post(f"/imports/{batch_id}/confirm/")
        wait_for(_load_is_waiting, what="the load to wait for the other import")
        assert client.post(f"/imports/{batch_id}/cancel/").status_code == 302
    finally:
        other_import.close()
    assert _status(batch_id) == "cancelled"
    wait_for(_no_load_waiting, what="the load to go on")
    threading.Event().wait(2.0)  # the worker goes on with the load, finds it cancelled, writes nothing
    assert _status(batch_id) == "cancelled" and not Observation.objects.exists()
