"""`make run`'s processes (honcho with the Procfile: the web server and a Celery worker with beat) all end
when its process group gets SIGTERM, as on Ctrl-C or a terminal closing."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import wait_for

HONCHO = Path(sys.executable).with_name("honcho")
STOP_BOUND = 10.0  # seconds: the promise of the README


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, grandchildren, …), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.worker
def test_sigterm_to_the_process_group_of_honcho_start_ends_web_and_worker(tmp_path):
    assert HONCHO.exists(), "honcho is a dev dependency (pyproject.toml)"
    port = _free_port()
    env = {
        **os.environ,
        "PATH": f"{HONCHO.parent}{os.pathsep}{os.environ['PATH']}",
        "WEB_PORT": str(port),
        "EXPORTREGION_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_path = tmp_path / "honcho.log"
    with open(log_path, "w") as log:
        honcho = subprocess.Popen([str(HONCHO), "start", "-f", "Procfile"], cwd=settings.BASE_DIR, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: _answers(port), what="the web server", timeout=90)
        wait_for(lambda: "ready." in log_path.read_text(), what="the worker", timeout=90)
        processes = _descendants(honcho.pid)
        commands = " ".join(Path(f"/proc/{p}/cmdline").read_text().replace("\0", " ") for p in processes)
        assert "runserver" in commands and "celery" in commands and " -B" in commands

        os.killpg(honcho.pid, signal.SIGTERM)

        deadline = time.monotonic() + STOP_BOUND
        while time.monotonic() < deadline and (honcho.poll() is None or any(map(_alive, processes))):
            time.sleep(0.1)
        assert honcho.poll() is not None, log_path.read_text()
        assert not [p for p in processes if _alive(p)], log_path.read_text()
        assert not _answers(port)
    finally:
        for pid in [honcho.pid, *_descendants(honcho.pid)]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        honcho.wait(timeout=5)
