"""The batch page an admin decides on: names not codes, each indicator's decimals, a summary per indicator
and region, "showing 200 of N" with every revision as CSV, values that become missing flagged, status
words for every state, confirm and revert at the top, a plain-words way out for a wide file without
indicator. The worker's steps run in-process here (`import_batch_process`); tests/browser drives the
whole flow with a real worker."""

import csv
import io

import pytest

from stats import import_batches
from stats.models import ImportBatch, Observation, Source

HEADER = "Region;År;Företagsstorlek;Varuexport per invånare, kr;Antal exporterande företag\n"
SIZES = {"all": "Samtliga företag", "sme": "Små och medelstora företag"}


def revision_file() -> bytes:
    """Every stored per-inhabitant value and count of exporting firms of 2016–2023 plus one; Stockholm's
    2016 SME per-inhabitant value becomes missing; Norrbotten's 2024 values are new."""
    rows = {}
    stored = Observation.objects.filter(
        source__slug="scb-workplace", indicator__code__in=["goods_export_per_capita_sek", "exporting_firms"],
    ).values_list("region__code", "year", "firm_size", "indicator__code", "value")
    for region, year, size, indicator, value in stored:
        rows.setdefault((region, year, size), {})[indicator] = value
    lines = [HEADER]
    for (region, year, size), values in sorted(rows.items()):
        per_capita = values.get("goods_export_per_capita_sek")
        per_capita = ".." if (region, year, size) == ("01", 2016, "sme") else int(per_capita) + 1
        firms = int(values["exporting_firms"]) + 1
        lines.append(f"{region};{year};{SIZES[size]};{per_capita};{firms}\n")
    lines.append("25;2024;Samtliga företag;48000;1500\n")
    return "".join(lines).encode()


def _preview(content: bytes, name: str = "revision.csv", **fields) -> ImportBatch:
    batch = import_batches.import_batch_create(content=content, original_name=name, enqueue=False,
                                        source=Source.objects.get(slug="scb-workplace"), **fields)
    import_batches.import_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def _page(client, batch: ImportBatch, lang: str = "sv") -> str:
    response = client.get(f"/imports/{batch.pk}/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def preview(demo) -> ImportBatch:
    batch = _preview(revision_file())
    assert batch.status == ImportBatch.Status.PREVIEW
    return batch


def test_the_preview_names_regions_indicators_and_firm_sizes_in_the_indicators_decimals(admin_client, preview):
    html = _page(admin_client, preview)
    assert "Stockholm" in html and "Varuexport per invånare" in html and "Små och medelstora företag" in html
    assert "goods_export_per_capita_sek" not in html and "exporting_firms" not in html
    assert ">01<" not in html and ">sme<" not in html
    # Whole numbers stay whole: no "7 941,0" for a count of firms or kronor per inhabitant.
    revisions = preview.revisions
    first = revisions[0]
    assert first["indicator"] in ("goods_export_per_capita_sek", "exporting_firms")
    assert ",0<" not in html.split("batch-revisions")[1]


def test_the_preview_shows_200_of_all_revisions_and_the_csv_has_them_all(admin_client, preview):
    total = preview.revised_count
    assert total > 200 and len(preview.revisions) == 200
    html = _page(admin_client, preview)
    assert f"Visar 200 av {total:,}.".replace(",", "\u00a0") in html
    response = admin_client.get(f"/imports/{preview.pk}/revisions.csv", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows.index(["Region", "Regionkod", "Indikator", "Indikatorkod", "År", "Företagsstorlek", "Sektor",
                         "Före", "Efter", "Flagga", "Blir saknat"])
    body = rows[header + 1:]
    assert len(body) == total
    [missing] = [r for r in body if r[10]]
    assert missing[:6] == ["Stockholm", "01", "Varuexport per invånare", "goods_export_per_capita_sek", "2016",
                           "Små och medelstora företag"]
    assert missing[8] == "" and missing[7] != ""


def test_a_value_that_becomes_missing_is_flagged_and_counted(admin_client, preview):
    html = _page(admin_client, preview)
    assert "1 lagrat värde blir saknat." in html
    assert html.count('<tr class="becomes-missing">') == 1  # the revised row
    assert "blir saknat</span>" in html
    per_capita = [r for r in preview.summary if r["indicator"] == "goods_export_per_capita_sek" and r["region"] == "01"]
    assert per_capita[0]["missing"] == 1


def test_the_summary_counts_per_indicator_and_region_add_up(preview):
    summary = preview.summary
    assert {r["indicator"] for r in summary} == {"goods_export_per_capita_sek", "exporting_firms"}
    assert len({r["region"] for r in summary}) == 22
    assert sum(r["revised"] for r in summary) == preview.revised_count
    assert sum(r["new"] for r in summary) == preview.new_count
    assert sum(r["unchanged"] for r in summary) == preview.unchanged_count


def test_waiting_for_confirmation_is_words_with_confirm_at_the_top_not_a_progress_bar(admin_client, preview):
    html = _page(admin_client, preview)
    assert "väntar på bekräftelse" in html and "Inget ändras förrän du bekräftar importen." in html
    assert "<progress" not in html
    assert html.index("Bekräfta import") < html.index("batch-facts") < html.index("Reviderade värden")


def test_confirm_then_revert_asks_with_the_number_of_values_and_restores_them(admin_client, preview):
    before = dict(Observation.objects.values_list("id", "value"))
    response = admin_client.post(f"/imports/{preview.pk}/confirm/", HTTP_ACCEPT_LANGUAGE="sv", follow=True)
    assert "Importen är bekräftad och laddas." in response.content.decode()
    import_batches.import_batch_commit(batch_id=preview.pk)  # the worker's step
    preview.refresh_from_db()
    assert preview.status == ImportBatch.Status.DONE

    html = _page(admin_client, preview)
    revised = preview.revised_count
    assert f"Att återställa ger {revised:,} reviderade värden deras tidigare siffror.".replace(",", "\u00a0") in html
    assert "Att återställa tar bort 2 nya värden." in html
    assert "Ja, återställ (" + f"{revised + 2:,} värden)".replace(",", "\u00a0") in html
    assert html.index("confirm-revert") < html.index("batch-facts")
    # Links to the pages that show the batch's figures (stable URLs: DESIGN.md).
    assert "/compare/?regions=01,03," in html and "indicator=exporting_firms" in html and "/regions/25/" in html
    # The CSV of a loaded batch comes from the history: the same revisions.
    rows = admin_client.get(f"/imports/{preview.pk}/revisions.csv").content.decode("utf-8-sig").splitlines()
    revised_in = {",goods_export_per_capita_sek,", ",exporting_firms,"}
    assert sum(1 for line in rows if any(code in line for code in revised_in)) == revised

    response = admin_client.post(f"/imports/{preview.pk}/revert/", HTTP_ACCEPT_LANGUAGE="sv", follow=True)
    assert "Importen är återställd" in response.content.decode()
    assert dict(Observation.objects.values_list("id", "value")) == before


def test_a_discarded_batch_shows_no_revised_counts_in_the_list(admin_client, preview):
    response = admin_client.post(f"/imports/{preview.pk}/discard/", HTTP_ACCEPT_LANGUAGE="sv", follow=True)
    assert "Importen är förkastad; ingenting ändrades." in response.content.decode()
    listing = admin_client.get("/imports/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    row = listing.split(f'href="/imports/{preview.pk}/"')[1].split("</tr>")[0]
    assert "förkastad" in row and "inget laddat" in row and str(preview.revised_count) not in row
    assert "<th class=\"num\">Nya</th>" in listing and "Efter" not in listing
    page = _page(admin_client, preview)
    assert "Reviderade värden" not in page and "Ny / reviderad / oförändrad" not in page


WIDE = b"Region;2019;2020;2021\n25;100;110;120\n14;200;210;220\n"


def test_a_wide_file_without_indicator_gets_plain_words_and_a_choice_that_reads_it_again(admin_client, db):
    batch = _preview(WIDE, name="wide.csv", language="sv")
    assert batch.status == ImportBatch.Status.REJECTED
    html = _page(admin_client, batch)
    assert "--indicator" not in html and "formulärfältet" not in html
    assert "inte vilken indikator" in html
    assert '<option value="population">Folkmängd</option>' in html

    response = admin_client.post(f"/imports/{batch.pk}/indicator/", {"indicator": "population"},
                                 HTTP_ACCEPT_LANGUAGE="sv", follow=True)
    assert "Filen läses igen med den valda indikatorn." in response.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.indicator, batch.problems) == (ImportBatch.Status.QUEUED, "population", [])
    import_batches.import_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW and batch.new_count == 6


@pytest.mark.parametrize("indicator", ["dividends", ""])
def test_a_made_up_or_no_indicator_is_refused(admin_client, db, indicator):
    batch = _preview(WIDE, name="wide.csv", language="sv")
    assert '<option value="" selected>Välj …</option>' in _page(admin_client, batch)
    response = admin_client.post(f"/imports/{batch.pk}/indicator/", {"indicator": indicator},
                                 HTTP_ACCEPT_LANGUAGE="sv", follow=True)
    assert "Välj en av indikatorerna i listan." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED and batch.indicator == ""


def test_the_upload_form_lists_indicator_names(admin_client, db):
    html = admin_client.get("/imports/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<option value="goods_export_msek">Varuexport</option>' in html
    html = admin_client.get("/imports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="goods_export_msek">Goods exports</option>' in html


@pytest.mark.parametrize("status", [s for s, _ in ImportBatch.Status.choices])
def test_every_state_has_words_and_only_active_ones_a_progress_bar(admin_client, db, status):
    batch = import_batches.import_batch_create(content=WIDE, original_name="w.csv", enqueue=False,
                                        source=Source.objects.get(slug="scb-workplace"))
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, progress=60)
    batch.refresh_from_db()
    html = _page(admin_client, batch)
    assert f'class="status {status}"' in html
    explanation = html.split('class="status-explanation">')[1].split("</span>")[0]
    assert len(explanation) > 10
    assert ("<progress" in html) == (status in ("queued", "reading", "loading"))


def test_a_batch_loaded_without_preview_has_its_summary_and_links_too(admin_client, demo):
    demo_batch = ImportBatch.objects.get(original_name="workplace_2016_2023.csv")
    assert sum(r["new"] for r in demo_batch.summary) == demo_batch.new_count > 0
    _, batch, diff = import_batches.import_file_now(content=revision_file(), original_name="cli.csv",
                                             source=Source.objects.get(slug="scb-workplace"))
    assert [sum(r[k] for r in batch.summary) for k in ("new", "revised", "unchanged", "missing")] == [
        diff.new, diff.revised, diff.unchanged, 1]
    html = _page(admin_client, batch)
    assert "indicator=goods_export_per_capita_sek" in html and 'href="/regions/01/"' in html
