"""`load_demo` at every `make run`: each demo file loads at most once and never over an admin's upload."""

import io

import pytest
from django.core.management import call_command

from stats.import_batches import import_file_now
from stats.models import ImportBatch, Observation, Source

REVISION = (
    "Region;År;Företagsstorlek;Varuexport per invånare, kr\n"
    "01;2016;Små och medelstora företag;20815\n"
    "01;2017;Små och medelstora företag;21002\n"
)


def _load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _stockholm_sme(year: int) -> float | None:
    return Observation.objects.get(
        region__code="01", indicator__code="goods_export_per_capita_sek", year=year, firm_size="sme",
        sector="", source__slug="scb-workplace",
    ).value


@pytest.mark.django_db
def test_a_second_load_demo_keeps_an_uploaded_revision_and_adds_no_batch(settings):
    settings.DEBUG = True
    first = _load_demo()
    assert "batch" in first and "skipped" not in first
    demo_value = _stockholm_sme(2016)
    assert demo_value != 20815
    result, batch, diff = import_file_now(
        content=REVISION.encode(), original_name="revision.csv", source=Source.objects.get(slug="scb-workplace")
    )
    assert result.ok and diff.revised == 2
    batches = list(ImportBatch.objects.values_list("pk", "status", "sha256"))
    values = dict(Observation.objects.values_list("id", "value"))

    second = _load_demo()

    assert second.count("already loaded as batch") == 2
    assert list(ImportBatch.objects.values_list("pk", "status", "sha256")) == batches
    assert dict(Observation.objects.values_list("id", "value")) == values
    assert (_stockholm_sme(2016), _stockholm_sme(2017)) == (20815, 21002)


@pytest.mark.django_db
def test_a_changed_demo_file_adds_only_values_that_are_not_stored(settings):
    settings.DEBUG = True
    _load_demo()
    workplace = Source.objects.get(slug="scb-workplace")
    import_file_now(content=REVISION.encode(), original_name="revision.csv", source=workplace)
    batches = ImportBatch.objects.count()
    # A new version of a demo file (another hash): its value for a stored key is left out, a new key loads.
    changed = REVISION.replace("21002", "1").replace("01;2016", "01;2024")

    result, batch, diff = import_file_now(
        content=changed.encode(), original_name="demo.csv", source=workplace, new_values_only=True
    )

    assert result.ok and batch is not None
    assert (diff.new, diff.revised) == (1, 0)
    assert ImportBatch.objects.count() == batches + 1
    assert (_stockholm_sme(2016), _stockholm_sme(2017), _stockholm_sme(2024)) == (20815, 21002, 20815)


@pytest.mark.django_db
def test_a_demo_file_with_every_value_stored_creates_no_batch(settings):
    settings.DEBUG = True
    _load_demo()
    workplace = Source.objects.get(slug="scb-workplace")
    batches = ImportBatch.objects.count()

    result, batch, diff = import_file_now(
        content=REVISION.replace("20815", "1").encode(), original_name="demo.csv", source=workplace,
        new_values_only=True,
    )

    assert result.ok and batch is None and diff.unchanged == 2
    assert ImportBatch.objects.count() == batches
    assert _stockholm_sme(2016) != 1
