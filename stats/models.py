from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class Indicator(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name_sv = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    unit_sv = models.CharField(max_length=30)
    unit_en = models.CharField(max_length=30)
    decimals = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.code


class Source(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    method = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_source"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FirmSize(models.TextChoices):
    ALL = "all", _("All firms")
    SME = "sme", _("Small and medium-sized firms")
    LARGE = "large", _("Large firms")


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        READING = "reading", _("reading")
        PREVIEW = "preview", _("awaiting confirmation")
        LOADING = "loading", _("loading")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        REJECTED = "rejected", _("rejected")
        DISCARDED = "discarded", _("discarded")
        REVERTED = "reverted", _("reverted")
        CANCELLED = "cancelled", _("cancelled")

    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.BigIntegerField(default=0)
    source = models.ForeignKey(Source, on_delete=models.PROTECT)
    indicator = models.CharField(max_length=40, blank=True, help_text=_("For wide files without a title."))
    firm_size = models.CharField(max_length=10, blank=True, choices=FirmSize.choices)
    sheet = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=5, default="en")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Commit straight after reading when there is nothing to confirm (CLI, demo).
    auto_commit = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    rows = models.IntegerField(default=0)
    new_count = models.IntegerField(default=0)
    revised_count = models.IntegerField(default=0)
    unchanged_count = models.IntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    revisions = models.JSONField(default=list, blank=True, help_text=_("Revised values, old → new (first ones)."))
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"batch {self.pk}: {self.original_name}"

    @property
    def error_problems(self) -> list[dict]:
        return [p for p in self.problems if p.get("severity") == "error"]

    @property
    def warning_problems(self) -> list[dict]:
        return [p for p in self.problems if p.get("severity") == "warning"]

    @property
    def is_cancellable(self) -> bool:
        """Queued or running (reading, loading): an admin may stop it."""
        return self.status in {self.Status.QUEUED, self.Status.READING, self.Status.LOADING}

    @property
    def is_finished(self) -> bool:
        return self.status in {
            self.Status.DONE, self.Status.FAILED, self.Status.REJECTED, self.Status.DISCARDED, self.Status.REVERTED,
            self.Status.CANCELLED,
        }


class Observation(models.Model):
    class Flag(models.TextChoices):
        GIVEN = "given", _("given")
        DERIVED = "derived", _("derived")
        CONFIDENTIAL = "confidential", _("confidential")
        ZERO = "zero", _("zero")
        MISSING = "missing", _("missing")

    # No index per foreign key: `observation_key` leads with the region and serves every lookup by
    # region, `obs_series` serves indicator and source. Each index costs a sort per bulk load.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, db_index=False)
    year = models.SmallIntegerField()
    firm_size = models.CharField(max_length=10, choices=FirmSize.choices, default=FirmSize.ALL)
    sector = models.CharField(max_length=100, default="", blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, db_index=False)
    value = models.FloatField(null=True)
    flag = models.CharField(max_length=12, choices=Flag.choices, default=Flag.GIVEN)
    # Unindexed too: only a revert looks rows up by batch (a scan, rarely), and with no indexed column
    # changing, a revision updates its rows in place (HOT, in the room fillfactor leaves: migration 0004).
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.PROTECT, db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "year", "firm_size", "sector", "source"], name="observation_key"
            )
        ]
        # Integers only (cheap to build); the years an indicator has, and the series of all regions.
        indexes = [models.Index(fields=["indicator", "source", "year"], name="obs_series")]


_UNCHECKED = {"db_constraint": False, "db_index": False}


class ObservationHistory(models.Model):
    """A value as it was before `replaced_by` revised it; reverting that batch puts it back."""

    # Only the loader writes history, copying keys from stats_observation (whose own foreign keys
    # vouch for them) and the batch it holds locked: no database constraint checks them again, which
    # would cost one trigger per row and key at commit. on_delete is the ORM's, so it still holds.
    # Nor an index per key: a revert reads history by `replaced_by` (history_by_batch), nothing else.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, **_UNCHECKED)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, **_UNCHECKED)
    year = models.SmallIntegerField()
    firm_size = models.CharField(max_length=10)
    sector = models.CharField(max_length=100, default="", blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, **_UNCHECKED)
    value = models.FloatField(null=True)
    flag = models.CharField(max_length=12)
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.PROTECT, related_name="+", **_UNCHECKED)
    replaced_by = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="replaced", **_UNCHECKED)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["replaced_by"], name="history_by_batch")]


class CacheGeneration(models.Model):
    """One row; bumped by every import so every process serves fresh chart data."""

    value = models.BigIntegerField(default=0)
    demo = models.BooleanField(default=False)
