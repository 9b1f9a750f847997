"""Is this Swedish page free of English? `english_words(html)` lists the English words a reader would see.

For any test over a rendered Swedish page (the admin, the jury workspace, the import batch pages):

    from tests.language import english_words
    assert english_words(response.content.decode()) == []

What counts: the visible text and the attributes people read (title, aria-label, placeholder, alt, and the
value of buttons), outside <script>, <style>, <template> and any element marked as another language
(`lang="en"`, e.g. the language switch). The words are English words that are not also Swedish words, so a
hit is an untranslated string, not a false alarm: extend ENGLISH with the words a new page could leak.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Function words and the product's and Django's interface words; none is also a Swedish word (so no
# "region", "import", "status", "median", "jury", "filter", "motivation", "administration", "all").
ENGLISH = frozenset("""
the and of with your you this that these those are is was were have has not no yes for from into about what
which who when where why how any each every other than then there their them they our add added change changed
changes delete deleted view history home site authentication authorization user users group groups recent
actions my none available search clear save saved submit submitted score scores scoring draft drafts award
awards year years imports batch batches source sources regions value values indicator indicators firm firms
size sector sectors criterion criteria nominee nominees nomination nominations juror jurors chair deadline
conflict conflicts interest weighted average mean spread closed open opened published publish unpublished
statement reasons winner comment comments reminder reminders audit entry entries weight name names description
created updated started finished uploaded file progress error errors rows attempts access attempt failure
failures logs expiration expirations new revised unchanged missing preview confirm confirmation discard
discarded revert reverted retry queued reading loading done failed rejected waiting log logout login password
collaboration performance renewal strategic international actors tie rule casting vote place record recorded
decision dates date announcement please select choose selected go next previous page more less hide
""".split())

SKIPPED_TAGS = {"script", "style", "template", "noscript"}
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+(?:['’][a-z]+)?")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or "").lower()
        skipped = tag in SKIPPED_TAGS or (bool(lang) and not lang.startswith("sv"))
        if not skipped and not self._skipping():
            self.texts += [v for k, v in attrs if k in READ_ATTRIBUTES and v]
            if tag in ("input", "button") and values.get("type") in ("submit", "button", "reset") and values.get("value"):
                self.texts.append(values["value"] or "")
        if tag not in VOID_TAGS:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.texts.append(data)


def visible_text(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return " ".join(reader.texts)


def english_words(html: str, *, content: tuple[str, ...] = ()) -> list[str]:
    """The English words a reader of this page would see, sorted, each once; [] for a wholly Swedish page.
    `content`: texts that are data rather than interface (a source's English name, a username), left out."""
    text = visible_text(html)
    for data in content:
        text = text.replace(data, " ")
    words = {match.group(0).lower() for match in WORD.finditer(text)}
    return sorted(words & ENGLISH)
