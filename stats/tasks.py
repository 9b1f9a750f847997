"""Thin Celery wrappers: take a batch id, call one service, record failure."""

import logging
from collections.abc import Callable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection

from stats import import_batches
from stats import subscriptions as table_subscriptions
from stats.task_names import (
    COMMIT_IMPORT_BATCH,
    PROCESS_IMPORT_BATCH,
    SWEEP_STALE_BATCHES,
    SYNC_DUE_SUBSCRIPTIONS,
    SYNC_SUBSCRIPTION,
)

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, name=PROCESS_IMPORT_BATCH)
def process_import_batch(batch_id: int) -> None:
    _run(import_batches.import_batch_process, batch_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, name=COMMIT_IMPORT_BATCH)
def commit_import_batch(batch_id: int) -> None:
    _run(import_batches.import_batch_commit, batch_id)


@shared_task(name=SWEEP_STALE_BATCHES)
def sweep_stale_batches() -> list[int]:
    return import_batches.stale_batches_sweep()


def _cause(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether `kind` is behind `exc` (a time limit or MemoryError may surface as the error of a query or an
    unlock that it interrupted)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _run(service: Callable[..., None], batch_id: int) -> None:
    try:
        service(batch_id=batch_id)
    except Exception as exc:
        log.exception("import batch failed", extra={"batch_id": batch_id})
        if (_cause(exc, SoftTimeLimitExceeded) or _cause(exc, MemoryError)) and not connection.is_usable():
            connection.close()  # cut off mid-query: the next query reconnects
        if _cause(exc, SoftTimeLimitExceeded):
            import_batches.import_batch_fail_because(
                batch_id=batch_id, reason=import_batches.TOO_SLOW, seconds=settings.IMPORT_TIMEOUT_SECONDS
            )
        elif _cause(exc, MemoryError):
            import_batches.import_batch_fail_because(batch_id=batch_id, reason=import_batches.TOO_BIG)
        else:
            import_batches.import_batch_fail(batch_id=batch_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name=SYNC_SUBSCRIPTION)
def sync_subscription(subscription_id: int, claim: str | None = None) -> str | None:
    """One table subscription's run (queued by the beat below or the admin's "run now")."""
    run = table_subscriptions.subscription_run(subscription_id=subscription_id, claim=claim)
    return run.result if run is not None else None


@shared_task(name=SYNC_DUE_SUBSCRIPTIONS)
def sync_due_subscriptions() -> list[int]:
    """Run by Celery beat (settings.CELERY_BEAT_SCHEDULE): queue a run of each due subscription."""
    return table_subscriptions.subscriptions_enqueue_due()
