"""Loading: one transaction, new/revised/unchanged, history, exact revert, atomic rejection."""

import pytest
from django.core.management import call_command
from django.db import connection

from stats.import_batches import import_file_now
from stats.models import ImportBatch, Observation, ObservationHistory, Source

HEADER = "Län;År;Varuexport, mnkr;Antal exporterande företag\n"


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def _import(content: bytes, name: str = "t.csv", **kw):
    source = Source.objects.get(is_default=True)
    return import_file_now(content=content, original_name=name, source=source, **kw)


def _snapshot() -> dict:
    tables = ["stats_observation", "stats_observationhistory", "stats_importbatch", "stats_cachegeneration"]
    out = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608
            out[table] = cursor.fetchall()
    return out


def _values() -> dict:
    return {
        (o.region.code, o.indicator.code, o.year): (o.value, o.flag)
        for o in Observation.objects.select_related("region", "indicator")
    }


def test_first_import_creates_values_and_names_its_batch(db):
    result, batch, diff = _import(_csv(["25;2021;11 040,2;512", "14;2021;95 000,0;3 100"]))
    assert result.ok and batch is not None
    assert (diff.new, diff.revised, diff.unchanged) == (4, 0, 0)
    assert _values()[("25", "goods_export_msek", 2021)] == (11040.2, "given")
    assert batch.status == ImportBatch.Status.DONE and batch.new_count == 4


def test_identical_reimport_changes_nothing(db):
    content = _csv(["25;2021;11 040,2;512"])
    _import(content)
    before = _values()
    _, batch, diff = _import(content)
    assert (diff.new, diff.revised, diff.unchanged) == (0, 0, 2)
    assert _values() == before
    assert not ObservationHistory.objects.exists()
    assert batch.status == ImportBatch.Status.DONE


def test_revision_keeps_history_and_revert_restores_exactly(db):
    _, first, _ = _import(_csv(["25;2021;11 040,2;512", "14;2021;95 000,0;3 100"]))
    before = _snapshot()["stats_observation"]
    _, second, diff = _import(_csv(["25;2021;11 100,0;512", "14;2021;95 000,0;3 100", "01;2021;1,5;7"]))
    assert (diff.new, diff.revised, diff.unchanged) == (2, 1, 3)
    assert _values()[("25", "goods_export_msek", 2021)] == (11100.0, "given")
    assert ObservationHistory.objects.get().value == 11040.2
    assert second.revisions[0]["old"] == 11040.2 and second.revisions[0]["new"] == 11100.0

    call_command("revert_import", str(second.pk), stdout=open("/dev/null", "w"))
    assert _snapshot()["stats_observation"] == before
    assert not ObservationHistory.objects.exists()
    assert ImportBatch.objects.get(pk=second.pk).status == ImportBatch.Status.REVERTED
    assert first.pk != second.pk


def test_revert_refuses_while_a_later_batch_revised_the_values(db):
    from stats.import_batches import RevertRefused, import_batch_revert

    _, first, _ = _import(_csv(["25;2021;1,0;1"]))
    _, second, _ = _import(_csv(["25;2021;2,0;1"]))
    with pytest.raises(RevertRefused, match=f"revert batch {second.pk} first"):
        import_batch_revert(batch_id=first.pk)
    assert ImportBatch.objects.get(pk=first.pk).status == ImportBatch.Status.DONE
    import_batch_revert(batch_id=second.pk)
    import_batch_revert(batch_id=first.pk)
    assert not Observation.objects.exists()
    with pytest.raises(RevertRefused, match="only a finished import"):
        import_batch_revert(batch_id=first.pk)


def test_a_bad_last_line_changes_no_table(db):
    _import(_csv(["25;2021;11 040,2;512"]))
    before = _snapshot()
    rows = [f"{code:02d};2020;{code},5;{code}" for code in (1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14)]
    result, batch, diff = _import(_csv([*rows, "Lappland;2020;1,0;1"]))
    assert not result.ok and batch is None and diff is None
    assert _snapshot() == before


def test_dry_run_changes_nothing(db):
    before = _snapshot()
    result, batch, diff = _import(_csv(["25;2021;11 040,2;512"]), dry_run=True)
    assert result.ok and batch is None and diff.new == 2
    assert _snapshot() == before


def test_cli_dry_run_lists_the_revisions_and_changes_nothing(db, tmp_path):
    import io

    _import(_csv(["25;2021;11 040,2;512"]))
    revised = tmp_path / "revised.csv"
    revised.write_bytes(_csv(["25;2021;11 100,0;512"]))
    before = _snapshot()
    out = io.StringIO()
    call_command("import_stats", str(revised), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{revised}: dry run: 2 values: 0 new, 1 revised, 1 unchanged; 0 warnings",
        "  revised 25 goods_export_msek 2021 (all): 11040.2 -> 11100",
    ]
    assert _snapshot() == before


def test_sources_are_stored_side_by_side(db):
    other = Source.objects.get(slug="scb-head-office")
    _import(_csv(["25;2021;1,0;1"]))
    import_file_now(content=_csv(["25;2021;2,0;1"]), original_name="h.csv", source=other)
    assert sorted(Observation.objects.filter(indicator__code="goods_export_msek").values_list("value", flat=True)) == [
        1.0, 2.0,
    ]


def test_loading_uses_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    small = _csv(["25;2021;1,0;1"])
    rows = [f"{code:02d};{year};{code},5;{year - 2000}" for code in (1, 3, 4, 5, 6, 7, 8, 9, 10, 12) for year in
            range(2000, 2024)]
    _import(small)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _import(_csv(["25;2020;1,0;1"]))
    with CaptureQueriesContext(connection) as many:
        _import(_csv(rows[:120]))
    if connection.vendor == "postgresql":
        assert len(many.captured_queries) == len(few.captured_queries)
    else:  # SQLite: one bulk INSERT per 150 rows into the temporary table
        assert len(many.captured_queries) <= len(few.captured_queries) + 2
