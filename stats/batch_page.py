"""The batch page's tables and links, built from a batch's stored counts and revisions: names instead
of codes, numbers in each indicator's decimals, values that become missing flagged (pure: no ORM)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.data import COUNTRY_CODE
from stats.flags import Flag
from stats.formatting import format_number
from stats.labels import firm_size_label, indicator_name, sector_label
from stats.models import ImportBatch, Indicator
from stats.tables import DataTable

SUMMARY_COUNTS = ("new", "revised", "unchanged", "missing")
Status = ImportBatch.Status
# What each state means for the admin, beside its name: what happens next and whether anything changed.
STATUS_EXPLANATIONS: dict[str, Promise] = {
    Status.QUEUED: gettext_lazy("The file is stored and waits for the background worker."),
    Status.READING: gettext_lazy("The file is being read and checked."),
    Status.PREVIEW: gettext_lazy("Checked. Nothing is changed until you confirm the import."),
    Status.LOADING: gettext_lazy("The values are being written."),
    Status.DONE: gettext_lazy("Loaded: the pages show the new figures."),
    Status.FAILED: gettext_lazy("Processing stopped with an error; nothing was changed. You can try again."),
    Status.REJECTED: gettext_lazy("The file has errors; nothing was changed."),
    Status.DISCARDED: gettext_lazy("Discarded; nothing was changed."),
    Status.REVERTED: gettext_lazy("Reverted: the values from before this import are back."),
    Status.CANCELLED: gettext_lazy("Cancelled by an admin; nothing of this file was stored."),
}


@dataclass(frozen=True)
class Names:
    """What the codes in a batch stand for, in the page's language."""

    regions: dict[str, str]  # code -> name
    indicators: dict[str, Indicator]  # code -> indicator (name, decimals)
    lang: str

    def region(self, code: str) -> str:
        return self.regions.get(code, code)

    def indicator(self, code: str) -> str:
        indicator = self.indicators.get(code)
        return indicator_name(indicator, self.lang) if indicator else code

    def decimals(self, code: str) -> int:
        indicator = self.indicators.get(code)
        return indicator.decimals if indicator else 1


@dataclass(frozen=True)
class RevisionRow:
    region: str
    indicator: str
    year: int
    breakdown: str
    old: str
    new: str
    becomes_missing: bool


@dataclass(frozen=True)
class SummaryRow:
    name: str
    new: int
    revised: int
    unchanged: int
    missing: int
    link: str = ""


def becomes_missing(revision: dict) -> bool:
    return revision.get("old") is not None and revision.get("new") is None


def _shown_value(value: float | None, flag: str | None, decimals: int, lang: str) -> str:
    if value is None:
        return _("conf.") if flag == Flag.CONFIDENTIAL else _("missing")
    return format_number(value, decimals, lang)


def _breakdown(revision: dict) -> str:
    return f"{firm_size_label(revision['firm_size'])}, {sector_label(revision.get('sector') or '')}"


def revision_rows(revisions: list[dict], names: Names) -> list[RevisionRow]:
    rows = []
    for r in revisions:
        decimals = names.decimals(r["indicator"])
        rows.append(RevisionRow(
            region=names.region(r["region"]), indicator=names.indicator(r["indicator"]), year=r["year"],
            breakdown=_breakdown(r),
            old=_shown_value(r["old"], None, decimals, names.lang),
            new=_shown_value(r["new"], r.get("flag"), decimals, names.lang),
            becomes_missing=becomes_missing(r),
        ))
    return rows


def summary_rows(summary: list[dict], by: str, names: Names, *, source_slug: str = "") -> list[SummaryRow]:
    """The summary's counts added up per indicator or per region (`by`), in the summary's order, each
    with a link to the page that shows those figures."""
    totals: dict[str, dict[str, int]] = {}
    for row in summary:
        counts = totals.setdefault(row[by], dict.fromkeys(SUMMARY_COUNTS, 0))
        for count in SUMMARY_COUNTS:
            counts[count] += int(row.get(count, 0))
    regions = sorted({row["region"] for row in summary if row["region"] != COUNTRY_CODE})
    out = []
    for code, counts in totals.items():
        if by == "indicator":
            name, link = names.indicator(code), compare_url(code, regions, source_slug)
        else:
            name, link = names.region(code), reverse("dashboard:region", args=[code])
        out.append(SummaryRow(name=name, link=link, **counts))
    return out


def compare_url(indicator: str, regions: list[str], source_slug: str) -> str:
    params = {"regions": ",".join(regions), "indicator": indicator}
    if source_slug:
        params["source"] = source_slug
    return f"{reverse('dashboard:compare')}?{urlencode(params, safe=',')}"


def revisions_table(revisions: list[dict], names: Names, *, batch_id: int, file_name: str) -> DataTable:
    """Every revised value of a batch as a download: names, the codes beside them, plain numbers."""
    rows = [
        [names.region(r["region"]), r["region"], names.indicator(r["indicator"]), r["indicator"], r["year"],
         firm_size_label(r["firm_size"]), r.get("sector") or "", r["old"], r["new"], r.get("flag") or "",
         _("yes") if becomes_missing(r) else ""]
        for r in revisions
    ]
    columns = [_("Region"), _("Region code"), _("Indicator"), _("Indicator code"), _("Year"), _("Firm size"),
               _("Sector"), _("Before"), _("After"), _("Flag"), _("Becomes missing")]
    return DataTable(
        title=_("Revised values of batch %(id)s (%(file)s)") % {"id": batch_id, "file": file_name},
        meta=[(_("Revised values"), str(len(rows)))], columns=columns, rows=rows,
        filename=f"batch-{batch_id}-revisions",
    )
