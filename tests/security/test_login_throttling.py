"""Login throttling (django-axes) through the real login form: after AXES_FAILURE_LIMIT failures the
client gets a clear lockout page (HTTP 429), the right password no longer helps, and behind the proxy
the client's own address counts, not the proxy's."""

import pytest
from django.conf import settings

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
LOCKED_EN = "Too many failed log-in attempts"
LOCKED_SV = "För många misslyckade inloggningsförsök"


def attempt(client, username: str, password: str, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def test_failed_logins_lock_the_client_out_with_a_clear_message(client, analyst):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, analyst.username, "wrong-password")
        assert response.status_code == 200 and LOCKED_SV not in response.content.decode()
    locked = attempt(client, analyst.username, "wrong-password")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert LOCKED_SV in body and "15 minuter" in body
    assert locked["Content-Security-Policy"] and locked["X-Frame-Options"] == "DENY"

    right = attempt(client, analyst.username, PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    english = attempt(client, analyst.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429 and LOCKED_EN in english.content.decode()
    assert "locked for 15 minutes" in english.content.decode()


def test_the_admin_login_is_throttled_too(client, analyst):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": analyst.username, "password": "nope"})
    assert response.status_code == 429 and LOCKED_SV in response.content.decode()


def test_a_good_login_before_the_limit_resets_the_count(client, analyst):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, analyst.username, "wrong-password")
    assert attempt(client, analyst.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, analyst.username, "wrong-password").status_code == 200


def test_behind_the_proxy_the_forwarded_client_address_counts(client, analyst, stats_admin, settings):
    settings.BEHIND_PROXY = True
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.5", "REMOTE_ADDR": "10.0.0.2"}
    colleague = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "10.0.0.2"}  # the same proxy
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, analyst.username, "wrong-password", **attacker)
    assert response.status_code == 429
    # The attacker cannot dodge the lock with a forged left-hand X-Forwarded-For entry...
    forged = {**attacker, "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.5"}
    assert attempt(client, analyst.username, PASSWORD, **forged).status_code == 429
    # ...and another client behind the same proxy can still log in to an account nobody guessed at.
    assert attempt(client, stats_admin.username, PASSWORD, **colleague).status_code == 302


def test_a_correct_login_to_ones_own_account_never_clears_guesses_at_another(client, analyst, stats_admin):
    """4 wrong passwords for someone else's account, one correct log-in to one's own, again: locked."""
    locked_at = None
    for guess in range(1, 21):
        if attempt(client, stats_admin.username, f"guess-{guess}").status_code == 429:
            locked_at = guess
            break
        if guess % (settings.AXES_FAILURE_LIMIT - 1) == 0:
            assert attempt(client, analyst.username, PASSWORD).status_code == 302
            client.logout()
    assert locked_at == settings.AXES_FAILURE_LIMIT
    assert attempt(client, stats_admin.username, PASSWORD).status_code == 429


def test_guesses_at_one_account_from_many_addresses_lock_that_account(client, analyst, stats_admin):
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, stats_admin.username, "wrong-password", REMOTE_ADDR=f"198.51.100.{n + 1}")
    assert response.status_code == 429
    assert attempt(client, stats_admin.username, PASSWORD, REMOTE_ADDR="203.0.113.50").status_code == 429
    # Another account from a fresh address is untouched.
    assert attempt(client, analyst.username, PASSWORD, REMOTE_ADDR="203.0.113.51").status_code == 302
