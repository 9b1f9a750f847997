"""The selectors' query budgets: each reads the database a fixed number of times, whatever the number of
regions, years or values (DESIGN: "a fixed number of queries per page"), and the cached ones not at all
once warm."""

from __future__ import annotations

import pytest

from regions.data import COUNTRY_CODE
from stats import selectors
from stats.import_batches import import_file_now
from stats.models import Indicator, Source

TWO = ("25", "14")
COUNTIES = tuple(f"{c:02d}" for c in (1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 24, 25))


@pytest.fixture
def query(demo) -> selectors.SeriesQuery:
    source = Source.objects.get(is_default=True)
    indicator = Indicator.objects.get(code="goods_export_msek")
    return selectors.SeriesQuery(indicator, source, year_from=2016, year_to=2021)


def _with(q: selectors.SeriesQuery, regions: tuple[str, ...] | None) -> selectors.SeriesQuery:
    return selectors.SeriesQuery(q.indicator, q.source, q.firm_size, q.sector, regions, q.year_from, q.year_to)


@pytest.mark.parametrize("regions", [TWO, COUNTIES, None], ids=["2 regions", "21 regions", "every county"])
def test_series_frame_is_one_query_for_any_number_of_regions(query, regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        frame = selectors.series_frame(_with(query, regions))
    assert set(frame["region"]) == set(COUNTIES if regions is None else regions)
    assert frame["year"].between(2016, 2021).all()


@pytest.mark.parametrize("regions", [TWO, COUNTIES], ids=["2 regions", "21 regions"])
def test_growth_frame_is_one_query_once_the_names_are_cached(query, regions, django_assert_num_queries):
    selectors.region_names()
    with django_assert_num_queries(2):  # the generation (outside a request every call reads it) and the series
        frame = selectors.growth_frame(_with(query, regions))
    counties = frame[frame["region"] != COUNTRY_CODE]
    assert set(counties["region"]) == set(regions) and counties["rank"].notna().all()
    assert frame[frame["region"] == COUNTRY_CODE]["rank"].isna().all()  # the national row is never ranked


def test_region_names_are_read_once_per_generation(demo, django_assert_num_queries):
    selectors.clear_caches()
    with django_assert_num_queries(2):  # the generation and the names
        names = selectors.region_names()
    with django_assert_num_queries(1):  # the generation only
        assert selectors.region_names() == names
    assert names["25"] == "Norrbotten" and len(names) == 22


def test_the_generation_is_one_query_and_none_again_within_a_request(demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        generation, demo_shown = selectors.cache_generation()
    assert demo_shown
    selectors.start_request_scope()
    try:
        with django_assert_num_queries(1):
            assert selectors.cache_generation() == (generation, True)
            assert selectors.demo_data_loaded()
            assert selectors.cache_generation() == (generation, True)
        with django_assert_num_queries(2):  # the bump, and the new generation read again
            selectors.bump_cache_generation()
            assert selectors.cache_generation() == (generation + 1, True)
    finally:
        selectors.end_request_scope()


def test_observation_dimensions_is_one_query(demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        frame = selectors.observation_dimensions()
    assert list(frame.columns) == ["source", "sector", "year"]
    assert set(frame["source"]) == set(Source.objects.filter(observation__isnull=False).values_list("slug", flat=True))


def test_stored_keys_frame_is_one_query(demo, django_assert_num_queries):
    source = Source.objects.get(is_default=True)
    with django_assert_num_queries(1):
        frame = selectors.stored_keys_frame(source=source)
    assert list(frame.columns) == selectors.STORED_KEY_COLUMNS
    assert len(frame) == source.observation_set.count()


def test_source_datasets_is_one_query_and_dataset_none_once_cached(demo, django_assert_num_queries):
    source = Source.objects.get(is_default=True)
    indicator = Indicator.objects.get(code="goods_export_msek")
    with django_assert_num_queries(1):
        sets = selectors.source_datasets(source=source)
    assert ("goods_export_msek", "all") in sets
    generation = selectors.cache_generation()[0]
    selectors.clear_caches()
    with django_assert_num_queries(1):
        first = selectors.dataset(indicator=indicator, source=source, firm_size="all", sector="", generation=generation)
    with django_assert_num_queries(0):
        again = selectors.dataset(indicator=indicator, source=source, firm_size="all", sector="", generation=generation)
    assert again is first and first == sets[("goods_export_msek", "all")]


@pytest.mark.parametrize("rows", [1, 21], ids=["1 revision", "21 revisions"])
def test_loaded_batch_revisions_is_one_query_for_any_number_of_revisions(db, rows, django_assert_num_queries):
    source = Source.objects.get(is_default=True)
    header = "Län;År;Varuexport, mnkr\n"
    before = header + "".join(f"{code};2021;{i}\n" for i, code in enumerate(COUNTIES[:rows], start=1))
    after = header + "".join(f"{code};2021;{i + 0.5}\n" for i, code in enumerate(COUNTIES[:rows], start=1))
    import_file_now(content=before.encode(), original_name="before.csv", source=source)
    _, batch, _ = import_file_now(content=after.encode(), original_name="after.csv", source=source)
    with django_assert_num_queries(1):
        revisions = selectors.loaded_batch_revisions(batch_id=batch.pk)
    assert len(revisions) == rows
    assert revisions[0] == {"region": COUNTIES[0], "indicator": "goods_export_msek", "year": 2021, "firm_size": "all",
                            "sector": "", "old": 1.0, "new": 1.5, "flag": "given"}
