from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reseller_panel.core"
    label = "core"
    verbose_name = "Reseller panel"
    default_auto_field = "django.db.models.BigAutoField"
