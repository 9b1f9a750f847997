"""A statistics admin in headless Chromium, with a real Celery worker: uploads a file that revises the
demo data, reads the preview (names, "Visar 200 av …", a value that becomes missing), confirms, and
reverts after the confirmation that names how many values it restores. With SCREENSHOTS=1, screenshots at 1366x900 and
390x844 (whole page, and the first screen: *_top.png): tests/artifacts/imports_*.png; no page is wider than
its window."""

from __future__ import annotations

import re

import pytest
from django.db import connections

from stats.models import ImportBatch, Observation
from tests.browser.conftest import DEMO_PASSWORD, load_demo_with_users, screenshot
from tests.stats.test_views_import_preview import WIDE, revision_file

pytestmark = [pytest.mark.browser, pytest.mark.worker]

SIZES = {"wide": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def demo_site(settings, live_server, worker):
    load_demo_with_users(settings)
    yield live_server.url
    # The ORM calls made while Playwright's loop runs open their own connection; close it, or PostgreSQL
    # refuses to drop the test database at the end of the session.
    connections.close_all()


def _shots(page, name: str) -> None:
    """The page at both sizes, each checked for horizontal overflow, then back to the wide window."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"imports_{name}_{size}")
        screenshot(page, f"imports_{name}_{size}_top", full_page=False)  # what the admin sees first
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {size}: {overflow} px wider than the window: {_widest(page)}"
    page.set_viewport_size(SIZES["wide"])


def _widest(page) -> list[str]:
    """The elements that reach past the window's right edge (outside any scrolling table wrapper)."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
                     && !e.closest('.table-wrap'))
        .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className)""")


def _wait_for_status(page, status: str) -> None:
    # The page polls the batch's status and reloads itself when it changes.
    page.wait_for_selector(f"#status-label.status.{status}", timeout=90_000)


def test_an_admin_uploads_reads_the_preview_confirms_and_reverts(browser, demo_site, tmp_path):
    before = dict(Observation.objects.values_list("id", "value"))
    upload = tmp_path / "revision.csv"
    upload.write_bytes(revision_file())
    context = browser.new_context(viewport=SIZES["wide"], locale="sv-SE", extra_http_headers={"Accept-Language": "sv"})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{demo_site}/accounts/login/?next=/imports/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/imports/")
    options = page.locator("#id_indicator option").all_inner_texts()
    assert "Varuexport per invånare" in options and "goods_export_per_capita_sek" not in options
    _shots(page, "0_list")

    page.set_input_files("#id_file", str(upload))
    page.select_option("#id_source", label="SCB för Tillväxtverket, arbetsställebaserad, 2016–")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))
    batch = ImportBatch.objects.order_by("-pk").first()
    _wait_for_status(page, "preview")

    main = page.locator("main")
    assert "väntar på bekräftelse" in main.inner_text() and page.locator("progress").count() == 0
    batch.refresh_from_db()
    shown = main.inner_text()
    assert re.search(rf"Visar 200 av {batch.revised_count}", shown.replace("\u00a0", "")), shown[:2000]
    assert "Stockholm" in shown and "Varuexport per invånare" in shown and "exporting_firms" not in shown
    assert page.locator("tr.becomes-missing").count() == 1
    assert "blir saknat" in page.locator("tr.becomes-missing").inner_text()
    confirm = page.get_by_role("button", name="Bekräfta import")
    assert confirm.bounding_box()["y"] < 900  # at the top: no scrolling to act
    _shots(page, "1_preview")

    confirm.click()
    _wait_for_status(page, "done")
    revised, new = batch.revised_count, batch.new_count
    assert Observation.objects.filter(batch=batch).count() == revised + new
    compare = page.locator(".batch-summary a[href*='/compare/?regions=']").first
    assert compare.is_visible()
    _shots(page, "2_done")

    page.get_by_text("Återställ den här importen").click()
    warning = page.locator("details.confirm-revert").inner_text().replace("\u00a0", "")
    assert f"Att återställa ger {revised} reviderade värden deras tidigare siffror" in warning
    revert = page.get_by_role("button", name=re.compile(r"Ja, återställ"))
    assert revert.bounding_box()["y"] < 900
    _shots(page, "3_revert_asks")
    revert.click()
    page.wait_for_selector("#status-label.status.reverted")
    assert "Importen är återställd" in page.locator("main").inner_text()
    _shots(page, "4_reverted")

    assert dict(Observation.objects.values_list("id", "value")) == before
    assert errors == []
    context.close()


def test_a_wide_file_without_indicator_is_read_again_with_the_chosen_indicator(browser, demo_site, tmp_path):
    upload = tmp_path / "folkmangd.csv"
    upload.write_bytes(WIDE)
    context = browser.new_context(viewport=SIZES["wide"], locale="sv-SE", extra_http_headers={"Accept-Language": "sv"})
    page = context.new_page()
    page.goto(f"{demo_site}/accounts/login/?next=/imports/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/imports/")
    page.set_input_files("#id_file", str(upload))
    page.click("main form.form button[type=submit]")
    _wait_for_status(page, "rejected")

    text = page.locator("main").inner_text()
    assert "anger inte vilken indikator" in text and "--indicator" not in text
    _shots(page, "5_wide_without_indicator")
    page.select_option("#id_indicator", label="Folkmängd")
    page.get_by_role("button", name="Läs filen igen").click()
    _wait_for_status(page, "preview")
    assert "Folkmängd" in page.locator(".batch-summary").inner_text()
    _shots(page, "6_wide_read_again")
    context.close()
