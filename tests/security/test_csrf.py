"""CSRF with the checks Django's test client leaves out (enforce_csrf_checks=True): every form that changes
something refuses a POST without the token and accepts one with it."""

import re

import pytest
from django.test import Client

from stats.import_batches import import_batch_create
from stats.models import ImportBatch, Source
from tests.conftest import PASSWORD


def _token(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def strict() -> Client:
    return Client(enforce_csrf_checks=True)


def test_login_refuses_a_post_without_the_token(strict, analyst):
    refused = strict.post("/accounts/login/", {"username": analyst.username, "password": PASSWORD})
    assert refused.status_code == 403 and "_auth_user_id" not in strict.session
    token = _token(strict, "/accounts/login/")
    accepted = strict.post("/accounts/login/", {"username": analyst.username, "password": PASSWORD,
                                                "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302 and "_auth_user_id" in strict.session


def test_an_import_action_refuses_a_post_without_the_token(strict, stats_admin):
    batch = import_batch_create(content=b"x", original_name="f.csv", source=Source.objects.get(is_default=True),
                                enqueue=False)
    strict.force_login(stats_admin)
    assert strict.post(f"/imports/{batch.pk}/cancel/").status_code == 403
    assert ImportBatch.objects.get(pk=batch.pk).status == "queued"
    token = _token(strict, f"/imports/{batch.pk}/")
    assert strict.post(f"/imports/{batch.pk}/cancel/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert ImportBatch.objects.get(pk=batch.pk).status == "cancelled"


def test_an_upload_and_a_logout_refuse_a_post_without_the_token(strict, stats_admin):
    strict.force_login(stats_admin)
    assert strict.post("/imports/", {"source": Source.objects.get(is_default=True).pk}).status_code == 403
    assert strict.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in strict.session
