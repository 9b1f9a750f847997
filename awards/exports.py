"""The audit log as rows for the page, CSV and XLSX, with the scores of a closed round.

The downloads are tidy like every other (stats.tables): the CSV is the log alone, header on the first
line, no metadata rows (a closed round's log names every score change, old and new); the XLSX has the
log, the scores once the round is closed, and the metadata on a sheet of its own.
Text cells that a spreadsheet would run as a formula are prefixed with ' (OWASP CSV injection): a
juror's comment is typed by a person and opened by another in Excel.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from awards.models import AuditEntry, AwardYear, Score
from stats import tables
from stats.tables import Cell, DataTable


def escape_cell(value: Cell) -> Cell:
    return tables.escape_text(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class AuditRow:
    at: str
    actor: str
    action: str
    object_repr: str
    old: str
    new: str


# The keys services.py writes in AuditEntry.old/new, as a reader of the log calls them.
FIELD_LABELS = {
    "value": gettext_lazy("score"),
    "comment": gettext_lazy("comment"),
    "submitted": gettext_lazy("submitted"),
    "status": gettext_lazy("status"),
    "region": gettext_lazy("region"),
    "reason": gettext_lazy("reason"),
    "statement_sv": gettext_lazy("statement (Swedish)"),
    "statement_en": gettext_lazy("statement (English)"),
    "motivation_sv": gettext_lazy("motivation (Swedish)"),
    "motivation_en": gettext_lazy("motivation (English)"),
    "year": gettext_lazy("award year"),
    "period": gettext_lazy("statistics period"),
    "announced_on": gettext_lazy("announcement date"),
    "scoring_deadline": gettext_lazy("scoring deadline"),
    "jurors": gettext_lazy("jurors"),
    "chair": gettext_lazy("jury chair"),
    "criteria": gettext_lazy("criteria"),
}


def _describe(state: Any, *, sealed: bool) -> str:
    if state is None:
        return ""
    if sealed:
        return _("(sealed until the round closes)")
    if isinstance(state, dict):
        return "; ".join(
            f"{FIELD_LABELS.get(key, key)}: {_value(key, value)}" for key, value in state.items() if value != ""
        )
    return str(state)


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "status" and value in AwardYear.Status.values:
        return str(AwardYear.Status(value).label)
    return str(value)


def audit_rows(entries: Iterable[AuditEntry], *, reveal_scores: bool) -> list[AuditRow]:
    """Score values and comments are sealed for everyone until the chair closes the round."""
    rows = []
    for entry in entries:
        sealed = entry.is_score_change and not reveal_scores
        rows.append(
            AuditRow(
                at=timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                actor=entry.actor_name or "–",
                action=str(entry.get_action_display()),
                object_repr=entry.object_repr,
                old=_describe(entry.old, sealed=sealed),
                new=_describe(entry.new, sealed=sealed),
            )
        )
    return rows


def _audit_header() -> list[str]:
    return [_("When"), _("Who"), _("Action"), _("Object"), _("Old"), _("New")]


def _score_header() -> list[str]:
    return [_("Nominee"), _("Criterion"), _("Juror"), _("Score"), _("Comment"), _("Submitted")]


def _score_cells(scores: Sequence[Score], lang: str) -> list[list[Cell]]:
    return [
        [s.nomination.region.name, s.criterion.name(lang), s.juror.get_username(), s.value, s.comment,
         timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M:%S") if s.submitted_at else _("draft")]
        for s in scores
    ]


def _audit_cells(rows: Sequence[AuditRow]) -> list[list[Cell]]:
    return [[r.at, r.actor, r.action, r.object_repr, r.old, r.new] for r in rows]


def _log_table(award_year: AwardYear, rows: Sequence[AuditRow]) -> DataTable:
    return DataTable(_("Audit log"), [(_("Award year"), str(award_year.year))], _audit_header(), _audit_cells(rows),
                     filename=f"exportregion-{award_year.year}-audit")


def audit_csv(award_year: AwardYear, rows: Sequence[AuditRow]) -> bytes:
    """The log as tidy CSV (stats.tables): the header on the first line, no metadata rows, UTF-8."""
    return tables.to_csv(_log_table(award_year, rows))


def audit_xlsx(award_year: AwardYear, rows: Sequence[AuditRow], scores: Sequence[Score] | None, lang: str) -> bytes:
    """The log, the scores of a closed round (sealed before) and the metadata, a sheet each."""
    sheets = [_log_table(award_year, rows)]
    meta = [(_("Award year"), str(award_year.year))]
    if scores is None:
        meta.append((_("Scores"), _("The scores are sealed until the round closes.")))
    else:
        sheets.append(DataTable(_("Scores"), [], _score_header(), _score_cells(scores, lang)))
    return tables.to_xlsx_sheets(sheets, title=f"Årets Exportregion {award_year.year}", meta=meta)


def _fill(sheet: Worksheet, rows: Iterable[Sequence[Cell]]) -> None:
    for cells in rows:
        sheet.append([escape_cell(c) for c in cells])


def _when(entry: AuditEntry | None) -> str:
    return timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M") if entry else ""


def _mark(value: float | None, decimals: int = 2) -> float | None:
    return None if value is None else round(value, decimals)


def decision_xlsx(record: dict) -> bytes:
    """The decision record (pages.decision_record_context) as a workbook: the decision, the scores, the
    conflicts of interest. Numbers stay numbers (rounded to two decimals), text cells are escaped."""
    from awards.ranking import DECIDED_BY_LABELS, TIE_RULE

    award_year, ranking = record["award_year"], record["ranking"]
    winner, decided, published = record["winner"], record["decided"], record["published"]
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = _("Decision")[:31]
    vote = award_year.casting_vote
    _fill(sheet, [
        [_("Award year"), award_year.year],
        [_("Statistics period"), f"{award_year.period_from}–{award_year.period_to}"],
        [_("Announcement date"), award_year.announced_on.isoformat() if award_year.announced_on else ""],
        [_("Winner"), winner.region.name if winner else ""],
        [_("Winning motivation (Swedish)"), winner.motivation_sv if winner else ""],
        [_("Winning motivation (English)"), winner.motivation_en if winner else ""],
        [_("Recorded by"), decided.actor_name if decided else "", _when(decided)],
        [_("Published by"), published.actor_name if published else "", _when(published)],
        [_("Casting vote"), vote.region.name if vote else "", award_year.casting_vote_reason],
        [],
        [_("Tie rule")],
        *[[f"{i}. {step}"] for i, step in enumerate(TIE_RULE, start=1)],
    ])
    scores = workbook.create_sheet(_("Scores")[:31])
    criteria = record["criteria"]
    header: list[Cell] = [_("Place"), _("Nominee"), _("Weighted average")]
    for name in criteria:
        header += [f"{name}: {_('average')}", f"{name}: {_('median')}", f"{name}: {_('lowest')}",
                   f"{name}: {_('highest')}"]
    header += [_("Jurors counted"), _("Tie")]
    rows: list[list[Cell]] = [header]
    for row in ranking.rows:
        result = row.result
        cells: list[Cell] = [row.place, result.nomination.region.name, _mark(result.weighted_mean)]
        for c in result.criteria:
            cells += [_mark(c.mean), c.median, c.minimum, c.maximum]
        cells += [len(result.jurors_counted), str(DECIDED_BY_LABELS.get(row.decided_by, ""))]
        rows.append(cells)
    _fill(scores, rows)
    conflicts = workbook.create_sheet(_("Conflicts of interest")[:31])
    _fill(conflicts, [[_("Nominee"), _("Juror"), _("Reason"), _("Declared")]] + [
        [c.nomination.region.name, c.juror.get_username(), c.reason,
         timezone.localtime(c.declared_at).strftime("%Y-%m-%d %H:%M")]
        for c in record["conflicts"]
    ])
    workbook.properties.title = f"Årets Exportregion {award_year.year}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
