"""Forms validate what a person typed; the services decide whether it is allowed now."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from awards.models import SCORE_MAX, SCORE_MIN, Criterion, Nomination
from awards.services import MAX_NOMINEES, ScoreEntry
from regions.models import Region

TEXT_MAX = 5000
COMMENT_MAX = 2000
SCORE_CHOICES = [("", "–")] + [(str(v), str(v)) for v in range(SCORE_MIN, SCORE_MAX + 1)]


class ShortlistForm(forms.Form):
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.filter(level=Region.Level.COUNTY).order_by("code"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        label=_("Nominees"),
    )

    def clean_regions(self) -> list[str]:
        """The codes in the order they were posted, which is the page's order: the suggestion's rank
        (the queryset would return them by county code, and the nominees would be saved in that order)."""
        posted = self.data.getlist(self.add_prefix("regions")) if hasattr(self.data, "getlist") else []
        rank = {code: i for i, code in reversed(list(enumerate(posted)))}
        codes = sorted((r.code for r in self.cleaned_data["regions"]), key=lambda code: rank.get(code, len(rank)))
        if len(codes) > MAX_NOMINEES:
            raise forms.ValidationError(_("Choose at most %(max)s nominees.") % {"max": MAX_NOMINEES})
        return codes


class NominationForm(forms.Form):
    statement_sv = forms.CharField(
        label=_("Statement of reasons (Swedish)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX
    )
    statement_en = forms.CharField(
        label=_("Statement of reasons (English)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=COMMENT_MAX)
    withdraw = forms.BooleanField(required=False)


class ScoreForm(forms.Form):
    """One nominee's form: a 1–5 mark and a comment per criterion; `submit` set by the Submit button."""

    submit = forms.BooleanField(required=False)

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"value_{criterion.pk}"] = forms.TypedChoiceField(
                choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(required=False, max_length=COMMENT_MAX)

    def entries(self) -> dict[int, ScoreEntry]:
        data = self.cleaned_data
        return {
            c.pk: ScoreEntry(data.get(f"value_{c.pk}"), data.get(f"comment_{c.pk}") or "") for c in self.criteria
        }


class NomineeChoiceField(forms.ModelChoiceField):
    """One of an award year's nominees (the form sets them), by county name."""

    def label_from_instance(self, obj: Nomination) -> str:
        return obj.region.name


def _offer_nominees(form: forms.Form, nominations: QuerySet[Nomination]) -> None:
    field = form.fields["nomination"]
    assert isinstance(field, NomineeChoiceField)
    field.queryset = nominations


class WinnerForm(forms.Form):
    nomination = NomineeChoiceField(
        queryset=Nomination.objects.none(), widget=forms.RadioSelect, label=_("Winner"), empty_label=None
    )
    motivation_sv = forms.CharField(
        label=_("Winning motivation (Swedish)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX
    )
    motivation_en = forms.CharField(
        label=_("Winning motivation (English)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX
    )

    def __init__(self, *args, nominations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _offer_nominees(self, nominations)


class ScheduleForm(forms.Form):
    """The chair's dates. Browsers send ISO dates from these inputs whatever the page's language."""

    announced_on = forms.DateField(
        label=_("Announcement date"), required=False, input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scoring_deadline = forms.DateTimeField(
        label=_("Scoring deadline"), required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class CastingVoteForm(forms.Form):
    nomination = NomineeChoiceField(
        queryset=Nomination.objects.none(), widget=forms.RadioSelect, label=_("Casting vote for"), empty_label=None
    )
    reason = forms.CharField(
        label=_("Reason for the casting vote"), widget=forms.Textarea(attrs={"rows": 3}), max_length=COMMENT_MAX
    )

    def __init__(self, *args, nominations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _offer_nominees(self, nominations)
