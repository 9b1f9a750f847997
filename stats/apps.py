from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from regions.models import Region
        from stats import selectors
        from stats.models import Indicator, Source
        from stats.signals import reference_changed

        for model in (Region, Source, Indicator):
            post_save.connect(reference_changed, sender=model, dispatch_uid=f"generation-{model.__name__}-save")
            post_delete.connect(reference_changed, sender=model, dispatch_uid=f"generation-{model.__name__}-delete")
        request_started.connect(selectors.start_request_scope, dispatch_uid="generation-request-start")
        request_finished.connect(selectors.end_request_scope, dispatch_uid="generation-request-end")
