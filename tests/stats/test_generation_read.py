"""The generation read that starts a page request is the persistent connection's health check too: one
round trip instead of two, and a connection that died (PostgreSQL restarted) is replaced, not a 503."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

from stats import selectors

pytestmark = pytest.mark.django_db(transaction=True)


def _new_request() -> None:
    """What Django does between two requests on a persistent connection."""
    connection.ensure_connection()
    connection.health_check_enabled = True
    connection.health_check_done = False


def test_the_generation_read_is_the_health_check(monkeypatch):
    _new_request()
    checks: list[bool] = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(True) or True)
    selectors._read_generation_row()
    assert connection.health_check_done and checks == []  # no separate health check query
    connection.cursor().close()
    assert checks == []


def test_a_dead_connection_is_replaced_and_the_generation_read_again(monkeypatch):
    _new_request()
    dead = connection.connection
    calls: list[int] = []
    read = selectors._generation_row

    def first_fails() -> tuple | None:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return read()

    monkeypatch.setattr(selectors, "_generation_row", first_fails)
    assert selectors._read_generation_row() == read()  # read on the new connection
    assert len(calls) == 2 and connection.connection is not None and connection.connection is not dead


def test_within_a_transaction_nothing_is_retried(monkeypatch):
    _new_request()
    monkeypatch.setattr(selectors, "_generation_row", lambda: (_ for _ in ()).throw(OperationalError("down")))
    from django.db import transaction

    with transaction.atomic(), pytest.raises(OperationalError):
        selectors._read_generation_row()
