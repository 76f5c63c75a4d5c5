from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "frombelow.web"
    label = "platform"
    verbose_name = "frombelow"
    default_auto_field = "django.db.models.BigAutoField"
