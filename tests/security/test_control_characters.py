"""One guard for the whole address: a control character in a path part or a query parameter is the usual
400 (the bad-request page, or {"error": …} from the API), never a 500 from the database refusing NUL.
And every error the API answers is JSON, its 404, 500 and 503 included."""

import pytest
from django.db import OperationalError

from stats import selectors

PAGES = [
    "/regions/%00/",
    "/regions/25/?indicator=%00",
    "/map/?indicator=%00",
    "/compare/?regions=25,14&indicator=goods_export_msek%0A",
    "/awards/?x=%1b",
    "/?%00=1",
]
API = [
    "/api/v1/series?indicator=goods_export_msek&sector=%00",
    "/api/v1/growth?indicator=goods_export_msek&from=2016&to=2021&source=%7f",
    "/api/v1/regions%00",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_control_character_in_a_page_address_is_the_bad_request_page(client, demo, path):
    response = client.get(path)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kontrollera länken" in body and "kontrolltecken" in body


def test_the_admin_lists_refuse_a_control_character_too(client, db, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="x-very-secret-1")
    client.force_login(superuser)
    response = client.get("/admin/stats/importbatch/?status=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "control character" in response.content.decode()


@pytest.mark.parametrize("path", API)
def test_a_control_character_in_an_api_address_is_a_json_400(client, demo, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"error": "the address contains a control character"}


def test_an_unknown_api_path_is_a_json_404(client, db):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and set(response.json()) == {"error"}


def test_an_api_crash_is_a_json_500(client, db, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "series_frame", crash)
    client.raise_request_exception = False
    response = client.get("/api/v1/series?indicator=goods_export_msek&regions=25")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json" and set(response.json()) == {"error"}


def test_the_api_while_the_database_is_down_is_a_json_503_with_retry_after(client, db, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "series_frame", down)
    response = client.get("/api/v1/series?indicator=goods_export_msek&regions=25", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json() == {"error": "temporarily unavailable; try again in a few seconds"}
