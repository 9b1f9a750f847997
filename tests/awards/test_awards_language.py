"""No English on the Swedish admin and jury pages (tests/language.py lists what a reader would see)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from awards import services
from stats.models import ImportBatch, Indicator, Source
from tests.awards.conftest import nomination, score_all
from tests.language import english_words


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("sofia", password="x")


@pytest.fixture(autouse=True)
def _swedish_usernames(juror, juror2, chair) -> None:
    # The shared cast's usernames hold English words (jo-juror, cecilia-chair): data, not interface.
    for user, name in ((juror, "jonas"), (juror2, "johanna"), (chair, "cecilia")):
        user.username = name
        user.save(update_fields=["username"])


def _content() -> tuple[str, ...]:
    """Reference data that is English by nature: the sources' names and publishers, the indicator codes
    (stable identifiers of the CLI and the API)."""
    texts = [text for pair in Source.objects.values_list("name", "publisher") for text in pair]
    return tuple(texts + list(Indicator.objects.values_list("code", flat=True)))


ADMIN_PAGES = ("/admin/", "/admin/awards/awardyear/", "/admin/awards/score/", "/admin/awards/auditentry/",
               "/admin/awards/jurorreminder/", "/admin/stats/source/", "/admin/stats/importbatch/",
               "/admin/stats/indicator/", "/admin/regions/region/")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_the_swedish_admin_speaks_swedish(client, superuser, award_year, path):
    client.force_login(superuser)
    response = client.get(path)
    assert response.status_code == 200
    assert english_words(response.content.decode(), content=_content()) == []


def test_an_import_batch_in_the_admin_speaks_swedish(client, superuser):
    batch = ImportBatch.objects.create(original_name="lan.csv", sha256="0" * 64, source=Source.objects.first(),
                                       status=ImportBatch.Status.DONE)
    client.force_login(superuser)
    body = client.get(f"/admin/stats/importbatch/{batch.pk}/change/").content.decode()
    assert f"importomgång {batch.pk}: lan.csv" in body
    assert english_words(body, content=_content()) == []


def test_the_admin_is_branded(client, superuser):
    client.force_login(superuser)
    body = client.get("/admin/").content.decode()
    assert "Exportregion: administration" in body and "Django" not in body
    for name in ("Årets Exportregion", "Prisår", "Källor", "Importomgångar", "Regioner", "Statistik"):
        assert name in body, name


def test_the_year_form_in_the_admin_speaks_swedish(client, superuser, award_year):
    client.force_login(superuser)
    body = client.get(f"/admin/awards/awardyear/{award_year.pk}/change/").content.decode()
    # The criteria's and statements' English texts are content the form edits, not interface.
    english = [text for c in award_year.criteria.all() for text in (c.name_en, c.description_en)]
    english += [n.statement_en for n in award_year.nominations.all()]
    assert english_words(body, content=tuple(english)) == []
    assert "Sista dag för bedömningen" in body


def test_the_jury_workspace_speaks_swedish(client, juror, award_year):
    client.force_login(juror)
    first = award_year.criteria.order_by("order").first()
    response = client.post(f"/awards/2024/nominations/{nomination(award_year, '25').pk}/score/",
                           {"submit": "1", f"value_{first.pk}": "3"})  # the incomplete-submission error too
    assert "saknar poäng" in response.content.decode()
    assert english_words(response.content.decode()) == []


def test_the_chairs_pages_speak_swedish(client, juror, juror2, chair, award_year):
    client.force_login(chair)
    assert english_words(client.get("/awards/2024/").content.decode()) == []
    score_all(award_year, juror, {"25": 4, "13": 4, "12": 2})
    score_all(award_year, juror2, {"25": 4, "13": 4, "12": 3})
    services.scoring_close(award_year=award_year, actor=chair)
    for path in ("/awards/2024/results/", "/awards/2024/decision/"):
        body = client.get(path).content.decode()
        assert english_words(body) == [], path


def test_the_helper_finds_english_and_ignores_what_is_marked_english():
    html = ('<main><h1>Årets Exportregion</h1><p title="Your scores">Poäng</p><button>Submit</button>'
            '<a lang="en" href="/en">English page</a><script>var the = 1;</script></main>')
    assert english_words(html) == ["scores", "submit", "your"]
    assert english_words("<p>Region, import, status och median är svenska ord också.</p>") == []
