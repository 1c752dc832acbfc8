"""The reseller dashboard; mounted at the `reseller.dashboard_path` setting on the provider host only."""
from django.urls import include, path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("clients/", views.clients, name="clients"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("configurations/", views.configurations, name="configurations"),
    path("configurations/new/", views.configuration_edit, name="configuration_new"),
    path("configurations/<int:pk>/edit/", views.configuration_edit, name="configuration_edit"),
    path("configurations/<int:pk>/delete/", views.configuration_delete, name="configuration_delete"),
    path("quote/", views.quote_view, name="quote"),
    path("brand/", views.brand, name="brand"),
    path("brand/preview.css", views.brand_stylesheet, name="brand_css"),
    path("brand/logo/<str:digest>", views.brand_logo, name="brand_logo"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/v1/", include("reseller_panel.api.urls")),
]
