from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


def _broker_state() -> str:
    from exportregion.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:  # noqa: ARG001 (a view)
    """For the load balancer: 200 when the database and the broker answer, else 503."""
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(v == "ok" for v in state.values())
    response = JsonResponse({"status": "ok" if healthy else "degraded", **state}, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = "5"  # as the 503 pages say while the database is down
    return response
