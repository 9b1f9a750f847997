"""Request id, security headers and a fast 503 when the database is unreachable."""

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

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
        request.request_id = rid
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

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OperationalError, InterfaceError)):
            body = render_to_string("503.html", request=None)
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "5"
            return response
        return None
