"""CSV and XLSX downloads: units, source and breakdown in the header rows; text that a spreadsheet
would run as a formula is escaped; numbers stay numbers; missing values are empty cells."""

import csv
import io

import pytest
from openpyxl import load_workbook

from stats.selectors import clear_caches
from stats.tables import DataTable, escape_text, to_csv, to_xlsx

QUERY = {"regions": "25,14", "indicator": "goods_export_per_capita_sek", "firm_size": "sme", "from": "2016",
         "to": "2021"}


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_formula_starts_are_escaped(text):
    assert escape_text(text) == "'" + text


def test_ordinary_text_is_left_alone():
    assert escape_text("Norrbotten") == "Norrbotten" and escape_text("Västra Götaland") == "Västra Götaland"


def hostile_table() -> DataTable:
    return DataTable("=cmd|' /C calc'!A0", [("Unit", "kr"), ("Source", "@evil")], ["Region", "Value"],
                     [["=HYPERLINK(\"http://x\",\"y\")", -12.5], ["Gotland", None], ["+46", 3]], {1: 1})


def test_csv_escapes_text_and_keeps_numbers():
    text = to_csv(hostile_table()).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Region", "Value"]  # tidy: the header first, no title or metadata rows
    assert rows[1] == ["'=HYPERLINK(\"http://x\",\"y\")", "-12.5"]  # a negative number is not escaped
    assert rows[2] == ["Gotland", ""]  # missing: empty, not zero
    assert rows[3] == ["'+46", "3"]


def test_xlsx_stores_text_as_text_and_numbers_as_numbers():
    book = load_workbook(io.BytesIO(to_xlsx(hostile_table())))
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Region", "Value"]
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)  # no formula
    assert values[1] == ["'=HYPERLINK(\"http://x\",\"y\")", -12.5]
    assert sheet.cell(row=2, column=2).number_format == "#,##0.0"
    assert values[2] == ["Gotland", None]
    meta = [[c.value for c in row] for row in book["Metadata"].iter_rows()]
    assert meta[0][0] == "'=cmd|' /C calc'!A0" and ["Source", "'@evil"] in meta


def test_compare_csv_is_tidy(client, demo):
    response = client.get("/compare.csv", QUERY)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="exportregion-goods_export_per_capita_sek-sme-2016-2021-value.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("Regionkod,Region,År,Värde (kr),Anmärkning\r\n")  # no byte-order mark, no metadata
    rows = list(csv.reader(io.StringIO(text)))
    assert ["25", "Norrbotten", "2016", "24560", ""] in rows  # a whole number without ".0"
    assert all(len(r) == 5 for r in rows)
    assert "Visning" not in text and ".0," not in text


def test_compare_xlsx_has_the_metadata_on_its_own_sheet(client, demo):
    book = load_workbook(io.BytesIO(client.get("/compare.xlsx", QUERY).content))
    assert book.active["A1"].value == "Regionkod"
    meta = {r[0]: r[1] for r in book["Metadata"].iter_rows(values_only=True) if r[0] and len(r) > 1}
    assert meta["Enhet"] == "kr"
    assert meta["Källa"].startswith("SCB för Tillväxtverket")
    assert meta["Urval"] == "Små och medelstora företag, alla sektorer"
    assert meta["Period"] == "2016–2021"
    assert meta["Visning"] == "värden"
    assert "Illustrativa demodata" in meta["Anmärkning"]


def test_the_compare_zip_holds_the_csv_metadata_and_readme(client, demo):
    import json
    import zipfile

    response = client.get("/compare.zip", {**QUERY, "view": "index"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    csv_name = next(n for n in names if n.endswith(".csv"))
    assert set(names) == {csv_name, "metadata.json", "README.txt"}
    assert archive.read(csv_name).decode().startswith("Regionkod,Region,År,Index (2016 = 100),Anmärkning")
    meta = json.loads(archive.read("metadata.json"))
    assert meta["indicator"] == "goods_export_per_capita_sek" and meta["unit"] == "index"
    assert meta["method"] == "workplace-based" and meta["period"] == "2016–2021"
    assert "100" in meta["formula"] and meta["breakdown"] == "Små och medelstora företag, alla sektorer"
    readme = archive.read("README.txt").decode()
    assert "Källa: SCB för Tillväxtverket" in readme and "Formel:" in readme


def test_compare_xlsx_agrees_with_the_csv(client, demo):
    response = client.get("/compare.xlsx", {**QUERY, "view": "growth"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    norrbotten = next(r for r in rows if r[0] == "25")
    assert norrbotten[1] == "Norrbotten" and norrbotten[2] == 24560 and norrbotten[3] == 44210
    assert norrbotten[5] == 80.0 and norrbotten[6] == 1  # the percentage to one decimal, as on the page


def test_a_hostile_region_name_is_escaped_in_both_formats(client, demo):
    from regions.models import Region

    Region.objects.filter(code="25").update(name="=HYPERLINK(\"http://evil\")")
    clear_caches()
    text = client.get("/compare.csv", QUERY).content.decode("utf-8")
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(client.get("/compare.xlsx", QUERY).content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.value.startswith("'") and c.data_type == "s" for c in cells)


def test_english_headers(client, demo):
    text = client.get("/compare.csv", QUERY, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8")
    assert text.startswith("Region code,Region,Year,Value (SEK),Note")
    book = load_workbook(io.BytesIO(client.get("/compare.xlsx", QUERY, HTTP_ACCEPT_LANGUAGE="en").content))
    meta = {r[0]: r[1] for r in book["Metadata"].iter_rows(values_only=True) if r[0] and len(r) > 1}
    assert meta["Unit"] == "SEK" and meta["Breakdown"] == "Small and medium-sized firms, all sectors"


def _growth_csv(client, **params) -> list[list[str]]:
    text = client.get("/compare.csv", {**QUERY, "view": "growth", **params}).content.decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_the_growth_download_marks_a_confidential_end(client, demo):
    from stats.models import Observation

    Observation.objects.filter(region__code="25", year=2021, indicator__code="goods_export_per_capita_sek",
                               firm_size="sme").update(value=None, flag="confidential")
    rows = _growth_csv(client)
    header = next(r for r in rows if r[:2] == ["Regionkod", "Region"])
    assert header[-1] == "Anmärkning"
    norrbotten = next(r for r in rows if r[:1] == ["25"])
    assert norrbotten[3] == "" and norrbotten[-1] == "sekretess (2021)"
    assert next(r for r in rows if r[:1] == ["14"])[-1] == ""
    sheet = load_workbook(io.BytesIO(client.get("/compare.xlsx", {**QUERY, "view": "growth"}).content)).active
    assert next(r for r in sheet.iter_rows(values_only=True) if r[:1] == ("25",))[-1] == "sekretess (2021)"


def test_the_growth_download_has_no_float_noise(client, demo):
    for params in ({}, {"indicator": "goods_export_msek", "firm_size": "all", "regions": "01,12,14,25"}):
        rows = _growth_csv(client, **params)
        start = next(i for i, r in enumerate(rows) if r[:2] == ["Regionkod", "Region"]) + 1
        decimals = 0 if not params else 1
        for row in rows[start:]:
            change, pct = row[4], row[5]
            assert len(change.partition(".")[2]) <= max(decimals, 1), change  # 12018.5, never 12018.500000000004
            assert len(pct.partition(".")[2]) <= 1, pct  # 38.0, never 37.999797646374404
