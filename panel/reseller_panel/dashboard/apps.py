from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The reseller dashboard: its views, forms and templates. Its records are core's models."""

    name = "reseller_panel.dashboard"
    label = "dashboard"
    verbose_name = "Reseller dashboard"
