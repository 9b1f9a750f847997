"""Reminder e-mails before the scoring deadline: exactly the jurors who have not submitted, once per reminder.
Django's locmem backend (pytest-django's `mailoutbox`); the service is called as Celery beat's task calls it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from awards import services, tasks
from awards.models import AwardYear, ConflictDeclaration, JurorReminder
from tests.awards.conftest import make_year, nomination, score_all

Status = AwardYear.Status
NOW = datetime.datetime(2024, 5, 10, 9, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def round_with_deadline(db, juror, juror2, other_juror, chair) -> AwardYear:
    """2024, three jurors with addresses; the deadline 3 days after NOW (the 7-day reminder is due)."""
    for user in (juror, juror2, other_juror):
        user.email = f"{user.username}@example.se"
        user.save(update_fields=["email"])
    award_year = make_year(2024, jurors=(juror, juror2, other_juror), chair=chair)
    award_year.scoring_deadline = NOW + datetime.timedelta(days=3)
    award_year.save(update_fields=["scoring_deadline"])
    return award_year


def test_only_the_jurors_who_have_not_submitted_everything_are_reminded_once(
    round_with_deadline, juror, juror2, other_juror, mailoutbox,
):
    award_year = round_with_deadline
    score_all(award_year, juror, 4)  # submitted every nominee: no reminder
    score_all(award_year, juror2, 3, submitted=False)  # drafts only: reminded
    # other_juror has done nothing: reminded
    assert services.jury_reminders_send(now=NOW) == 2
    assert sorted(m.to[0] for m in mailoutbox) == [f"{juror2.username}@example.se", f"{other_juror.username}@example.se"]
    message = mailoutbox[0]
    assert "Årets Exportregion 2024" in message.subject and "13 maj 2024" in message.subject
    assert "/awards/2024/" in message.body and message.from_email
    assert set(JurorReminder.objects.values_list("days_before", flat=True)) == {7}

    assert services.jury_reminders_send(now=NOW + datetime.timedelta(hours=1)) == 0  # the same reminder: not again
    assert len(mailoutbox) == 2


def test_the_last_day_brings_the_second_reminder_to_those_still_missing(round_with_deadline, juror, juror2,
                                                                        other_juror, mailoutbox):
    award_year = round_with_deadline
    services.jury_reminders_send(now=NOW)
    assert len(mailoutbox) == 3
    score_all(award_year, juror, 5)
    day_before = award_year.scoring_deadline - datetime.timedelta(hours=20)
    assert services.jury_reminders_send(now=day_before) == 2
    assert sorted(m.to[0] for m in mailoutbox[3:]) == [f"{juror2.username}@example.se",
                                                       f"{other_juror.username}@example.se"]
    assert services.jury_reminders_send(now=day_before + datetime.timedelta(hours=2)) == 0


def test_a_declared_conflict_counts_as_done(round_with_deadline, juror, juror2, other_juror, mailoutbox):
    award_year = round_with_deadline
    score_all(award_year, juror2, 4)
    score_all(award_year, other_juror, 4)
    for code in ("13", "12"):
        services.scores_save(
            nomination=nomination(award_year, code), juror=juror, submit=True,
            entries={c.pk: services.ScoreEntry(3) for c in award_year.criteria.all()},
        )
    ConflictDeclaration.objects.create(juror=juror, nomination=nomination(award_year, "25"), reason="styrelse")
    assert services.jury_reminders_send(now=NOW) == 0
    assert mailoutbox == []


def test_nothing_is_sent_too_early_after_the_deadline_or_outside_an_open_round(round_with_deadline, mailoutbox):
    award_year = round_with_deadline
    assert services.jury_reminders_send(now=award_year.scoring_deadline - datetime.timedelta(days=8)) == 0
    assert services.jury_reminders_send(now=award_year.scoring_deadline + datetime.timedelta(minutes=1)) == 0
    AwardYear.objects.filter(pk=award_year.pk).update(status=Status.DECIDED)
    assert services.jury_reminders_send(now=NOW) == 0
    assert mailoutbox == []


def test_a_juror_without_an_address_is_skipped_and_stays_due(round_with_deadline, juror, mailoutbox):
    juror.email = ""
    juror.save(update_fields=["email"])
    assert services.jury_reminders_send(now=NOW) == 2
    assert not JurorReminder.objects.filter(juror=juror).exists()


def test_a_failed_send_leaves_no_record_so_the_next_run_tries_again(round_with_deadline, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.awards.test_awards_reminders.FailingBackend"
    with pytest.raises(ConnectionRefusedError):
        services.jury_reminders_send(now=NOW)
    assert not JurorReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.jury_reminders_send(now=NOW) == 3


def test_the_beat_task_sends_them(round_with_deadline, mailoutbox, monkeypatch):
    monkeypatch.setattr(services.timezone, "now", lambda: NOW)
    assert tasks.send_jury_reminders.apply().get() == 3
    assert len(mailoutbox) == 3


def test_celery_beat_runs_the_reminders(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "awards.tasks.send_jury_reminders" in entries
    assert tasks.send_jury_reminders.name == "awards.tasks.send_jury_reminders"


class FailingBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:  # noqa: ARG002 (the backend interface)
        raise ConnectionRefusedError("SMTP server down")
