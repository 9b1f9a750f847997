"""One owner per state: only stats/import_batches.py writes ImportBatch (the loader returns what it did),
and a batch's upload is read and parsed once: the confirm step loads the validated frame kept beside it."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from exportregion.celery import app
from stats import import_batches, task_names
from stats.models import ImportBatch, Observation, Source

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "stats" / "import_batches.py"
WRITES = frozenset({"save", "update", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create",
                    "delete"})
SQL_WRITES = ("update stats_importbatch", "insert into stats_importbatch", "delete from stats_importbatch")


def _names_in(node: ast.AST) -> set[str]:
    """Every name and attribute named in an expression (`ImportBatch.objects.filter(pk=1)` gives
    ImportBatch, objects, filter)."""
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            names.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            names.add(sub.attr)
    return names


def _receiver_root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def batch_writes(source: str) -> list[int]:
    """The lines that write an ImportBatch: a write method called on anything reached from ImportBatch
    (directly or through a variable assigned from it) or on a variable named like a batch, a new
    ImportBatch(...), or SQL that changes its table."""
    tree = ast.parse(source)
    tainted = {"ImportBatch"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None and "ImportBatch" in _names_in(
            node.value
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            tainted |= {t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name)}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "ImportBatch":
                lines.append(node.lineno)
            elif isinstance(func, ast.Attribute) and func.attr in WRITES:
                root = _receiver_root(func.value) or ""
                if _names_in(func.value) & tainted or "batch" in root.lower():
                    lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if any(sql in " ".join(node.value.lower().split()) for sql in SQL_WRITES):
                lines.append(node.lineno)
    return sorted(set(lines))


def _project_modules() -> list[Path]:
    """The project's own modules: the walk does not enter the skipped folders (the virtualenv alone holds
    tens of thousands of files) nor hidden ones (.git)."""
    skip = {".venv", "tests", "migrations", "node_modules", "var"}
    modules = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in skip and not d.startswith(".")]
        modules += [Path(folder) / f for f in files if f.endswith(".py")]
    return modules


def test_only_the_import_batch_module_writes_import_batches():
    writers = {
        str(path.relative_to(ROOT)): batch_writes(path.read_text())
        for path in _project_modules()
        if path != OWNER and batch_writes(path.read_text())
    }
    assert writers == {}


def test_the_scan_finds_every_kind_of_write():
    source = """
from stats.models import ImportBatch
def f(batch_id, batch, pending):
    ImportBatch.objects.filter(pk=batch_id).update(status="done")
    stale = ImportBatch.objects.filter(status="queued")
    stale.update(progress=0)
    batch.save(update_fields=["status"])
    ImportBatch.objects.create(original_name="x")
    ImportBatch(original_name="y")
    cursor.execute("UPDATE   stats_importbatch SET status = 'done'")
    pending.save()  # not a batch
    ImportBatch.objects.filter(pk=batch_id).exists()  # a read
"""
    assert batch_writes(source) == [4, 6, 7, 8, 9, 10]
    assert batch_writes(OWNER.read_text()) != []  # the owner does write them


def test_the_loader_knows_nothing_of_import_batches():
    assert "ImportBatch" not in (ROOT / "stats" / "loading.py").read_text()


def test_the_old_module_is_gone_without_a_shim():
    assert not (ROOT / "stats" / "imports.py").exists()
    old = re.compile(r"\bstats\.imports\b|\bfrom stats import (.*, )?imports\b")
    assert [str(p) for p in _project_modules() if old.search(p.read_text())] == []


def test_every_task_is_registered_and_scheduled_under_its_constant():
    app.loader.import_default_modules()
    for name in (task_names.PROCESS_IMPORT_BATCH, task_names.COMMIT_IMPORT_BATCH, task_names.SWEEP_STALE_BATCHES):
        assert name in app.tasks
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert task_names.SWEEP_STALE_BATCHES in scheduled
    assert scheduled <= set(app.tasks)


REVISION = "Län;År;Varuexport, mnkr\n25;2021;11 100,0\n14;2021;200 000\n01;2022;5\n".encode()
FIRST = "Län;År;Varuexport, mnkr\n25;2021;11 040,2\n14;2021;200 000\n".encode()


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files the import batches read (parse), in order."""
    seen: list[str] = []
    real = import_batches.read_statistics

    def counted(data: bytes, name: str, **kw: object):
        seen.append(name)
        return real(data, name, **kw)

    monkeypatch.setattr(import_batches, "read_statistics", counted)
    return seen


def test_confirm_loads_the_kept_frame_and_never_reads_the_upload_again(db, reads, monkeypatch):
    source = Source.objects.get(is_default=True)
    import_batches.import_file_now(content=FIRST, original_name="first.csv", source=source)
    batch = import_batches.import_batch_create(content=REVISION, original_name="revision.csv", source=source,
                                               enqueue=False)
    import_batches.import_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW and (batch.new_count, batch.revised_count) == (1, 1)
    assert reads == ["first.csv", "revision.csv"]

    def no_upload(*args: object, **kwargs: object) -> None:
        pytest.fail("the upload was opened again")

    monkeypatch.setattr(type(batch.file), "open", no_upload)
    assert [r["new"] for r in import_batches.import_batch_revisions(batch)] == [11100.0]
    assert import_batches.import_batch_confirm(batch_id=batch.pk)
    import_batches.import_batch_commit(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.new_count, batch.revised_count, batch.unchanged_count) == (1, 1, 1)
    assert Observation.objects.get(region__code="25", year=2021).value == 11100.0
    assert reads == ["first.csv", "revision.csv"]


def test_the_command_line_path_reads_its_file_once(db, reads):
    source = Source.objects.get(is_default=True)
    _, batch, diff = import_batches.import_file_now(content=FIRST, original_name="first.csv", source=source)
    assert reads == ["first.csv"]
    assert batch is not None and batch.status == ImportBatch.Status.DONE and batch.attempts == 1
    assert (diff.new, diff.revised, diff.unchanged) == (batch.new_count, 0, 0) == (2, 0, 0)
    assert import_batches.batch_frame(batch) is not None
