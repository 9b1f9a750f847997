"""On PostgreSQL a web request reads the cache generation only when it has changed: the row's trigger
notifies every process's listening connection at commit, whoever changed it (another process, an import,
an admin edit, a flush), and a process that cannot listen reads the row on every request as before."""

from __future__ import annotations

import psycopg2
import pytest
from django.db import connection, transaction

from regions.models import Region
from stats import selectors
from stats.generation_watch import WATCH
from tests.conftest import wait_for

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="LISTEN/NOTIFY is PostgreSQL's (DATABASE_URL=postgres://…)")


def _in_a_request():
    """cache_generation() as the first reader of a new web request sees it."""
    selectors.start_request_scope()
    try:
        return selectors.cache_generation()
    finally:
        selectors.end_request_scope()


def _other_process_sql(sql: str) -> None:
    """A change committed on a connection of its own, as by a worker or another web process."""
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other, other.cursor() as cursor:
            cursor.execute(sql)
    finally:
        other.close()


@pytest.fixture(autouse=True)
def _fresh_watch(transactional_db):  # committed changes, as between processes; the generation row seeded
    WATCH.close()
    yield
    WATCH.close()


def test_an_unchanged_generation_costs_no_query(django_assert_num_queries):
    first = _in_a_request()
    with django_assert_num_queries(0):
        assert _in_a_request() == first
        assert _in_a_request() == first


def test_a_change_committed_elsewhere_is_read_again(django_assert_num_queries):
    generation, demo = _in_a_request()
    _other_process_sql("UPDATE stats_cachegeneration SET value = value + 1")
    assert wait_for(lambda: _in_a_request() == (generation + 1, demo), timeout=5, what="the notification")
    with django_assert_num_queries(0):
        assert _in_a_request() == (generation + 1, demo)


def test_every_kind_of_change_notifies():
    generation, _demo = _in_a_request()
    _other_process_sql("UPDATE stats_cachegeneration SET demo = true")
    assert wait_for(lambda: _in_a_request() == (generation, True), timeout=5, what="the demo flag")
    _other_process_sql("TRUNCATE stats_cachegeneration")
    assert wait_for(lambda: _in_a_request() == (0, False), timeout=5, what="a flush")
    _other_process_sql("INSERT INTO stats_cachegeneration (value, demo) VALUES (7, false)")
    assert wait_for(lambda: _in_a_request() == (7, False), timeout=5, what="the seeded row")


def test_this_process_sees_its_own_change_at_once():
    generation, _demo = _in_a_request()
    region = Region.objects.get(code="25")
    region.name = "Norrbottens län"
    region.save()  # an admin edit bumps the generation
    assert _in_a_request()[0] == generation + 1  # no waiting for its own notification


def test_inside_a_transaction_the_row_is_read(django_assert_num_queries):
    _in_a_request()
    with transaction.atomic():
        selectors.bump_cache_generation()
        with django_assert_num_queries(1):
            changed = _in_a_request()
        assert changed == selectors._read_generation()
    assert _in_a_request() == changed


def test_a_lost_listening_connection_falls_back_to_reading_and_listens_again():
    generation, demo = _in_a_request()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND query = 'LISTEN exportregion_generation'")
        assert cursor.fetchall() == [(True,)]

    def listening() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND query = 'LISTEN exportregion_generation'")
            return cursor.fetchone()[0]

    wait_for(lambda: listening() == 0, timeout=10, what="the listening connection to end")
    _other_process_sql("UPDATE stats_cachegeneration SET value = value + 1")
    # The dead connection counts as a change: the row is read, never the old value kept.
    assert _in_a_request() == (generation + 1, demo)
    assert _in_a_request() == (generation + 1, demo)  # listening again
    _other_process_sql("UPDATE stats_cachegeneration SET value = value + 1")
    assert wait_for(lambda: _in_a_request() == (generation + 2, demo), timeout=5, what="the notification")


def test_outside_a_request_every_call_reads_the_row(django_assert_num_queries):
    with django_assert_num_queries(2):  # a worker or a command never keeps a generation
        selectors.cache_generation()
        selectors.cache_generation()
