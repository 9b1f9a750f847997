"""awards.services: the lifecycle, its refusals, and an audit entry for every write."""

import pytest

from awards import services
from awards.models import AuditEntry, AwardYear, ConflictDeclaration, Nomination, Score
from awards.services import AwardError, ScoreEntry
from tests.awards.conftest import make_year, nomination, score_all

Status = AwardYear.Status
Action = AuditEntry.Action


def _entries(award_year: AwardYear, value: int | None, comment: str = "") -> dict[int, ScoreEntry]:
    return {c.pk: ScoreEntry(value, comment) for c in award_year.criteria.all()}


def _actions(award_year: AwardYear) -> list[str]:
    return list(award_year.audit_entries.order_by("id").values_list("action", flat=True))


def test_it_creates_a_year_with_the_five_default_criteria(db):
    award_year = services.award_year_create(year=2030, period_from=2023, period_to=2028)
    assert award_year.status == Status.PREPARING
    assert [c.name_en for c in award_year.criteria.all()][:1] == ["Expansion and renewal"]
    assert award_year.criteria.count() == 5


def test_it_refuses_a_period_that_ends_before_it_starts(db):
    with pytest.raises(AwardError):
        services.award_year_create(year=2030, period_from=2028, period_to=2023)


def test_it_sets_nominees_moves_to_nominating_and_audits(db, stats_admin):
    award_year = services.award_year_create(year=2030, period_from=2016, period_to=2021)
    services.nominations_set(award_year=award_year, region_codes=["25", "13"], actor=stats_admin,
                             statements={"25": ("Norrbotten sv", "Norrbotten en")})
    award_year.refresh_from_db()
    assert award_year.status == Status.NOMINATING
    assert list(award_year.nominations.values_list("region__code", "statement_en")) == [
        ("25", "Norrbotten en"), ("13", "")]
    services.nominations_set(award_year=award_year, region_codes=["13", "03"], actor=stats_admin)
    assert list(award_year.nominations.values_list("region__code", flat=True)) == ["13", "03"]
    assert _actions(award_year) == [
        Action.NOMINATION_ADDED, Action.NOMINATION_ADDED, Action.STATUS_CHANGED,
        Action.NOMINATION_REMOVED, Action.NOMINATION_ADDED,
    ]
    removed = award_year.audit_entries.get(action=Action.NOMINATION_REMOVED)
    assert removed.object_repr == "Norrbotten" and removed.old["statement_sv"] == "Norrbotten sv"
    assert removed.actor == stats_admin and removed.actor_name == "sam-admin"


@pytest.mark.parametrize("codes", [[], ["00"], ["99"], ["01", "03", "04", "05", "06", "07", "08"]])
def test_it_refuses_bad_nominee_lists(db, stats_admin, codes):
    award_year = services.award_year_create(year=2030, period_from=2016, period_to=2021)
    with pytest.raises(AwardError):
        services.nominations_set(award_year=award_year, region_codes=codes, actor=stats_admin)
    assert not award_year.nominations.exists()


def test_it_freezes_the_nominees_once_scoring_opens(award_year, stats_admin):
    with pytest.raises(AwardError):
        services.nominations_set(award_year=award_year, region_codes=["01"], actor=stats_admin)
    assert award_year.nominations.count() == 3


def test_it_logs_a_statement_change_old_to_new(award_year, stats_admin):
    norrbotten = nomination(award_year, "25")
    services.nomination_update(nomination=norrbotten, statement_sv="Ny", statement_en="New", actor=stats_admin)
    entry = award_year.audit_entries.get()
    assert entry.action == Action.NOMINATION_CHANGED
    assert entry.old == {"statement_sv": "Motivering Norrbotten 2024", "statement_en": "Statement Norrbotten 2024"}
    assert entry.new == {"statement_sv": "Ny", "statement_en": "New"}
    services.nomination_update(nomination=norrbotten, statement_sv="Ny", statement_en="New", actor=stats_admin)
    assert award_year.audit_entries.count() == 1  # no change, no entry


def test_it_saves_a_partial_draft_then_submits(award_year, juror):
    norrbotten = nomination(award_year, "25")
    criteria = list(award_year.criteria.all())
    services.scores_save(nomination=norrbotten, juror=juror, entries={criteria[0].pk: ScoreEntry(4, "Bra")},
                         submit=False)
    assert Score.objects.get().is_draft
    services.scores_save(nomination=norrbotten, juror=juror, entries=_entries(award_year, 5), submit=True)
    scores = Score.objects.filter(juror=juror)
    assert scores.count() == 5 and all(s.submitted_at for s in scores)
    assert _actions(award_year) == [Action.SCORE_SAVED] + [Action.SCORE_SUBMITTED] * 5
    first = award_year.audit_entries.filter(action=Action.SCORE_SUBMITTED).order_by("id").first()
    assert first.old == {"value": 4, "comment": "Bra", "submitted": False}
    assert first.new == {"value": 5, "comment": "", "submitted": True}


def test_it_refuses_to_submit_an_incomplete_form(award_year, juror):
    criteria = list(award_year.criteria.all())
    with pytest.raises(AwardError):
        services.scores_save(nomination=nomination(award_year, "25"), juror=juror,
                             entries={criteria[0].pk: ScoreEntry(3)}, submit=True)
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", [0, 6, -1])
def test_it_refuses_marks_outside_one_to_five(award_year, juror, value):
    with pytest.raises(AwardError):
        services.scores_save(nomination=nomination(award_year, "25"), juror=juror,
                             entries=_entries(award_year, value), submit=False)


def test_it_refuses_a_criterion_of_another_year(award_year, other_year, juror):
    foreign = other_year.criteria.first()
    with pytest.raises(AwardError):
        services.scores_save(nomination=nomination(award_year, "25"), juror=juror,
                             entries={foreign.pk: ScoreEntry(3)}, submit=False)


def test_it_refuses_scores_from_a_non_juror(award_year, chair, other_juror):
    for person in (chair, other_juror):
        with pytest.raises(AwardError):
            services.scores_save(nomination=nomination(award_year, "25"), juror=person,
                                 entries=_entries(award_year, 3), submit=False)


def test_clearing_a_mark_deletes_it_and_is_logged(award_year, juror):
    norrbotten = nomination(award_year, "25")
    services.scores_save(nomination=norrbotten, juror=juror, entries=_entries(award_year, 3), submit=False)
    services.scores_save(nomination=norrbotten, juror=juror, entries=_entries(award_year, None), submit=False)
    assert not Score.objects.exists()
    assert _actions(award_year).count(Action.SCORE_CLEARED) == 5


def test_a_declared_conflict_blocks_scoring_that_nominee(award_year, juror):
    norrbotten = nomination(award_year, "25")
    services.conflict_declare(nomination=norrbotten, juror=juror, reason="Board member")
    services.conflict_declare(nomination=norrbotten, juror=juror)  # twice: still one, one entry
    assert ConflictDeclaration.objects.get().reason == "Board member"
    with pytest.raises(AwardError):
        services.scores_save(nomination=norrbotten, juror=juror, entries=_entries(award_year, 3), submit=False)
    services.conflict_withdraw(nomination=norrbotten, juror=juror)
    services.scores_save(nomination=norrbotten, juror=juror, entries=_entries(award_year, 3), submit=False)
    assert _actions(award_year)[:2] == [Action.CONFLICT_DECLARED, Action.CONFLICT_WITHDRAWN]


def test_conflicts_can_be_declared_while_nominating_but_not_scored(db, juror):
    award_year = make_year(2031, status=Status.NOMINATING, jurors=(juror,))
    services.conflict_declare(nomination=nomination(award_year, "13"), juror=juror)
    with pytest.raises(AwardError):
        services.scores_save(nomination=nomination(award_year, "25"), juror=juror,
                             entries=_entries(award_year, 3), submit=False)


def test_open_scoring_needs_nominees_criteria_and_jurors(db, chair, juror):
    empty = make_year(2032, status=Status.NOMINATING, nominees=(), chair=chair)
    with pytest.raises(AwardError):
        services.scoring_open(award_year=empty, actor=chair)
    no_jury = make_year(2033, status=Status.NOMINATING, chair=chair)
    with pytest.raises(AwardError):
        services.scoring_open(award_year=no_jury, actor=chair)
    ready = make_year(2034, status=Status.NOMINATING, chair=chair, jurors=(juror,))
    assert services.scoring_open(award_year=ready, actor=chair).status == Status.SCORING


def test_closing_the_round_stops_every_score_change(award_year, juror, chair):
    services.scoring_close(award_year=award_year, actor=chair)
    award_year.refresh_from_db()
    assert award_year.status == Status.DECIDED and award_year.scoring_closed_at
    with pytest.raises(AwardError):
        services.scores_save(nomination=nomination(award_year, "25"), juror=juror,
                             entries=_entries(award_year, 3), submit=True)
    with pytest.raises(AwardError):
        services.conflict_declare(nomination=nomination(award_year, "25"), juror=juror)
    with pytest.raises(AwardError):
        services.scoring_close(award_year=award_year, actor=chair)


def test_it_records_one_winner_and_can_change_it(award_year, chair):
    with pytest.raises(AwardError):  # the round is still open
        services.winner_record(award_year=award_year, nomination=nomination(award_year, "25"),
                               motivation_sv="sv", motivation_en="en", actor=chair)
    services.scoring_close(award_year=award_year, actor=chair)
    services.winner_record(award_year=award_year, nomination=nomination(award_year, "25"),
                           motivation_sv="sv", motivation_en="en", actor=chair)
    services.winner_record(award_year=award_year, nomination=nomination(award_year, "13"),
                           motivation_sv="Halland sv", motivation_en="Halland en", actor=chair)
    winners = Nomination.objects.filter(award_year=award_year, is_winner=True)
    assert [w.region.code for w in winners] == ["13"]
    assert nomination(award_year, "25").motivation_sv == ""
    change = award_year.audit_entries.filter(action=Action.WINNER_RECORDED).order_by("id").last()
    assert change.old["region"] == "Norrbotten" and change.new["region"] == "Halland"


def test_it_refuses_a_winner_without_motivation_or_from_another_year(award_year, other_year, chair):
    services.scoring_close(award_year=award_year, actor=chair)
    with pytest.raises(AwardError):
        services.winner_record(award_year=award_year, nomination=nomination(award_year, "25"),
                               motivation_sv=" ", motivation_en="en", actor=chair)
    with pytest.raises(AwardError):
        services.winner_record(award_year=award_year, nomination=other_year.nominations.first(),
                               motivation_sv="sv", motivation_en="en", actor=chair)


def test_publishing_needs_a_winner(award_year, chair):
    services.scoring_close(award_year=award_year, actor=chair)
    with pytest.raises(AwardError):
        services.award_year_publish(award_year=award_year, actor=chair)
    services.winner_record(award_year=award_year, nomination=nomination(award_year, "25"),
                           motivation_sv="sv", motivation_en="en", actor=chair)
    published = services.award_year_publish(award_year=award_year, actor=chair)
    assert published.status == Status.PUBLISHED and published.published_at
    assert _actions(award_year)[-2:] == [Action.STATUS_CHANGED, Action.PUBLISHED]


def test_statements_are_frozen_after_publication(award_year, chair, stats_admin):
    AwardYear.objects.filter(pk=award_year.pk).update(status=Status.PUBLISHED)
    with pytest.raises(AwardError):
        services.nomination_update(nomination=nomination(award_year, "25"), statement_sv="x", statement_en="y",
                                   actor=stats_admin)


def test_scores_are_kept_when_a_conflict_is_declared_later_but_not_counted(award_year, juror):
    score_all(award_year, juror, 4)
    services.conflict_declare(nomination=nomination(award_year, "25"), juror=juror)
    assert Score.objects.filter(juror=juror).count() == 15


def test_an_admin_edit_is_refused_if_the_status_moved_on_since_the_form_was_loaded(award_year):
    loaded = AwardYear.objects.get(pk=award_year.pk)
    AwardYear.objects.filter(pk=award_year.pk).update(status=Status.DECIDED)
    with pytest.raises(AwardError):
        services.award_year_setup_begin(loaded)


def test_an_admin_edit_of_the_set_up_is_logged_old_to_new(award_year, juror, juror2):
    before = services.award_year_setup_begin(award_year)
    award_year.jurors.remove(juror2)
    entry = services.award_year_setup_record(award_year=award_year, actor=juror, old=before)
    assert entry.action == Action.SETUP_CHANGED and entry.actor_name == "jo-juror"
    assert (entry.old, entry.new) == ({"jurors": "jane-juror, jo-juror"}, {"jurors": "jo-juror"})
    assert services.award_year_setup_record(award_year=award_year, actor=juror, old=before | entry.new) is None
