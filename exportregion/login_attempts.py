"""Login throttling (django-axes) that counts failures per user name and per client address."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.http import HttpRequest


class OwnFailuresResetHandler(AxesDatabaseHandler):
    """A successful log-in forgives only the failures of that user name from that address.

    axes' own reset deletes every failure matching any lockout parameter, so with the address among
    them one correct log-in to one's own account would wipe the guesses at every other account from
    that address, and guessing could go on for ever in rounds of four."""

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        address = request.axes_ip_address  # type: ignore[attr-defined]  # set by axes' middleware
        return self.reset_attempts(ip_address=address, username=username)
