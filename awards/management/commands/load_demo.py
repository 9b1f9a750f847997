"""The demo: the statistics of both sources (through the import pipeline), the demo users and the award
years; here, in the app on top of both, so that the statistics never import the prize."""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

import stats
from awards.demo import awards_demo_load
from exportregion.permissions import JURY, STATISTICS_ADMINS
from stats.import_batches import import_file_now
from stats.models import CacheGeneration, ImportBatch, Source
from stats.subscriptions import subscription_demo_create

DEMO_DIR = Path(stats.__file__).resolve().parent / "demo"
DEMO_FILES = (
    ("head_office_2010_2015.csv", "scb-head-office"),
    ("workplace_2016_2023.csv", "scb-workplace"),
)
# A demo file counts as loaded once a batch with its content loaded (reverting it is an admin's choice too).
LOADED = (ImportBatch.Status.LOADING, ImportBatch.Status.DONE, ImportBatch.Status.REVERTED)
# username, superuser, groups
DEMO_USERS = (
    ("admin", True, (STATISTICS_ADMINS,)),
    ("analyst", False, ()),
    ("juror1", False, (JURY,)),
    ("juror2", False, (JURY,)),
    ("juror3", False, (JURY,)),
    ("chair", False, (JURY,)),
)


class Command(BaseCommand):
    help = (
        "Load the illustrative demo data set (through the import pipeline) and, with DEBUG on, demo users. "
        "Each demo file loads at most once (recognised by its SHA-256) and only values its source does not "
        "store yet, so a later upload is never overwritten."
    )

    def handle(self, *args, **options) -> None:
        for filename, source_slug in DEMO_FILES:
            self._import(DEMO_DIR / filename, Source.objects.get(slug=source_slug))
        CacheGeneration.objects.update(demo=True)
        if subscription_demo_create() is not None:
            self.stdout.write("demo subscription: the county population table (switched off)")
        users = self._users()
        awards_demo_load(users=users)
        self.stdout.write("demo awards: 2021 and 2022 loaded")

    def _import(self, path: Path, source: Source) -> None:
        content = path.read_bytes()
        loaded = ImportBatch.objects.filter(sha256=hashlib.sha256(content).hexdigest(), status__in=LOADED).first()
        if loaded is not None:
            self.stdout.write(f"{path.name}: already loaded as batch {loaded.pk}; skipped")
            return
        result, batch, diff = import_file_now(
            content=content, original_name=path.name, source=source, new_values_only=True
        )
        if not result.ok or diff is None:
            for problem in result.errors:
                self.stderr.write(problem.format(path.name))
            raise SystemExit(f"demo file {path.name} did not import")
        if batch is None:
            self.stdout.write(f"{path.name}: every value is stored already; skipped")
            return
        self.stdout.write(
            f"{path.name}: batch {batch.pk}: {diff.new} new, {diff.revised} revised, {diff.unchanged} unchanged"
        )

    def _users(self) -> dict[str, User]:
        if not settings.DEBUG:
            self.stderr.write("DEBUG is off: no demo users created (demo passwords must never reach production)")
            return {}
        password = os.environ.get("DEMO_PASSWORD") or "exportregion-demo"
        users = {}
        for username, superuser, groups in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_superuser = user.is_staff = superuser
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get_or_create(name=g)[0] for g in groups])
            users[username] = user
        self.stdout.write(f"demo users: {', '.join(users)} (password: {'$DEMO_PASSWORD' if os.environ.get('DEMO_PASSWORD') else password})")
        return users
