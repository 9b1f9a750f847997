from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"
    default_auto_field = "django.db.models.BigAutoField"
