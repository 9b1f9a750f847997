"""The names of the statistics' Celery tasks, one constant each: the tasks are registered under them,
and the services that enqueue them, Celery beat's schedule and the log context use the same ones."""

from typing import Final

PROCESS_IMPORT_BATCH: Final = "stats.tasks.process_import_batch"
COMMIT_IMPORT_BATCH: Final = "stats.tasks.commit_import_batch"
SWEEP_STALE_BATCHES: Final = "stats.tasks.sweep_stale_batches"

SYNC_SUBSCRIPTION: Final = "stats.tasks.sync_subscription"
SYNC_DUE_SUBSCRIPTIONS: Final = "stats.tasks.sync_due_subscriptions"

# The tasks whose first argument is an ImportBatch id.
BATCH_TASKS: Final = frozenset({PROCESS_IMPORT_BATCH, COMMIT_IMPORT_BATCH})
