"""Region cells to two-digit county codes ("00" for Sweden), skipping municipalities and former counties."""

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from regions.data import COUNTRY_CODE, REGIONS
from stats.importing.text import fold

_BY_CODE = {row.code: row for row in REGIONS}
_COUNTRY_NAMES = ("riket", "sverige", "sweden", "hela riket", "hela landet", "hela sverige", "whole country",
                  "samtliga lan", "samtliga", "alla lan", "totalt", "total", "all counties")
# Names in use besides the official ones: the region authorities' own names.
_EXTRA_NAMES = {"sormland": "04", "jamtland harjedalen": "23", "vastra gotalandsregionen": "14"}
# Counties merged away in 1997-98 (and the Stockholm city code), still found in old tables.
_HISTORICAL_CODES = frozenset({"02", "11", "15", "16"})
_HISTORICAL_NAMES = frozenset(
    {"kristianstad", "malmohus", "goteborgs och bohus", "goteborg och bohus", "alvsborg", "skaraborg",
     "kopparberg", "stockholms stad"}
)
_PREFIXES = ("region ", "landstinget ", "lanet ")
_SUFFIXES = (" lans landsting", " landsting", " lan", " lans", " county", " region")
_CODE_AND_NAME = re.compile(r"(\d+)\s*[-.:]?\s*(.*)")
_FORMER = re.compile(r"\bf\.? ?d\.? |\bfore detta\b")
_BRACKETS = re.compile(r"\([^)]*\)")
_SEPARATORS = re.compile(r"[-_/,;]+")


@dataclass(frozen=True)
class RegionMatch:
    code: str | None = None          # two-digit code when matched
    skipped: bool = False            # municipality or former county: left out with one warning
    conflict: str | None = None      # code of the name when code and name disagree


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    table = {name: COUNTRY_CODE for name in _COUNTRY_NAMES}
    for row in REGIONS:
        if row.code == COUNTRY_CODE:
            continue
        table[fold(row.name)] = row.code
        table[_strip_affixes(fold(row.official_name))] = row.code
    table.update(_EXTRA_NAMES)
    return table


def _strip_affixes(name: str) -> str:
    if " " not in name:
        return name
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name, stripped = name[: -len(suffix)], True
    return name.strip()


def _name_key(folded: str) -> str:
    if folded.isalnum():
        return folded  # the common one-word case, without the regex work
    text = _SEPARATORS.sub(" ", _BRACKETS.sub(" ", folded))
    return _strip_affixes(" ".join(text.replace(".", " ").split()))


def _code_of_name(folded: str) -> str | None:
    """Region code for a folded name, "" for a former county, None when unknown."""
    key = _name_key(folded)
    names = _names()
    for candidate in (key, key[:-1] if key.endswith("s") else key):
        if candidate in names:
            return names[candidate]
        if candidate in _HISTORICAL_NAMES:
            return ""
    return None


def _match_code(digits: str, name: str) -> RegionMatch:
    if len(digits) == 4:
        return RegionMatch(skipped=True)  # municipality code such as 0114
    code = digits.zfill(2)
    if len(digits) > 2 or (code not in _BY_CODE and code not in _HISTORICAL_CODES):
        return RegionMatch()
    named = _code_of_name(name) if name else None  # name is already folded
    if code in _HISTORICAL_CODES or named == "":
        return RegionMatch(skipped=True)
    if named is not None and named != code:
        return RegionMatch(conflict=named)
    return RegionMatch(code=code)


@lru_cache(maxsize=4096)
def match_region(raw: str) -> RegionMatch:
    folded = fold(raw).strip("\"'")
    if not folded:
        return RegionMatch()
    if "f" in folded and _FORMER.search(folded + " "):
        return RegionMatch(skipped=True)
    numbered = _CODE_AND_NAME.fullmatch(folded) if folded[0].isdigit() else None
    if numbered:
        return _match_code(*numbered.groups())
    named = _code_of_name(folded)
    if named == "":
        return RegionMatch(skipped=True)
    return RegionMatch(code=named)


def region_name(code: str) -> str:
    row = _BY_CODE.get(code)
    return row.official_name if row else code


def suggestions(raw: str, count: int = 3) -> list[str]:
    """The closest official names, compared on folded names without "län" and "Region"."""
    candidates = _suggestion_names()
    close = difflib.get_close_matches(_name_key(fold(raw)), list(candidates), n=count, cutoff=0.0)
    return [region_name(candidates[name]) for name in close]


@lru_cache(maxsize=1)
def _suggestion_names() -> dict[str, str]:
    names = {fold(row.name): row.code for row in REGIONS}
    names["riket"] = COUNTRY_CODE
    return names
