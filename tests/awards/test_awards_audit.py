"""The audit log page and its CSV/XLSX export: every change, old → new; score values sealed until the round
closes; spreadsheet formulas neutralised."""

import csv
import io

import openpyxl
import pytest

from awards import services
from awards.exports import FIELD_LABELS, escape_cell
from awards.services import ScoreEntry
from tests.awards.conftest import nomination


def _score(award_year, juror, value: int, comment: str, submit: bool = True) -> None:
    entries = {c.pk: ScoreEntry(value, comment) for c in award_year.criteria.all()}
    services.scores_save(nomination=nomination(award_year, "25"), juror=juror, entries=entries, submit=submit)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_are_escaped(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Bra", "1 = weak", 3, 4.5, None, ""])
def test_other_cells_are_left_alone(value):
    assert escape_cell(value) == value


def test_the_log_shows_who_did_what_and_seals_scores_while_open(client, award_year, juror, chair, stats_admin):
    services.conflict_declare(nomination=nomination(award_year, "13"), juror=juror, reason="Jäv")
    _score(award_year, juror, 4, "SECRET")
    client.force_login(chair)
    response = client.get("/awards/2024/audit/")
    body = response.content.decode()
    assert "jo-juror" in body and "Jäv" in body
    assert "SECRET" not in body
    assert len(response.context["rows"]) == 6


def test_the_csv_export_is_the_tidy_log_and_after_closing_names_the_scores(client, award_year, juror, chair):
    _score(award_year, juror, 2, "=HYPERLINK(\"http://evil\")", submit=False)
    _score(award_year, juror, 4, "=HYPERLINK(\"http://evil\")")
    services.scoring_close(award_year=award_year, actor=chair)
    client.force_login(chair)
    response = client.get("/awards/2024/audit.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="exportregion-2024-audit.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert not response.content.startswith(b"\xef\xbb\xbf")  # tidy: the header is the first thing in the file
    body = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["När", "Vem", "Händelse", "Objekt", "Före", rows[0][5]]  # when, who, action, object, old, new
    assert all(len(row) == 6 for row in rows)  # one table: no blank line, no metadata or second table
    assert len(rows) == 1 + 5 + 5 + 1  # header, five drafts, five submissions, the status change
    score = FIELD_LABELS["value"]
    assert f"{score}: 2" in body and f"{score}: 4" in body  # old → new: the closed round's scores are in the log
    assert "kommentar: =HYPERLINK" in body  # inside a cell, never at its start
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_xlsx_export_has_the_log_the_scores_and_the_metadata_on_its_own_sheet(client, award_year, juror, chair):
    _score(award_year, juror, 4, "=1+2")
    client.force_login(chair)
    sealed = openpyxl.load_workbook(io.BytesIO(client.get("/awards/2024/audit.xlsx").content))
    assert sealed.sheetnames == ["Ändringslogg", "Metadata"]
    assert sealed.worksheets[0]["A1"].value == "När"  # the header on row 1, no title rows
    meta = [c for row in sealed["Metadata"].iter_rows(values_only=True) for c in row if c]
    assert "Poängen är förseglade tills omgången stängs." in meta and "Prisår" in meta
    assert "=1+2" not in str(meta) and all("=1+2" not in str(c.value) for row in sealed.worksheets[0].iter_rows()
                                           for c in row)  # sealed
    services.scoring_close(award_year=award_year, actor=chair)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/awards/2024/audit.xlsx").content))
    assert book.sheetnames == ["Ändringslogg", "Poäng", "Metadata"]
    log, scores, _meta = book.worksheets
    assert log.max_row == 1 + 5 + 1  # header, five scores, the status change
    assert scores["A1"].value == "Nominerad"
    assert scores.cell(row=2, column=4).value == 4
    assert scores.cell(row=2, column=5).value == "'=1+2"
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_the_log_page_has_a_fixed_query_budget(client, award_year, juror, chair, django_assert_max_num_queries):
    for value in (1, 2, 3):
        _score(award_year, juror, value, "")
    client.force_login(chair)
    client.get("/awards/2024/audit/")
    with django_assert_max_num_queries(9):
        client.get("/awards/2024/audit/")


def test_head_on_the_log_and_its_export(client, award_year, chair):
    client.force_login(chair)
    for url in ("/awards/2024/audit/", "/awards/2024/audit.csv", "/awards/2024/results/"):
        assert client.head(url).status_code == client.get(url).status_code != 405, url
