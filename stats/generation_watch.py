"""The cache generation without a database round trip per request, on PostgreSQL.

Every change of the generation row (an import, an admin edit of a region, source or indicator, the demo
flag, a flush) fires a trigger that sends a notification (migration 0010). Each web process keeps one
connection of its own that LISTENs for it: a request looks at that connection's socket, which costs no
round trip, and reads the row again only when a notification has arrived. The server sends it to every
listening connection as the change commits (it arrives within a tenth of a millisecond here, a few
milliseconds when every core is busy), so every page shows the change at once.

Whenever the watch cannot vouch for the value (SQLite, no listening connection yet or any more, a read
inside a transaction, a forked child) the caller reads the database as before. A lost listening
connection is replaced on the next request (after a failed attempt, at most every RETRY_SECONDS), and
the row is read again after every new LISTEN, because notifications sent in between are lost.
"""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

CHANNEL = "exportregion_generation"
RETRY_SECONDS = 5.0

Generation = tuple[int, bool]


class GenerationWatch:
    """One per process: the generation as last read, valid until a notification arrives."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listener: Any = None  # a psycopg2 connection in autocommit, LISTENing on CHANNEL
        self._pid = 0
        self._value: Generation | None = None
        self._next_attempt = 0.0

    def generation(self, read: Callable[[], Generation]) -> Generation:
        """The current generation: kept, or `read()` from the database when it may have changed."""
        db = connections[DEFAULT_DB_ALIAS]
        if db.vendor != "postgresql" or db.in_atomic_block:
            return read()  # a transaction sees its own, uncommitted generation
        with self._lock:
            if not self._listening():
                return read()
            if self._value is None or self._notified():
                self._value = None
                value = read()
                if self._listener is not None:
                    self._value = value
                return value
            return self._value

    def forget(self) -> None:
        """Read the row again next time (this process changed it, or the tests emptied the database)."""
        with self._lock:
            self._value = None

    def close(self) -> None:
        with self._lock:
            self._drop()
            self._next_attempt = 0.0

    def _listening(self) -> bool:
        if self._pid != os.getpid():
            # A forked child shares its parent's socket: leave it to the parent, never close it here.
            self._listener, self._value, self._pid, self._next_attempt = None, None, os.getpid(), 0.0
        if self._listener is None and time.monotonic() >= self._next_attempt:
            self._connect()
        return self._listener is not None

    def _connect(self) -> None:
        import psycopg2

        try:
            # Keepalives: a connection that vanishes without a word (a network failure) is noticed in about 30 s.
            params = {"keepalives": 1, "keepalives_idle": 15, "keepalives_interval": 5, "keepalives_count": 3,
                      **connections[DEFAULT_DB_ALIAS].get_connection_params()}
            listener = psycopg2.connect(**params)
            listener.autocommit = True
            with listener.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")
        except psycopg2.Error:
            self._next_attempt = time.monotonic() + RETRY_SECONDS  # the database is away: not on every request
            return
        self._listener, self._value = listener, None

    def _notified(self) -> bool:
        """Whether anything has arrived on the listening connection since the last look: a notification, or
        the server's goodbye (a FATAL notice, a closed socket), after which the connection is dropped. Either
        way the row is read again."""
        import psycopg2

        try:
            readable, _, _ = select.select([self._listener], [], [], 0)
            if not readable:
                return False
            self._listener.poll()
        except (psycopg2.Error, OSError, ValueError):
            self._drop()
            return True
        if self._listener.closed or self._listener.notices:
            self._drop()
        else:
            self._listener.notifies.clear()
        return True

    def _drop(self) -> None:
        listener, self._listener, self._value = self._listener, None, None
        if listener is not None and self._pid == os.getpid():
            try:
                listener.close()
            except Exception:  # noqa: BLE001 - a connection that is already gone
                pass


WATCH = GenerationWatch()
