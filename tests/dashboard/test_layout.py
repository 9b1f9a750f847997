"""The apps depend one way: regions <- stats <- awards <- dashboard. Every import is read from the
source (lazy ones inside functions too), so no cycle can hide behind an import in a function body."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = ("regions", "stats", "awards", "dashboard")  # each may import only those before it


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & set(ORDER)


@pytest.mark.parametrize("app", ORDER)
def test_each_app_imports_only_the_apps_below_it(app):
    allowed = set(ORDER[: ORDER.index(app) + 1])
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) - allowed)
        for path in (ROOT / app).rglob("*.py")
        if _imported_apps(path) - allowed
    }
    assert wrong == {}


def test_the_reader_sees_lazy_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from dashboard.query import PageQuery\n    import awards.models\n")
    assert _imported_apps(module) == {"dashboard", "awards"}


def test_the_old_page_modules_are_gone():
    gone = ["stats/pages", "stats/region_page.py", "stats/dashboard_views.py", "stats/dashboard_urls.py",
            "regions/views.py", "stats/summaries.py", "stats/downloads.py"]
    assert [p for p in gone if (ROOT / p).exists()] == []
