"""A statistics admin who is not a superuser works in the Django admin as DESIGN says: edits regions,
sources and nominations, sees the import batches; nothing else."""

import pytest

from regions.models import Region

ALLOWED = [
    "/admin/regions/region/",
    "/admin/regions/region/{region}/change/",
    "/admin/stats/source/",
    "/admin/stats/source/add/",
    "/admin/awards/awardyear/",
    "/admin/stats/importbatch/",
]
REFUSED = ["/admin/auth/user/", "/admin/auth/group/", "/admin/awards/score/"]


@pytest.fixture
def staff_stats_admin(client, stats_admin):
    stats_admin.is_staff = True
    stats_admin.save()
    client.force_login(stats_admin)
    return client


@pytest.mark.parametrize("path", ALLOWED)
def test_the_admin_lists_and_forms_of_their_models_open(staff_stats_admin, path):
    region = Region.objects.get(code="25")
    assert staff_stats_admin.get(path.format(region=region.pk)).status_code == 200


@pytest.mark.parametrize("path", REFUSED)
def test_other_models_stay_closed(staff_stats_admin, path):
    assert staff_stats_admin.get(path).status_code == 403


def test_they_edit_a_region(staff_stats_admin):
    region = Region.objects.get(code="25")
    form = staff_stats_admin.get(f"/admin/regions/region/{region.pk}/change/")
    fields = {k: v for k, v in form.context["adminform"].form.initial.items() if v is not None}
    fields["official_name"] = "Norrbottens län (ändrat)"
    fields["aliases"] = '["Region Norrbotten"]'
    response = staff_stats_admin.post(f"/admin/regions/region/{region.pk}/change/", fields)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    region.refresh_from_db()
    assert region.official_name == "Norrbottens län (ändrat)"
