"""Log lines carrying the request id, the user and, in Celery tasks, the batch id: JSON in production,
plain text for people in development (settings.LOG_FORMAT).

The values travel in context variables: RequestIdMiddleware and UserContextMiddleware set them for a
request (and they are cleared when the response is finished, after Django has logged a 4xx/5xx
response, so those lines carry them too); the Celery signal handlers below set the batch id and task
id for the run of an import task. RequestIdFilter copies them onto every record that has none of its
own (an explicit `extra={"batch_id": …}` wins).
"""

import contextvars
import json
import logging

from celery.signals import task_postrun, task_prerun
from django.core.signals import request_finished

from stats.task_names import BATCH_TASKS

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_var: contextvars.ContextVar[str] = contextvars.ContextVar("user", default="-")
batch_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("batch_id", default=None)
task_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)



class RequestIdFilter(logging.Filter):
    """Adds request_id, user, batch_id and task_id from the context (the name is kept for LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "user", None) is None:
            record.user = user_var.get()
        if getattr(record, "batch_id", None) is None:
            record.batch_id = batch_id_var.get()
        if getattr(record, "task_id", None) is None:
            record.task_id = task_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    EXTRA_FIELDS = ("request_id", "user", "batch_id", "task_id", "status_code")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`12:03:04 INFO stats.import_batches: message [batch 12, request 3f2a…]`: only the context that is set."""

    LABELS = (("batch_id", "batch"), ("task_id", "task"), ("request_id", "request"), ("user", "user"))

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        context = [f"{label} {value}" for field, label in self.LABELS
                   if (value := getattr(record, field, None)) not in (None, "-")]
        if not context:
            return text
        first, newline, rest = text.partition("\n")
        return f"{first} [{', '.join(context)}]{newline}{rest}"


def clear_request_context(**kwargs) -> None:
    """After the response: a log line outside any request must not carry the last request's id or user."""
    request_id_var.set("-")
    user_var.set("-")


request_finished.connect(clear_request_context, dispatch_uid="exportregion.logging.clear_request_context")


@task_prerun.connect(dispatch_uid="exportregion.logging.task_prerun")
def _task_context(task_id=None, task=None, args=None, **kwargs) -> None:
    task_id_var.set(task_id)
    name = getattr(task, "name", "")
    batch_id_var.set(str(args[0]) if name in BATCH_TASKS and args else None)


@task_postrun.connect(dispatch_uid="exportregion.logging.task_postrun")
def _task_context_clear(**kwargs) -> None:
    task_id_var.set(None)
    batch_id_var.set(None)
