from django import template
from django.utils.translation import get_language

from stats.formatting import format_number, format_percent

register = template.Library()


def _lang() -> str:
    return "sv" if (get_language() or "sv").startswith("sv") else "en"


@register.filter
def num(value, decimals: int = 0) -> str:
    return format_number(value, int(decimals), _lang())


@register.filter
def pct(value, decimals: int = 1) -> str:
    return format_percent(value, int(decimals), _lang())

