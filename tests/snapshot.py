"""Rows written by a piece of code, captured once and put back cheaply in later tests.

Loading the demo through the import pipeline costs over a second. The capture runs the code in a
transaction that is rolled back, so the database the tests start from stays as the migrations left it,
and compiles, once, the statements that put its rows back: the INSERTs Django's `bulk_create` would send,
with the captured values as they were (no field's `pre_save` runs again), and the primary-key sequence
resets. Putting the rows back is then a few statements per test instead of building thousands of model
instances and compiling their SQL again each time."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models.sql import InsertQuery

Statement = tuple[str, tuple[Any, ...] | list[Any]]


@dataclass
class DemoRows:
    """Per model, the rows that existed before and the code changed; and the statements that insert the rows
    it added and move the primary-key sequences past them."""

    changed: dict[type[models.Model], list[dict[str, Any]]] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)


class _RollBack(Exception):
    pass


def _all_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def _rows(model: type[models.Model]) -> dict[Any, dict[str, Any]]:
    columns = [f.attname for f in model._meta.concrete_fields]
    return {row[model._meta.pk.attname]: row for row in model._default_manager.values(*columns)}


def _insert_statements(model: type[models.Model], rows: list[dict[str, Any]]) -> list[Statement]:
    """The statements `bulk_create` would send for these rows (in the same batches), values taken as they are."""
    objs = [model(**row) for row in rows]
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    batch_size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    statements: list[Statement] = []
    for start in range(0, len(objs), batch_size):
        query = InsertQuery(model)
        query.insert_values(fields, objs[start:start + batch_size], raw=True)
        statements += query.get_compiler(connection=connection).as_sql()
    return statements


def capture_rows_written(write: Callable[[], object]) -> DemoRows:
    captured = DemoRows()
    added_to: list[type[models.Model]] = []
    try:
        with transaction.atomic():
            before = {model: _rows(model) for model in _all_models()}
            write()
            for model, old in before.items():
                new = _rows(model)
                added = [row for pk, row in new.items() if pk not in old]
                changed = [row for pk, row in new.items() if pk in old and old[pk] != row]
                if added:
                    added_to.append(model)
                    captured.statements += _insert_statements(model, added)
                if changed:
                    captured.changed[model] = changed
            raise _RollBack
    except _RollBack:
        pass
    captured.statements += [(sql, ()) for sql in connection.ops.sequence_reset_sql(no_style(), added_to)]
    return captured


def restore_rows(captured: DemoRows) -> None:
    """Put the changed rows back as they were captured, insert the added ones (foreign keys are checked at
    commit, so the order of tables does not matter) and move the primary-key sequences past them, so rows
    the test creates get fresh keys."""
    for model, rows in captured.changed.items():
        for row in rows:
            pk = model._meta.pk.attname
            model._default_manager.filter(**{pk: row[pk]}).update(**{k: v for k, v in row.items() if k != pk})
    with connection.cursor() as cursor:
        for sql, params in captured.statements:
            cursor.execute(sql, params)
