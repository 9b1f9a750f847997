"""The services the tests are configured with (DATABASE_URL, CELERY_BROKER_URL), found from their URLs:
the fault tests stop and start exactly these, never a cluster or port of their own choosing."""

import subprocess
from urllib.parse import urlparse

from django.conf import settings

from tests.parallel import require_serial


def postgres_cluster() -> list[str]:
    """`pg_ctlcluster` and its arguments for the local cluster that serves the configured database,
    found by its port in `pg_lsclusters`."""
    require_serial("PostgreSQL")
    port = int(settings.DATABASES["default"]["PORT"] or 5432)
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        version, name, cluster_port, *_ = line.split()
        if int(cluster_port) == port:
            return ["pg_ctlcluster", "--skip-systemctl-redirect", version, name]
    raise AssertionError(f"no local PostgreSQL cluster listens on port {port} (pg_lsclusters):\n{listing}")


class RedisServer:
    """The Redis server behind a redis:// URL: stopped for real and started again as it was (same address,
    port, directory and log file, nothing persisted)."""

    def __init__(self, url: str) -> None:
        parts = urlparse(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 6379
        self.cli = ["redis-cli", "-h", self.host, "-p", str(self.port)]
        self._config: dict[str, str] = {}

    def ping(self) -> bool:
        return subprocess.run([*self.cli, "ping"], capture_output=True).returncode == 0

    def _get(self, name: str) -> str:
        out = subprocess.run([*self.cli, "config", "get", name], capture_output=True, text=True, check=True)
        return out.stdout.splitlines()[1]

    def stop(self) -> None:
        require_serial("Redis")
        self._config = {name: self._get(name) for name in ("dir", "logfile")}
        subprocess.run([*self.cli, "shutdown", "nosave"], capture_output=True, check=False)

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", self.host, "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", self._config.get("dir", "/tmp"),
             "--logfile", self._config.get("logfile", "")],
            check=True,
        )
