"""Answers no shared cache may keep (every page served to a logged-in user), the static files' own
security headers, and /healthz's Retry-After when it answers 503."""

import pytest
from django.conf import settings
from django.test import Client

from tests.security.test_headers import csp
from tests.stats.test_import_faults import BrokerOutage

PRIVATE_PAGES = ["/imports/", "/awards/", "/admin/", "/admin/stats/importbatch/", "/regions/25/"]


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_every_page_served_to_a_logged_in_user_is_private_and_never_stored(client, demo, stats_admin, path):
    stats_admin.is_staff = True
    stats_admin.save()
    client.force_login(stats_admin)
    response = client.get(path)
    assert response.status_code == 200, path
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives
    assert "Cookie" in response["Vary"]


def test_a_stranger_gets_the_public_page_without_private_headers(client, demo):
    response = client.get("/regions/25/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_jury_workspace_and_audit_log_are_private(client, demo, django_user_model):
    from awards.models import AwardYear

    client.force_login(django_user_model.objects.create_superuser("chief", password="x-very-secret-1"))
    unpublished = AwardYear.objects.exclude(status=AwardYear.Status.PUBLISHED).order_by("-year").first()
    for path in (f"/awards/{unpublished.year}/", f"/awards/{unpublished.year}/audit/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}, path


@pytest.fixture
def served_static(settings):
    """WhiteNoise serving the static files as in production (found in place, not collected)."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.mark.parametrize("path", ["/static/css/site.css", "/static/js/stats/import_detail.js"])
def test_static_files_carry_csp_and_frame_protection(served_static, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert csp(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.serial
@pytest.mark.worker
@pytest.mark.skipif(not settings.CELERY_BROKER_URL.startswith("redis://"),
                    reason="the embedded broker has no server to stop; CI runs it on Redis")
def test_healthz_503_says_when_to_retry(client, db, task_queue):
    with BrokerOutage():  # the configured broker, stopped for real
        response = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["broker"].startswith("error: ")
    assert client.get("/healthz").status_code == 200 and not client.get("/healthz").has_header("Retry-After")
