"""The juror's pointer to an open round, on the overview and the awards index (templates/base.html)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from awards.selectors import open_round_for


def open_round(request: HttpRequest) -> dict[str, object]:
    # Lazy: only the pages that show the pointer pay its query.
    user = getattr(request, "user", None)
    return {"open_round": SimpleLazyObject(lambda: open_round_for(user) if user is not None else None)}
