"""A whole award round in headless Chromium on the demo data: juror1 declares a conflict on one nominee and
scores the others; the chair closes the round, reads the averages, records the winner and publishes; an
anonymous visitor then reads the published page. With SCREENSHOTS=1, each step: tests/artifacts/awards_*.png."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from awards import services
from awards.models import AwardYear
from awards.services import ScoreEntry
from tests.browser.conftest import CHROMIUM_ARGS, DEMO_PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WINNER_SV = "Halland visar att ett brett samarbete mellan små och medelstora exportföretag bär en hel region."
WINNER_EN = "Halland shows that broad collaboration between small and medium-sized exporters carries a region."


@pytest.fixture(scope="module")
def chromium_args() -> list[str]:
    return [*CHROMIUM_ARGS, "--lang=sv-SE"]  # the jury works in Swedish, as in test_jury_round


class Visit:
    """One browser context (one person), collecting console errors and failed page loads."""

    def __init__(self, browser, base_url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
        self.page = self.context.new_page()
        self.base_url = base_url
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: d.accept())  # the confirm() before closing and publishing

    def go(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, path

    def login(self, username: str, next_path: str = "/awards/2023/") -> None:
        self.go(f"/accounts/login/?next={next_path}")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_url(f"**{next_path}")

    def shot(self, name: str) -> None:
        screenshot(self.page, f"awards_{name}")

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


def _admin_reads_the_2022_suggestion(visit: Visit) -> None:
    visit.login("admin", "/awards/2022/shortlist/")
    proposal = visit.page.locator("ol.proposal").inner_text()
    assert "Norrbotten" in proposal
    assert visit.page.locator("table.ranking tbody tr").count() == 22  # 21 counties and Sweden
    visit.shot("0_admin_suggestion_2022")


def _juror_declares_and_scores(visit: Visit, award_year: AwardYear) -> None:
    nominations = list(award_year.nominations.select_related("region").order_by("order"))
    criteria = list(award_year.criteria.order_by("order"))
    visit.login("juror1")
    visit.page.wait_for_selector("[data-figure=fig-growth] .main-svg")
    visit.shot("1_juror_workspace")
    conflicted = visit.page.locator(f"#work-{nominations[0].pk}")
    conflicted.locator("details.conflict summary").click()
    conflicted.locator("input[name=reason]").fill("Styrelseledamot i regionens handelskammare")
    conflicted.locator("button.danger").click()
    visit.page.wait_for_load_state()
    assert "jäv" in visit.page.locator(f"#work-{nominations[0].pk}").inner_text().lower()
    assert visit.page.locator(f"#work-{nominations[0].pk} input[type=radio]").count() == 0
    for mark, nomination in zip((5, 3), nominations[1:], strict=True):
        panel = visit.page.locator(f"#work-{nomination.pk}")
        for criterion in criteria:
            panel.locator(f"input[name=value_{criterion.pk}][value='{mark}']").check()
            panel.locator(f"textarea[name=comment_{criterion.pk}]").fill(f"{nomination.region.name}: {mark} av 5")
        panel.locator("button[name=submit][value='1']").click()
        visit.page.wait_for_load_state()
    visit.shot("2_juror_scored")
    body = visit.page.locator("main").inner_text()
    assert body.lower().count("inskickad") >= 2


def _second_juror_scores(award_year: AwardYear) -> None:
    """juror2 scores through the service, so the averages have a spread."""
    juror2 = User.objects.get(username="juror2")
    criteria = list(award_year.criteria.all())
    for mark, nomination in zip((3, 4, 4), award_year.nominations.order_by("order"), strict=True):
        entries = {c.pk: ScoreEntry(mark, "") for c in criteria}
        services.scores_save(nomination=nomination, juror=juror2, entries=entries, submit=True)


def _chair_closes_decides_publishes(visit: Visit, award_year: AwardYear) -> str:
    visit.login("chair")
    submissions = visit.page.locator("table.submissions")
    assert "juror1" in submissions.inner_text() and "juror3" in submissions.inner_text()
    assert "av 5" not in visit.page.locator("main").inner_text()  # no juror's comment reaches the chair
    visit.shot("3_chair_submissions")
    visit.page.click("form[action$='/close/'] button")
    visit.page.wait_for_url("**/awards/2023/results/")
    results = visit.page.locator("section.result")
    assert results.count() == 3
    assert "4,50" in results.first.inner_text()  # juror1 gave the second nominee 5, juror2 4
    visit.shot("4_chair_results")
    winner = award_year.nominations.select_related("region").order_by("order")[1]
    visit.page.locator(f"input[name=nomination][value='{winner.pk}']").check()
    visit.page.fill("textarea[name=motivation_sv]", WINNER_SV)
    visit.page.fill("textarea[name=motivation_en]", WINNER_EN)
    visit.page.click("form[action$='/winner/'] button")
    visit.page.wait_for_selector("form.publish-form")
    visit.shot("5_chair_decision")
    visit.page.click("form.publish-form button")
    visit.page.wait_for_url("**/awards/2023/")
    visit.shot("6_chair_published")
    visit.go("/awards/2023/audit/")
    log = visit.page.locator("table.audit").inner_text()
    assert "juror1" in log and "Styrelseledamot" in log and ": 5;" in log  # unsealed once closed
    visit.shot("9_chair_audit_log")
    return winner.region.name


def test_a_round_from_conflict_to_publication(browser, demo_round, live_server):
    award_year = demo_round
    admin = Visit(browser, live_server.url)
    _admin_reads_the_2022_suggestion(admin)
    admin.close()

    juror = Visit(browser, live_server.url)
    _juror_declares_and_scores(juror, award_year)
    juror.close()
    _second_juror_scores(award_year)

    chair = Visit(browser, live_server.url)
    winner = _chair_closes_decides_publishes(chair, award_year)
    chair.close()
    assert AwardYear.objects.get(year=2023).status == AwardYear.Status.PUBLISHED

    visitor = Visit(browser, live_server.url)
    visitor.go("/awards/2023/")
    visitor.page.wait_for_selector("[data-figure=fig-growth] .main-svg")
    main = visitor.page.locator("main").inner_text()
    assert winner in main and WINNER_SV in main
    assert "av 5" not in main and "Styrelseledamot" not in main  # scores and declarations stay private
    visitor.shot("7_public_page")
    visitor.go("/awards/")
    assert "2023" in visitor.page.locator("table.award-years").inner_text()
    visitor.shot("8_public_index")
    visitor.close()
