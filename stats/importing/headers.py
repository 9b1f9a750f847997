"""Column headers and titles: key columns, indicator aliases, firm size named in a title."""

import re
from functools import lru_cache

from stats.importing.text import fold
from stats.indicators import INDICATORS

_TRAILING_UNIT = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*$")
_PUNCTUATION = re.compile(r"[\W_]+")

REGION_CODE = "region_code"
REGION = "region"
YEAR = "year"
FIRM_SIZE = "firm_size"
SECTOR = "sector"

_KEY_ALIASES: dict[str, tuple[str, ...]] = {
    REGION_CODE: ("region code", "regionkod", "lanskod", "lan kod", "county code", "kod", "code"),
    REGION: ("region", "lan", "county", "region name", "regionnamn", "lansnamn", "lan namn"),
    YEAR: ("ar", "year", "period", "tid", "artal"),
    FIRM_SIZE: ("foretagsstorlek", "storleksklass", "firm size", "size class", "storlek"),
    SECTOR: ("bransch", "sektor", "sector", "naringsgren", "industry"),
}
_KEY_BY_LABEL = {alias: kind for kind, aliases in _KEY_ALIASES.items() for alias in aliases}

_FIRM_SIZE_IN_TITLE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sme", re.compile(r"\b(sma och medelstora|smf|smes?|small and medium)\b")),
    ("large", re.compile(r"\b(stora foretag|large firms|large enterprises|large companies)\b")),
    ("all", re.compile(r"\b(samtliga foretag|alla foretag|all firms)\b")),
)


def normalise_label(text: str) -> str:
    """Case, spacing, punctuation and a trailing unit in brackets do not matter in headers."""
    folded = _TRAILING_UNIT.sub("", fold(text))
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


def _normalise_title(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def key_kind(header: str) -> str | None:
    return _KEY_BY_LABEL.get(normalise_label(header))


@lru_cache(maxsize=1)
def indicator_aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in INDICATORS:
        for label in (row.code, *row.aliases, row.name_sv, row.name_en):
            table.setdefault(normalise_label(label), row.code)
    return table


def indicator_for_header(header: str) -> str | None:
    aliases = indicator_aliases()
    found = aliases.get(normalise_label(header))
    if found is None and "," in header:
        # "Folkmängd, antal": a unit after the last comma, like a unit in brackets.
        found = aliases.get(normalise_label(header.rsplit(",", 1)[0]))
    return found


def indicator_in_title(title: str) -> str | None:
    """The longest alias wins, so "Varuexport per invånare" beats "Varuexport"."""
    words = f" {_normalise_title(title)} "
    matches = [(len(alias), code) for alias, code in indicator_aliases().items() if f" {alias} " in words]
    return max(matches)[1] if matches else None


def firm_size_in_title(title: str) -> str | None:
    words = _normalise_title(title)
    named = {size for size, pattern in _FIRM_SIZE_IN_TITLE if pattern.search(words)}
    return named.pop() if len(named) == 1 else None


def resolve_indicator(text: str) -> str | None:
    """An indicator given on upload: its code or any header alias."""
    return indicator_for_header(text.strip())

