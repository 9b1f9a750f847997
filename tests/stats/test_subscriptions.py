"""Table subscriptions against a local HTTP server in the test process, answering recorded JSON-stat tables
(tests/data/subscriptions/). No test here publishes to the broker: the beat's choice of due subscriptions is
tested on its claim, and its enqueueing end to end with a real worker (test_subscriptions_worker.py)."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from stats import import_batches, subscriptions
from stats.models import ImportBatch, Observation, Source, Subscription, SubscriptionRun
from tests.table_server import TableServer, answer


@pytest.fixture
def table_server(db, settings):
    # Plain HTTP to the loopback: allowed only because DEBUG is on (tests for HTTPS below switch it off).
    settings.DEBUG = True
    settings.STATISTICS_API_HOSTS = ["127.0.0.1"]
    settings.STATISTICS_API_BACKOFF_SECONDS = 0.01
    server = TableServer()
    yield server
    server.close()


@pytest.fixture
def admin_with_mail(db) -> User:
    from tests.conftest import _user

    user = _user("mia-admin", groups=("statistics-admins",))
    user.email = "mia@example.se"
    user.is_staff = True  # a statistics admin who is not a superuser: the group's permissions open the admin
    user.save()
    return user


def _subscription(server: TableServer, **fields) -> Subscription:
    fields = {"name": "county-population", "url": server.url(), "source": Source.objects.get(is_default=True),
              **fields}
    return Subscription.objects.create(**fields)


def _run(subscription: Subscription) -> SubscriptionRun:
    run = subscriptions.subscription_run(subscription_id=subscription.pk, language="en")
    assert run is not None
    return run


def _load(batch: ImportBatch) -> None:
    assert import_batches.import_batch_confirm(batch_id=batch.pk)
    import_batches.import_batch_commit(batch_id=batch.pk)


def test_the_first_run_makes_a_preview_batch_and_mails_the_admins(table_server, admin_with_mail):
    table_server.answer(answer("county_population.json"))
    subscription = _subscription(table_server)

    run = _run(subscription)

    assert run.result == "preview"
    batch = run.batch
    assert (batch.status, batch.new_count, batch.revised_count) == ("preview", 44, 0)
    assert not Observation.objects.exists()  # stopped at the preview
    assert subscriptions.run_summary(run) == (
        f"batch {batch.pk} waiting for confirmation: 44 values: 44 new, 0 revised, 0 unchanged")
    (message,) = mail.outbox
    assert message.to == ["mia@example.se"]
    assert f"/imports/{batch.pk}/" in message.body
    subscription.refresh_from_db()
    assert subscription.last_result == "preview" and subscription.claimed_at is None
    assert subscription.next_run_at > timezone.now() + timedelta(days=29)  # monthly by default


def test_the_same_answer_again_makes_no_batch(table_server, admin_with_mail):
    table_server.answer(answer("county_population.json"))
    subscription = _subscription(table_server)
    _run(subscription)
    mail.outbox.clear()

    run = _run(subscription)

    assert (run.result, run.batch, subscriptions.run_summary(run)) == ("no_change", None, "no change")
    assert ImportBatch.objects.count() == 1
    assert not mail.outbox


def test_a_changed_answer_makes_a_new_preview_with_the_revisions(table_server):
    table_server.answer(answer("county_population.json"))
    subscription = _subscription(table_server)
    _load(_run(subscription).batch)
    assert Observation.objects.filter(indicator__code="population").count() == 44

    table_server.answer(answer("county_population_revised.json"))
    run = _run(subscription)

    batch = run.batch
    assert (run.result, batch.status) == ("preview", "preview")
    assert (batch.new_count, batch.revised_count, batch.unchanged_count) == (22, 3, 41)
    assert {(r["region"], r["year"], r["old"], r["new"]) for r in batch.revisions} >= {("25", 2023, 249613.0, 249650.0)}


def test_an_answer_with_the_same_values_is_no_change(table_server):
    table_server.answer(answer("county_population.json"))
    subscription = _subscription(table_server)
    _load(_run(subscription).batch)

    table_server.answer(answer("county_population_republished.json"))
    run = _run(subscription)

    assert subscriptions.run_summary(run) == "no change"
    assert run.message == "the answer changed, none of its values did"


def test_it_confirms_by_itself_when_the_preview_only_adds_values(table_server):
    table_server.answer(answer("county_population.json"))
    subscription = _subscription(table_server, auto_confirm=True)
    first = _run(subscription)
    assert first.result == "confirmed" and first.batch.status == "done"

    table_server.answer(answer("county_population_2024_added.json"))
    added = _run(subscription)
    assert subscriptions.run_summary(added) == (
        f"batch {added.batch.pk} confirmed: 66 values: 22 new, 0 revised, 44 unchanged")

    table_server.answer(answer("county_population_revised.json"))
    revising = _run(subscription)
    assert revising.result == "preview" and revising.batch.status == "preview"  # a revision waits for an admin
    assert Observation.objects.get(region__code="25", year=2023, indicator__code="population").value == 249613


def test_a_503_then_200_is_fetched_again_after_a_wait(table_server, monkeypatch):
    waits = []
    monkeypatch.setattr(subscriptions.time, "sleep", waits.append)
    table_server.answer((503, {}, b"busy"), (429, {"Retry-After": "7"}, b"slow down"),
                        answer("county_population.json"))
    subscription = _subscription(table_server)

    run = _run(subscription)

    assert run.result == "preview"
    assert len(table_server.requests) == 3
    assert waits == [0.01, 7.0]  # the back-off, then the database's own Retry-After


def test_a_database_that_keeps_failing_fails_the_run(table_server, monkeypatch, settings):
    monkeypatch.setattr(subscriptions.time, "sleep", lambda seconds: None)
    settings.STATISTICS_API_ATTEMPTS = 3
    table_server.answer((503, {}, b"busy"))
    subscription = _subscription(table_server)

    run = _run(subscription)

    assert subscriptions.run_summary(run) == (
        "failed: the database answered HTTP 503 Service Unavailable (attempt 3 of 3)")
    assert len(table_server.requests) == 3
    assert not ImportBatch.objects.exists()
    subscription.refresh_from_db()
    assert subscription.last_result == "failed" and subscription.next_run_at < timezone.now() + timedelta(hours=7)


def test_an_oversized_answer_fails_the_run(table_server, settings):
    settings.STATISTICS_API_MAX_BYTES = 1000
    table_server.answer(answer("county_population.json"))

    run = _run(_subscription(table_server))

    assert run.result == "failed"
    assert run.message == "the answer is larger than 1000 bytes (STATISTICS_API_MAX_BYTES)"
    assert not ImportBatch.objects.exists()


def test_an_answer_that_is_not_jsonstat_fails_the_run_with_the_reason(table_server):
    table_server.answer(answer("pxweb_error.json"))
    run = _run(_subscription(table_server))
    assert run.result == "failed"
    assert run.message.startswith('not JSON-stat 2.0 (class "None", not "dataset")')
    assert run.batch.status == "rejected"

    table_server.answer((200, {"Content-Type": "text/html"}, b"<html><body>Maintenance</body></html>"))
    run = _run(Subscription.objects.get())
    assert run.message == "the answer is not JSON-stat 2.0 (it starts '<html><body>Maintenance</body></html>')"


def test_a_host_outside_the_allow_list_is_refused_without_a_request(table_server, settings):
    subscription = _subscription(table_server)
    settings.STATISTICS_API_HOSTS = ["api.scb.se"]

    run = _run(subscription)

    assert run.message == "the host 127.0.0.1 is not in STATISTICS_API_HOSTS (api.scb.se)"
    assert table_server.requests == []


def test_plain_http_is_refused_when_debug_is_off(table_server, settings):
    settings.DEBUG = False
    with translation.override("en"):
        assert subscriptions.url_refusal(table_server.url()) == "the address must use HTTPS"
    assert subscriptions.url_refusal("https://127.0.0.1/table") is None


def test_a_redirect_to_another_host_is_not_followed(table_server, settings):
    settings.STATISTICS_API_HOSTS = ["127.0.0.1", "localhost"]
    elsewhere = table_server.url().replace("127.0.0.1", "localhost")
    table_server.answer((302, {"Location": elsewhere}, b""), answer("county_population.json"))

    run = _run(_subscription(table_server))

    assert run.message == f"the answer redirects to another address ({elsewhere}); not followed"
    assert len(table_server.requests) == 1


def test_a_pxweb_v1_query_is_posted(table_server):
    table_server.answer(answer("county_population.json"))
    _run(_subscription(table_server, query=subscriptions.DEMO_QUERY))
    ((method, _, body),) = table_server.requests
    assert method == "POST" and b'"json-stat2"' in body


# --- the beat --------------------------------------------------------------------------------------


def test_the_beat_claims_only_due_subscriptions_once(db):
    now = timezone.now()
    source = Source.objects.get(is_default=True)

    def make(name: str, **fields) -> Subscription:
        return Subscription.objects.create(name=name, url="https://api.scb.se/t", source=source, **fields)

    due = make("due", next_run_at=now - timedelta(minutes=1))
    never_run = make("never-run")
    make("later", next_run_at=now + timedelta(days=1))
    make("off", enabled=False, next_run_at=now - timedelta(days=1))
    make("running", next_run_at=now - timedelta(days=1), claimed_at=now - timedelta(minutes=5))
    lost = make("lost-run", next_run_at=now - timedelta(days=1), claimed_at=now - timedelta(hours=2))
    queued = []

    sent = subscriptions.subscriptions_enqueue_due(now=now, enqueue=lambda pk, claim: queued.append((pk, claim)) or True)

    assert sorted(sent) == sorted([due.pk, never_run.pk, lost.pk])
    assert all(claim == now.isoformat() for _, claim in queued)
    assert subscriptions.subscriptions_claim_due(now=now) == []  # claimed: a second beat queues none again


def test_a_run_takes_over_only_its_own_claim(table_server):
    table_server.answer(answer("county_population.json"))
    subscription = _subscription(table_server)
    ((pk, claim),) = subscriptions.subscriptions_claim_due()

    assert subscriptions.subscription_run(subscription_id=pk) is None  # held by the queued run
    assert subscriptions.subscription_run(subscription_id=pk, claim=claim).result == "preview"
    assert subscriptions.subscription_run(subscription_id=pk, claim=claim) is None  # a redelivered message
    assert SubscriptionRun.objects.filter(subscription=subscription).count() == 1


def test_the_beat_task_queues_what_the_claim_returns(db, monkeypatch):
    from stats.tasks import sync_due_subscriptions

    Subscription.objects.create(name="due", url="https://api.scb.se/t", source=Source.objects.get(is_default=True))
    queued = []
    monkeypatch.setattr(subscriptions, "subscription_run_enqueue", lambda pk, claim=None: queued.append(pk) or True)

    assert sync_due_subscriptions() == queued and len(queued) == 1


# --- the command line ------------------------------------------------------------------------------


def _command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_subscribe_and_sync_tables_print_one_line_each(table_server):
    table_server.answer(answer("county_population.json"))
    code, out, _ = _command("subscribe", "population", table_server.url(), "--indicator", "population",
                            "--every", "weekly", "--source", "scb-workplace")
    assert (code, out) == (0, "population: subscription created (weekly, source scb-workplace, on)\n")

    code, out, _ = _command("sync_tables", "population")
    batch = ImportBatch.objects.get()
    assert (code, out) == (0, f"population: batch {batch.pk} waiting for confirmation: 44 values: 44 new, "
                              "0 revised, 0 unchanged\n")
    assert _command("sync_tables", "population")[:2] == (0, "population: no change\n")
    assert _command("sync_tables")[:2] == (0, "")  # nothing due: it ran a moment ago


def test_sync_tables_runs_the_due_ones_and_exits_1_when_one_failed(table_server, settings):
    table_server.answer(answer("county_population.json"))
    _subscription(table_server, name="population")
    _subscription(table_server, name="gone", url="http://127.0.0.1:9/table")  # nothing listens on port 9

    code, out, _ = _command("sync_tables")

    lines = sorted(out.splitlines())
    assert code == 1
    assert lines[0].startswith("gone: failed: cannot reach 127.0.0.1:9: [Errno 111] Connection refused")
    assert lines[1].startswith("population: batch ")
    assert _command("sync_tables", "nothing-such")[:2] == (1, "nothing-such: failed: no such subscription\n")


def test_subscribe_refuses_a_host_outside_the_allow_list(db, settings):
    settings.STATISTICS_API_HOSTS = ["api.scb.se"]
    code, out, err = _command("subscribe", "elsewhere", "https://example.com/table")
    assert (code, out) == (1, "")
    assert err == ("https://example.com/table: refused: the host example.com is not in STATISTICS_API_HOSTS "
                   "(api.scb.se)\n")
    assert not Subscription.objects.exists()


def test_subscribe_updates_only_what_it_is_given(table_server):
    _command("subscribe", "population", table_server.url(), "--every", "daily", "--off")
    code, out, _ = _command("subscribe", "population", table_server.url("/v2"))
    subscription = Subscription.objects.get()
    assert (code, out) == (0, "population: subscription updated (daily, source scb-workplace, off)\n")
    assert (subscription.url, subscription.every, subscription.enabled) == (table_server.url("/v2"), "daily", False)


# --- the demo and the admin ------------------------------------------------------------------------


def test_load_demo_adds_a_switched_off_subscription_and_keeps_an_admins_changes(demo):
    subscription = Subscription.objects.get()
    assert (subscription.url, subscription.enabled) == (subscriptions.DEMO_URL, False)
    assert "BE0101N1" in subscription.query

    subscription.enabled = True
    subscription.url = "https://api.scb.se/OV0104/v1/doris/en/ssd/START/BE/BE0101/BE0101A/BefolkningNy"
    subscription.save()
    call_command("load_demo", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())

    again = Subscription.objects.get()
    assert (again.url, again.enabled) == (subscription.url, True)


def test_an_admin_sees_the_history_with_its_batches(client, admin_with_mail, table_server):
    table_server.answer(answer("county_population.json"))
    subscription = _subscription(table_server)
    batch = _run(subscription).batch
    client.force_login(admin_with_mail)

    listing = client.get("/admin/stats/subscription/")
    page = client.get(f"/admin/stats/subscription/{subscription.pk}/change/")

    assert listing.status_code == 200 and "county-population" in listing.content.decode()
    assert page.status_code == 200
    assert f'href="/imports/{batch.pk}/"' in page.content.decode()


def test_run_now_in_the_admin_only_queues_a_run(client, admin_with_mail, table_server, monkeypatch):
    queued = []
    monkeypatch.setattr(subscriptions, "subscription_run_enqueue", lambda pk, claim=None: queued.append(pk) or True)
    subscription = _subscription(table_server, next_run_at=timezone.now() + timedelta(days=9))
    client.force_login(admin_with_mail)

    response = client.post("/admin/stats/subscription/", {"action": "run_now", "_selected_action": [subscription.pk]})

    assert response.status_code == 302
    assert queued == [subscription.pk]
    assert table_server.requests == []  # nothing fetched while the page was requested
    subscription.refresh_from_db()
    assert subscription.next_run_at <= timezone.now()


def test_the_admin_form_refuses_a_host_outside_the_allow_list(client, admin_with_mail, settings):
    settings.STATISTICS_API_HOSTS = ["api.scb.se"]
    client.force_login(admin_with_mail)
    response = client.post("/admin/stats/subscription/add/", {
        "name": "x", "url": "https://example.com/t", "query": "", "indicator": "", "firm_size": "",
        "source": Source.objects.get(is_default=True).pk, "every": "monthly", "enabled": "on"})
    assert response.status_code == 200
    assert "värden example.com finns inte i STATISTICS_API_HOSTS (api.scb.se)" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_admin_pages_are_in_swedish(client, admin_with_mail, table_server):
    from tests.language import english_words

    table_server.answer(answer("county_population.json"))
    subscription = _subscription(table_server)
    subscriptions.subscription_run(subscription_id=subscription.pk)  # messages in the site's language
    table_server.answer((503, {}, b"busy"))
    subscriptions.subscription_run(subscription_id=Subscription.objects.get().pk, claim=None)
    client.force_login(admin_with_mail)

    for url in ("/admin/stats/subscription/", f"/admin/stats/subscription/{subscription.pk}/change/",
                "/admin/stats/subscription/add/"):
        assert english_words(client.get(url).content.decode()) == [], url
