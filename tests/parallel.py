"""The suite runs in parallel test processes (pytest-xdist, `make test`); this plugin keeps them apart.

- Each process already has a database of its own (pytest-django names it after the process), an embedded
  broker folder and a queue of its own (`task_queue`). A Redis cache is shared by every process on the same
  server, and every test empties it and starts the generation counter again: each test process therefore
  gets a Redis database of its own for the cache. The settings read CACHE_URL once, when Django starts, so
  this module sets it when pytest imports it (`-p tests.parallel` in pyproject's addopts), before
  pytest-django starts Django; the Celery workers a test starts inherit it.
- A test marked `serial` stops a service the other processes share (PostgreSQL, Redis). A parallel run
  leaves those out and says so; `--serial-only` then runs just them, in one process (`make test` does both).
"""

from __future__ import annotations

import os
import re

import pytest

REDIS_DATABASES = 16  # Redis' default `databases`


def redis_url_for_process(url: str, worker: str) -> str:
    """`url` with a Redis database of test process `worker` (gw0, gw1, …) instead of its own: the configured
    database is the first, the others follow it, wrapping around Redis' 16."""
    match = re.fullmatch(r"(?P<base>rediss?(?:cache)?://[^/?#]+)(?:/(?P<db>\d*))?(?P<rest>[?#].*)?", url)
    if match is None:
        raise pytest.UsageError(f"CACHE_URL is not a Redis address this plugin understands: {url!r}")
    number = int(worker.removeprefix("gw"))
    database = (int(match["db"] or 0) + number) % REDIS_DATABASES
    return f"{match['base']}/{database}{match['rest'] or ''}"


_worker = os.environ.get("PYTEST_XDIST_WORKER")
_cache_url = os.environ.get("CACHE_URL", "")
if _worker and _cache_url.startswith(("redis", "rediss")):
    os.environ["CACHE_URL"] = redis_url_for_process(_cache_url, _worker)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--serial-only", action="store_true",
                     help="run only the tests marked serial (they stop services that other test processes share)")


def _parallel(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) or hasattr(config, "workerinput")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    serial_only = config.getoption("--serial-only")
    if not serial_only and not _parallel(config):
        return
    keep, drop = [], []
    for item in items:
        is_serial = item.get_closest_marker("serial") is not None
        (keep if is_serial == serial_only else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


_running_serial_test = False


@pytest.hookimpl(tryfirst=True)  # before the test's fixtures are set up
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _running_serial_test
    _running_serial_test = item.get_closest_marker("serial") is not None


def require_serial(what: str) -> None:
    """Called by the code that stops a shared service: a test that does it without the serial mark would
    pull the service away from the tests running beside it."""
    if not _running_serial_test:
        raise AssertionError(f"a test that stops {what} must be marked @pytest.mark.serial (tests/parallel.py)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # `--serial-only` on a selection without serial tests (`make test PYTEST_ARGS=tests/browser`) is a success.
    if session.config.getoption("--serial-only") and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK
