"""Reseller dashboard views. Every query starts from the signed-in user's own reseller (its related managers:
`reseller.plans`, `reseller.configurations`, `reseller.end_clients`), so another tenant's id is simply not
found (404)."""
import functools
import json

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from reseller_panel.core import throttle
from reseller_panel.core.brand import LOGO_CACHE_SECONDS, brand_css, reseller_brand
from reseller_panel.core.forms import LoginForm
from reseller_panel.core.models import ApiToken, Brand, Plan, Reseller
from reseller_panel.core.pricing import QuoteError, quote_plan

from .brand_forms import BrandForm
from .forms import ConfigurationForm, QuoteForm, save_configuration, save_plan
from .preview import preview
from .rule_forms import PlanEditor
from .token_forms import ApiTokenForm

CLIENTS_PER_PAGE = 25

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
        # The reseller's own brand, for the dashboard's brand card and preview (the page is the provider's).
        request.shown_brand = reseller_brand(reseller)
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
    return render(request, "panel/login.html", {"form": form, "error": error, "heading": "Reseller log-in",
                                                "lead": "The dashboard of your reseller account."},
                  status=403 if error else 200)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("dashboard:login")


@reseller_required
def overview(request):
    reseller = request.reseller
    brand = Brand.objects.defer("logo").filter(reseller=reseller).first()
    return render(request, "dashboard/overview.html", {
        "reseller": reseller,
        "clients": reseller.end_clients.count(),
        "plans": reseller.plans.count(),
        "configurations": reseller.configurations.count(),
        "recent": reseller.end_clients.select_related("plan").order_by("-id")[:5],
        "default_plan": Plan.objects.default_for(reseller),
        "brand_managed": brand is not None and brand.managed,
    })


@reseller_required
def clients(request):
    q = request.GET.get("q", "").strip()[:100]
    rows = request.reseller.end_clients.select_related("plan", "configuration").order_by("-id")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(email__icontains=q))
    page = Paginator(rows, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/clients.html", {
        "page": page, "q": q, "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2)})


@reseller_required
def plans(request):
    rows = request.reseller.plans.annotate(rule_count=Count("rules")).order_by("name")
    return render(request, "dashboard/plans.html", {"plans": rows, "read_only": READ_ONLY})


def _own_plan(request, pk):
    return get_object_or_404(request.reseller.plans, pk=pk)


@reseller_required
def plan_detail(request, pk):
    plan = _own_plan(request, pk)
    form, result, error = preview(plan, request.GET)
    return render(request, "dashboard/plan.html", {
        "plan": plan, "rules": plan.ordered_rules(), "read_only": READ_ONLY, "preview": form, "result": result,
        "error": error})


@reseller_required
def plan_edit(request, pk=None):
    plan = _own_plan(request, pk) if pk is not None else None
    if plan is not None and plan.managed:
        return HttpResponseForbidden("This plan is %s.\n" % READ_ONLY, content_type="text/plain")
    if request.method != "POST":
        editor = PlanEditor(request.reseller, plan)
    else:
        editor = PlanEditor(request.reseller, plan, data=request.POST)
        if request.POST.get("add"):
            # "Add ..." without JavaScript: the same page with what was typed and one more row.
            editor = editor.with_row(request.POST["add"], request.reseller, plan)
        elif editor.is_valid():
            plan = save_plan(request.reseller, plan, editor.details.cleaned_data, editor.cleaned_rules)
            messages.success(request, "Plan %s saved." % plan.name)
            return redirect("dashboard:plan", pk=plan.pk)
    return render(request, "dashboard/edit_plan.html", {"editor": editor, "plan": plan})


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
        record = save_configuration(request.reseller, record, form.cleaned_data)
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


@reseller_required
def brand(request):
    """The reseller's own brand: edited here, or shown read-only when the inventory manages it."""
    row = Brand.objects.filter(reseller=request.reseller).first()
    if row is not None and row.managed:
        return render(request, "dashboard/brand.html", {"managed": True, "read_only": READ_ONLY})
    initial = {"name": row.name if row else request.reseller.client.name,
               "primary_color": row.primary_color if row else Brand.DEFAULT_COLOR,
               "support_email": row.support_email if row else request.reseller.client.email}
    if row is not None:
        initial.update((key, getattr(row, key)) for key in ("support_url", "terms_url", "privacy_url"))
    form = BrandForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save(request.reseller, row)
        messages.success(request, "Your brand is saved: your end-user panel shows it from now on.")
        return redirect("dashboard:brand")
    return render(request, "dashboard/brand.html", {"form": form, "managed": False, "has_logo": bool(
        row and row.logo_sha256)})


@reseller_required
@require_safe
def brand_stylesheet(request):
    """The reseller's colours for the brand preview in the dashboard (scoped to .brand-preview)."""
    response = HttpResponse(brand_css(request.shown_brand, scope=".brand-preview"),
                            content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@reseller_required
@require_safe
def brand_logo(request, digest):
    """The signed-in reseller's logo, for its brand card and preview on the provider's host."""
    row = Brand.objects.filter(reseller=request.reseller, logo_sha256=digest).only(
        "logo", "logo_content_type").first()
    if not digest or row is None or row.logo is None:
        raise Http404("no such logo")
    response = HttpResponse(bytes(row.logo), content_type=row.logo_content_type)
    response["Cache-Control"] = "private, max-age=%d, immutable" % LOGO_CACHE_SECONDS
    return response


@reseller_required
def tokens(request):
    """The reseller's API tokens (of every one of its users), and a form for a new one; the new token is shown
    once, on the page that answers the form (never in a URL or a message stored in the session)."""
    form = ApiTokenForm(request.POST or None)
    secret = new_token = None
    if request.method == "POST" and form.is_valid():
        new_token, secret = form.issue(request.user)
        form = ApiTokenForm()
    return render(request, "dashboard/tokens.html", {
        "tokens": ApiToken.objects.of_reseller(request.reseller), "form": form, "secret": secret,
        "new_token": new_token, "now": timezone.now(),
        "api_base": request.build_absolute_uri(reverse("dashboard:api:account").rsplit("account", 1)[0])},
        status=400 if request.method == "POST" and secret is None else 200)


@reseller_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.of_reseller(request.reseller), pk=pk)
    token.delete()
    messages.info(request, "Token %s (%s…) revoked: it no longer works." % (token.name, token.token_prefix))
    return redirect("dashboard:tokens")
