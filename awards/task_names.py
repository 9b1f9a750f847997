"""The names of the awards' Celery tasks, one constant each (the task and Celery beat's schedule)."""

from typing import Final

SEND_JURY_REMINDERS: Final = "awards.tasks.send_jury_reminders"
