"""The batch pages (the list with the upload form, a batch in every state that shows something of its
own) rendered in Swedish show no English word."""

import pytest

from stats import import_batches
from stats.models import ImportBatch, Source
from tests.stats.test_views_import_preview import WIDE, _preview, revision_file
from tests.swedish import english_words


def _swedish(client, url: str, **post) -> str:
    response = client.post(url, post, HTTP_ACCEPT_LANGUAGE="sv") if post else client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code in (200, 400)
    return response.content.decode()


def test_the_helper_finds_english():
    assert english_words('<p title="Upload a file">Visar 200 av 750</p><button>Confirm import</button>') == [
        "Upload", "file", "Confirm"]
    assert english_words("<p>Ladda upp revision.csv</p><script>var batch = 1;</script>") == []


@pytest.mark.parametrize("state", ["preview", "done", "discarded", "reverted", "failed", "queued"])
def test_a_batch_page_in_swedish_has_no_english(admin_client, demo, state):
    batch = _preview(revision_file(), language="sv")
    if state in ("done", "reverted"):
        import_batches.import_batch_confirm(batch_id=batch.pk)
        import_batches.import_batch_commit(batch_id=batch.pk)
    if state == "reverted":
        import_batches.import_batch_revert(batch_id=batch.pk)
    if state == "discarded":
        import_batches.import_batch_discard(batch_id=batch.pk)
    if state in ("failed", "queued"):
        ImportBatch.objects.filter(pk=batch.pk).update(status=state, error="")
    assert ImportBatch.objects.get(pk=batch.pk).status == state
    assert english_words(_swedish(admin_client, f"/imports/{batch.pk}/")) == []


def test_a_rejected_wide_file_and_the_list_in_swedish_have_no_english(admin_client, db):
    batch = _preview(WIDE, name="bred.csv", language="sv")
    assert batch.status == ImportBatch.Status.REJECTED
    assert english_words(_swedish(admin_client, f"/imports/{batch.pk}/")) == []
    import_batches.import_batch_create(content=WIDE, original_name="kö.csv", source=Source.objects.get(is_default=True),
                                enqueue=False)
    assert english_words(_swedish(admin_client, "/imports/")) == []


def test_the_upload_form_with_its_errors_in_swedish_has_no_english(admin_client, db):
    assert english_words(_swedish(admin_client, "/imports/", source="999")) == []


def test_the_same_check_finds_the_english_page(admin_client, demo):
    batch = _preview(revision_file(), language="en")
    html = admin_client.get(f"/imports/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert {"Confirm", "Revised", "values"} <= set(english_words(html))
