"""Plain-language summaries computed from the data, next to every chart (WCAG: a text alternative).

"Goods exports per inhabitant in small and medium-sized firms rose from 24 560 kr in 2016 to
44 210 kr in 2021, +80,0 %, the third largest increase of the 21 counties." The numbers come from
the same arithmetic as the charts and the API (stats.growth), so the three always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from stats.formatting import format_percent, format_value, is_missing
from stats.growth import change_pct
from stats.labels import ordinal


@dataclass(frozen=True)
class Change:
    """One region's change over a period, as growth_frame reports it; `rank` among `ranked` counties."""

    start_year: int
    end_year: int
    start: float | None
    end: float | None
    change_pct: float | None
    rank: int | None = None
    ranked: int = 0


def rank_phrase(change: Change, lang: str) -> str:
    if change.rank is None or not change.ranked or change.change_pct is None:
        return ""
    if change.change_pct > 0:
        if change.rank == 1:
            return _("the largest increase of the %(n)s counties") % {"n": change.ranked}
        if change.rank == change.ranked:
            return _("the smallest increase of the %(n)s counties") % {"n": change.ranked}
        return _("the %(ordinal)s largest increase of the %(n)s counties") % {
            "ordinal": ordinal(change.rank, lang), "n": change.ranked}
    return _("rank %(rank)s of the %(n)s counties by change") % {"rank": change.rank, "n": change.ranked}


def change_sentence(subject: str, change: Change, *, unit: str, decimals: int, lang: str) -> str:
    """'<subject> rose from <start> in <year> to <end> in <year>, <+pct>, <rank phrase>.'"""
    if is_missing(change.start) or is_missing(change.end):
        missing = change.start_year if is_missing(change.start) else change.end_year
        return _("%(subject)s: there is no value for %(year)s, so no change is computed.") % {
            "subject": subject, "year": missing}
    values = {
        "subject": subject,
        "start": format_value(change.start, decimals, unit, lang),
        "end": format_value(change.end, decimals, unit, lang),
        "y1": change.start_year,
        "y2": change.end_year,
        "pct": format_percent(change.change_pct, 1, lang),
    }
    if change.change_pct is None:
        text = _("%(subject)s went from %(start)s in %(y1)s to %(end)s in %(y2)s") % values
    elif change.change_pct > 0:
        text = _("%(subject)s rose from %(start)s in %(y1)s to %(end)s in %(y2)s, %(pct)s") % values
    elif change.change_pct < 0:
        text = _("%(subject)s fell from %(start)s in %(y1)s to %(end)s in %(y2)s, %(pct)s") % values
    else:
        text = _("%(subject)s was %(start)s in both %(y1)s and %(y2)s") % values
    phrase = rank_phrase(change, lang)
    return f"{text}, {phrase}." if phrase else f"{text}."


def extremes_sentence(*, year: int, top: tuple[str, float], bottom: tuple[str, float], n: int, unit: str,
                      decimals: int, lang: str) -> str:
    """'In 2023, Norrbotten had the highest value of the 21 counties, …, and Gotland the lowest, ….'"""
    return _(
        "In %(year)s, %(top)s had the highest value of the %(n)s counties, %(top_value)s, "
        "and %(bottom)s the lowest, %(bottom_value)s."
    ) % {
        "year": year, "n": n, "top": top[0], "bottom": bottom[0],
        "top_value": format_value(top[1], decimals, unit, lang),
        "bottom_value": format_value(bottom[1], decimals, unit, lang),
    }


def national_sentence(value: float | None, year: int, *, unit: str, decimals: int, lang: str) -> str:
    if is_missing(value):
        return ""
    return _("Sweden as a whole, %(year)s: %(value)s.") % {
        "year": year, "value": format_value(value, decimals, unit, lang)}


def missing_sentence(names: list[str]) -> str:
    if not names:
        return ""
    return _("No value for: %(names)s (left out, not counted as zero).") % {"names": ", ".join(names)}


def absent_sentences(confidential: list[str], missing: list[str]) -> list[str]:
    """What a chart leaves out, confidential values named apart from missing ones."""
    return [s for s in (confidential_sentence(confidential), missing_sentence(missing)) if s]


def confidential_sentence(names: list[str]) -> str:
    if not names:
        return ""
    return _("Confidential, not published by Statistics Sweden: %(names)s (left out, not counted as zero).") % {
        "names": ", ".join(names)}


@dataclass(frozen=True)
class Turn:
    """A year whose value fell after a rise (or at the start), and the change of the year after."""

    year: int
    change_pct: float
    next_year: int | None = None
    next_pct: float | None = None


def _yearly_changes(years: list[int], values: list[float | None]) -> list[tuple[int, float]]:
    """(year, % change from the year before) wherever both years have a value."""
    known = [None if is_missing(v) else v for v in values]
    steps = zip(zip(years, known, strict=True), list(zip(years, known, strict=True))[1:], strict=False)
    changes = [(y1, change_pct(v0, v1)) for (y0, v0), (y1, v1) in steps if y1 == y0 + 1]
    return [(year, pct) for year, pct in changes if pct is not None]


def turning_points(years: list[int], values: list[float | None], *, limit: int = 3) -> list[Turn]:
    """The dips of a series: each fall that breaks a rise (or opens the series), with the change of the
    following year when there is one; the `limit` largest falls, in year order."""
    changes = _yearly_changes(years, values)
    turns = []
    for i, (year, pct) in enumerate(changes):
        before = changes[i - 1][1] if i and changes[i - 1][0] == year - 1 else None
        if pct >= 0 or (before is not None and before < 0):
            continue
        after = changes[i + 1] if i + 1 < len(changes) and changes[i + 1][0] == year + 1 else None
        turns.append(Turn(year, pct, *(after if after else (None, None))))
    turns = sorted(turns, key=lambda t: t.change_pct)[:limit]
    return sorted(turns, key=lambda t: t.year)


def turning_sentence(subject: str, years: list[int], values: list[float | None], lang: str) -> str:
    """'<subject>: a fall of 7.5 % in 2020, then +22.7 % in 2021.' computed from the values, or that the
    series grew every year; '' with fewer than three years of values."""
    changes = _yearly_changes(years, values)
    if len(changes) < 2:
        return ""
    turns = turning_points(years, values)
    if not turns:
        if all(pct > 0 for _year, pct in changes):
            return _("%(subject)s: an increase every year, %(first)s–%(last)s.") % {
                "subject": subject, "first": changes[0][0] - 1, "last": changes[-1][0]}
        return ""
    parts = []
    for turn in turns:
        fall = format_percent(abs(turn.change_pct), 1, lang, signed=False)
        if turn.next_year is not None and turn.next_pct is not None:
            parts.append(_("a fall of %(fall)s in %(year)s, then %(next)s in %(next_year)s") % {
                "fall": fall, "year": turn.year, "next": format_percent(turn.next_pct, 1, lang),
                "next_year": turn.next_year})
        else:
            parts.append(_("a fall of %(fall)s in %(year)s") % {"fall": fall, "year": turn.year})
    return _("%(subject)s: %(points)s.") % {"subject": subject, "points": "; ".join(parts)}
