"""Table subscriptions: fetch a table of the statistics database's API, compare it with the last answer,
and hand a changed one to the import-batch pipeline, stopping at its preview (services and selectors).

Nothing here runs at page-request time: the admin's "run now" and Celery beat only queue a run, which
fetches in the worker (or in `manage.py sync_tables`). The subscription row is the ledger: `claimed_at`
keeps a second beat, a redelivered message or a command from running it twice at once, and expires, so a
run lost with its worker or its message is claimed again later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from exportregion.permissions import STATISTICS_ADMINS
from stats.import_batches import (
    import_batch_commit,
    import_batch_confirm,
    import_batch_create,
    import_batch_fail,
    import_batch_process,
    readable_error,
)
from stats.importing.jsonstat import is_json
from stats.models import ImportBatch, Source, Subscription, SubscriptionRun
from stats.task_names import SYNC_SUBSCRIPTION

log = logging.getLogger(__name__)
Result = Subscription.Result
Every = Subscription.Every
BatchStatus = ImportBatch.Status

INTERVALS = {Every.DAILY: timedelta(days=1), Every.WEEKLY: timedelta(weeks=1), Every.MONTHLY: timedelta(days=30)}
# A failed run is tried again sooner than its interval: the database may only have been down for a while.
RETRY_FAILED_AFTER = timedelta(hours=6)
# A claim older than this belongs to a run that was lost (killed worker, lost message): claim it again.
CLAIM_EXPIRES = timedelta(hours=1)
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
BROKER_TIMEOUT = 3
RUN_TASK = SYNC_SUBSCRIPTION


class FetchFailed(Exception):
    """The table could not be fetched; the message says why, for the admin."""


# --- what may be fetched ------------------------------------------------------------------------


def url_refusal(url: str) -> str | None:
    """Why the address may not be fetched (None: it may): a host on STATISTICS_API_HOSTS, over HTTPS
    unless DEBUG is on."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return _("the address must be an https:// address")
    if parts.scheme != "https" and not settings.DEBUG:
        return _("the address must use HTTPS")
    host = parts.hostname.lower()
    if host not in settings.STATISTICS_API_HOSTS:
        return _("the host %(host)s is not in STATISTICS_API_HOSTS (%(allowed)s)") % {
            "host": host, "allowed": ", ".join(settings.STATISTICS_API_HOSTS) or "-"}
    return None


def query_refusal(query: str) -> str | None:
    """Why a PxWeb API v1 query is not usable (None: it is, or there is none)."""
    if not query.strip():
        return None
    try:
        document = json.loads(query)
    except ValueError as error:
        return _("the query is not JSON: %(error)s") % {"error": error}
    if not isinstance(document, dict):
        return _("the query must be a JSON object")
    return None


# --- fetching -----------------------------------------------------------------------------------


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only on the same host, and never from HTTPS to plain HTTP outside DEBUG."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).hostname != urlsplit(req.full_url).hostname or url_refusal(newurl):
            raise FetchFailed(_("the answer redirects to another address (%(url)s); not followed") % {"url": newurl})
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _request(url: str, query: str) -> urllib.request.Request:
    headers = {"Accept": "application/json", "User-Agent": f"Exportregion ({settings.SITE_URL})"}
    if not query.strip():
        return urllib.request.Request(url, headers=headers)
    headers["Content-Type"] = "application/json"
    return urllib.request.Request(url, data=query.encode("utf-8"), headers=headers, method="POST")


def _read_capped(response) -> bytes:
    limit = settings.STATISTICS_API_MAX_BYTES
    too_big = FetchFailed(_("the answer is larger than %(limit)s bytes (STATISTICS_API_MAX_BYTES)") % {"limit": limit})
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_big
    content = response.read(limit + 1)
    if len(content) > limit:
        raise too_big
    return content


def _wait_seconds(error: urllib.error.HTTPError, attempt: int) -> float:
    """The answer's Retry-After (seconds), else a wait doubling per attempt; never more than the maximum."""
    retry_after = (error.headers.get("Retry-After") or "").strip()
    wait = float(retry_after) if retry_after.isdigit() else settings.STATISTICS_API_BACKOFF_SECONDS * 2 ** (attempt - 1)
    return min(wait, settings.STATISTICS_API_MAX_WAIT_SECONDS)


def table_fetch(*, url: str, query: str = "", sleep: Callable[[float], None] | None = None) -> bytes:
    """The table's answer: GET the address, or POST the PxWeb API v1 query to it. Raises FetchFailed."""
    refusal = url_refusal(url)
    if refusal:
        raise FetchFailed(refusal)
    opener = urllib.request.build_opener(_SameHostRedirects)
    attempts = max(1, settings.STATISTICS_API_ATTEMPTS)
    for attempt in range(1, attempts + 1):
        try:
            with opener.open(_request(url, query), timeout=settings.STATISTICS_API_TIMEOUT_SECONDS) as response:
                return _read_capped(response)
        except urllib.error.HTTPError as error:
            error.close()
            if error.code not in RETRIED_STATUSES or attempt == attempts:
                raise FetchFailed(_("the database answered HTTP %(code)s %(reason)s (attempt %(attempt)s of "
                                    "%(attempts)s)") % {"code": error.code, "reason": error.reason,
                                                        "attempt": attempt, "attempts": attempts}) from error
            (sleep or time.sleep)(_wait_seconds(error, attempt))
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise FetchFailed(_("cannot reach %(host)s: %(reason)s") % {
                "host": urlsplit(url).netloc, "reason": reason}) from error
    raise AssertionError("unreachable")


# --- a run ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    result: str
    message: str = ""
    batch: ImportBatch | None = None
    answer_key: str = ""  # remembered as the last answer: the next run compares with it


def _answer_key(subscription: Subscription, content: bytes) -> str:
    """The answer's SHA-256 together with how it is read: changing the address, query, indicator, firm size
    or source reads the next answer again even when the table itself has not changed."""
    how = json.dumps([subscription.url, subscription.query, subscription.indicator, subscription.firm_size,
                      subscription.source_id]).encode()
    return hashlib.sha256(hashlib.sha256(content).digest() + how).hexdigest()


def _unclaimed(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)


def _claim(subscription_id: int, claim: str | None, now: datetime) -> bool:
    """Take the run: the claim the beat made (`claim`, its time), or any claim not held by a live run."""
    mine = Subscription.objects.filter(pk=subscription_id)
    mine = mine.filter(claimed_at=datetime.fromisoformat(claim)) if claim else mine.filter(_unclaimed(now))
    return bool(mine.update(claimed_at=now))


def subscription_run(*, subscription_id: int, claim: str | None = None,
                     language: str | None = None) -> SubscriptionRun | None:
    """Fetch the table, compare and, when its answer changed, make a preview batch (confirmed at once when
    the subscription says so and it only adds values). Returns the run, or None when another run holds it.
    Messages are in `language` (default: the site's)."""
    if not _claim(subscription_id, claim, timezone.now()):
        return None
    subscription = Subscription.objects.select_related("source").get(pk=subscription_id)
    run = SubscriptionRun.objects.create(subscription=subscription)
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            outcome = _fetch_and_read(subscription, run, translation.get_language() or "en")
        except FetchFailed as exc:
            outcome = _Outcome(Result.FAILED, str(exc))
        except Exception as exc:  # a failing run is recorded on its page; it never takes the worker down
            log.exception("subscription run failed", extra={"subscription_id": subscription_id})
            outcome = _Outcome(Result.FAILED, readable_error(exc))
        if outcome.result in (Result.PREVIEW, Result.CONFIRMED) and outcome.batch is not None:
            outcome = _mail_admins(subscription, outcome)
    _finish(subscription, run, outcome)
    return run


def _fetch_and_read(subscription: Subscription, run: SubscriptionRun, language: str) -> _Outcome:
    content = table_fetch(url=subscription.url, query=subscription.query)
    run.content_sha256, run.size_bytes = hashlib.sha256(content).hexdigest(), len(content)
    key = _answer_key(subscription, content)
    if key == subscription.content_sha256:
        return _Outcome(Result.NO_CHANGE, answer_key=key)
    if not is_json(content):
        start = content[:40].decode("utf-8", "replace").strip()
        return _Outcome(Result.FAILED, _("the answer is not JSON-stat 2.0 (it starts %(start)r)") % {"start": start})
    batch = import_batch_create(
        content=content, original_name=f"{slugify(subscription.name) or 'table'}.json", source=subscription.source,
        indicator=subscription.indicator, firm_size=subscription.firm_size, language=language, enqueue=False,
    )
    try:
        import_batch_process(batch_id=batch.pk)  # read, validate, preview: as a worker does with an upload
    except Exception as exc:
        import_batch_fail(batch_id=batch.pk, error=readable_error(exc))
        raise
    batch.refresh_from_db()
    return _outcome_of(subscription, batch, key)


def _only_adds(batch: ImportBatch) -> bool:
    return batch.revised_count == 0 and not any(int(row.get("missing", 0)) for row in batch.summary)


def _outcome_of(subscription: Subscription, batch: ImportBatch, key: str) -> _Outcome:
    if batch.status == BatchStatus.REJECTED:
        errors = [p["message"] for p in batch.problems if p.get("severity") == "error"][:3] or [_("the table could not be read")]
        # Not remembered: the next run reads the same answer again and says why once more.
        return _Outcome(Result.FAILED, "; ".join(errors) + f" (batch {batch.pk})", batch)
    if batch.status == BatchStatus.DONE:  # the answer changed, none of its values did
        return _Outcome(Result.NO_CHANGE, _("the answer changed, none of its values did"), batch, key)
    if batch.status != BatchStatus.PREVIEW:
        return _Outcome(Result.FAILED, batch.error or batch.get_status_display(), batch)
    if not (subscription.auto_confirm and _only_adds(batch)):
        return _Outcome(Result.PREVIEW, batch=batch, answer_key=key)
    import_batch_confirm(batch_id=batch.pk)
    try:
        import_batch_commit(batch_id=batch.pk)  # here, at once; a worker given the same batch finds it loaded
    except Exception as exc:
        import_batch_fail(batch_id=batch.pk, error=readable_error(exc))
        raise
    batch.refresh_from_db()
    if batch.status == BatchStatus.DONE:
        return _Outcome(Result.CONFIRMED, batch=batch, answer_key=key)
    return _Outcome(Result.PREVIEW, _("confirmed; a worker is loading it"), batch, key)


def _finish(subscription: Subscription, run: SubscriptionRun, outcome: _Outcome) -> None:
    now = timezone.now()
    run.result, run.message, run.batch, run.finished_at = outcome.result, outcome.message, outcome.batch, now
    run.save(update_fields=["result", "message", "batch", "finished_at", "content_sha256", "size_bytes"])
    interval = INTERVALS.get(Every(subscription.every), INTERVALS[Every.MONTHLY])
    if outcome.result == Result.FAILED:
        interval = min(interval, RETRY_FAILED_AFTER)
    fields = {"last_run_at": now, "last_result": outcome.result, "last_message": outcome.message[:4000],
              "next_run_at": now + interval, "claimed_at": None, "updated_at": now}
    if outcome.answer_key:
        fields["content_sha256"] = outcome.answer_key
    Subscription.objects.filter(pk=subscription.pk).update(**fields)


def statistics_admin_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name=STATISTICS_ADMINS)
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _mail_admins(subscription: Subscription, outcome: _Outcome) -> _Outcome:
    """Tell the statistics admins where the new batch is; a mail that cannot be sent fails nothing."""
    batch = outcome.batch
    assert batch is not None
    recipients = statistics_admin_emails()
    if not recipients:
        return outcome
    url = settings.SITE_URL.rstrip("/") + reverse("stats:import_detail", args=[batch.pk])
    counts = {"name": subscription.name, "batch": batch.pk, "new": batch.new_count,
              "revised": batch.revised_count, "unchanged": batch.unchanged_count, "url": url}
    if outcome.result == Result.CONFIRMED:
        subject = _("%(name)s: new figures loaded (batch %(batch)s)") % counts
        body = _("The table %(name)s has new figures. They only added values, so batch %(batch)s was confirmed by "
                 "itself: %(new)s new, %(revised)s revised, %(unchanged)s unchanged.\n\nSee it, or revert "
                 "it, here: %(url)s\n") % counts
    else:
        subject = _("%(name)s: new figures waiting for confirmation (batch %(batch)s)") % counts
        body = _("The table %(name)s has changed. Batch %(batch)s waits for your confirmation: %(new)s new, "
                 "%(revised)s revised, %(unchanged)s unchanged.\n\nCheck and confirm it here: %(url)s\n") % counts
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception as exc:
        log.warning("subscription e-mail not sent", exc_info=True)
        note = _("the e-mail to the statistics admins was not sent: %(error)s") % {"error": readable_error(exc)}
        return _Outcome(outcome.result, "; ".join(filter(None, [outcome.message, note])), batch, outcome.answer_key)
    return outcome


def run_summary(run: SubscriptionRun | None) -> str:
    """What `sync_tables` prints after the name: `no change`, `batch 12 waiting for confirmation: 63 values:
    21 new, 42 revised, 0 unchanged`, `batch 12 confirmed: …` or `failed: <reason>`."""
    if run is None:
        return "failed: " + _("a run of it is already under way")
    if run.result == Result.FAILED:
        return f"failed: {run.message}"
    batch = run.batch
    if run.result == Result.NO_CHANGE or batch is None:
        return "no change"
    state = "confirmed" if run.result == Result.CONFIRMED else "waiting for confirmation"
    total = batch.new_count + batch.revised_count + batch.unchanged_count
    return (f"batch {batch.pk} {state}: {total} values: {batch.new_count} new, {batch.revised_count} revised, "
            f"{batch.unchanged_count} unchanged")


# --- scheduling ---------------------------------------------------------------------------------


def subscriptions_due(*, now: datetime | None = None) -> QuerySet[Subscription]:
    """Switched on, due (never run, or past its next run) and not held by a run under way."""
    now = now or timezone.now()
    return Subscription.objects.filter(enabled=True).filter(
        Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    ).filter(_unclaimed(now))


def subscriptions_claim_due(*, now: datetime | None = None) -> list[tuple[int, str]]:
    """Claim every due subscription; returns (id, claim) for each one this call claimed, the claim being what
    the run takes over (`subscription_run(claim=…)`). A second call claims none of them again."""
    now = now or timezone.now()
    claimed = []
    for pk in subscriptions_due(now=now).values_list("pk", flat=True):
        if Subscription.objects.filter(pk=pk).filter(_unclaimed(now)).update(claimed_at=now):
            claimed.append((pk, now.isoformat()))
    return claimed


def subscription_run_enqueue(subscription_id: int, claim: str | None = None) -> bool:
    """Ring the worker's doorbell; False when the broker is down (the claim expires and the beat tries later)."""
    from exportregion.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
            app.send_task(RUN_TASK, args=[subscription_id, claim], connection=conn, retry=False)
    except Exception:
        log.warning("broker unavailable; subscription run not queued", extra={"subscription_id": subscription_id},
                    exc_info=True)
        return False
    return True


def subscriptions_enqueue_due(*, now: datetime | None = None,
                              enqueue: Callable[[int, str | None], bool] | None = None) -> list[int]:
    """The beat's work: claim the due subscriptions and queue a run of each. Returns the ids queued."""
    send = enqueue or subscription_run_enqueue
    return [pk for pk, claim in subscriptions_claim_due(now=now) if send(pk, claim)]


def subscription_run_soon(*, subscription: Subscription) -> bool:
    """The admin's "run now": due at once, and queued; whether the queue took it (else the beat runs it
    when it is switched on)."""
    Subscription.objects.filter(pk=subscription.pk).update(next_run_at=timezone.now())
    return subscription_run_enqueue(subscription.pk)


# --- the command line and the demo ----------------------------------------------------------------


def subscription_save(*, name: str, url: str, source: Source | None = None, indicator: str | None = None,
                      every: str | None = None, query: str | None = None, enabled: bool | None = None,
                      auto_confirm: bool | None = None) -> tuple[Subscription, bool]:
    """Create or update the subscription called `name`; None leaves a setting as it is (or its default).
    Raises ValueError when the address or the query may not be used."""
    refusal = url_refusal(url) or query_refusal(query or "")
    if refusal:
        raise ValueError(refusal)
    subscription = Subscription.objects.filter(name=name).first()
    created = subscription is None
    if subscription is None:
        subscription = Subscription(name=name, source=source or Source.objects.get(is_default=True))
    subscription.url = url
    changes = {"source": source, "indicator": indicator, "every": every, "query": query, "enabled": enabled,
               "auto_confirm": auto_confirm}
    for field, value in changes.items():
        if value is not None:
            setattr(subscription, field, value)
    subscription.full_clean()
    subscription.save()
    return subscription, created


DEMO_NAME = "Folkmängd per län (SCB, BE0101N1)"
DEMO_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd/START/BE/BE0101/BE0101A/BefolkningNy"
COUNTY_CODES = ("00", "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20",
                "21", "22", "23", "24", "25")
# PxWeb API v1: Sweden and the 21 counties, the population on 31 December, the last five years; the
# variables left out (civil status, age, sex) are summed away by the database.
DEMO_QUERY = json.dumps({
    "query": [
        {"code": "Region", "selection": {"filter": "item", "values": list(COUNTY_CODES)}},
        {"code": "ContentsCode", "selection": {"filter": "item", "values": ["BE0101N1"]}},
        {"code": "Tid", "selection": {"filter": "top", "values": ["5"]}},
    ],
    "response": {"format": "json-stat2"},
}, indent=2)


def subscription_demo_create() -> Subscription | None:
    """The demo's subscription to the county population, switched off (the machine may not reach the
    database). Created once: an admin's changes (switched on, another address, another name) are kept."""
    if Subscription.objects.filter(Q(name=DEMO_NAME) | Q(url=DEMO_URL)).exists():
        return None
    source = Source.objects.filter(is_default=True).first()
    if source is None:
        return None
    return Subscription.objects.create(name=DEMO_NAME, url=DEMO_URL, query=DEMO_QUERY, source=source,
                                       every=Every.MONTHLY, enabled=False)
