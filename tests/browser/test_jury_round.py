"""A jury round in headless Chromium on the demo data, counting what the juror has to do.

juror1 logs in and lands in the open 2023 round; submits a scorecard with two of five scores (and a comment),
keeps them, sees the error beside the form; then completes the three nominees with one click per score and one
submit per nominee, never navigating. The chair sets the dates, closes the round, reads the chart, settles the
tie by the written rule (casting vote with a reason), records the winner and publishes; the decision record
is printable. An anonymous visitor is told the year is not published yet. The admin fits 1 366 px.

With SCREENSHOTS=1, screenshots at 1366×900 and 390×844: tests/artifacts/jury_*.png.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from awards import services
from awards.models import AwardYear
from awards.selectors import shortlist_suggestion
from awards.services import ScoreEntry
from stats.models import ImportBatch, Source
from tests.browser.conftest import CHROMIUM_ARGS, DEMO_PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
REASON = "Halland når fler små och medelstora företag genom samverkan mellan främjaraktörerna."
MOTIVATION_SV = "Halland visar hur samverkan bär en hel regions export."
MOTIVATION_EN = "Halland shows how collaboration carries a whole region's exports."


@pytest.fixture(scope="module")
def chromium_args() -> list[str]:
    # A Swedish browser: the native date and time fields then read 2024-09-12 and 17:00.
    return [*CHROMIUM_ARGS, "--lang=sv-SE"]


class Person:
    """One browser context; counts every interaction after logging in, and every navigation it starts."""

    def __init__(self, browser, base_url: str, viewport: dict = DESKTOP) -> None:
        self.context = browser.new_context(viewport=viewport, locale="sv-SE")
        self.context.set_default_timeout(5000)  # a control that is not on screen fails fast, not in 30 s
        self.page = self.context.new_page()
        self.base_url = base_url
        self.errors: list[str] = []
        self.interactions: list[str] = []
        self.navigations = 0
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on("dialog", lambda d: d.accept())

    def go(self, path: str) -> None:
        self.navigations += 1
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status in (200, 404), path

    def login(self, username: str) -> None:
        self.page.goto(self.base_url + "/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        self.navigations = 0

    def check(self, locator, what: str) -> None:
        locator.check()
        self.interactions.append(what)

    def click(self, locator, what: str) -> None:
        with self.page.expect_navigation():
            locator.click()
        self.interactions.append(what)

    def in_view(self, selector: str) -> bool:
        box = self.page.locator(selector).first.bounding_box()
        height = self.page.viewport_size["height"]
        return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height

    def overflows(self) -> list[str]:
        """The elements that stick out to the right of the viewport (the page then scrolls sideways); a
        table inside its own scrolling wrapper does not count."""
        return self.page.evaluate("""() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) { return []; }
            return [...document.querySelectorAll("body *")]
              .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest(".table-wrap"))
              .slice(0, 8).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                                     (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""));
        }""")

    def shot(self, name: str, *, full_page: bool = False) -> None:
        screenshot(self.page, f"jury_{name}", full_page=full_page)

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


def _juror_scores_everything(person: Person, award_year: AwardYear) -> None:
    nominations = list(award_year.nominations.select_related("region").order_by("order"))
    criteria = list(award_year.criteria.order_by("order"))
    marks = {nominations[0].pk: 3, nominations[1].pk: 5, nominations[2].pk: 2}
    person.login("juror1")
    assert person.page.url.endswith("/awards/2023/")  # the login led to the round
    assert "0 av 3 inskickade" in person.page.locator("#progress").inner_text()
    first = person.page.locator(f"#work-{nominations[0].pk}")

    # Two of five scores and a comment, then Submit: refused, but nothing is lost.
    for criterion in criteria[:2]:
        person.check(first.locator(f"input[name=value_{criterion.pk}][value='3']"), "score")
    first.locator(f"textarea[name=comment_{criterion.pk}]").fill("Stark samverkan, tunn uppföljning")
    person.interactions.append("comment")
    person.click(first.locator("button[name=submit][value='1']"), "submit")
    assert person.in_view(f"#work-{nominations[0].pk} .form-error")  # beside the form, not 7 000 px up
    assert "3 av 5 kriterier saknar poäng" in first.locator(".form-error").first.inner_text()
    for criterion in criteria[:2]:
        assert first.locator(f"input[name=value_{criterion.pk}][value='3']").is_checked()
    assert first.locator(f"textarea[name=comment_{criteria[1].pk}]").input_value() == "Stark samverkan, tunn uppföljning"
    person.shot("1_incomplete_kept")

    # The rest: one click per score, one submit per nominee; each submit opens the next nominee.
    for index, nomination in enumerate(nominations):
        panel = person.page.locator(f"#work-{nomination.pk}")
        assert panel.get_attribute("open") is not None
        todo = criteria[2:] if index == 0 else criteria
        for criterion in todo:
            person.check(panel.locator(f"input[name=value_{criterion.pk}][value='{marks[nomination.pk]}']"), "score")
        person.click(panel.locator("button[name=submit][value='1']"), "submit")
        assert f"{index + 1} av 3 inskickade" in person.page.locator("#progress").inner_text()
        if index == 0:
            person.shot("2_next_nominee_open")
    assert person.interactions.count("score") == 15
    assert person.interactions.count("submit") == 4  # 3 nominees + the deliberate incomplete one
    # 18 to complete the three scorecards: 15 scores + 3 submits (the incomplete try and its comment aside).
    assert len(person.interactions) - 2 == 18
    assert person.navigations == 0
    assert person.overflows() == []
    person.shot("3_all_submitted")


def _phone_workspace(browser, base_url: str) -> None:
    phone = Person(browser, base_url, PHONE)
    phone.login("juror2")
    assert "av 3 inskickade" in phone.page.locator("#progress").inner_text()
    phone.shot("4_phone_workspace", full_page=True)
    assert phone.overflows() == []
    phone.close()


def _second_juror_makes_a_tie(award_year: AwardYear) -> tuple[str, str]:
    """juror2 mirrors juror1 on the first two nominees: both end level at 4,00 on every criterion."""
    juror2 = User.objects.get(username="juror2")
    criteria = list(award_year.criteria.all())
    for mark, nomination in zip((5, 3, 2), award_year.nominations.order_by("order"), strict=True):
        services.scores_save(nomination=nomination, juror=juror2, submit=True,
                             entries={c.pk: ScoreEntry(mark) for c in criteria})
    first, second = award_year.nominations.select_related("region").order_by("order")[:2]
    return first.region.name, second.region.name


def _visitor_is_told_it_is_not_published(browser, base_url: str) -> None:
    for viewport, name in ((DESKTOP, "5_not_published"), (PHONE, "5_not_published_phone")):
        visitor = Person(browser, base_url, viewport)
        visitor.go("/awards/2023/")
        main = visitor.page.locator("main").inner_text()
        assert "Resultatet för 2023 är inte publicerat ännu." in main
        assert visitor.page.locator("main a[href^='/accounts/login/']").count() == 1
        visitor.shot(name)
        # The page itself answers 404 (no public page yet): the only console line is about that.
        assert visitor.errors == [f"404 {base_url}/awards/2023/",
                                  "Failed to load resource: the server responded with a status of 404 (Not Found)"]
        visitor.errors.clear()
        visitor.close()


def _chair_decides(person: Person, award_year: AwardYear, level: tuple[str, str]) -> None:
    person.login("chair")
    person.go("/awards/2023/")
    person.page.fill("#id_announced_on", "2024-09-12")
    person.page.fill("#id_scoring_deadline", "2024-06-01T17:00")
    person.click(person.page.locator("form.schedule-form button"), "save dates")
    assert "Datumen är sparade." in person.page.locator("main").inner_text()
    person.click(person.page.locator("form[action$='/close/'] button"), "close")
    assert person.page.url.endswith("/awards/2023/results/")
    person.page.wait_for_selector("[data-figure=fig-scores] .main-svg")
    tie = person.page.locator("#tie").inner_text()
    assert f"Lika i toppen efter steg 1 och 2: {level[0]}, {level[1]}." in tie
    assert "4,00" in person.page.locator("section.result").first.inner_text()
    assert person.overflows() == []
    person.shot("6_chair_results_tie", full_page=True)

    halland = award_year.nominations.get(region__name=level[1])
    person.page.locator(f"form.casting-form input[value='{halland.pk}']").check()
    person.page.fill("form.casting-form textarea[name=reason]", REASON)
    person.click(person.page.locator("form.casting-form button"), "casting vote")
    first = person.page.locator("section.result").first.inner_text()
    assert first.startswith(f"1. {level[1]}") and "utslagsröst avgjorde" in first
    person.page.locator(f"form[action$='/winner/'] input[value='{halland.pk}']").check()
    person.page.fill("textarea[name=motivation_sv]", MOTIVATION_SV)
    person.page.fill("textarea[name=motivation_en]", MOTIVATION_EN)
    person.click(person.page.locator("form[action$='/winner/'] button"), "winner")
    person.go("/awards/2023/decision/")
    record = person.page.locator("main").inner_text()
    for text in (MOTIVATION_SV, REASON, "12 september 2024", "chair", "Regel vid lika resultat"):
        assert text in record, text
    assert person.overflows() == []
    person.shot("7_decision_record", full_page=True)
    person.go("/awards/2023/results/")
    person.click(person.page.locator("form.publish-form button"), "publish")
    assert person.page.url.endswith("/awards/2023/")
    assert "12 september 2024" in person.page.locator("main").inner_text()
    person.shot("8_published")


def _phone_results(browser, base_url: str) -> None:
    chair = Person(browser, base_url, PHONE)
    chair.login("chair")
    chair.go("/awards/2023/decision/")
    assert chair.overflows() == []
    chair.shot("9_phone_decision_record", full_page=True)
    chair.close()


def _admin_sees_the_tie_and_a_fitting_admin(browser, base_url: str) -> None:
    suggestion = shortlist_suggestion(award_year=AwardYear.objects.get(year=2023))
    tied = next(row for row in suggestion.rows[:4] if row.tied_with)
    # The widest row the batch list has to hold: a long file name and a failed task's long error.
    ImportBatch.objects.create(
        original_name="exportstatistik_lan_2024_reviderad_slutlig.xlsx", sha256="0" * 64, source=Source.objects.first(),
        status=ImportBatch.Status.FAILED, error="OperationalError: could not connect to server: " + "x" * 200,
    )
    admin = Person(browser, base_url)
    admin.login("admin")
    admin.go("/awards/2023/shortlist/")
    row = admin.page.locator("table.ranking tbody tr", has_text=tied.name).first.inner_text()
    assert f"lika med {tied.tied_with[0]}" in row
    assert "Regel vid lika resultat" in admin.page.locator("#tie-rule").inner_text()
    admin.shot("10_shortlist_tie", full_page=True)
    for path, name in (("/admin/", "11_admin_index"), ("/admin/stats/importbatch/", "12_admin_batches"),
                       ("/admin/stats/source/", "13_admin_sources"), ("/admin/awards/awardyear/", "14_admin_years")):
        admin.go(path)
        assert "Exportregion: administration" in admin.page.locator("#site-name").inner_text()
        admin.shot(name)
        assert admin.overflows() == [], path
        # The admin scrolls a wide list inside its box: the list itself must fit too.
        assert admin.page.evaluate("""() => { const list = document.querySelector("#result_list");
            return !list || list.scrollWidth <= list.parentElement.clientWidth; }"""), path
    admin.close()


def test_a_round_without_a_lost_input_and_a_decision_on_record(browser, demo_round, live_server):
    award_year = demo_round
    juror = Person(browser, live_server.url)
    _juror_scores_everything(juror, award_year)
    juror.close()
    _phone_workspace(browser, live_server.url)
    level = _second_juror_makes_a_tie(award_year)
    _visitor_is_told_it_is_not_published(browser, live_server.url)

    chair = Person(browser, live_server.url)
    _chair_decides(chair, award_year, level)
    chair.close()
    year = AwardYear.objects.get(year=2023)
    assert year.status == AwardYear.Status.PUBLISHED and year.casting_vote.region.name == level[1]
    _phone_results(browser, live_server.url)
    _admin_sees_the_tie_and_a_fitting_admin(browser, live_server.url)
