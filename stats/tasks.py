"""Thin Celery wrappers: take a batch id, call one service, record failure."""

import logging

from celery import shared_task

from stats import imports

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, name="stats.tasks.process_import_batch")
def process_import_batch(batch_id: int) -> None:
    _run(imports.import_batch_process, batch_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, name="stats.tasks.commit_import_batch")
def commit_import_batch(batch_id: int) -> None:
    _run(imports.import_batch_commit, batch_id)


@shared_task(name="stats.tasks.sweep_stale_batches")
def sweep_stale_batches() -> list[int]:
    return imports.stale_batches_sweep()


def _run(service, batch_id: int) -> None:
    try:
        service(batch_id=batch_id)
    except Exception as exc:
        log.exception("import batch failed", extra={"batch_id": batch_id})
        imports.import_batch_fail(batch_id=batch_id, error=f"{type(exc).__name__}: {exc}")
        raise
