"""Problems found while reading a file, and the result type handed back to callers."""

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from stats.importing.messages import message

ERROR = "error"
WARNING = "warning"
# A 1M-row file full of one mistake must not produce 1M messages: at most CAP_PER_CODE are formatted,
# the same message on several lines is one line naming them, and a file's problems fit a screen.
CAP_PER_CODE = 50
SHOWN_PER_CODE = 3
SHOWN_LINES = 4
SCREENFUL = 24


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str | None
    code: str
    message: str
    severity: str

    def format(self, filename: str) -> str:
        if self.line is not None and self.column:
            return f"{filename}:{self.line}: {self.column}: {self.message}"
        if self.line is not None:
            return f"{filename}:{self.line}: {self.message}"
        return f"{filename}: {self.message}"


@dataclass
class ReadResult:
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


class ProblemLog:
    """Collects problems in the admin's language, keeping at most CAP_PER_CODE of each code."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in ("en", "sv") else "en"
        self._kept: list[Problem] = []
        self._counts: Counter[str] = Counter()
        self._overflow: Counter[tuple[str, str]] = Counter()

    def add(
        self,
        code: str,
        key: str | None = None,
        /,
        *,
        line: int | None = None,
        column: str | None = None,
        severity: str = ERROR,
        **values: object,
    ) -> None:
        self._counts[code] += 1
        if self._counts[code] > CAP_PER_CODE:
            self._overflow[(code, severity)] += 1
            return
        text = message(key or code, self.lang, **values)
        self._kept.append(Problem(line, column or None, code, text, severity))

    def room(self, code: str) -> int:
        """How many more problems of this code will be kept, so callers format only those."""
        return max(CAP_PER_CODE - self._counts[code], 0)

    def skip(self, code: str, count: int, severity: str = ERROR) -> None:
        """Count problems that were found but not formatted because the cap was reached."""
        if count > 0:
            self._counts[code] += count
            self._overflow[(code, severity)] += count

    def warn(
        self, code: str, key: str | None = None, /, *, line: int | None = None, column: str | None = None,
        **values: object,
    ) -> None:
        self.add(code, key, line=line, column=column, severity=WARNING, **values)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self._kept) or any(
            sev == ERROR for (_, sev) in self._overflow
        )

    def _merged(self, group: list[Problem], more: int) -> Problem:
        """One line for the same message on many lines: "… (also lines 4, 5, 6 … and 296 more)"."""
        first, others = group[0], [p.line for p in group[1:] if p.line is not None]
        if not others and not more:
            return first
        shown = ", ".join(str(line) for line in others[:SHOWN_LINES])
        more += max(len(others) - SHOWN_LINES, 0)
        text = (message("also_on_more", self.lang, message=first.message, lines=shown, n=more) if more
                else message("also_on", self.lang, message=first.message, lines=shown))
        return Problem(first.line, first.column, first.code, text, first.severity)

    def _summary(self, code: str, severity: str, count: int) -> Problem:
        return Problem(None, None, code, message("more", self.lang, n=count, code=code), severity)

    def problems(self) -> list[Problem]:
        ordered = sorted(self._kept, key=lambda p: (p.line is not None, p.line or 0))
        groups: dict[tuple[str, str, str | None, str], list[Problem]] = {}
        for problem in ordered:
            groups.setdefault((problem.code, problem.severity, problem.column, problem.message), []).append(problem)
        by_code: dict[tuple[str, str], list[list[Problem]]] = {}
        for (code, severity, _, _), group in groups.items():
            by_code.setdefault((code, severity), []).append(group)
        for key in self._overflow:
            by_code.setdefault(key, [])
        shown: list[Problem] = []
        summaries: list[Problem] = []
        for (code, severity), code_groups in by_code.items():
            overflow = self._overflow.get((code, severity), 0)
            if len(code_groups) == 1:
                shown.append(self._merged(code_groups[0], overflow))
                continue
            shown += [self._merged(group, 0) for group in code_groups[:SHOWN_PER_CODE]]
            hidden = sum(len(group) for group in code_groups[SHOWN_PER_CODE:]) + overflow
            if hidden:
                summaries.append(self._summary(code, severity, hidden))
        shown.sort(key=lambda p: (p.line is not None, p.line or 0))
        return self._screenful(shown + summaries)

    def _screenful(self, problems: list[Problem]) -> list[Problem]:
        if len(problems) <= SCREENFUL:
            return problems
        kept, cut = problems[: SCREENFUL - 1], problems[SCREENFUL - 1:]
        severity = ERROR if any(p.severity == ERROR for p in cut) else WARNING
        return kept + [Problem(None, None, "more", message("more_kinds", self.lang, n=len(cut)), severity)]
