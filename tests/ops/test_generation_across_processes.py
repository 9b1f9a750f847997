"""A change made in one process shows on the pages of every web process as soon as it is committed, although
a web process on PostgreSQL keeps the cache generation between requests (stats/generation_watch.py)."""

from django.db import connection

from regions.models import Region
from tests.conftest import wait_for
from tests.ops.test_postgres_restart import fetch, gunicorn  # noqa: F401 - the fixture

NEW_NAME = "Norrbotten (nytt namn)"
PAGES = ["/regions/25/", "/compare/?regions=25,14", "/regions/"]


def _listening_processes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND query = 'LISTEN exportregion_generation'")
        return cursor.fetchone()[0]


def _every_page_shows_the_new_name(base: str) -> bool:
    return all(NEW_NAME in fetch(base, page).body for _ in range(2) for page in PAGES)


def test_a_region_renamed_elsewhere_shows_at_once_in_every_web_process(gunicorn):  # noqa: F811
    base, _server, log = gunicorn
    for _ in range(6):  # both gunicorn workers answer some of these and keep the pages in their caches
        for page in PAGES:
            hit = fetch(base, page)
            assert hit.status == 200 and "Norrbotten" in hit.body and NEW_NAME not in hit.body, log.read_text()
    if connection.vendor == "postgresql":
        assert _listening_processes() >= 1  # the cached pages came without reading the generation

    region = Region.objects.get(code="25")
    region.name = NEW_NAME
    region.save()  # committed, as by the admin in another process

    # The server sends the notification to each listening connection just after the commit (usually within a
    # tenth of a millisecond, a few milliseconds when every core is busy), so a request sent in that instant
    # may still get the old page. A watch that misses the notification keeps the old pages for good.
    wait_for(lambda: _every_page_shows_the_new_name(base), timeout=10, what=f"every page to show {NEW_NAME}")
    for _ in range(6):
        for page in PAGES:
            hit = fetch(base, page)
            assert hit.status == 200 and NEW_NAME in hit.body, (page, log.read_text())
