"""Reading and validating regional statistics files: pure functions, no database.

    result = read_statistics(data, "export.csv", indicator=None, firm_size=None, sheet=None, lang="sv")
    result.ok, result.frame, [p.format("export.csv") for p in result.problems]
"""

from stats.importing.problems import Problem, ReadResult
from stats.importing.read import read_statistics

__all__ = ["Problem", "ReadResult", "read_statistics"]
