"""The awards cast (jurors of this and another year, the chair) and award years in every state.

Users from tests/conftest.py: analyst, stats_admin, juror (of `award_year`), chair (chairs `award_year`, does
not score). Added here: juror2 (also of `award_year`), other_juror (of `other_year` only).
"""

from __future__ import annotations

import datetime
import math

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import timezone

from awards.defaults import DEFAULT_CRITERIA
from awards.models import AwardYear, Criterion, Nomination, Score
from exportregion.permissions import JURY
from regions.models import Region
from stats.models import Indicator, Observation, Source
from tests.conftest import PASSWORD

Status = AwardYear.Status
NOMINEES = ("25", "13", "12")  # Norrbotten, Halland, Skåne


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    # The production hasher costs ~0.3 s a user; the awards cast has six.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Chart data is cached under the statistics' generation, which every test database starts at 1.
    cache.clear()


def _jury_user(username: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    user.groups.set([Group.objects.get_or_create(name=JURY)[0]])
    return user


@pytest.fixture
def juror2(db) -> User:
    return _jury_user("jane-juror")


@pytest.fixture
def other_juror(db) -> User:
    return _jury_user("olle-other-juror")


def make_year(
    year: int, *, status: str = Status.SCORING, jurors: tuple[User, ...] = (), chair: User | None = None,
    nominees: tuple[str, ...] = NOMINEES, period: tuple[int, int] = (2016, 2021),
) -> AwardYear:
    award_year = AwardYear.objects.create(
        year=year, status=status, period_from=period[0], period_to=period[1], chair=chair,
        announced_on=datetime.date(year, 8, 31),
    )
    award_year.jurors.set(jurors)
    Criterion.objects.bulk_create(
        Criterion(award_year=award_year, order=i, **spec) for i, spec in enumerate(DEFAULT_CRITERIA, start=1)
    )
    regions = {r.code: r for r in Region.objects.filter(code__in=nominees)}
    for order, code in enumerate(nominees, start=1):
        Nomination.objects.create(
            award_year=award_year, region=regions[code], order=order,
            statement_sv=f"Motivering {regions[code].name} {year}", statement_en=f"Statement {regions[code].name} {year}",
        )
    return award_year


@pytest.fixture
def award_year(db, juror, juror2, chair) -> AwardYear:
    """2024, scoring open; jurors `juror` and `juror2`, chaired by `chair`."""
    return make_year(2024, jurors=(juror, juror2), chair=chair)


@pytest.fixture
def other_year(db, other_juror) -> AwardYear:
    """2025, scoring open; judged by `other_juror` only: a juror there is a stranger to 2024."""
    return make_year(2025, jurors=(other_juror,), nominees=("01", "03", "14"))


def score_all(award_year: AwardYear, juror: User, value: int | dict[str, int], *, submitted: bool = True,
              comment: str = "") -> None:
    """Give `juror`'s mark on every criterion of every nominee (by region code when a dict)."""
    now = timezone.now() if submitted else None
    for nomination in award_year.nominations.select_related("region"):
        mark = value[nomination.region.code] if isinstance(value, dict) else value
        for criterion in award_year.criteria.all():
            Score.objects.create(juror=juror, nomination=nomination, criterion=criterion, value=mark,
                                 comment=comment, submitted_at=now)


def nomination(award_year: AwardYear, code: str) -> Nomination:
    return award_year.nominations.get(region__code=code)


# --- statistics without the import pipeline ------------------------------------------------

# Yearly growth per county code; Norrbotten grows fastest on both measures, as in FACTS.
GROWTH = {"25": 0.145, "13": 0.09, "12": 0.06, "03": 0.08, "07": 0.07}
PARTICIPATING = {"01": 390, "14": 345, "12": 300, "25": 250, "13": 172}


def _value(year: int, base: float, growth: float) -> float:
    return base * math.pow(1 + growth, year - 2016)


@pytest.fixture
def statistics(db) -> None:
    """A small, consistent statistics set 2016–2022 for every county and Sweden (the default source)."""
    source = Source.objects.get(is_default=True)
    indicators = {i.code: i for i in Indicator.objects.all()}
    counties = list(Region.objects.filter(level=Region.Level.COUNTY))
    sweden = Region.objects.get(code="00")
    rows = []
    for year in range(2016, 2023):
        totals = {"goods": 0.0, "sme": 0.0, "part": 0.0}
        for i, region in enumerate(counties):
            growth = GROWTH.get(region.code, 0.02 + 0.002 * i)
            goods = _value(year, 30_000 + 1_000 * i, growth)
            sme = _value(year, 25_000 + 500 * i, growth * 0.9)
            part = PARTICIPATING.get(region.code, 40 + 5 * i)
            totals["goods"] += goods
            totals["sme"] += sme / len(counties)
            totals["part"] += part
            rows += _observations(region, year, indicators, source, goods, sme, part)
        rows += _observations(sweden, year, indicators, source, totals["goods"], totals["sme"], totals["part"])
    Observation.objects.bulk_create(rows)


def _observations(region, year, indicators, source, goods, sme, part) -> list[Observation]:
    return [
        Observation(region=region, year=year, indicator=indicators["goods_export_msek"], firm_size="all",
                    source=source, value=goods),
        Observation(region=region, year=year, indicator=indicators["goods_export_per_capita_sek"], firm_size="sme",
                    source=source, value=sme),
        Observation(region=region, year=year, indicator=indicators["goods_export_per_capita_sek"], firm_size="all",
                    source=source, value=sme * 3.2),
        Observation(region=region, year=year, indicator=indicators["participating_firms"], firm_size="all",
                    source=source, value=part),
    ]
