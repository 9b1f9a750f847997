"""`import_stats` run as a real process: whatever fails, it prints one readable line per file, exits 1,
never a traceback, and never leaves a batch in `loading`."""

import os
import subprocess
import sys

from django.conf import settings

from stats.models import ImportBatch, Observation
from tests.conftest import _test_database_url
from tests.stats.test_import_worker import _block_writes, _release, requires_postgres

GOOD = "Län;År;Varuexport, mnkr\n25;2021;11 040,2\n14;2021;200 000\n".encode()


def import_stats(tmp_path, content: bytes, *, pgoptions: str = "") -> subprocess.CompletedProcess:
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "PGOPTIONS": pgoptions}
    return subprocess.run([sys.executable, "manage.py", "import_stats", str(path)], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


@requires_postgres
def test_a_database_error_during_the_load_fails_the_batch_with_a_readable_reason(transactional_db, tmp_path):
    lock = _block_writes()
    try:
        done = import_stats(tmp_path, GOOD, pgoptions="-c lock_timeout=300")
    finally:
        _release(lock)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and batch.error == "OperationalError: canceling statement due to lock timeout"
    assert done.stderr.strip() == f"{tmp_path / 'file.csv'}: batch {batch.pk} failed: {batch.error}"
    assert not Observation.objects.exists()


@requires_postgres  # SQLite does not enforce a column's length
def test_a_sector_longer_than_its_column_never_leaves_a_batch_loading(transactional_db, tmp_path):
    long_sector = "S" * 101
    content = f"Län;År;Sektor;Varuexport, mnkr\n25;2021;{long_sector};11 040,2\n".encode()
    done = import_stats(tmp_path, content)
    assert "Traceback" not in done.stderr + done.stdout
    assert not ImportBatch.objects.filter(status="loading").exists()
    assert done.returncode == 1 and done.stderr.strip(), done.stdout
    assert not Observation.objects.exists()
