from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stats.importing.filetype import SUFFIXES, WORKBOOK, kind_of_name, unpacked_size, upload_kind
from stats.importing.limits import UNPACKED_FACTOR
from stats.indicators import INDICATORS
from stats.labels import current_lang
from stats.models import FirmSize, Source

ALLOWED_SUFFIXES = tuple(SUFFIXES)


def indicator_choices() -> list[tuple[str, str]]:
    """The indicators by name in the page's language (their codes are what the file and the CLI use)."""
    lang = current_lang()
    return [(i.code, i.name_sv if lang == "sv" else i.name_en) for i in INDICATORS]


def _from_file_or_indicator() -> list[tuple[str, str | Promise]]:
    return [("", _("From the file")), *indicator_choices()]


def _choose_or_indicator() -> list[tuple[str, str | Promise]]:
    return [("", _("Choose…")), *indicator_choices()]


class IndicatorChoiceForm(forms.Form):
    """The indicator of a wide table that does not name it, chosen on the rejected batch's page."""

    # No indicator is preselected: a wrong guess would load every figure under another indicator's name.
    indicator = forms.ChoiceField(label=_("Indicator in the file"), choices=_choose_or_indicator)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Statistics file"), help_text=_("CSV, TSV, XLSX, PX or JSON-stat, as you received it."))
    source = forms.ModelChoiceField(queryset=Source.objects.all(), label=_("Source"), empty_label=None)
    indicator = forms.ChoiceField(
        label=_("Indicator"), required=False,
        choices=_from_file_or_indicator,
        help_text=_("Only for a wide table (one column per year) without a title naming it."),
    )
    firm_size = forms.ChoiceField(
        label=_("Firm size"), required=False, choices=[("", _("From the file"))] + list(FirmSize.choices)
    )
    sheet = forms.CharField(label=_("Sheet"), required=False, max_length=100, help_text=_("Default: the first sheet."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {"size": upload.size / 1e6, "limit": limit // (1024 * 1024)}
            )
        expected = kind_of_name(upload.name)
        if expected is None:
            raise forms.ValidationError(_("Upload a .csv, .tsv, .txt, .xlsx, .px or .json file."))
        max_unpacked = UNPACKED_FACTOR * limit
        if upload_kind(upload, max_unpacked=max_unpacked) != expected:
            unpacked = unpacked_size(upload) if expected == WORKBOOK else None
            if unpacked is not None and unpacked > max_unpacked:
                raise forms.ValidationError(
                    _("The spreadsheet unpacks to %(size)d MB; at most %(limit)d MB is accepted.")
                    % {"size": unpacked // (1024 * 1024), "limit": max_unpacked // (1024 * 1024)})
            raise forms.ValidationError(
                _("The file's content does not match its type (.csv/.tsv text, .xlsx, .px or JSON-stat .json)."))
        return upload
