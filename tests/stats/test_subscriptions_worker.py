"""End to end: Celery beat in a real worker process queues the due subscription, the worker fetches the table
from the local server in this test process and makes the preview batch. The test itself publishes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stats.models import ImportBatch, Source, Subscription, SubscriptionRun
from tests.conftest import wait_for
from tests.table_server import TableServer, answer

pytestmark = pytest.mark.worker


@pytest.fixture
def table_server(transactional_db):
    server = TableServer()
    yield server
    server.close()


def test_the_beat_runs_only_the_due_subscription_in_the_worker(start_worker, table_server):
    table_server.answer(answer("county_population.json"))
    source = Source.objects.get(is_default=True)
    due = Subscription.objects.create(name="due", url=table_server.url(), source=source)
    later = Subscription.objects.create(name="later", url=table_server.url("/later"), source=source,
                                        next_run_at=timezone.now() + timedelta(days=3))
    off = Subscription.objects.create(name="off", url=table_server.url("/off"), source=source, enabled=False)

    start_worker(beat=True, extra_env={
        "DEBUG": "1", "STATISTICS_API_HOSTS": "127.0.0.1", "SUBSCRIPTION_CHECK_INTERVAL_SECONDS": "0.5",
    })
    run = wait_for(lambda: SubscriptionRun.objects.filter(subscription=due, finished_at__isnull=False).first(),
                   what="the due subscription's run", timeout=90)

    assert run.result == "preview", run.message
    batch = ImportBatch.objects.get(pk=run.batch_id)
    assert (batch.status, batch.new_count) == ("preview", 44)
    assert [path for _, path, _ in table_server.requests] == ["/table"]  # never the later or switched-off one
    assert not SubscriptionRun.objects.filter(subscription__in=[later, off]).exists()
    due.refresh_from_db()
    assert due.claimed_at is None and due.next_run_at > timezone.now() + timedelta(days=29)
