"""The reseller API's URLs, included by the dashboard's (dashboard.urls) at `api/v1/`: so under the dashboard's
path, on the provider host only, and only while the reseller feature is on (core.urlconfs)."""
from django.urls import path

from . import schema, views

app_name = "api"
urlpatterns = [
    path("openapi.json", schema.OpenApiView.as_view(), name="openapi"),
    path("account", views.Account.as_view(), name="account"),
    path("plans/", views.PlanList.as_view(), name="plans"),
    path("plans/<path:name>", views.PlanRecord.as_view(), name="plan"),
    path("configurations/", views.ConfigurationList.as_view(), name="configurations"),
    path("configurations/<path:name>", views.ConfigurationRecord.as_view(), name="configuration"),
    path("brand", views.BrandRecord.as_view(), name="brand"),
    path("clients/", views.ClientList.as_view(), name="clients"),
    path("clients/<int:pk>", views.ClientRecord.as_view(), name="client"),
    path("quote", views.QuoteView.as_view(), name="quote"),
    path("", views.NotFoundView.as_view()),
    path("<path:rest>", views.NotFoundView.as_view()),
]
