"""The tenancy matrix: every actor against every dashboard and end-user URL, and no foreign record in any page."""
import json

import pytest
from django.test import Client as Browser

from reseller_panel.core.models import Configuration, Plan, PricingRule
from editor import editor_post, invalid_fields
from world import PROVIDER_HOST

ACTORS = ["staff", "reseller_a", "reseller_b", "enduser_a", "anonymous"]


def browser_for(world, actor):
    browser = Browser()
    user = {"staff": world["staff"], "reseller_a": world["a"]["user"], "reseller_b": world["b"]["user"],
            "enduser_a": world["a"]["end_user"]}.get(actor)
    if user is not None:
        browser.force_login(user)
    return browser


def markers(world, key):
    """Text that only a page showing tenant `key`'s records (or the provider's, key None) would contain."""
    if key is None:
        return ["provider-retail-secret", "provider-conf-secret"]
    return ["plan-of-%s" % key, "conf-of-%s" % key, "enduser-client-of-%s" % key, "cloud.%s.test" % key]


def dashboard_urls(world):
    """(url, owner key) for every dashboard page; owner None = not record-specific."""
    urls = [("/reseller/", None), ("/reseller/clients/", None), ("/reseller/plans/", None),
            ("/reseller/plans/new/", None), ("/reseller/configurations/", None),
            ("/reseller/configurations/new/", None), ("/reseller/quote/", None)]
    for key in ("a", "b"):
        plan, conf = world[key]["plan"].pk, world[key]["conf"].pk
        urls += [("/reseller/plans/%d/" % plan, key), ("/reseller/plans/%d/edit/" % plan, key),
                 ("/reseller/configurations/%d/edit/" % conf, key),
                 ("/reseller/plans/%d/" % world[key]["managed_plan"].pk, key)]
    urls += [("/reseller/plans/%d/" % world["provider_plan"].pk, "provider"),
             ("/reseller/plans/%d/" % world["wholesale"].pk, "provider"),
             ("/reseller/configurations/%d/edit/" % world["provider_conf"].pk, "provider")]
    return urls


def expected_dashboard(actor, owner):
    if actor in ("anonymous", "enduser_a"):
        return 302  # to the dashboard log-in (an end user's session is not a dashboard session)
    if actor == "staff":
        return 403
    own = actor[-1]
    if owner is None or owner == own:
        return 200
    return 404


@pytest.mark.parametrize("actor", ACTORS)
def test_dashboard_matrix(world, actor):
    browser = browser_for(world, actor)
    checked = 0
    for url, owner in dashboard_urls(world):
        response = browser.get(url, HTTP_HOST=PROVIDER_HOST)
        assert response.status_code == expected_dashboard(actor, owner), (actor, url)
        if response.status_code == 302:
            assert response["Location"].startswith("/reseller/login/")
        if actor.startswith("reseller_"):
            own = actor[-1]
            other = "b" if own == "a" else "a"
            body = response.content.decode()
            for marker in markers(world, other) + markers(world, None):
                assert marker not in body, (actor, url, marker)
            checked += 1
    if actor.startswith("reseller_"):
        assert checked == len(dashboard_urls(world))
        own = actor[-1]
        # ...and the pages do show the reseller's own records.
        for url, text in (("/reseller/", "https://cloud.%s.test/" % own),
                          ("/reseller/clients/", "enduser-client-of-%s" % own),
                          ("/reseller/plans/", "plan-of-%s" % own),
                          ("/reseller/configurations/", "conf-of-%s" % own)):
            assert text in browser.get(url, HTTP_HOST=PROVIDER_HOST).content.decode(), (actor, url)


@pytest.mark.parametrize("actor", ACTORS)
def test_dashboard_is_never_served_on_reseller_hosts(world, actor):
    browser = browser_for(world, actor)
    for url, _owner in dashboard_urls(world):
        for key in ("a", "b"):
            assert browser.get(url, HTTP_HOST=world[key]["host"]).status_code == 404, (actor, url)


END_USER = {
    # actor -> (status of / on the provider host, on A's host, on B's host)
    "staff": (200, 302, 302),
    "reseller_a": (200, 302, 302),
    "reseller_b": (200, 302, 302),
    "enduser_a": (302, 200, 302),
    "anonymous": (302, 302, 302),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_end_user_pages_matrix(world, actor):
    browser = browser_for(world, actor)
    hosts = (PROVIDER_HOST, world["a"]["host"], world["b"]["host"])
    for host, status in zip(hosts, END_USER[actor]):
        response = browser.get("/", HTTP_HOST=host)
        assert response.status_code == status, (actor, host)
        if status == 200:
            body = response.content.decode()
            for marker in markers(world, "b") + markers(world, None):
                assert marker not in body, (actor, host, marker)
        for path in ("/login/", "/signup/"):
            assert browser.get(path, HTTP_HOST=host).status_code == 200


@pytest.mark.parametrize("actor", ACTORS)
def test_staff_admin_matrix(world, actor):
    browser = browser_for(world, actor)
    response = browser.get("/staff/core/reseller/", HTTP_HOST=PROVIDER_HOST)
    if actor == "staff":
        assert response.status_code == 200 and b"res-a" in response.content and b"res-b" in response.content
    else:
        assert response.status_code == 302 and "/staff/login/" in response["Location"]
    for key in ("a", "b"):
        assert browser.get("/staff/core/reseller/", HTTP_HOST=world[key]["host"]).status_code == 404


def test_foreign_records_cannot_be_changed_by_id(world):
    browser = browser_for(world, "reseller_a")
    b_plan, b_conf = world["b"]["plan"], world["b"]["conf"]
    edit = {"name": "stolen", "currency": "EUR", "rules": "[]", "options": "{}"}
    assert browser.post("/reseller/plans/%d/edit/" % b_plan.pk, edit, HTTP_HOST=PROVIDER_HOST).status_code == 404
    assert browser.post("/reseller/plans/%d/delete/" % b_plan.pk, HTTP_HOST=PROVIDER_HOST).status_code == 404
    assert browser.post("/reseller/configurations/%d/edit/" % b_conf.pk, edit,
                        HTTP_HOST=PROVIDER_HOST).status_code == 404
    assert browser.post("/reseller/configurations/%d/delete/" % b_conf.pk, HTTP_HOST=PROVIDER_HOST).status_code \
        == 404
    assert browser.post("/reseller/plans/%d/delete/" % world["provider_plan"].pk,
                        HTTP_HOST=PROVIDER_HOST).status_code == 404
    b_plan.refresh_from_db()
    assert b_plan.name == "plan-of-b"
    assert Configuration.objects.filter(pk=b_conf.pk, name="conf-of-b").exists()


def test_managed_records_are_read_only(world):
    browser = browser_for(world, "reseller_a")
    managed = world["a"]["managed_plan"]
    page = browser.get("/reseller/plans/%d/" % managed.pk, HTTP_HOST=PROVIDER_HOST)
    assert b"owned by the inventory" in page.content
    listing = browser.get("/reseller/plans/", HTTP_HOST=PROVIDER_HOST)
    assert b"owned by the inventory" in listing.content
    response = browser.post("/reseller/plans/%d/edit/" % managed.pk,
                            {"name": "changed", "currency": "EUR", "rules": "[]"}, HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 403
    assert browser.post("/reseller/plans/%d/delete/" % managed.pk, HTTP_HOST=PROVIDER_HOST).status_code == 403
    managed.refresh_from_db()
    assert managed.name == "managed-plan-of-a"
    conf = Configuration.objects.create(owner_reseller=world["a"]["reseller"], name="inv-conf", managed=True)
    assert browser.post("/reseller/configurations/%d/delete/" % conf.pk, HTTP_HOST=PROVIDER_HOST).status_code \
        == 403
    assert Configuration.objects.filter(pk=conf.pk).exists()


RULES = [{"name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h",
          "tiers": [{"from": 0, "price": "0.005"}, {"from": 8, "price": "0.003"}],
          "conditions": [{"attribute": "region", "op": "in", "value": ["RegionOne", "RegionTwo"]}],
          "modifiers": [{"name": "Windows", "price": 10, "is_percent": True,
                         "when": [{"attribute": "os_type", "op": "eq", "value": "windows"}]}]}]


def test_reseller_creates_edits_and_deletes_its_own_plan(world):
    browser = browser_for(world, "reseller_a")
    response = browser.post("/reseller/plans/new/", editor_post(RULES, currency="eur", is_default=True),
                            HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 302
    plan = Plan.objects.get(name="retail-2")
    assert plan.owner_reseller_id == world["a"]["reseller"].id and not plan.managed and plan.currency == "EUR"
    assert plan.is_default
    world["a"]["plan"].refresh_from_db()
    assert not world["a"]["plan"].is_default
    rule = PricingRule.objects.get(plan=plan)
    assert rule.tiers == [{"from": "0", "price": "0.005"}, {"from": "8", "price": "0.003"}]
    assert rule.conditions.get().operator == "in" and rule.modifiers.get().is_percent
    assert rule.conditions.get().value == ["RegionOne", "RegionTwo"]
    page = browser.get("/reseller/plans/%d/" % plan.pk, HTTP_HOST=PROVIDER_HOST)
    assert b"RegionTwo" in page.content and b"Windows" in page.content
    # Validation marks every problem at its field, and nothing is saved.
    bad = [{"name": "x", "resource": "", "time_unit": "week", "tiers": [{"from": 1, "price": "a"}]}]
    response = browser.post("/reseller/plans/%d/edit/" % plan.pk, editor_post(bad), HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 200
    errors = invalid_fields(response.content.decode())
    assert errors["rules-0-resource"] == "This field is required."
    assert errors["rules-0-time_unit"].startswith("Select a valid choice")
    assert errors["rules-0-tiers-0-price"] == "a number such as 0.004"
    assert PricingRule.objects.filter(plan=plan).count() == 1
    # A name already used by the reseller is refused.
    response = browser.post("/reseller/plans/new/", editor_post([], name="plan-of-a"), HTTP_HOST=PROVIDER_HOST)
    assert b"already have a plan" in response.content
    # ...but another reseller's name is no clash and reveals nothing.
    response = browser.post("/reseller/plans/new/", editor_post([], name="plan-of-b"), HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 302
    assert browser.post("/reseller/plans/%d/delete/" % plan.pk, HTTP_HOST=PROVIDER_HOST).status_code == 302
    assert not Plan.objects.filter(pk=plan.pk).exists()


def test_plan_in_use_is_not_deleted(world):
    browser = browser_for(world, "reseller_a")
    response = browser.post("/reseller/plans/%d/delete/" % world["a"]["plan"].pk, HTTP_HOST=PROVIDER_HOST,
                            follow=True)
    assert b"in use" in response.content
    assert Plan.objects.filter(pk=world["a"]["plan"].pk).exists()


def test_reseller_manages_its_configurations(world):
    browser = browser_for(world, "reseller_a")
    response = browser.post("/reseller/configurations/new/",
                            {"name": "eu", "options": '{"billing": {"credit_limit": 5}}', "description": "EU"},
                            HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 302
    conf = Configuration.objects.get(name="eu")
    assert conf.owner_reseller_id == world["a"]["reseller"].id and conf.options == {"billing": {"credit_limit": 5}}
    response = browser.post("/reseller/configurations/%d/edit/" % conf.pk, {"name": "eu", "options": "[1]"},
                            HTTP_HOST=PROVIDER_HOST)
    assert b"must be a JSON object" in response.content
    assert browser.post("/reseller/configurations/%d/delete/" % conf.pk,
                        HTTP_HOST=PROVIDER_HOST).status_code == 302
    assert not Configuration.objects.filter(pk=conf.pk).exists()


def test_dashboard_quote_warns_below_cost(world):
    plan = world["a"]["plan"]
    PricingRule.objects.create(plan=plan, name="vCPU", resource="instance", attribute="vcpus",
                               tiers=[{"from": "0", "price": "0.003"}])
    browser = browser_for(world, "reseller_a")
    items = [{"resource": "instance", "attributes": {"vcpus": 4}, "hours": 10}]
    response = browser.post("/reseller/quote/", {"plan": plan.pk, "items": json.dumps(items)},
                            HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 200
    assert b'id="below-cost"' in response.content
    assert b"0.1200" in response.content and b"0.1600" in response.content
    # Another reseller's plan is not among the choices.
    response = browser.post("/reseller/quote/", {"plan": world["b"]["plan"].pk, "items": json.dumps(items)},
                            HTTP_HOST=PROVIDER_HOST)
    assert b"Select a valid choice" in response.content and b"below-cost" not in response.content


def test_dashboard_login_is_for_active_reseller_users_only(world):
    from world import PASSWORD

    for username, ok in (("admin-of-a", True), ("enduser-of-a", False), ("provider-staff", False),
                         ("admin-of-s", False), ("admin-of-x", False)):
        browser = Browser()
        response = browser.post("/reseller/login/", {"username": username, "password": PASSWORD},
                                HTTP_HOST=PROVIDER_HOST)
        assert (response.status_code == 302) is ok, username
        assert browser.get("/reseller/", HTTP_HOST=PROVIDER_HOST).status_code == (200 if ok else 302), username
    world["a"]["user"].is_active = False
    world["a"]["user"].save()
    response = Browser().post("/reseller/login/", {"username": "admin-of-a", "password": PASSWORD},
                              HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 403
