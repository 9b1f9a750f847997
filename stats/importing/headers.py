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
COUNTRY = "country"
MUNICIPALITY = "municipality"

_KEY_ALIASES: dict[str, tuple[str, ...]] = {
    REGION_CODE: ("region code", "regionkod", "lanskod", "lan kod", "county code", "kod", "code"),
    REGION: ("region", "lan", "county", "region name", "regionnamn", "lansnamn", "lan namn"),
    YEAR: ("ar", "year", "period", "tid", "artal"),
    FIRM_SIZE: ("foretagsstorlek", "storleksklass", "firm size", "size class", "storlek"),
    SECTOR: ("bransch", "sektor", "sector", "naringsgren", "industry"),
    # A country column (land = Sverige) is never the region; a municipality column marks municipality rows.
    COUNTRY: ("land", "country"),
    MUNICIPALITY: ("kommun", "kommunnamn", "kommunkod", "municipality", "municipality code", "kommun kod"),
}
# Variables of statistics-database tables that split a figure into categories (see dimensions.py).
_DIMENSION_NAMES = frozenset({"kon", "sex", "alder", "age", "civilstand", "marital status", "utbildningsniva",
                              "level of education", "fodelseregion", "region of birth", "hushallstyp"})
# Free-text columns beside the table: ignored with a warning, never a dimension.
_NOTE_NAMES = frozenset({"kommentar", "kommentarer", "comment", "comments", "kalla", "source", "anm", "anmarkning",
                         "not", "note", "notes", "fotnot", "footnote", "enhet", "unit", "units", "flagga", "flag"})
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


def is_dimension_name(header: str) -> bool:
    return normalise_label(header) in _DIMENSION_NAMES


def is_note_name(header: str) -> bool:
    return normalise_label(header) in _NOTE_NAMES


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


def _definite_forms(alias: str) -> tuple[str, ...]:
    """"folkmangd" also as "folkmangden": Swedish titles use the definite form of the first word."""
    first, _, rest = alias.partition(" ")
    tail = f" {rest}" if rest else ""
    return (alias, *(f"{first}{suffix}{tail}" for suffix in ("en", "et", "n")))


@lru_cache(maxsize=1)
def _title_aliases() -> dict[str, tuple[str, ...]]:
    return {alias: _definite_forms(alias) for alias in indicator_aliases()}


def indicator_in_title(title: str) -> str | None:
    """The longest alias wins, so "Varuexport per invånare" beats "Varuexport"; the rest of the title
    ("efter region och år", ". År 1968 - 2022") does not matter."""
    words = f" {_normalise_title(title)} "
    matches = [(len(alias), indicator_aliases()[alias]) for alias, forms in _title_aliases().items()
               if any(f" {form} " in words for form in forms)]
    return max(matches)[1] if matches else None


_INDICATOR_AND_YEAR = re.compile(r"(?P<name>.*?\D)[\s,]+(?P<year>[0-9]{4}\W*.{0,3})")


def indicator_and_year(header: str) -> tuple[str, str] | None:
    """("population", "2020") for "Folkmängd 2020": a one-year table's heading names both."""
    found = _INDICATOR_AND_YEAR.fullmatch(header.strip())
    if found is None:
        return None
    code = indicator_for_header(found.group("name")) or indicator_in_title(found.group("name"))
    return (code, found.group("year").strip()) if code else None


def firm_size_in_title(title: str) -> str | None:
    words = _normalise_title(title)
    named = {size for size, pattern in _FIRM_SIZE_IN_TITLE if pattern.search(words)}
    return named.pop() if len(named) == 1 else None


def resolve_indicator(text: str) -> str | None:
    """An indicator given on upload: its code or any header alias."""
    return indicator_for_header(text.strip())

