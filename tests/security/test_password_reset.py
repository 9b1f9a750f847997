"""Password reset by e-mail works end to end (the console backend by default, SMTP by environment)."""

import os
import re
import subprocess
import sys

from django.conf import settings
from django.core import mail

from tests.conftest import PASSWORD


def test_a_user_resets_the_password_through_the_mailed_link(client, analyst):
    analyst.email = "ann@example.se"
    analyst.save()
    response = client.post("/accounts/password_reset/", {"email": "ann@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ann@example.se"]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "a-new-and-long-password-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    analyst.refresh_from_db()
    assert analyst.check_password(new) and not analyst.check_password(PASSWORD)
    client.logout()
    login = client.post("/accounts/login/", {"username": analyst.username, "password": new})
    assert login.status_code == 302 and "_auth_user_id" in client.session


def _mail_settings(**env: str) -> list[str]:
    code = ("from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST or '-', s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                         env={**clean, "DJANGO_SETTINGS_MODULE": "exportregion.settings", **env},
                         cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
    return out.stdout.split(" ", 4)


def test_mail_goes_to_the_console_unless_an_smtp_host_is_set():
    assert _mail_settings()[0] == "django.core.mail.backends.console.EmailBackend"
    smtp = _mail_settings(EMAIL_HOST="smtp.example.se", EMAIL_PORT="2525", DEFAULT_FROM_EMAIL="x@example.se")
    assert smtp == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.se", "2525", "True",
                    "x@example.se\n"]
