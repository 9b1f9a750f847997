"""Import batches: create, process (read, validate, preview), confirm, load, discard, revert.

The ImportBatch row is the ledger; Celery only rings the doorbell. Every step is idempotent by
batch id, so a redelivered or re-swept task does no harm. This module is the only writer of
ImportBatch (tests/stats/test_import_batch_owner.py checks it): the loader returns what it did and
the batch is written here, in the load's transaction.

The upload is read and validated once per batch; the validated frame is kept beside it as Parquet
(`<upload>.parquet`), and the preview's revisions and the confirmed load read that frame.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from stats.importing import ReadResult, read_statistics
from stats.indicators import INDICATOR_CODES
from stats.loading import Diff, RevertRefused, observations_diff, observations_load, observations_revert
from stats.models import ImportBatch, Source
from stats.selectors import STORED_KEY_COLUMNS, loaded_batch_revisions, stored_keys_frame
from stats.task_names import COMMIT_IMPORT_BATCH, PROCESS_IMPORT_BATCH

log = logging.getLogger(__name__)
Status = ImportBatch.Status

ACTIVE = (Status.QUEUED, Status.READING, Status.LOADING)
WORKER_STOPPED = gettext_lazy(
    "the file stopped the worker %(attempts)s times (it needs more memory or time than an import may use); "
    "nothing of it was stored"
)
TOO_SLOW = gettext_lazy("the import took longer than %(seconds)s seconds and was stopped; nothing of it was stored")
TOO_BIG = gettext_lazy("the file needs more memory than an import may use; nothing of it was stored")
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
BROKER_TIMEOUT = 3


class ImportRefused(Exception):
    pass


class ImportFailed(Exception):
    """The load of a batch failed: the batch is marked failed with this readable reason."""


def readable_error(exc: BaseException) -> str:
    """One line for an admin: the exception's kind and the first line of its message (a database error's
    CONTEXT lines, which quote the COPY data, are left out)."""
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__


def import_batch_create(
    *,
    content: bytes,
    original_name: str,
    source: Source,
    user=None,
    indicator: str = "",
    firm_size: str = "",
    sheet: str = "",
    language: str = "en",
    auto_commit: bool = False,
    enqueue: bool = True,
    frame: pd.DataFrame | None = None,
    problems: list[dict] | None = None,
) -> ImportBatch:
    """Store the file and its ledger row; the worker is asked to process it once this commits.

    A caller that has read and validated the file already (the CLI) passes the frame to load and the
    reader's problems: they are kept with the batch and the file is not read again."""
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise ImportRefused(f"the file is larger than {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB")
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        batch = ImportBatch(
            original_name=original_name[:255],
            sha256=digest,
            size_bytes=len(content),
            source=source,
            indicator=indicator or "",
            firm_size=firm_size or "",
            sheet=sheet or "",
            language=language,
            uploaded_by=user if user is not None and user.is_authenticated else None,
            auto_commit=auto_commit,
            problems=problems or [],
        )
        batch.file.save(f"{digest[:16]}.upload", ContentFile(content), save=False)
        batch.save()
        if frame is not None:
            _frame_store(batch, frame)
        if enqueue:
            transaction.on_commit(lambda: enqueue_process(batch.pk))
    return batch


def enqueue_process(batch_id: int) -> None:
    _send(PROCESS_IMPORT_BATCH, batch_id)


def enqueue_commit(batch_id: int) -> None:
    _send(COMMIT_IMPORT_BATCH, batch_id)


def _send(task_name: str, batch_id: int) -> None:
    from exportregion.celery import app

    try:
        with app.connection_for_write() as conn:
            # Fail within seconds when the broker is down instead of hanging the upload; the quick
            # retry re-opens a connection that a broker restart left stale.
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
            app.send_task(task_name, args=[batch_id], connection=conn, retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:  # broker down: the batch stays queued and the periodic sweep sends it later
        log.warning("broker unavailable; batch stays queued for the sweep", extra={"batch_id": batch_id}, exc_info=True)


@contextmanager
def batch_lock(batch_id: int) -> Iterator[bool]:
    """Whether this process may work on the batch; on PostgreSQL a session advisory lock that dies
    with a killed worker's connection, so a redelivered message never runs beside the first."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [4242, batch_id])
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [4242, batch_id])


@contextmanager
def source_write_lock(source_id: int) -> Iterator[None]:
    """Serialise loads into one source (PostgreSQL), so overlapping imports never deadlock and their
    result always equals one of the serial orders."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [4243, source_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [4243, source_id])


def _set(batch_id: int, **fields: object) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(updated_at=timezone.now(), **fields)


def _advance(batch_id: int, *, from_status: tuple[str, ...], **fields: object) -> bool:
    """Move a batch on only from where the worker left it: a batch cancelled meanwhile stays cancelled."""
    return bool(
        ImportBatch.objects.filter(pk=batch_id, status__in=from_status).update(updated_at=timezone.now(), **fields)
    )


def _attempt_allowed(batch: ImportBatch) -> bool:
    """Whether another attempt may start. Every attempt is counted when it starts and ends by moving the
    batch on; a batch still active after IMPORT_MAX_ATTEMPTS attempts has stopped the worker each time
    (killed for memory, past its time limit): it fails instead of jamming the queue for ever."""
    if batch.attempts < settings.IMPORT_MAX_ATTEMPTS:
        return True
    import_batch_fail_because(batch_id=batch.pk, reason=WORKER_STOPPED, attempts=batch.attempts)
    return False


def read_batch_file(batch: ImportBatch) -> ReadResult:
    with batch.file.open("rb") as fh:
        data = fh.read()
    return read_statistics(
        data,
        batch.original_name,
        indicator=batch.indicator or None,
        firm_size=batch.firm_size or None,
        sheet=batch.sheet or None,
        lang=batch.language,
    )


def _frame_name(batch: ImportBatch) -> str:
    return f"{batch.file.name}.parquet"


def _frame_store(batch: ImportBatch, frame: pd.DataFrame) -> None:
    """Keep the validated frame beside the upload (Parquet keeps its dtypes, categories included)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    storage, name = batch.file.storage, _frame_name(batch)
    storage.delete(name)  # a batch read again (a retry) replaces its frame under the same name
    storage.save(name, ContentFile(buffer.getvalue()))


def batch_frame(batch: ImportBatch) -> pd.DataFrame | None:
    """The batch's validated frame, or None when it was never read cleanly (or its frame is gone)."""
    storage, name = batch.file.storage, _frame_name(batch)
    if not batch.file.name or not storage.exists(name):
        return None
    with storage.open(name, "rb") as fh:
        return pd.read_parquet(io.BytesIO(fh.read()))


def _frame_to_load(batch: ImportBatch) -> pd.DataFrame | None:
    """The frame of a previewed batch. One previewed before frames were kept has only its upload:
    read that again, and never load a file that no longer reads cleanly."""
    frame = batch_frame(batch)
    if frame is not None:
        return frame
    result = read_batch_file(batch)
    return result.frame if result.ok else None


def _problem_dicts(result: ReadResult) -> list[dict]:
    return [
        {"line": p.line, "column": p.column, "code": p.code, "message": p.message, "severity": p.severity}
        for p in result.problems
    ]


def import_batch_process(*, batch_id: int) -> None:
    """Read, validate and preview a batch; load it at once when it asks for that (auto commit: the
    load itself counts what changed, so no preview is computed)."""
    with batch_lock(batch_id) as got:
        if not got:
            return
        batch = ImportBatch.objects.get(pk=batch_id)
        if batch.status not in (Status.QUEUED, Status.READING):
            if batch.status == Status.LOADING:
                _commit(batch)
            return
        if not _attempt_allowed(batch) or not _advance(
            batch_id, from_status=(Status.QUEUED, Status.READING), status=Status.READING, progress=10,
            attempts=batch.attempts + 1, started_at=timezone.now(),
        ):
            return
        reading = (Status.READING,)
        frame = _frame_read(batch)
        if frame is None:
            return
        if batch.auto_commit:
            if _advance(batch_id, from_status=reading, status=Status.LOADING, progress=70):
                _load(batch, frame)
            return
        diff = observations_diff(frame, source=batch.source)
        counts = dict(new_count=diff.new, revised_count=diff.revised, unchanged_count=diff.unchanged,
                      summary=diff.summary)
        if not diff.changes:
            _advance(batch_id, from_status=reading, status=Status.DONE, progress=100, finished_at=timezone.now(),
                     **counts)
            return
        _advance(batch_id, from_status=reading, status=Status.PREVIEW, progress=60, revisions=diff.revisions,
                 **counts)


def _frame_read(batch: ImportBatch) -> pd.DataFrame | None:
    """Read and validate the upload once and keep the frame beside it; a batch whose frame is kept
    already (the CLI validated it, or an earlier attempt did) is not read again. None: rejected."""
    frame = batch_frame(batch)
    if frame is not None:
        _set(batch.pk, progress=50, rows=len(frame))
        return frame
    result = read_batch_file(batch)
    problems = _problem_dicts(result)
    if not result.ok:
        _advance(batch.pk, from_status=(Status.READING,), status=Status.REJECTED, progress=100, problems=problems,
                 finished_at=timezone.now())
        return None
    _frame_store(batch, result.frame)
    _set(batch.pk, progress=50, rows=len(result.frame), problems=problems)
    return result.frame


def import_batch_confirm(*, batch_id: int) -> bool:
    # The load's own attempts start from zero: reading it took one already.
    updated = ImportBatch.objects.filter(pk=batch_id, status=Status.PREVIEW).update(
        status=Status.LOADING, progress=70, attempts=0, updated_at=timezone.now()
    )
    if updated:
        transaction.on_commit(lambda: enqueue_commit(batch_id))
    return bool(updated)


def import_batch_discard(*, batch_id: int) -> bool:
    return bool(
        ImportBatch.objects.filter(pk=batch_id, status=Status.PREVIEW).update(
            status=Status.DISCARDED, finished_at=timezone.now(), updated_at=timezone.now()
        )
    )


def import_batch_commit(*, batch_id: int) -> None:
    with batch_lock(batch_id) as got:
        if got:
            _commit(ImportBatch.objects.get(pk=batch_id))


def _commit(batch: ImportBatch) -> None:
    if batch.status != Status.LOADING or not _attempt_allowed(batch):
        return
    if not _advance(batch.pk, from_status=(Status.LOADING,), attempts=batch.attempts + 1):
        return
    frame = _frame_to_load(batch)
    if frame is None:  # the stored file was valid when previewed; never load a changed one
        import_batch_fail(batch_id=batch.pk, error="the stored file no longer reads cleanly")
        return
    _load(batch, frame)


def _load(batch: ImportBatch, frame: pd.DataFrame) -> Diff | None:
    """Load a batch that is loading and record what the load did, in the load's transaction; None when
    the batch moved on meanwhile (cancelled, or loaded by another delivery)."""
    _set(batch.pk, progress=80)
    # A transaction of our own that ends with the load may set the table's indexes aside (bulk path).
    bulk = not connection.in_atomic_block
    with source_write_lock(batch.source_id), transaction.atomic():
        # Locking the row makes a cancel wait for the load, or the load see the cancel.
        status = ImportBatch.objects.select_for_update().values_list("status", flat=True).get(pk=batch.pk)
        if status != Status.LOADING:
            return None
        diff = observations_load(frame, source_id=batch.source_id, batch_id=batch.pk, bulk=bulk)
        _set(batch.pk, status=Status.DONE, progress=100, new_count=diff.new, revised_count=diff.revised,
             unchanged_count=diff.unchanged, revisions=diff.revisions, summary=diff.summary,
             finished_at=timezone.now())
    return diff


def import_batch_revisions(batch: ImportBatch) -> list[dict]:
    """Every value the batch revises (awaiting confirmation: from its kept frame) or revised (loaded)."""
    if batch.status == Status.PREVIEW:
        frame = _frame_to_load(batch)
        return [] if frame is None else observations_diff(frame, source=batch.source, revisions_limit=None).revisions
    if batch.status == Status.DONE:
        return loaded_batch_revisions(batch_id=batch.pk)
    return []


def import_batch_fail(*, batch_id: int, error: str) -> None:
    """Fail a queued or running batch (a cancelled one stays cancelled)."""
    _advance(batch_id, from_status=ACTIVE, status=Status.FAILED, error=error[:4000], finished_at=timezone.now())


def import_batch_fail_because(*, batch_id: int, reason: str | Promise, **params: object) -> None:
    """Fail a batch with one of the messages above, in the language of the admin who uploaded it."""
    language = ImportBatch.objects.filter(pk=batch_id).values_list("language", flat=True).first() or "en"
    with translation.override(language):
        import_batch_fail(batch_id=batch_id, error=str(reason) % params)


def import_batch_cancel(*, batch_id: int) -> bool:
    """Stop a queued or running batch. The worker moves a batch on only from where it left it, and the
    load commits only a batch still loading (it holds the row locked), so a cancelled batch stores
    nothing; a load that committed first leaves the batch done (then revert it)."""
    now = timezone.now()
    return bool(
        ImportBatch.objects.filter(pk=batch_id, status__in=ACTIVE).update(
            status=Status.CANCELLED, finished_at=now, updated_at=now
        )
    )


def import_batch_revert(*, batch_id: int) -> None:
    """Restore the values that were current before the batch; only a loaded batch can be reverted."""
    with transaction.atomic():
        status = ImportBatch.objects.select_for_update().values_list("status", flat=True).get(pk=batch_id)
        if status != Status.DONE:
            raise RevertRefused(f"batch {batch_id} is {status}, only a finished import can be reverted")
        observations_revert(batch_id=batch_id)
        _set(batch_id, status=Status.REVERTED)


def import_batch_retry(*, batch_id: int) -> bool:
    updated = ImportBatch.objects.filter(pk=batch_id, status=Status.FAILED).update(
        status=Status.QUEUED, progress=0, attempts=0, error="", updated_at=timezone.now()
    )
    if updated:
        transaction.on_commit(lambda: enqueue_process(batch_id))
    return bool(updated)


def import_batch_retry_with_indicator(*, batch_id: int, indicator: str) -> bool:
    """Read a rejected batch again, naming the indicator its wide table does not name itself."""
    if indicator not in INDICATOR_CODES:
        return False
    updated = ImportBatch.objects.filter(pk=batch_id, status=Status.REJECTED).update(
        status=Status.QUEUED, indicator=indicator, progress=0, problems=[], error="", updated_at=timezone.now()
    )
    if updated:
        transaction.on_commit(lambda: enqueue_process(batch_id))
    return bool(updated)


def stale_batches_sweep(*, older_than: timedelta | None = None) -> list[int]:
    """Re-send batches that no worker has touched for a while (lost message, killed worker); one that
    has used up its attempts fails instead of being sent again. Returns the ids sent again."""
    age = older_than if older_than is not None else timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    stale = ImportBatch.objects.filter(status__in=ACTIVE, updated_at__lt=timezone.now() - age)
    sent = []
    for batch in stale.only("pk", "status", "attempts"):
        if not _attempt_allowed(batch):
            continue
        _set(batch.pk)  # restart the clock so a slow worker is not flooded
        (enqueue_commit if batch.status == Status.LOADING else enqueue_process)(batch.pk)
        sent.append(batch.pk)
    return sent


__all__ = [
    "ImportFailed",
    "ImportRefused",
    "RevertRefused",
    "import_batch_cancel",
    "import_batch_commit",
    "import_batch_confirm",
    "import_batch_create",
    "import_batch_discard",
    "import_batch_fail",
    "import_batch_fail_because",
    "import_batch_process",
    "import_batch_retry",
    "import_batch_retry_with_indicator",
    "import_file_now",
    "import_batch_revert",
    "stale_batches_sweep",
]


def without_stored_keys(frame: pd.DataFrame, *, source: Source) -> pd.DataFrame:
    """The rows of a read frame whose key (region, indicator, year, firm size, sector) the source does not store."""
    stored = stored_keys_frame(source=source)
    if stored.empty:
        return frame
    # As the loader stores them: a missing firm size or sector is the empty text.
    keys = pd.DataFrame({c: frame[c].astype(object).fillna("").astype(str) for c in STORED_KEY_COLUMNS if c != "year"})
    keys["year"] = frame["year"].astype("int64").to_numpy()
    present = keys.merge(stored.drop_duplicates(), on=STORED_KEY_COLUMNS, how="left", indicator=True)["_merge"]
    return frame[(present == "left_only").to_numpy()].reset_index(drop=True)


def import_file_now(
    *,
    content: bytes,
    original_name: str,
    source: Source,
    indicator: str = "",
    firm_size: str = "",
    sheet: str = "",
    language: str = "en",
    dry_run: bool = False,
    new_values_only: bool = False,
    user=None,
) -> tuple[ReadResult, ImportBatch | None, Diff | None]:
    """The CLI's way through the pipeline of an upload, in-process: the file is read and validated
    (a rejected file or a dry run writes nothing), then a batch is created with the validated frame
    and `import_batch_process` loads it, as a worker would.

    With `new_values_only` (the demo data) the values whose keys the source already stores are left
    out, so no stored value is ever revised; when nothing is left no batch is created."""
    result = read_statistics(
        content, original_name, indicator=indicator or None, firm_size=firm_size or None,
        sheet=sheet or None, lang=language,
    )
    if not result.ok:
        return result, None, None
    frame = without_stored_keys(result.frame, source=source) if new_values_only else result.frame
    if dry_run:
        return result, None, observations_diff(frame, source=source)
    if new_values_only and frame.empty:
        return result, None, Diff(unchanged=len(result.frame))
    batch = import_batch_create(
        content=content, original_name=original_name, source=source, user=user, indicator=indicator,
        firm_size=firm_size, sheet=sheet, language=language, auto_commit=True, enqueue=False,
        frame=frame, problems=_problem_dicts(result),
    )
    try:
        import_batch_process(batch_id=batch.pk)
    except Exception as exc:  # the load's transaction is rolled back; the batch must not stay "loading"
        reason = readable_error(exc)
        try:
            import_batch_fail(batch_id=batch.pk, error=reason)
        except DatabaseError:  # the database is gone: the sweep finds the batch and a worker loads it again
            log.warning("could not mark batch %s failed", batch.pk, exc_info=True)
        raise ImportFailed(f"batch {batch.pk} failed: {reason}") from exc
    batch.refresh_from_db()
    if batch.status != Status.DONE:  # cancelled meanwhile, or failed by the rules of the pipeline
        raise ImportFailed(f"batch {batch.pk} {batch.status}" + (f": {batch.error}" if batch.error else ""))
    return result, batch, batch_diff(batch)


def batch_diff(batch: ImportBatch) -> Diff:
    """What a loaded batch changed, as the ledger records it (the first revisions listed)."""
    return Diff(new=batch.new_count or 0, revised=batch.revised_count or 0, unchanged=batch.unchanged_count or 0,
                revisions=list(batch.revisions or []), summary=list(batch.summary or []))
