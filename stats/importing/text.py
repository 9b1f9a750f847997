"""Text folding shared by the header, region and cell matchers."""

import unicodedata

INVISIBLE = "\u200b\ufeff"
# The letters Swedish tables use, folded without the slower Unicode decomposition.
_LETTERS = str.maketrans({
    "å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "á": "a", "à": "a", "æ": "ae", "ø": "o",
    "\u200b": " ", "\ufeff": " ",
})


def fold(text: str) -> str:
    """Casefold, strip diacritics (å→a, ö→o) and collapse whitespace, so spellings compare equal."""
    folded = text.casefold()
    if not folded.isascii():
        folded = folded.translate(_LETTERS)
        if not folded.isascii():
            decomposed = unicodedata.normalize("NFKD", folded)
            folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(folded.split())


def clean_cell(text: str) -> str:
    """Strip surrounding whitespace, including the no-break spaces spreadsheets leave behind."""
    return text.strip().strip(INVISIBLE).strip()


def shorten(text: str, limit: int = 60) -> str:
    """Keep messages readable when a cell holds a whole paragraph of garbage."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
