"""End-user pages, health and set-password links."""
import hashlib
import json

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import LoginForm, SignupForm
from .middleware import user_belongs
from .models import SCHEMA_VERSION, Client, Configuration, Plan, Setting, User, UserToken

DEFAULT_CURRENCY = "EUR"


@never_cache
def healthz(request):
    try:
        row = Setting.objects.filter(key="schema.version").first()
    except DatabaseError:
        return HttpResponse(json.dumps({"status": "error", "error": "database unavailable"}), status=503,
                            content_type="application/json")
    if row is None:
        return HttpResponse(json.dumps({"status": "error", "error": "no panel schema"}), status=503,
                            content_type="application/json")
    return HttpResponse(json.dumps({"status": "ok", "schema_version": row.value}), content_type="application/json")


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


def signup_owner(site):
    """The reseller new sign-ups on `site` belong to (None: the provider). Only the host decides."""
    if site.reseller is not None and site.force_registration:
        return site.reseller
    return None


def _default(model, owner):
    return (model.objects.filter(owner_reseller=owner, is_default=True, archived=False)
            .order_by("-managed", "id").first())


@never_cache
def signup(request):
    site = request.panel_site
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        owner = signup_owner(site)
        data = form.cleaned_data
        with transaction.atomic():
            plan = _default(Plan, owner)
            configuration = _default(Configuration, owner)
            currency = plan.currency if plan else (owner.client.currency if owner else DEFAULT_CURRENCY)
            client = Client.objects.create(name=data["username"], email=data["email"], currency=currency,
                                           reseller=owner, plan=plan, configuration=configuration)
            user = User(username=data["username"], email=data["email"], client=client)
            user.set_password(data["password"])
            user.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("home")
    return render(request, "panel/signup.html", {"form": form})


@never_cache
def login_view(request):
    site = request.panel_site
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"],
                            password=form.cleaned_data["password"])
        if user is not None and user_belongs(user, site):
            login(request, user)
            return redirect("home")
        error = "Wrong username or password."
    return render(request, "panel/login.html", {"form": form, "error": error}, status=200 if not error else 403)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


def _token_row(token):
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    row = (UserToken.objects.select_for_update().select_related("user")
           .filter(token_sha256=digest, purpose="set_password", used_at__isnull=True,
                   expires_at__gt=timezone.now()).first())
    if row is None:
        raise Http404("unknown, used or expired link")
    return row


@never_cache
def set_password(request, token):
    with transaction.atomic():
        row = _token_row(token)
        form = SetPasswordForm(row.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return render(request, "panel/password_set.html", {"user": row.user})
    return render(request, "panel/set_password.html", {"form": form})
