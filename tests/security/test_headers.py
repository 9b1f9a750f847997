"""Secure defaults: the security headers on every page (the embed view alone frameable), no inline
script anywhere, `check --deploy` clean with production variables, no start without a secret key."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

COUNTIES = "25,14"
PUBLIC_PAGES = [
    "/",
    "/regions/",
    "/regions/25/",
    f"/compare/?regions={COUNTIES}",
    "/compare/",
    "/map/",
    "/awards/",
    "/awards/2022/",
    "/accounts/login/",
    "/api/v1/regions",
    "/api/v1/indicators",
    f"/api/v1/series?indicator=population&regions={COUNTIES}",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/healthz",
    "/admin/login/",
    "/compare/?from=abcd",  # the friendly 400 page
    "/no-such-page/",  # 404
    f"/compare.csv?regions={COUNTIES}",
]
ADMIN_PAGES = ["/imports/", "/admin/", "/admin/stats/importbatch/"]
EMBED_PAGES = [f"/compare/?regions={COUNTIES}&embed=1", "/map/?embed=1", "/regions/25/?embed=1"]
HTML_PAGES = [p for p in PUBLIC_PAGES if not p.startswith(("/api/v1/regions", "/api/v1/indicators", "/api/v1/series",
                                                             "/api/v1/openapi", "/healthz", "/compare.csv"))]


@pytest.fixture
def production(settings):
    """DEBUG off, as deployed (error pages, no debug toolbar of any kind)."""
    settings.DEBUG = False
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def csp(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_common_headers(path: str, response) -> dict[str, list[str]]:
    policy = csp(response)
    assert policy["default-src"] == ["'self'"], path
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"], path
    assert policy["script-src"] == ["'self'"], path
    assert policy["object-src"] == ["'none'"], path
    assert policy["base-uri"] == ["'self'"], path
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer"), path
    return policy


def assert_not_frameable(path: str, response) -> None:
    policy = assert_common_headers(path, response)
    assert response["X-Frame-Options"] == "DENY", path
    assert policy["frame-ancestors"] == ["'none'"], path


def inline_scripts(html: str) -> list[str]:
    """Every <script> without src whose type is not application/json (figure data in json_script blocks)."""
    found = []
    for match in re.finditer(r"<script\b([^>]*)>", html, re.I):
        attrs = match.group(1)
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        if re.search(r"""\btype\s*=\s*["']application/json["']""", attrs, re.I):
            continue
        found.append(match.group(0))
    return found


def inline_handlers(html: str) -> list[str]:
    """onclick= and friends inside a tag, and javascript: URLs: CSP blocks them, so none may be needed."""
    handlers = re.findall(r"<[a-zA-Z][^>]*?\s(on[a-z]+\s*=)", html)
    urls = re.findall(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", html, re.I)
    return handlers + urls


def external_scripts(html: str) -> list[str]:
    sources = re.findall(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']""", html, re.I)
    return [s for s in sources if not s.startswith("/")]


@pytest.fixture
def pages(client, demo, stats_admin, production):
    """Every page fetched as a stranger (twice: the second comes from the page cache) and as an admin."""

    def fetch() -> list[tuple[str, object]]:
        out = []
        for path in PUBLIC_PAGES + EMBED_PAGES:
            for _ in range(2):
                out.append((path, client.get(path)))
        client.force_login(stats_admin)
        for path in ADMIN_PAGES:
            out.append((path, client.get(path)))
        return out

    return fetch


def test_every_page_carries_csp_nosniff_referrer_policy_and_frame_protection(pages, stats_admin):
    stats_admin.is_staff = stats_admin.is_superuser = True
    stats_admin.save()
    seen = set()
    for path, response in pages():
        assert response.status_code in (200, 400, 404), (path, response.status_code)
        if path in EMBED_PAGES:
            continue
        assert_not_frameable(path, response)
        seen.add(path)
    assert seen == set(PUBLIC_PAGES + ADMIN_PAGES)


def test_the_embed_views_alone_are_frameable(pages):
    for path, response in pages():
        if path not in EMBED_PAGES:
            continue
        assert response.status_code == 200, path
        policy = assert_common_headers(path, response)
        assert not response.has_header("X-Frame-Options"), path
        assert policy["frame-ancestors"] == ["*"], path
        assert 'class="embed"' in response.content.decode(), path


def test_no_page_has_inline_script_or_handlers(pages, stats_admin):
    stats_admin.is_staff = stats_admin.is_superuser = True
    stats_admin.save()
    checked = 0
    for path, response in pages():
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert inline_scripts(html) == [], path
        assert inline_handlers(html) == [], path
        assert external_scripts(html) == [], path
        checked += 1
    assert checked >= len(HTML_PAGES) + len(EMBED_PAGES) + len(ADMIN_PAGES)


def test_figures_travel_in_json_script_blocks(client, demo, production):
    html = client.get("/regions/25/").content.decode()
    assert re.search(r'<script id="fig-[a-z-]+" type="application/json">', html)
    assert re.search(r'<script src="/static/[^"]+\.js"', html)


def test_the_api_docs_load_swagger_from_our_own_static_files(client, db, production):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn." not in html


def test_hsts_and_secure_cookies_on_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get("/regions/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/regions/"
    secure = client.get("/regions/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    # The load balancer probes the container over plain HTTP.
    assert client.get("/healthz").status_code in (200, 503)


# --- the settings as deployed: subprocesses with the production environment --------------------------

def production_env(**extra: str) -> dict[str, str]:
    # Not this test run's own settings (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright).
    dropped = ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="exportregion.example.se",
               BEHIND_PROXY="1", SECURE_SSL_REDIRECT="1", DJANGO_SETTINGS_MODULE="exportregion.settings")
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_reports_nothing_with_production_variables():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "?:" not in result.stderr


def test_check_deploy_is_clean_with_only_the_required_variables():
    env = production_env()
    for name in ("BEHIND_PROXY", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS"):
        env.pop(name, None)
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout + result.stderr


def test_https_settings_switch_on_by_environment():
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(["
            "s.DEBUG, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
            "s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS]))")
    result = run(["-c", code], production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[false, 31536000, true, true, true, ["HTTP_X_FORWARDED_PROTO", "https"], true, "DENY"]')
    development = run(["-c", code], {**production_env(DEBUG="1", BEHIND_PROXY="0", SECURE_SSL_REDIRECT="0")})
    assert development.stdout.strip().startswith("[true, 0, false, false, false, null")


@pytest.mark.parametrize("args", [["manage.py", "check"], ["-c", "import exportregion.wsgi"]],
                         ids=["manage.py", "wsgi"])
def test_the_app_refuses_to_start_without_a_secret_key_when_debug_is_off(args):
    env = production_env()
    del env["SECRET_KEY"]
    result = run(args, env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is required when DEBUG is off" in result.stderr
    empty = run(args, {**env, "SECRET_KEY": ""})
    assert empty.returncode != 0 and "SECRET_KEY is required" in empty.stderr
