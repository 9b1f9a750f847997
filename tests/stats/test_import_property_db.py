"""Property: through the whole pipeline (read, validate, load), a mutated file either imports whole or
changes no table; never an exception, never a partial write."""

from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stats.import_batches import import_file_now
from stats.models import Source
from tests.stats.test_importing_property import mutated_lines
from tests.stats.test_loading import _snapshot


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=mutated_lines(), indicator=st.sampled_from(["", "population", "goods_export_msek"]))
def test_a_mutated_file_imports_whole_or_changes_nothing(db, lines, indicator):
    content = "\n".join(lines).encode()
    before = _snapshot()
    source = Source.objects.get(is_default=True)
    result, batch, diff = import_file_now(content=content, original_name="m.csv", source=source, indicator=indicator)
    if not result.ok:
        assert batch is None and _snapshot() == before
        return
    assert batch is not None and batch.status == "done"
    assert diff.new + diff.revised + diff.unchanged == len(result.frame)
    # Every value of the file is now current (whole), and nothing else changed but these rows.
    assert _count("stats_observation") == len(before["stats_observation"]) + diff.new
