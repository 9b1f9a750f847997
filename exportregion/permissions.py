"""Who may do what: groups from DESIGN.md, checked in one place."""

from django.contrib.auth.models import AnonymousUser, User

STATISTICS_ADMINS = "statistics-admins"
JURY = "jury"


def is_statistics_admin(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(g.name == STATISTICS_ADMINS for g in user.groups.all())
