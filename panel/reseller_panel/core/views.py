"""End-user pages, health and set-password links. The queries live on the models (core.models)."""
import json

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import mail, throttle
from .forms import LoginForm, SignupForm
from .models import SCHEMA_VERSION, Client, Setting, UserToken


def _json(document, status=200):
    return HttpResponse(json.dumps(document), status=status, content_type="application/json")


@never_cache
def healthz(request):
    try:
        version = Setting.objects.schema_version()
    except DatabaseError:
        return _json({"status": "error", "error": "database unavailable"}, status=503)
    if version is None:
        return _json({"status": "error", "error": "no panel schema"}, status=503)
    return _json({"status": "ok", "schema_version": version})


@never_cache
def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    client = request.user.client
    return render(request, "panel/home.html", {
        "client": client,
        "reseller": client.reseller if client else None,
        "plan": client.plan if client else None,
        "schema_version": SCHEMA_VERSION,
    })


@never_cache
def signup(request):
    owner = request.panel_site.signup_owner
    form = SignupForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = Client.objects.sign_up(owner, data["username"], data["email"], data["password"])
        except IntegrityError:
            # A parallel sign-up took the name between the form's check and the insert: the database's unique
            # key decided, and the transaction left nothing behind.
            form.add_error("username", SignupForm.TAKEN)
        else:
            login(request, user, backend="reseller_panel.core.auth.NamespaceBackend")
            mail.send_welcome(request.panel_site, user)
            return redirect("home")
    return render(request, "panel/signup.html", {"form": form})


@never_cache
def login_view(request):
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"],
                            password=form.cleaned_data["password"])
        if user is not None and user.belongs_to(request.panel_site.reseller):
            login(request, user)
            return redirect("home")
        if user is not None:
            throttle.refuse(request, form.cleaned_data["username"])
        error = "Wrong username or password."
    return render(request, "panel/login.html", {"form": form, "error": error}, status=200 if not error else 403)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@never_cache
def set_password(request, token):
    with transaction.atomic():
        row = UserToken.objects.redeemable(token)
        if row is None:
            raise Http404("unknown, used or expired link")
        form = SetPasswordForm(row.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            row.redeem()
            # Reseller users sign in to the dashboard; anyone else to the end-user panel.
            dashboard = request.panel_site.reseller_feature and row.user.is_reseller
            return render(request, "panel/password_set.html", {
                "user": row.user, "next_url": reverse("dashboard:login") if dashboard else reverse("login")})
    return render(request, "panel/set_password.html", {"form": form})
