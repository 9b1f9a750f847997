"""What the browser tests share: Debian's chromium driven by Playwright (one browser per module), the
demo site's logins, the screenshots (on request), the demo award round and the static files collected as
production serves them (once per test process)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from awards.models import AwardYear

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD") or "exportregion-demo"


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """The page as a person sees it, saved to tests/artifacts/<name>.png for one to look at: only when
    SCREENSHOTS is set (`make screenshots`). Drawing whole pages to PNG asserts nothing and was a quarter
    of the browser tests' time."""
    if not os.environ.get("SCREENSHOTS"):
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def missing_tool(reason: str) -> None:
    """A browser tool that is not here: a skip on a developer's machine, a failure in CI (.ci/run installs
    chromium, playwright and axe-core, so a missing one there is a broken set-up, not a test to leave out)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run should have installed it")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium_args() -> list[str]:
    """The browser's command line; a module may override it (the jury's tests want a Swedish browser)."""
    return CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser(chromium_args: list[str]) -> Iterator:
    if not Path(CHROMIUM).exists():
        missing_tool("Debian's chromium is not installed")
    try:
        from playwright import sync_api
    except ImportError:
        missing_tool("playwright is not installed")
    # Playwright's sync API keeps an event loop running in this thread; the ORM calls of the tests
    # themselves are still synchronous, so Django's guard against ORM use from async code is lifted
    # while the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args)
            yield chromium
            chromium.close()
    finally:
        # The ORM calls made while Playwright's loop ran opened their own connection; close it, or
        # PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def load_demo_with_users(settings) -> None:
    """The demo data and its users, which `load_demo` creates only with DEBUG on; the site then runs with
    DEBUG off, as in production (and without Django logging every query)."""
    settings.DEBUG = True
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False


@pytest.fixture
def demo_round(settings, live_server) -> AwardYear:
    """The demo data and users on the live server; the demo's open round (2023)."""
    load_demo_with_users(settings)
    return AwardYear.objects.get(year=2023)


def production_static(static_root: Path):
    """The settings under which WhiteNoise serves compressed, hashed files from `static_root`, as in production."""
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    return override_settings(STATIC_ROOT=str(static_root), STORAGES=storages, DEBUG=False,
                             WHITENOISE_AUTOREFRESH=False, WHITENOISE_USE_FINDERS=False)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """The static files collected and compressed once per test process (the modules that start a site share them)."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    with production_static(static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root
