"""Whether a page rendered in Swedish shows English: the visible text and the words people read in
attributes (aria-label, title, placeholder, alt), checked against English words that are not also Swedish."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Common English words and the product's English interface words; none of them is a Swedish word.
ENGLISH = frozenset("""
the and of to are was with from this that these those or yes you your
batch batches file files value values revised unchanged new upload uploaded confirm confirmed revert reverted
discard discarded retry source indicator indicators waiting loaded loading failed rejected queued reading done
nothing every showing download summary missing becomes become firms firm size year years choose again
error warning message column line severity when who history previous next before after
""".split())
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def english_words(html: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words of a page, in order (file names such as `revision.csv` are not words)."""
    parser = _Text()
    parser.feed(html)
    text = re.sub(r"\S+\.(csv|tsv|txt|xlsx)\b", " ", " ".join(parser.parts))
    return [w for w in WORD.findall(text) if w.lower() in ENGLISH and w.lower() not in allowed]
