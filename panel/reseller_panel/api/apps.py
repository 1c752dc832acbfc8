from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "reseller_panel.api"
    label = "api"
    verbose_name = "Reseller API"

    def ready(self):
        # The OpenAPI description of the token authentication (drf-spectacular finds extensions by import).
        from . import auth  # noqa: F401
