"""End-user pages, served on every allowed host. The provider host adds staff admin, the reseller dashboard
and set-password links (see core.urlconfs.provider_urlconf); reseller hosts get only these."""
from django.urls import path

from reseller_panel.core import account_views, brand_views, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reset/done/", account_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("brand.css", brand_views.stylesheet, name="brand_css"),
    path("brand/logo/<str:digest>", brand_views.logo, name="brand_logo"),
]
