"""Request id, security headers, a guard against control characters in the address, JSON errors for
the API, and a fast 503 when the database is unreachable."""

import re
import uuid
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from exportregion.logging import request_id_var, user_var

Handler = Callable[[HttpRequest], HttpResponse]

# plotly.js injects <style> elements at run time, hence 'unsafe-inline' for styles only;
# scripts are same-origin files, figure data travels in json_script blocks.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors {ancestors}"
)


REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# C0 controls and DEL: no path part or query parameter of ours ever holds one, and PostgreSQL refuses NUL.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class RequestIdMiddleware:
    """The load balancer's X-Request-Id (if it is a sane token) or a new one, on every log line of the
    request and on the response. Not reset here: Django logs a 4xx/5xx response after the middleware
    chain has returned; exportregion.logging clears it when the response is finished."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-Id", "")
        rid = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request_id_var.set(rid)
        user_var.set("-")
        response = self.get_response(request)
        response["X-Request-Id"] = rid
        return response


class UserContextMiddleware:
    """After AuthenticationMiddleware: the username on every log line of the request.

    Only a request with a session cookie can have a user, so only then is the user looked up (the
    page templates look it up anyway); a database that is down must not fail the request here, the
    view then answers 503 through DatabaseUnavailableMiddleware."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            try:
                user = request.user
                user_var.set(user.get_username() if user.is_authenticated else "-")
            except (DatabaseError, InterfaceError):
                pass
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """The client's address for login throttling (AXES_CLIENT_IP_CALLABLE). Behind the proxy every request
    comes from the proxy: then the address the proxy appended to X-Forwarded-For counts (PROXY_COUNT
    proxies from the right), never one the client wrote itself, else one attacker locks out everyone."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    return hops[-settings.PROXY_COUNT] if len(hops) >= settings.PROXY_COUNT else remote


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        embeddable = getattr(response, "xframe_options_exempt", False)
        response.setdefault("Content-Security-Policy", CSP.format(ancestors="*" if embeddable else "'none'"))
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 at once while the database is down; CONN_HEALTH_CHECKS reconnects afterwards."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:  # noqa: ARG002
        if isinstance(exception, (OperationalError, InterfaceError)):
            body = render_to_string("503.html", request=None)
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "5"
            return response
        return None


def _has_control_character(request: HttpRequest) -> bool:
    if CONTROL_CHARACTER.search(request.path_info):
        return True
    # The raw query, percent-decoded as a whole: a parameter name or value holds a control character
    # exactly when this does (splitting at & and = makes none), and the query need not be parsed here.
    raw = request.META.get("QUERY_STRING", "")
    return bool(raw) and CONTROL_CHARACTER.search(unquote(raw, errors="replace")) is not None


class ControlCharacterGuardMiddleware:
    """One guard for every path part and query parameter: a control character (NUL, newline, …) is the
    usual 400 (the bad-request page, or {"error": …} from the API) before any view or parser sees it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _has_control_character(request):
            return self.get_response(request)
        message = _("the address contains a control character")
        if is_api_request(request):
            return JsonResponse({"error": message}, status=400)
        return render(request, "bad_request.html", {"message": message, "reset_url": "/"}, status=400)


def _api_error_message(status: int) -> str:
    if status == 503:
        return _("temporarily unavailable; try again in a few seconds")
    if status >= 500:
        return _("internal error")
    if status == 404:
        return _("not found")
    if status == 405:
        return _("method not allowed")
    return _("bad request")


class ApiJsonErrorMiddleware:
    """Every error the API answers is JSON {"error": …}, the 404, 500 and 503 that Django or the
    middleware render as pages included (headers such as Retry-After kept)."""

    KEPT_HEADERS = ("Retry-After", "Allow", "X-Request-Id")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (not is_api_request(request) or response.status_code < 400
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        json = JsonResponse({"error": _api_error_message(response.status_code)}, status=response.status_code)
        for header in self.KEPT_HEADERS:
            if header in response:
                json[header] = response[header]
        return json


def _is_logged_in(request: HttpRequest) -> bool:
    try:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
    except (DatabaseError, InterfaceError):  # cannot tell: treat the answer as private
        return True


class PrivatePagesMiddleware:
    """A page served to a logged-in user (the imports, the jury's workspace, the audit log, the admin, or
    a public page showing the user's name) is for that user alone: `Cache-Control: private, no-store`,
    so that no proxy or shared browser cache keeps it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _is_logged_in(request):
            cache_control = response.get("Cache-Control", "")
            if "no-store" not in cache_control or "private" not in cache_control:
                response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ("Cookie",))
        return response


def static_file_headers(headers: dict, path: str, url: str) -> None:  # noqa: ARG001 (WhiteNoise calls it so)
    """WHITENOISE_ADD_HEADERS_FUNCTION: the static files carry the site's CSP and frame protection too
    (WhiteNoise answers before the middleware that adds them to pages)."""
    headers["Content-Security-Policy"] = CSP.format(ancestors="'none'")
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
