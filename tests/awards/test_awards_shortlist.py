"""The statistics admin's steps: the suggested shortlist, the nominees and their statements."""

from awards.models import AuditEntry, AwardYear
from tests.awards.conftest import make_year, nomination

Status = AwardYear.Status


def test_the_suggestion_page_ranks_every_county_and_preselects_the_top_three(admin_client, statistics):
    make_year(2024, status=Status.PREPARING, nominees=())
    response = admin_client.get("/awards/2024/shortlist/")
    assert response.status_code == 200
    suggestion = response.context["suggestion"]
    assert len(suggestion.rows) == 21 and suggestion.top_codes[0] == "25"
    body = response.content.decode()
    assert body.count('name="regions"') == 21
    assert body.count(" checked") == 3
    assert "plats 1 av 21 län" in body


def test_accepting_the_suggestion_nominates_with_its_sentences(admin_client, statistics):
    award_year = make_year(2024, status=Status.PREPARING, nominees=())
    response = admin_client.post("/awards/2024/shortlist/", {"regions": ["25", "13", "07"]})
    assert response.status_code == 302 and response["Location"] == "/awards/2024/#nominees"
    award_year.refresh_from_db()
    assert award_year.status == Status.NOMINATING
    assert nomination(award_year, "25").statement_sv.startswith("Norrbotten ökade sitt varuexportvärde")
    assert award_year.audit_entries.filter(action=AuditEntry.Action.NOMINATION_ADDED).count() == 3


def test_an_empty_choice_is_an_error_not_a_change(admin_client, award_year):
    AwardYear.objects.filter(pk=award_year.pk).update(status=Status.NOMINATING)
    response = admin_client.post("/awards/2024/shortlist/", {})
    assert response.status_code == 200 and response.context["form"].errors
    assert award_year.nominations.count() == 3


def test_the_shortlist_works_without_statistics(admin_client, db):
    make_year(2024, status=Status.PREPARING, nominees=())
    response = admin_client.get("/awards/2024/shortlist/")
    assert response.status_code == 200 and response.context["suggestion"] is None
    admin_client.post("/awards/2024/shortlist/", {"regions": ["25"]})
    assert AwardYear.objects.get(year=2024).nominations.count() == 1


def test_editing_a_statement(admin_client, award_year):
    url = f"/awards/2024/nominations/{nomination(award_year, '25').pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"statement_sv": "Ny motivering", "statement_en": "New statement"})
    assert response.status_code == 302
    assert nomination(award_year, "25").statement_sv == "Ny motivering"
    assert admin_client.post(url, {"statement_sv": "", "statement_en": ""}).status_code == 200  # required


def test_the_nominees_keep_the_order_they_were_chosen_in(admin_client, statistics):
    # The page lists the counties by the suggestion's rank, so the browser posts them in that order.
    award_year = make_year(2024, status=Status.PREPARING, nominees=())
    admin_client.post("/awards/2024/shortlist/", {"regions": ["25", "13", "07", "03"]})
    assert [n.region.code for n in award_year.nominations.all()] == ["25", "13", "07", "03"]
    assert list(award_year.nominations.values_list("order", flat=True)) == [1, 2, 3, 4]
