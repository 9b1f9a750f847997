"""The shared cast (stranger, analyst, statistics admin, jurors, chair) and the demo data."""

import os

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from exportregion.permissions import JURY, STATISTICS_ADMINS
from tests.snapshot import DemoRows, capture_rows_written, restore_rows

PASSWORD = "test-password-123"


def _user(username: str, *, groups: tuple[str, ...] = (), superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, is_superuser=superuser, is_staff=superuser)
    user.groups.set([Group.objects.get_or_create(name=g)[0] for g in groups])
    return user


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush every table after them, the migrations' reference data too: seed it again.
    The cache goes too: a flushed database starts its generation counter again."""
    from stats.selectors import clear_caches

    clear_caches()
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from stats.reference import seed_all

        seed_all()
    if "demo" in request.fixturenames:
        # The demo's rows keep the keys they were captured with: put them back before any other fixture
        # creates a user or a batch that would take one of those keys.
        request.getfixturevalue("demo")


@pytest.fixture
def analyst(db) -> User:
    return _user("ann-analyst")


@pytest.fixture
def stats_admin(db) -> User:
    return _user("sam-admin", groups=(STATISTICS_ADMINS,))


@pytest.fixture
def juror(db) -> User:
    return _user("jo-juror", groups=(JURY,))


@pytest.fixture
def chair(db) -> User:
    """In the jury group; chairs the award years made with `chair=chair` (tests/awards/conftest.py)."""
    return _user("cecilia-chair", groups=(JURY,))


@pytest.fixture
def admin_client(client, stats_admin):
    client.force_login(stats_admin)
    return client


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Tests create many users; the production hasher's deliberate slowness buys nothing here."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _generation_listener_closed(django_db_setup, django_db_blocker):
    """A page request on PostgreSQL opens the process's generation listener (stats.generation_watch), a
    connection of its own: it is closed before the test database is dropped."""
    yield
    from stats.generation_watch import WATCH

    with django_db_blocker.unblock():
        WATCH.close()


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker) -> DemoRows:
    """What `load_demo` writes, captured once per test session: the demo is loaded through the import pipeline
    inside a transaction that is rolled back, and the rows it added or changed are kept for `demo` to put back."""
    from django.conf import settings

    with django_db_blocker.unblock():
        debug = settings.DEBUG
        settings.DEBUG = True  # load_demo creates the demo users only with DEBUG on
        try:
            return capture_rows_written(lambda: call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w")))
        finally:
            settings.DEBUG = debug


@pytest.fixture
def demo(db, demo_rows):
    """The demo data set as `load_demo` leaves it with DEBUG on, its users included (rolled back after the test)."""
    restore_rows(demo_rows)


def _test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def task_queue(tmp_path_factory) -> str:
    """A queue of this test session's own (and, for the embedded broker, a folder of its own), so tests
    never race a developer's worker or another test run on the same broker."""
    import os
    import uuid

    from exportregion.celery import app

    name = f"test-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = name
    if app.conf.broker_url.startswith("filesystem://"):
        folder = tmp_path_factory.mktemp("broker")
        (folder / "processed").mkdir()
        options = dict(app.conf.broker_transport_options)
        options.update(data_folder_in=str(folder), data_folder_out=str(folder),
                       processed_folder=str(folder / "processed"), control_folder=str(folder / "control"))
        app.conf.broker_transport_options = options
        os.environ["CELERY_FILESYSTEM_DIR"] = str(folder)  # the workers' settings read it
    return name


class WorkerProcess:
    """A real `celery worker` process on the configured broker, reading the test database."""

    def __init__(self, queue: str, tmp_path, extra_env: dict[str, str] | None = None, *, beat: bool = False,
                 concurrency: int = 1) -> None:
        import os
        import subprocess
        import sys

        from django.conf import settings

        env = {**os.environ, "DATABASE_URL": _test_database_url(), "CELERY_QUEUE": queue, **(extra_env or {})}
        n = len(list(tmp_path.glob("worker-*.log")))
        self.log_path = tmp_path / f"worker-{queue}-{n}.log"
        extra = ["-B", f"--schedule={tmp_path / f'beat-{n}'}"] if beat else []
        self._log = open(self.log_path, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "exportregion", "worker", "-Q", queue, f"--concurrency={concurrency}",
             "--pool=prefork", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat", *extra],
            cwd=settings.BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def child_pids(self) -> list[int]:
        import subprocess

        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def log(self) -> str:
        return self.log_path.read_text()

    def kill(self) -> None:
        """SIGKILL the whole worker, parent and pool processes: nothing gets to clean up."""
        import os
        import signal

        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        import os
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except Exception:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._log.close()

    def end(self) -> None:
        """After its test: killed, as a warm shutdown takes ~5 s (Celery's event loop and the pool's join) and
        its queue, broker folder and log are the test's alone."""
        if self.proc.poll() is None:
            self.kill()
        self._log.close()


@pytest.fixture
def worker(transactional_db, task_queue, tmp_path):
    proc = WorkerProcess(task_queue, tmp_path)
    yield proc
    proc.end()


@pytest.fixture
def start_worker(transactional_db, task_queue, tmp_path):
    """Start workers with options (beat, concurrency, environment); all are stopped after the test."""
    started: list[WorkerProcess] = []

    def start(**kwargs) -> WorkerProcess:
        proc = WorkerProcess(task_queue, tmp_path, **kwargs)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.end()


def wait_for(predicate, *, timeout: float = 60.0, interval: float = 0.1, what: str = "condition"):
    """Poll until `predicate()` is truthy; waiting on a real worker is part of these tests, not a timing assertion."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
