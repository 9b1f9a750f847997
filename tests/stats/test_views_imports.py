"""The batch page: what an identical re-upload is recognised as."""

from stats.import_batches import import_file_now
from stats.models import Source

CONTENT = "Län;År;Varuexport, mnkr\n25;2021;11 040,2\n".encode()


def _import():
    return import_file_now(content=CONTENT, original_name="t.csv", source=Source.objects.get(is_default=True))[1]


def test_an_identical_reupload_names_the_batch_with_the_same_file(admin_client):
    first, second = _import(), _import()
    html = admin_client.get(f"/imports/{second.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'The same file as <a href="/imports/{first.pk}/">batch {first.pk}</a>' in html
    assert "Nothing changed: every value in this file is already stored." in html
    assert "The same file as" not in admin_client.get(f"/imports/{first.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
