"""Loading's two ways in (PostgreSQL: COPY straight into the table when none of the batch's keys
is stored yet; otherwise a temporary table and one diff join) and the counts taken from the
statements' row counts."""

import logging
import math

import numpy as np
import pandas as pd
import pytest
from django.db import connection

from stats import import_batches
from stats.import_batches import import_file_now
from stats.loading import incoming_rows, observations_diff, observations_load
from stats.models import ImportBatch, Observation, ObservationHistory, Source

HEADER = "Län;År;Varuexport, mnkr;Antal exporterande företag\n"


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def _import(content: bytes, **kw):
    return import_file_now(content=content, original_name="t.csv", source=Source.objects.get(is_default=True), **kw)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    names = ["region", "year", "indicator", "firm_size", "sector", "value", "flag"]
    frame = pd.DataFrame(rows, columns=names)
    frame["value"] = frame["value"].astype("float64")
    frame["line"] = np.arange(2, len(frame) + 2)
    return frame


def _batch() -> ImportBatch:
    return ImportBatch.objects.create(original_name="frame", sha256="0" * 64, source=Source.objects.get(is_default=True),
                                      status=ImportBatch.Status.LOADING)


def _load(frame: pd.DataFrame, batch: ImportBatch):
    return observations_load(frame, source_id=batch.source_id, batch_id=batch.pk)


def _stored() -> dict:
    return {
        (o.region.code, o.indicator.code, o.year, o.firm_size, o.sector): (o.value, o.flag, o.batch_id)
        for o in Observation.objects.select_related("region", "indicator")
    }


def test_a_batch_with_new_revised_and_unchanged_values_counts_each(db):
    _, first, _ = _import(_csv(["25;2021;11 040,2;512", "14;2021;95 000,0;3 100"]))
    _, second, diff = _import(_csv(["25;2021;11 040,2;513", "14;2021;95 000,0;3 100", "01;2021;..;7"]))
    assert (diff.new, diff.revised, diff.unchanged) == (2, 1, 3)
    assert (second.new_count, second.revised_count, second.unchanged_count) == (2, 1, 3)
    stored = _stored()
    assert stored[("25", "exporting_firms", 2021, "all", "")] == (513.0, "given", second.pk)
    assert stored[("25", "goods_export_msek", 2021, "all", "")] == (11040.2, "given", first.pk)
    assert stored[("01", "goods_export_msek", 2021, "all", "")] == (None, "missing", second.pk)
    history = ObservationHistory.objects.get()
    assert (history.value, history.batch_id, history.replaced_by_id) == (512.0, first.pk, second.pk)
    assert second.revisions == [{"region": "25", "indicator": "exporting_firms", "year": 2021, "firm_size": "all",
                                 "sector": "", "old": 512.0, "new": 513.0, "flag": "given"}]


def test_a_new_year_beside_stored_ones_is_all_new(db):
    _import(_csv(["25;2021;1,0;1", "14;2021;2,0;2"]))
    _, batch, diff = _import(_csv(["25;2022;3,0;3", "14;2022;4,0;4"]))
    assert (diff.new, diff.revised, diff.unchanged) == (4, 0, 0)
    assert len(_stored()) == 8
    assert Observation.objects.filter(batch=batch, year=2022, source__is_default=True).count() == 4
    assert not ObservationHistory.objects.exists()


def test_a_dry_run_previews_new_and_revised_values(db):
    _import(_csv(["25;2021;1,0;1"]))
    before = _stored()
    result, batch, diff = _import(_csv(["25;2021;1,5;1", "25;2022;2,0;2"]), dry_run=True)
    assert batch is None and (diff.new, diff.revised, diff.unchanged) == (2, 1, 1)
    assert [(r["old"], r["new"]) for r in diff.revisions] == [(1.0, 1.5)]
    assert _stored() == before
    assert observations_diff(result.frame, source=Source.objects.get(slug="scb-head-office")).new == 4


AWKWARD = [
    ("25", 2021, "goods_export_msek", "all", 'Jord, skog "och" trä', 0.1 + 0.2, "given"),
    ("25", 2021, "exporting_firms", "sme", "", math.nan, "confidential"),
    ("14", 2020, "goods_export_msek", "large", "Miljöteknik\\Energi", 123456789.123456789, "given"),
    ("14", 2020, "population", "all", "", 1e-7, "derived"),
    ("00", 2020, "population", "all", "x", 0.0, "zero"),
    ("01", 2020, "population", "all", "", -0.0, "given"),
]


def test_texts_and_values_round_trip_exactly_through_both_paths(db):
    frame = _frame(AWKWARD)
    first = _batch()
    diff = _load(frame, first)
    assert (diff.new, diff.revised, diff.unchanged) == (6, 0, 0)
    stored = _stored()
    for region, year, indicator, size, sector, value, flag in AWKWARD:
        got_value, got_flag, batch_id = stored[(region, indicator, year, size, sector)]
        assert (got_flag, batch_id) == (flag, first.pk)
        if got_value is None:
            assert math.isnan(value)
        else:  # exact: no rounding on the way, not even of a sign (SQLite itself stores -0.0 as 0)
            assert got_value == value
            if connection.vendor == "postgresql":
                assert math.copysign(1, got_value) == math.copysign(1, value)
    again = _load(frame, _batch())  # every key stored: the temporary-table path
    assert (again.new, again.revised, again.unchanged) == (0, 0, 6)
    assert _stored() == stored


def test_an_identical_batch_writes_nothing(db):
    frame = _frame(AWKWARD)
    _load(frame, _batch())
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM stats_cachegeneration")
        generation = cursor.fetchone()
    diff = _load(frame, _batch())
    assert diff.changes == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM stats_cachegeneration")
        assert cursor.fetchone() == generation


def test_a_batch_cancelled_before_its_load_takes_the_row_lock_stores_nothing(db, monkeypatch):
    batch = _batch()
    real = import_batches._frame_to_load

    def read_then_cancel(b):
        frame = real(b)
        import_batches.import_batch_cancel(batch_id=b.pk)  # the admin presses Cancel as the load starts
        return frame

    monkeypatch.setattr(import_batches, "_frame_to_load", read_then_cancel)
    monkeypatch.setattr(import_batches, "batch_frame", lambda b: _frame(AWKWARD))
    import_batches.import_batch_commit(batch_id=batch.pk)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.CANCELLED
    assert not Observation.objects.exists()


def test_incoming_rows_maps_codes_to_ids(db):
    rows = incoming_rows(_frame(AWKWARD))
    assert list(rows.columns) == ["region_id", "indicator_id", "year", "firm_size", "sector", "value", "flag"]
    assert rows["region_id"].dtype == "int64" and rows["year"].dtype == "int64"
    assert sorted(rows["sector"].tolist()) == sorted(row[4] for row in AWKWARD)
    key = ["region_id", "indicator_id", "year", "firm_size", "sector"]
    # In the unique key's order (text by code point): what COPY writes and the index build finds sorted.
    assert list(rows[key].itertuples(index=False)) == sorted(rows[key].itertuples(index=False))
    with pytest.raises(ValueError, match="does not know"):
        incoming_rows(_frame([("99", 2021, "goods_export_msek", "all", "", 1.0, "given")]))


def _schema() -> list:
    with connection.cursor() as cursor:
        cursor.execute("""SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                          WHERE conrelid = 'stats_observation'::regclass ORDER BY 1""")
        constraints = cursor.fetchall()
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'stats_observation' ORDER BY 1")
        return constraints + cursor.fetchall()


def _phases(caplog) -> dict:
    return next(r.phases for r in caplog.records if r.name == "stats.loading" and hasattr(r, "phases"))


postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the bulk path is PostgreSQL's")


@postgres_only
def test_a_large_batch_into_an_empty_table_builds_the_same_indexes_after_loading(transactional_db, monkeypatch,
                                                                                caplog):
    import stats.loading

    monkeypatch.setattr(stats.loading, "BULK_ROWS", 3)
    before = _schema()
    frame = _frame(AWKWARD)
    batch = _batch()
    with caplog.at_level(logging.DEBUG, logger="stats.loading"):
        diff = _load(frame, batch)
    assert "index" in _phases(caplog)
    assert (diff.new, diff.revised, diff.unchanged) == (6, 0, 0)
    assert _schema() == before
    assert len(_stored()) == 6 and {v[2] for v in _stored().values()} == {batch.pk}
    again = _load(frame, _batch())  # no longer empty: the ordinary path
    assert (again.new, again.revised, again.unchanged) == (0, 0, 6)


@postgres_only
def test_inside_a_callers_transaction_a_large_batch_takes_the_ordinary_path(db, monkeypatch, caplog):
    import stats.loading

    monkeypatch.setattr(stats.loading, "BULK_ROWS", 3)
    with caplog.at_level(logging.DEBUG, logger="stats.loading"):
        diff = _load(_frame(AWKWARD), _batch())  # `db` wraps the test in a transaction
    assert "index" not in _phases(caplog) and "copy" in _phases(caplog)
    assert (diff.new, diff.revised, diff.unchanged) == (6, 0, 0)


@postgres_only
def test_a_bulk_load_that_fails_leaves_table_and_indexes_as_they_were(transactional_db, monkeypatch):
    from django.db import IntegrityError

    import stats.loading

    monkeypatch.setattr(stats.loading, "BULK_ROWS", 3)
    before = _schema()
    duplicated = _frame(AWKWARD + AWKWARD[:1])  # the reader never lets this through; the unique index does not either
    with pytest.raises(IntegrityError):
        _load(duplicated, _batch())
    assert _schema() == before
    assert not Observation.objects.exists()
