"""Uploads: limited in size, the type sniffed from the content (not trusted from the name), stored under
MEDIA_ROOT (outside the static root) and never served by any URL."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from stats.models import ImportBatch, Source

GOOD_CSV = "Län;År;Varuexport, mnkr\n25;2021;11 040,2\n".encode()
NOT_MATCHING = "The file's content does not match its type"


def post(client, name: str, content: bytes):
    source = Source.objects.get(is_default=True).pk
    return client.post("/imports/", {"file": SimpleUploadedFile(name, content), "source": source},
                       HTTP_ACCEPT_LANGUAGE="en")


def form_errors(response) -> list[str]:
    assert response.status_code == 400, response.status_code  # the form again, with its errors
    return [str(e) for e in response.context["form"].errors.get("file", [])]


def test_a_file_over_the_size_limit_gets_a_clear_form_error(admin_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = GOOD_CSV + b"25;2020;1,0\n" * 140_000  # 1.7 MB
    response = post(admin_client, "big.csv", big)
    assert form_errors(response) == ["The file is 1.7 MB; the limit is 1 MB."]
    assert "The file is 1.7 MB; the limit is 1 MB." in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(("name", "content"), [
    ("figures.xlsx", GOOD_CSV),  # text named .xlsx: not a zip
    ("figures.xlsx", b"\x00\x01garbage" * 100),
    ("figures.csv", GOOD_CSV[:20] + b"\x00\x00" + GOOD_CSV[20:]),  # NUL bytes: binary, not a table
    ("figures.csv", b"PK\x03\x04" + b"\x00" * 200),  # a zip named .csv
    ("figures.tsv", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows executable
    ("figures.csv", b"%PDF-1.7\n" + GOOD_CSV),  # a PDF, whatever follows its signature
    ("figures.csv", bytes(range(1, 256)) * 40),  # binary without a NUL byte
    ("figures.xlsx", b"PK\x03\x04" + b"\x00" * 200),  # zip magic, but no zip
], ids=["text-as-xlsx", "binary-as-xlsx", "nul-csv", "zip-as-csv", "exe-as-tsv", "pdf-as-csv", "binary-as-csv",
        "broken-zip-as-xlsx"])
def test_content_that_does_not_match_its_type_is_refused(admin_client, name, content):
    assert form_errors(post(admin_client, name, content)) == [
        "The file's content does not match its type (.csv/.tsv text, .xlsx, .px or JSON-stat .json)."]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("name", ["figures.html", "figures.svg", "figures.exe", "figures"])
def test_other_file_types_are_refused(admin_client, name):
    assert form_errors(post(admin_client, name, GOOD_CSV)) == ["Upload a .csv, .tsv, .txt, .xlsx, .px or .json file."]


def real_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Län", "År", "Varuexport, mnkr"])
    book.active.append(["25", 2021, 11040.2])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


def test_a_zip_that_is_no_workbook_is_refused(admin_client):
    plain = zip_of({"notes.txt": b"hello"})
    assert form_errors(post(admin_client, "figures.xlsx", plain)) == [
        "The file's content does not match its type (.csv/.tsv text, .xlsx, .px or JSON-stat .json)."]


def test_a_zip_bomb_named_xlsx_is_refused_before_anything_unpacks_it(admin_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024  # unpacked, a workbook may be 4 times that
    bomb = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                   "xl/worksheets/sheet1.xml": b"\x00" * (25 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert form_errors(post(admin_client, "figures.xlsx", bomb)) == [
        "The spreadsheet unpacks to 25 MB; at most 4 MB is accepted."]
    assert not ImportBatch.objects.exists()


def test_a_utf16_table_as_excel_saves_unicode_text_is_accepted(admin_client):
    text = "Län\tÅr\tVaruexport, mnkr\r\nNorrbotten\t2021\t11 040,2\r\n"
    assert post(admin_client, "figures.txt", text.encode("utf-16")).status_code == 302
    assert ImportBatch.objects.count() == 1


def test_a_matching_upload_is_accepted(admin_client):
    response = post(admin_client, "figures.csv", GOOD_CSV)
    assert response.status_code == 302
    assert post(admin_client, "figures.xlsx", real_xlsx()).status_code == 302
    assert ImportBatch.objects.count() == 2


def inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def test_uploads_are_stored_under_media_root_outside_the_static_root(admin_client):
    assert post(admin_client, "<b>figures</b>.csv", GOOD_CSV).status_code == 302
    batch = ImportBatch.objects.get()
    stored = Path(batch.file.path)
    assert stored.read_bytes() == GOOD_CSV
    assert inside(stored, Path(settings.MEDIA_ROOT))
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not inside(stored, static) and not inside(Path(settings.MEDIA_ROOT), static)
    assert "figures" not in batch.file.name  # stored under its digest: the uploader's name never makes a path
    assert batch.file.name.endswith(".upload")


def test_no_url_serves_an_uploaded_file(admin_client, settings):
    from django.test import Client

    assert post(admin_client, "figures.csv", GOOD_CSV).status_code == 302
    name = ImportBatch.objects.get().file.name
    assert settings.MEDIA_URL == "/"  # Django's default: no URL of its own for the upload folder
    for debug in (False, True):
        settings.DEBUG = debug
        for prefix in ("/media/", "/uploads/", "/static/", "/", "/imports/", "/var/uploads/"):
            for who in (Client(), admin_client):
                response = who.get(prefix + name)
                assert response.status_code == 404, (prefix + name, debug, response.status_code)
                assert GOOD_CSV not in b"".join(response) if response.streaming else GOOD_CSV not in response.content


@pytest.mark.parametrize("name", ["px_sex_eliminated_cp1252.px", "jsonstat_sex_eliminated.json"])
def test_the_statistics_databases_own_formats_are_accepted(admin_client, name):
    from tests.stats.conftest import IMPORTING_DATA

    assert post(admin_client, name, (IMPORTING_DATA / name).read_bytes()).status_code == 302
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize(("name", "content"), [("figures.px", GOOD_CSV), ("figures.json", GOOD_CSV),
                                               ("figures.csv", b'{"class": "dataset"}')])
def test_px_and_json_names_must_hold_px_and_json(admin_client, name, content):
    assert form_errors(post(admin_client, name, content)) == [
        "The file's content does not match its type (.csv/.tsv text, .xlsx, .px or JSON-stat .json)."]


def test_an_xlsx_declaring_a_gigabyte_unpacked_is_refused_with_a_clear_message(admin_client):
    from tests.stats.conftest import declare_unpacked_size

    bomb = declare_unpacked_size(real_xlsx(), "xl/worksheets/sheet1.xml", 1_000_000_000)
    assert form_errors(post(admin_client, "figures.xlsx", bomb)) == [
        "The spreadsheet unpacks to 953 MB; at most 200 MB is accepted."]
    assert not ImportBatch.objects.exists()
