"""The role × URL × action matrix of the import admin (/imports/): a statistics admin may do each thing,
every other role is refused (a stranger is sent to log in, anyone else gets 403) and the batch is left
as it was; never a 500.

Roles: stranger (anonymous), analyst (logged in, no role), juror and chair of an award year, and a
statistics admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stats.import_batches import import_batch_create
from stats.models import ImportBatch, Source
from tests.awards.conftest import make_year

Status = ImportBatch.Status
ROLES = ("stranger", "analyst", "juror", "chair", "admin")
LOGIN = "login"
REFUSED = {"stranger": LOGIN, "analyst": 403, "juror": 403, "chair": 403}
FILE = "Län;År;Varuexport, mnkr\n25;2021;11 040,2\n".encode()
MISSING = 99_999


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: Callable[[ImportBatch], str]
    admin: int | str  # the admin's answer: a status code, or "redirect" (an action done, back to the batch)
    status: str = Status.DONE  # the batch's status before the request
    data: Callable[[], dict] = field(default=lambda: {})
    # What the admin's request changes: the batch's status after it (others leave `status`).
    becomes: str | None = None
    refused: dict = field(default_factory=lambda: REFUSED)  # the other roles' answers


def _upload() -> dict:
    return {"file": SimpleUploadedFile("new.csv", FILE, content_type="text/csv"),
            "source": Source.objects.get(is_default=True).pk}


def _at(suffix: str) -> Callable[[ImportBatch], str]:
    return lambda batch: f"/imports/{batch.pk}/{suffix}"


CASES = (
    Case("list", "get", lambda b: "/imports/", 200),
    Case("list page 2", "get", lambda b: "/imports/?page=2", 200),
    Case("upload", "post", lambda b: "/imports/", "redirect", data=_upload),
    Case("upload refused by the form", "post", lambda b: "/imports/", 400, data=lambda: {"source": "x"}),
    Case("batch page", "get", _at(""), 200),
    Case("batch page of a missing batch", "get", lambda b: f"/imports/{MISSING}/", 404),
    Case("status", "get", _at("status.json"), 200),
    Case("revisions csv", "get", _at("revisions.csv"), 200),
    Case("revisions csv of a preview", "get", _at("revisions.csv"), 200, status=Status.PREVIEW),
    Case("confirm", "post", _at("confirm/"), "redirect", status=Status.PREVIEW, becomes=Status.LOADING),
    Case("discard", "post", _at("discard/"), "redirect", status=Status.PREVIEW, becomes=Status.DISCARDED),
    Case("cancel", "post", _at("cancel/"), "redirect", status=Status.QUEUED, becomes=Status.CANCELLED),
    Case("retry", "post", _at("retry/"), "redirect", status=Status.FAILED, becomes=Status.QUEUED),
    Case("revert", "post", _at("revert/"), "redirect", becomes=Status.REVERTED),
    Case("choose indicator", "post", _at("indicator/"), "redirect", status=Status.REJECTED,
         data=lambda: {"indicator": "goods_export_msek"}, becomes=Status.QUEUED),
    Case("an action the batch's state refuses", "post", _at("confirm/"), "redirect"),
    Case("an unknown action", "post", _at("launch/"), 403),
    Case("an action on a missing batch", "post", lambda b: f"/imports/{MISSING}/confirm/", 404),
    # Logged in, a GET on an action URL is not allowed whoever asks (405 tells nothing about the batch).
    Case("an action by GET", "get", _at("confirm/"), 405, status=Status.PREVIEW,
         refused={**REFUSED, "analyst": 405, "juror": 405, "chair": 405}),
)


@pytest.fixture
def cast(analyst, juror, chair, stats_admin) -> dict[str, Client]:
    make_year(2024, jurors=(juror,), chair=chair)  # the jury's roles are real ones
    clients = {"stranger": Client()}
    for role, user in {"analyst": analyst, "juror": juror, "chair": chair, "admin": stats_admin}.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _batch(status: str) -> ImportBatch:
    batch = import_batch_create(content=FILE, original_name="f.csv", source=Source.objects.get(is_default=True),
                                enqueue=False)
    ImportBatch.objects.filter(pk=batch.pk).update(status=status)
    return ImportBatch.objects.get(pk=batch.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix(case: Case, role: str, cast):
    batch = _batch(case.status)
    batches = ImportBatch.objects.count()
    response = getattr(cast[role], case.method)(case.path(batch), case.data())
    expected = case.admin if role == "admin" else case.refused[role]
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif expected == "redirect":
        assert response.status_code == 302 and response["Location"].startswith("/imports/")
    else:
        assert response.status_code == expected
    done = role == "admin"
    assert ImportBatch.objects.get(pk=batch.pk).status == (case.becomes if done and case.becomes else case.status)
    assert ImportBatch.objects.count() == batches + (1 if done and case.name == "upload" else 0)
    if expected in (LOGIN, 403, 405):
        assert b"f.csv" not in response.content
