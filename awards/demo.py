"""The demo award years: 2021 and 2022 published as in stats/demo/awards.json, and an open 2023 round
that the demo jury (juror1–3, chair) can run end to end in the browser. Idempotent: a rerun restores
the published years and never resets the open round's progress."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from awards import services
from awards.defaults import CriterionSpec
from awards.models import AwardYear, Criterion, Nomination
from awards.selectors import shortlist_suggestion
from regions.models import Region

AWARDS_FILE = Path(__file__).resolve().parents[1] / "stats" / "demo" / "awards.json"
OPEN_YEAR, OPEN_PERIOD = 2023, (2017, 2022)
JURORS, CHAIR, ADMIN = ("juror1", "juror2", "juror3"), "chair", "admin"
# When the statistics have not been loaded there is no suggestion to take the open year's nominees from.
FALLBACK_NOMINEES = ("25", "13", "03")
Status = AwardYear.Status
DEMO_SCORING_TIME = datetime.timedelta(days=21)


def awards_demo_load(*, users: dict[str, User]) -> None:
    data = json.loads(AWARDS_FILE.read_text(encoding="utf-8"))
    criteria = [_criterion_spec(c) for c in data["criteria"]]
    with transaction.atomic():
        for spec in data["award_years"]:
            _published_year(spec, criteria)
    _open_year(users, criteria)


def _criterion_spec(raw: dict) -> CriterionSpec:
    return {
        "name_sv": raw["name_sv"], "name_en": raw["name_en"], "description_sv": raw.get("description_sv", ""),
        "description_en": raw.get("description_en", ""), "weight": raw.get("weight", 1),
    }


def _ensure_criteria(award_year: AwardYear, criteria: list[CriterionSpec]) -> None:
    if not award_year.criteria.exists():
        Criterion.objects.bulk_create(
            Criterion(award_year=award_year, order=i, **spec) for i, spec in enumerate(criteria, start=1)
        )


def _published_year(spec: dict, criteria: list[CriterionSpec]) -> AwardYear:
    award_year, _ = AwardYear.objects.update_or_create(
        year=spec["year"],
        defaults={
            "status": Status.PUBLISHED, "period_from": spec["period_from"], "period_to": spec["period_to"],
            "announced_on": datetime.date.fromisoformat(spec["announced_on"]),
        },
    )
    if award_year.published_at is None:
        award_year.published_at = timezone.now()
        award_year.save(update_fields=["published_at"])
    _ensure_criteria(award_year, criteria)
    codes = [n["region"] for n in spec["nominees"]]
    award_year.nominations.exclude(region__code__in=codes).delete()
    # Clear the winner first: the one-winner-per-year constraint holds after every single statement.
    award_year.nominations.update(is_winner=False, motivation_sv="", motivation_en="")
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    for order, nominee in enumerate(spec["nominees"], start=1):
        winner = nominee["region"] == spec["winner"]
        Nomination.objects.update_or_create(
            award_year=award_year, region=regions[nominee["region"]],
            defaults={
                "order": order, "statement_sv": nominee["statement_sv"], "statement_en": nominee["statement_en"],
                "is_winner": winner, "motivation_sv": spec["motivation_sv"] if winner else "",
                "motivation_en": spec["motivation_en"] if winner else "",
            },
        )
    return award_year


def _open_year(users: dict[str, User], criteria: list[CriterionSpec]) -> AwardYear:
    award_year = AwardYear.objects.filter(year=OPEN_YEAR).first()
    if award_year is None:
        award_year = services.award_year_create(
            year=OPEN_YEAR, period_from=OPEN_PERIOD[0], period_to=OPEN_PERIOD[1], criteria=criteria
        )
    jurors = [users[name] for name in JURORS if name in users]
    for juror in jurors:
        if not juror.email:  # the reminders need an address; the console backend prints them in development
            juror.email = f"{juror.get_username()}@example.se"
            juror.save(update_fields=["email"])
    if jurors:
        award_year.jurors.add(*jurors)
    if award_year.scoring_deadline is None:
        # Three weeks to score: the 7-day and 1-day reminders fall inside the demo round.
        award_year.scoring_deadline = timezone.now().replace(second=0, microsecond=0) + DEMO_SCORING_TIME
        award_year.save(update_fields=["scoring_deadline", "updated_at"])
    if CHAIR in users and award_year.chair_id is None:
        award_year.chair = users[CHAIR]
        award_year.save(update_fields=["chair", "updated_at"])
    admin = users.get(ADMIN)
    if award_year.status == Status.PREPARING:
        _nominate_from_suggestion(award_year, admin)
        award_year.refresh_from_db()
    if award_year.status == Status.NOMINATING and jurors:
        services.scoring_open(award_year=award_year, actor=admin)
    return award_year


def _nominate_from_suggestion(award_year: AwardYear, actor: User | None) -> None:
    suggestion = shortlist_suggestion(award_year=award_year)
    if suggestion is None:
        services.nominations_set(award_year=award_year, region_codes=FALLBACK_NOMINEES, actor=actor)
        return
    statements = {row.code: (row.sentence_sv, row.sentence_en) for row in suggestion.top}
    services.nominations_set(award_year=award_year, region_codes=suggestion.top_codes, actor=actor,
                             statements=statements)
