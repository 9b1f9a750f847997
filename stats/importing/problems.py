"""Problems found while reading a file, and the result type handed back to callers."""

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from stats.importing.messages import message

ERROR = "error"
WARNING = "warning"
# A 1M-row file full of one mistake must not produce 1M messages.
CAP_PER_CODE = 50


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

    def problems(self) -> list[Problem]:
        ordered = sorted(self._kept, key=lambda p: (p.line is not None, p.line or 0))
        summaries = [
            Problem(None, None, code, message("more", self.lang, n=n, code=code), severity)
            for (code, severity), n in self._overflow.items()
        ]
        return ordered + summaries
