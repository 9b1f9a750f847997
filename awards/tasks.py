"""Thin Celery tasks for the awards: call one service."""

from __future__ import annotations

from celery import shared_task

from awards import services
from awards.task_names import SEND_JURY_REMINDERS


@shared_task(name=SEND_JURY_REMINDERS)
def send_jury_reminders() -> int:
    """Run by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""
    return services.jury_reminders_send()
