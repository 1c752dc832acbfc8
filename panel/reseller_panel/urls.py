"""End-user pages, served on every allowed host. The provider host adds staff admin, the reseller dashboard
and set-password links (see core.urlconfs.provider_urlconf); reseller hosts get only these."""
from django.urls import path

from reseller_panel.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
]
