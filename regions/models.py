from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    class Level(models.TextChoices):
        COUNTRY = "country", _("country")
        COUNTY = "county", _("county")

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    nuts_code = models.CharField(_("NUTS code"), max_length=10, blank=True)
    aliases = models.JSONField(
        _("other spellings"), default=list, blank=True, help_text=_("Extra spellings the importer accepts.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_country(self) -> bool:
        return self.level == self.Level.COUNTRY
