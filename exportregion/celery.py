import os
import resource

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exportregion.settings")

app = Celery("exportregion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def limit_address_space(megabytes: int) -> None:
    """Cap this process's address space (0: no cap). An allocation past it raises MemoryError in the
    process itself, which fails its batch with a clear message, instead of the kernel's OOM killer
    taking the worker, or a neighbour, at random."""
    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


@worker_process_init.connect
def _limit_pool_child_memory(**_: object) -> None:
    from django.conf import settings

    limit_address_space(settings.WORKER_MEMORY_LIMIT_MB)
