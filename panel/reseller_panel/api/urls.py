"""The reseller API's URLs, included by the dashboard's (dashboard.urls) at `api/v1/`: so under the dashboard's
path, on the provider host only, and only while the reseller feature is on (core.urlconfs)."""
from django.urls import path, register_converter

from . import schema, views


class AnyText:
    """Any text, line breaks included (Django's `path` converter stops at a newline): a name in a URL is looked
    up as it is, and one that cannot exist is simply not found."""

    regex = r"[\s\S]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AnyText, "name")

app_name = "api"
urlpatterns = [
    path("account", views.Account.as_view(), name="account"),
    path("plans/", views.PlanList.as_view(), name="plans"),
    path("plans/<name:name>", views.PlanRecord.as_view(), name="plan"),
    path("configurations/", views.ConfigurationList.as_view(), name="configurations"),
    path("configurations/<name:name>", views.ConfigurationRecord.as_view(), name="configuration"),
    path("brand", views.BrandRecord.as_view(), name="brand"),
    path("clients/", views.ClientList.as_view(), name="clients"),
    path("clients/<int:pk>", views.ClientRecord.as_view(), name="client"),
    path("quote", views.QuoteView.as_view(), name="quote"),
    path("", views.NotFoundView.as_view()),
    path("<name:rest>", views.NotFoundView.as_view()),
]
# The schema view describes these very patterns (handed over, so that no module imports this one back).
urlpatterns.insert(0, path("openapi.json", schema.OpenApiView.as_view(api_patterns=urlpatterns), name="openapi"))
