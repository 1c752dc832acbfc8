"""Reseller dashboard views. Every query starts from the signed-in user's own reseller (its related managers:
`reseller.plans`, `reseller.configurations`, `reseller.end_clients`), so another tenant's id is simply not
found (404)."""
import functools
import json

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from reseller_panel.core import throttle
from reseller_panel.core.forms import LoginForm
from reseller_panel.core.models import Configuration, Plan, Reseller
from reseller_panel.core.pricing import QuoteError, quote_plan

from .forms import ConfigurationForm, PlanForm, QuoteForm, rules_as_json

READ_ONLY = "owned by the inventory: read-only here"


def reseller_required(view):
    @functools.wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("dashboard:login")
        reseller = Reseller.objects.managed_by(request.user)
        if reseller is None:
            return HttpResponseForbidden("The reseller dashboard is for reseller users of an active reseller.\n",
                                         content_type="text/plain")
        request.reseller = reseller
        return view(request, *args, **kwargs)
    return wrapper


@never_cache
def login_view(request):
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"],
                            password=form.cleaned_data["password"])
        if user is not None and Reseller.objects.managed_by(user) is not None:
            login(request, user)
            return redirect("dashboard:overview")
        if user is not None:
            throttle.refuse(request, form.cleaned_data["username"])
        error = "Wrong username or password, or not a reseller account."
    return render(request, "panel/login.html", {"form": form, "error": error, "heading": "Reseller log-in"},
                  status=403 if error else 200)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("dashboard:login")


@reseller_required
def overview(request):
    reseller = request.reseller
    return render(request, "dashboard/overview.html", {
        "reseller": reseller,
        "clients": reseller.end_clients.count(),
        "plans": reseller.plans.count(),
        "configurations": reseller.configurations.count(),
    })


@reseller_required
def clients(request):
    rows = request.reseller.end_clients.select_related("plan", "configuration").order_by("id")
    return render(request, "dashboard/clients.html", {"clients": rows})


@reseller_required
def plans(request):
    rows = request.reseller.plans.order_by("name")
    return render(request, "dashboard/plans.html", {"plans": rows, "read_only": READ_ONLY})


def _own_plan(request, pk):
    return get_object_or_404(request.reseller.plans, pk=pk)


@reseller_required
def plan_detail(request, pk):
    plan = _own_plan(request, pk)
    rules = plan.ordered_rules()
    return render(request, "dashboard/plan.html", {"plan": plan, "rules": rules, "read_only": READ_ONLY})


@reseller_required
def plan_edit(request, pk=None):
    plan = _own_plan(request, pk) if pk is not None else None
    if plan is not None and plan.managed:
        return HttpResponseForbidden("This plan is %s.\n" % READ_ONLY, content_type="text/plain")
    initial = None
    if plan is not None:
        initial = {"name": plan.name, "currency": plan.currency, "is_default": plan.is_default,
                   "archived": plan.archived, "rules": rules_as_json(plan)}
    form = PlanForm(request.POST or None, initial=initial, reseller=request.reseller, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            if plan is None:
                plan = Plan(owner_reseller=request.reseller, managed=False)
            for key in ("name", "currency", "is_default", "archived"):
                setattr(plan, key, data[key])
            plan.save()
            if plan.is_default:
                plan.make_sole_default()
            plan.replace_rules(data["rules"])
        messages.info(request, "Plan %s saved." % plan.name)
        return redirect("dashboard:plan", pk=plan.pk)
    return render(request, "dashboard/edit.html", {"form": form, "what": "plan", "record": plan})


@reseller_required
@require_POST
def plan_delete(request, pk):
    plan = _own_plan(request, pk)
    if plan.managed:
        return HttpResponseForbidden("This plan is %s.\n" % READ_ONLY, content_type="text/plain")
    try:
        with transaction.atomic():
            plan.delete()
    except ProtectedError:
        messages.error(request, "Plan %s is in use by clients; archive it instead." % plan.name)
        return redirect("dashboard:plan", pk=plan.pk)
    messages.info(request, "Plan %s deleted." % plan.name)
    return redirect("dashboard:plans")


@reseller_required
def configurations(request):
    rows = request.reseller.configurations.order_by("name")
    return render(request, "dashboard/configurations.html", {"configurations": rows, "read_only": READ_ONLY})


@reseller_required
def configuration_edit(request, pk=None):
    record = get_object_or_404(request.reseller.configurations, pk=pk) if pk is not None else None
    if record is not None and record.managed:
        return HttpResponseForbidden("This configuration is %s.\n" % READ_ONLY, content_type="text/plain")
    initial = None
    if record is not None:
        initial = {"name": record.name, "description": record.description, "is_default": record.is_default,
                   "archived": record.archived, "options": json.dumps(record.options, indent=2, sort_keys=True)}
    form = ConfigurationForm(request.POST or None, initial=initial, reseller=request.reseller, instance=record)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if record is None:
                record = Configuration(owner_reseller=request.reseller, managed=False)
            for key in ("name", "description", "is_default", "archived", "options"):
                setattr(record, key, form.cleaned_data[key])
            record.save()
            if record.is_default:
                record.make_sole_default()
        messages.info(request, "Configuration %s saved." % record.name)
        return redirect("dashboard:configurations")
    return render(request, "dashboard/edit.html", {"form": form, "what": "configuration", "record": record})


@reseller_required
@require_POST
def configuration_delete(request, pk):
    record = get_object_or_404(request.reseller.configurations, pk=pk)
    if record.managed:
        return HttpResponseForbidden("This configuration is %s.\n" % READ_ONLY, content_type="text/plain")
    record.delete()
    messages.info(request, "Configuration %s deleted." % record.name)
    return redirect("dashboard:configurations")


@reseller_required
def quote_view(request):
    own = list(request.reseller.plans.live().order_by("name"))
    form = QuoteForm(request.POST or None, plans=own)
    result, error = None, None
    if request.method == "POST" and form.is_valid():
        try:
            result = quote_plan(form.cleaned_data["plan"], form.cleaned_data["items"])
        except QuoteError as exc:
            error = str(exc)
    return render(request, "dashboard/quote.html", {"form": form, "result": result, "error": error,
                                                    "result_json": json.dumps(result, indent=2) if result else ""})
