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


def test_the_csv_export_has_the_log_and_after_closing_the_scores(client, award_year, juror, chair):
    _score(award_year, juror, 2, "=HYPERLINK(\"http://evil\")", submit=False)
    _score(award_year, juror, 4, "=HYPERLINK(\"http://evil\")")
    services.scoring_close(award_year=award_year, actor=chair)
    client.force_login(chair)
    response = client.get("/awards/2024/audit.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="exportregion-2024-audit.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 6  # when, who, action, object, old, new
    body = response.content.decode("utf-8-sig")
    score = FIELD_LABELS["value"]
    assert f"{score}: 2" in body and f"{score}: 4" in body  # old → new
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body
    scores = rows[rows.index([]) + 1:]
    assert len(scores) == 1 + 5
    assert scores[1][2] == "jo-juror" and scores[1][3] == "4" and scores[1][4].startswith("'=")


def test_the_xlsx_export_has_two_sheets_and_no_formulas(client, award_year, juror, chair):
    _score(award_year, juror, 4, "=1+2")
    client.force_login(chair)
    sealed = openpyxl.load_workbook(io.BytesIO(client.get("/awards/2024/audit.xlsx").content))
    assert len(sealed.worksheets) == 2
    assert sealed.worksheets[1].max_row == 1  # a note: the scores are sealed
    services.scoring_close(award_year=award_year, actor=chair)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/awards/2024/audit.xlsx").content))
    log, scores = book.worksheets
    assert log.max_row == 1 + 5 + 1  # header, five scores, the status change
    assert scores.cell(row=2, column=4).value == 4
    assert scores.cell(row=2, column=5).value == "'=1+2"
    assert all(cell.data_type != "f" for row in book.worksheets[1].iter_rows() for cell in row)


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
