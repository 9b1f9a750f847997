from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from stats.flags import Flag


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    unit_sv = models.CharField(_("unit (Swedish)"), max_length=30)
    unit_en = models.CharField(_("unit (English)"), max_length=30)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.code


class Source(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200)
    method = models.CharField(_("method"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default source"), default=False)

    class Meta:
        ordering = ["-is_default", "slug"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
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

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    size_bytes = models.BigIntegerField(_("size in bytes"), default=0)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"))
    indicator = models.CharField(
        _("indicator"), max_length=40, blank=True, help_text=_("For wide files without a title.")
    )
    firm_size = models.CharField(_("firm size"), max_length=10, blank=True, choices=FirmSize.choices)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=5, default="en")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("uploaded by")
    )
    # Commit straight after reading when there is nothing to confirm (CLI, demo).
    auto_commit = models.BooleanField(_("load without confirmation"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.IntegerField(_("rows"), default=0)
    new_count = models.IntegerField(_("new values"), default=0)
    revised_count = models.IntegerField(_("revised values"), default=0)
    unchanged_count = models.IntegerField(_("unchanged values"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    revisions = models.JSONField(
        _("revisions"), default=list, blank=True, help_text=_("Revised values, old → new (first ones).")
    )
    summary = models.JSONField(
        _("summary"), default=list, blank=True,
        help_text=_("New, revised, unchanged and newly missing values per region and indicator."),
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        # The admin's titles and breadcrumbs: in the reader's language.
        return gettext("import batch %(id)s: %(name)s") % {"id": self.pk, "name": self.original_name}

    @property
    def counts_apply(self) -> bool:
        """Whether the new/revised/unchanged counts describe values loaded or about to be (not a discarded,
        rejected or failed batch, whose counts were never written)."""
        return self.status in {self.Status.PREVIEW, self.Status.LOADING, self.Status.DONE, self.Status.REVERTED}

    @property
    def is_active(self) -> bool:
        """Whether a worker is (or is about to be) busy with the batch: the progress bar means something."""
        return self.status in {self.Status.QUEUED, self.Status.READING, self.Status.LOADING}

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


# The admin's names of the flags (stats.flags.Flag).
FLAG_CHOICES = [
    (Flag.GIVEN.value, _("given")), (Flag.DERIVED.value, _("derived")), (Flag.CONFIDENTIAL.value, _("confidential")),
    (Flag.ZERO.value, _("zero")), (Flag.MISSING.value, _("missing")),
]


class Observation(models.Model):
    # No index per foreign key: `observation_key` leads with the region and serves every lookup by
    # region, `obs_series` serves indicator and source. Each index costs a sort per bulk load.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, db_index=False, verbose_name=_("region"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, db_index=False, verbose_name=_("indicator"))
    year = models.SmallIntegerField(_("year"))
    firm_size = models.CharField(_("firm size"), max_length=10, choices=FirmSize.choices, default=FirmSize.ALL)
    sector = models.CharField(_("sector"), max_length=100, default="", blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, db_index=False, verbose_name=_("source"))
    value = models.FloatField(_("value"), null=True)
    flag = models.CharField(_("flag"), max_length=12, choices=FLAG_CHOICES, default=Flag.GIVEN)
    # Unindexed too: only a revert looks rows up by batch (a scan, rarely), and with no indexed column
    # changing, a revision updates its rows in place (HOT, in the room fillfactor leaves: migration 0004).
    batch = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.PROTECT, db_index=False, verbose_name=_("import batch")
    )

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "year", "firm_size", "sector", "source"], name="observation_key"
            )
        ]
        # Integers only (cheap to build); the years an indicator has, and the series of all regions.
        indexes = [models.Index(fields=["indicator", "source", "year"], name="obs_series")]


_UNCHECKED: dict[str, Any] = {"db_constraint": False, "db_index": False}


class ObservationHistory(models.Model):
    """A value as it was before `replaced_by` revised it; reverting that batch puts it back."""

    # Only the loader writes history, copying keys from stats_observation (whose own foreign keys
    # vouch for them) and the batch it holds locked: no database constraint checks them again, which
    # would cost one trigger per row and key at commit. on_delete is the ORM's, so it still holds.
    # Nor an index per key: a revert reads history by `replaced_by` (history_by_batch), nothing else.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"), **_UNCHECKED)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, verbose_name=_("indicator"), **_UNCHECKED)
    year = models.SmallIntegerField(_("year"))
    firm_size = models.CharField(_("firm size"), max_length=10)
    sector = models.CharField(_("sector"), max_length=100, default="", blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"), **_UNCHECKED)
    value = models.FloatField(_("value"), null=True)
    flag = models.CharField(_("flag"), max_length=12)
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("import batch"), **_UNCHECKED)
    replaced_by = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="replaced",
                                    verbose_name=_("replaced by"), **_UNCHECKED)
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier value")
        verbose_name_plural = _("earlier values")
        indexes = [models.Index(fields=["replaced_by"], name="history_by_batch")]


class CacheGeneration(models.Model):
    """One row; bumped by every import so every process serves fresh chart data."""

    value = models.BigIntegerField(_("generation"), default=0)
    demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")


class Subscription(models.Model):
    """A table of the statistics database's API, fetched on a schedule into preview batches."""

    class Every(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")

    class Result(models.TextChoices):
        NO_CHANGE = "no_change", _("no change")
        PREVIEW = "preview", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        FAILED = "failed", _("failed")

    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(
        _("address"), max_length=2000,
        help_text=_("The table's address in the statistics database's API: PxWeb API v1 (with the JSON query "
                    "below) or v2 (the selection in the address); the answer must be JSON-stat 2.0."),
    )
    query = models.TextField(
        _("query (PxWeb API v1)"), blank=True,
        help_text=_('The JSON query sent with POST, as the database shows it under "API for this table"; '
                    'empty: the address is fetched with GET.'),
    )
    indicator = models.CharField(
        _("indicator"), max_length=40, blank=True,
        help_text=_("Empty: taken from the table's metadata, as for an uploaded file."),
    )
    firm_size = models.CharField(_("firm size"), max_length=10, blank=True, choices=FirmSize.choices)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"))
    every = models.CharField(_("how often"), max_length=10, choices=Every.choices, default=Every.MONTHLY)
    enabled = models.BooleanField(_("switched on"), default=True)
    auto_confirm = models.BooleanField(
        _("confirm by itself"), default=False,
        help_text=_("Load a preview without waiting for an admin when it only adds new values and revises none."),
    )
    content_sha256 = models.CharField(_("SHA-256 of the last answer"), max_length=64, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    last_message = models.TextField(_("message"), blank=True)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True, db_index=True)
    # Set while a run is queued or under way, so that a second beat or a command does not run it twice.
    claimed_at = models.DateTimeField(_("run claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("table subscription")
        verbose_name_plural = _("table subscriptions")

    def __str__(self) -> str:
        return self.name


class SubscriptionRun(models.Model):
    """One run of a subscription: what it fetched and what came of it (the history on its page)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="runs", verbose_name=_("table subscription")
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Subscription.Result.choices, blank=True)
    message = models.TextField(_("message"), blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the answer"), max_length=64, blank=True)
    size_bytes = models.BigIntegerField(_("size in bytes"), default=0)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("import batch"),
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("subscription run")
        verbose_name_plural = _("subscription runs")

    def __str__(self) -> str:
        return f"{self.subscription} {self.started_at:%Y-%m-%d %H:%M}"
