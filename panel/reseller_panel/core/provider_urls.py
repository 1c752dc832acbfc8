"""Pages of the provider host only."""
from django.urls import path

from . import views

urlpatterns = [
    path("set-password/<str:token>/", views.set_password, name="set_password"),
]
