"""Rows written by a piece of code, captured once and put back cheaply in later tests.

Loading the demo through the import pipeline costs over a second; putting its rows back with one bulk
insert per table costs a few milliseconds. The capture runs the code in a transaction that is rolled
back, so the database the tests start from stays as the migrations left it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction


@dataclass
class DemoRows:
    """Per model: the rows the code added, and the rows that existed before and it changed."""

    added: dict[type[models.Model], list[dict[str, Any]]] = field(default_factory=dict)
    changed: dict[type[models.Model], list[dict[str, Any]]] = field(default_factory=dict)


class _RollBack(Exception):
    pass


def _all_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def _rows(model: type[models.Model]) -> dict[Any, dict[str, Any]]:
    columns = [f.attname for f in model._meta.concrete_fields]
    return {row[model._meta.pk.attname]: row for row in model._default_manager.values(*columns)}


def capture_rows_written(write: Callable[[], object]) -> DemoRows:
    captured = DemoRows()
    try:
        with transaction.atomic():
            before = {model: _rows(model) for model in _all_models()}
            write()
            for model, old in before.items():
                new = _rows(model)
                added = [row for pk, row in new.items() if pk not in old]
                changed = [row for pk, row in new.items() if pk in old and old[pk] != row]
                if added:
                    captured.added[model] = added
                if changed:
                    captured.changed[model] = changed
            raise _RollBack
    except _RollBack:
        pass
    return captured


def restore_rows(captured: DemoRows) -> None:
    """Insert the captured rows (foreign keys are checked at commit, so the order of tables does not matter)
    and move the primary-key sequences past them, so rows the test creates get fresh keys."""
    for model, rows in captured.changed.items():
        for row in rows:
            pk = model._meta.pk.attname
            model._default_manager.filter(**{pk: row[pk]}).update(**{k: v for k, v in row.items() if k != pk})
    for model, rows in captured.added.items():
        model._default_manager.bulk_create([model(**row) for row in rows])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(captured.added)):
            cursor.execute(sql)
