"""A corpus of hostile values against every form and JSON endpoint of the panel: no answer is a 5xx, nothing
refused is stored, and nothing stored is over the bounds (huge exponents, NaN/Infinity, wrong types, 10 kB
strings, deep nesting, undecodable bytes, bodies of 1 MB)."""
import copy
import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client as Browser
from django.utils import timezone

from reseller_panel.core.models import Plan, PricingModifier, PricingRule, UserToken
from editor import editor_post, invalid_fields
from world import PASSWORD, PROVIDER_HOST

TEN_KB = "x" * 10240
SCALARS = ["1e999999", "-1e999999", "1e-999999", "1e1000000", "NaN", "Infinity", "-Infinity", "1e30", "abc", "",
           " ", "\x00", "0x10", "１２", "true", "null", "[]", "{}", "<script>alert(1)</script>", "' OR 1=1 --",
           TEN_KB, "9" * 10240, "\u202e\u0000\ufeff"]
DOCUMENTS = ["1e999999", "[1e999999]", "NaN", "[NaN]", "[Infinity]", '{"a": -Infinity}', "[" * 100000,
             "[" * 40 + "]" * 40, '"x"', "null", "true", "{}", "[[]]", "[{}]", "[null]", "[1]", "{", TEN_KB]

RULE = {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h", "priority": 0,
        "tiers": [{"from": 0, "price": "0.004"}], "conditions": [{"attribute": "region", "op": "eq", "value": "x"}],
        "modifiers": [{"name": "win", "price": "0.01", "time_unit": "h", "is_percent": False,
                       "when": [{"attribute": "os", "op": "eq", "value": "windows"}]}]}
# (path in RULE, hostile value): every one must make the whole plan form fail.
RULE_CHANGES = [
    (("priority",), "abc"), (("priority",), 1e30), (("priority",), 1.5), (("priority",), True), (("priority",), None),
    (("priority",), []), (("priority",), 2 ** 31), (("tiers",), "x"), (("tiers",), []), (("tiers",), [1]),
    (("tiers", 0, "from"), "1e999999"), (("tiers", 0, "price"), "NaN"), (("tiers", 0, "price"), "1e999999"),
    (("tiers", 0, "price"), "1e-999999"), (("tiers", 0, "price"), -1), (("tiers", 0, "price"), [1]),
    (("tiers", 0, "price"), "0.000000001"), (("name",), TEN_KB), (("name",), 123), (("name",), None),
    (("name",), {}), (("resource",), TEN_KB), (("resource",), ["x"]), (("attribute",), TEN_KB),
    (("attribute",), 5), (("attribute",), {}), (("time_unit",), []), (("time_unit",), "week"),
    (("conditions",), "x"), (("conditions",), [1]), (("conditions", 0, "op"), "in"),
    (("conditions", 0, "value"), "1e999999 as a number"), (("conditions", 0, "attribute"), TEN_KB),
    (("modifiers", 0, "price"), "1e999999"), (("modifiers", 0, "price"), "Infinity"), (("modifiers", 0, "name"), []),
    (("modifiers", 0, "is_percent"), "yes"), (("modifiers", 0, "when"), "x"), (("modifiers",), {}),
]
OPTIONS = ['{"billing": {"credit_limit": 1e999999}}', '{"billing": {"credit_limit": 1e-999999}}',
           '{"billing": NaN}', '[1]', '"x"', '{"a": ' * 50 + "1" + "}" * 50]
ITEMS = ['[{"resource": "instance", "attributes": {"vcpus": 1e30}, "hours": 1}]',
         '[{"resource": "instance", "attributes": {"vcpus": "1e30"}, "hours": 1}]',
         '[{"resource": "instance", "attributes": {"vcpus": 2}, "hours": "1e999999"}]',
         '[{"resource": "instance", "attributes": {"vcpus": 2}, "hours": 1e999999}]',
         '[{"resource": "instance", "attributes": {"vcpus": 2}, "hours": -1}]',
         '[{"resource": "instance", "attributes": "x", "hours": 1}]', '[{"resource": {}, "hours": 1}]', "[1]",
         '{"a": 1}', '[{"resource": "instance", "attributes": {"vcpus": 2}, "hours": true}]']


def refused_name(value, limit=100):
    """Whether a record name must be refused: empty, too long, or with a NUL (any other text is a name)."""
    return not value.strip() or len(value) > limit or "\x00" in value


def with_change(path, value):
    rule = copy.deepcopy(RULE)
    target = rule
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps([rule]).replace('"1e999999 as a number"', "1e999999")


def snapshot():
    """Every row of every panel table (sessions aside: a log-in or a page view may write one)."""
    rows = {}
    for model in apps.get_app_config("core").get_models():
        rows[model._meta.db_table] = sorted(map(repr, model.objects.values_list()))
    return rows


def assert_within_bounds():
    for price in PricingModifier.objects.values_list("price", flat=True):
        assert len(str(price)) <= 21
    for tiers in PricingRule.objects.values_list("tiers", flat=True):
        assert all(len(t["from"]) <= 21 and len(t["price"]) <= 21 for t in tiers)


@pytest.fixture
def dashboard(world):
    browser = Browser()
    browser.force_login(world["a"]["user"])
    return browser


def post(browser, path, data, host=PROVIDER_HOST):
    response = browser.post(path, data, HTTP_HOST=host)
    assert response.status_code < 500, (path, data, response.content[:500])
    return response


def test_the_sign_up_and_log_in_forms(world):
    host = world["a"]["host"]
    good = {"username": "fresh-user", "email": "fresh@example.test", "password": PASSWORD}
    before = snapshot()
    for field in good:
        for value in SCALARS:
            if field == "username" and value in ("1e999999", "abc", "true", "null", "1e30", "1e-999999", "-1e999999",
                                                 "1e1000000", "NaN", "Infinity", "-Infinity", "0x10", "１２"):
                continue  # valid usernames: tried on their own below
            if field == "password" and 8 <= len(value) <= 1024 and not value.isdigit():
                continue  # a passphrase may contain anything
            response = post(Browser(), "/signup/", dict(good, **{field: value}), host)
            assert response.status_code == 200
            post(Browser(), "/login/", dict(good, **{field: value}), host)
            post(Browser(), "/reseller/login/", dict(good, **{field: value}))
            post(Browser(), "/staff/login/", dict(good, **{field: value}))
    assert snapshot() == before
    # Text that only looks like a number is a valid name: stored as given, nothing more.
    response = post(Browser(), "/signup/", dict(good, username="1e999999"), host)
    assert response.status_code == 302


def test_undecodable_and_repeated_fields(world):
    before = snapshot()
    browser = Browser()
    response = browser.post("/signup/", b"username=%ff%fe&email=%c3&password=%80&username=a&username=b",
                            content_type="application/x-www-form-urlencoded", HTTP_HOST=world["a"]["host"])
    assert response.status_code < 500
    assert snapshot() == before


# The editor renders a whole plan per answer: a representative part of SCALARS for each of its 27 fields.
EDITOR_VALUES = ["1e999999", "-1e999999", "1e-999999", "NaN", "-Infinity", "", "\x00", "１２", "[]",
                 "<script>alert(1)</script>", TEN_KB, "9" * 10240, "\u202e\u0000\ufeff"]
NUMBER_VALUES = ["1e999999", "-1e999999", "1e-999999", "NaN", "-Infinity", "１２", "9" * 10240]


def test_the_plan_editor(world, dashboard):
    """The plan editor's fields (rule fields, rows, row counts) get the hostile values: every field at once, and
    each field that reads a number (or a row count) on its own. No 5xx; whatever is accepted is stored within
    the bounds; nothing else in the panel changes."""
    plan, owner = world["a"]["plan"], world["a"]["reseller"]
    before = snapshot()
    good = editor_post([RULE], name="hostile-plan")
    fields = sorted(k for k in good if k not in ("save", "name", "currency"))
    numeric = [f for f in fields if f.endswith(("TOTAL_FORMS", "start", "price", "priority", "value"))]
    cases = [dict(good, **dict.fromkeys(fields, value)) for value in EDITOR_VALUES]
    cases += [dict(good, **{field: value}) for field in numeric for value in NUMBER_VALUES]
    for path in ("/reseller/plans/new/", "/reseller/plans/%d/edit/" % plan.pk):
        for data in cases if path.endswith("new/") else cases[:len(EDITOR_VALUES)]:
            response = post(dashboard, path, data)
            # Refused unread when the body is over the limit (every field at once, of 10 kB each).
            too_big = len(urlencode(data)) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            assert response.status_code in ((400,) if too_big else (200, 302)), response.status_code
            assert_within_bounds()
            Plan.objects.owned_by(owner).filter(managed=False).exclude(pk=plan.pk).delete()
        # A posted row count cannot make the editor build more rows than it allows.
        response = post(dashboard, path, dict(good, **{"rules-TOTAL_FORMS": "1000000"}))
        assert response.status_code == 200 and b"Please submit at most 50 forms" in response.content
    after = snapshot()
    plan_tables = ("panel_plan", "panel_pricing_rule", "panel_pricing_condition", "panel_pricing_modifier")
    assert {k: v for k, v in after.items() if k not in plan_tables} == \
        {k: v for k, v in before.items() if k not in plan_tables}
    assert_within_bounds()


def test_the_rules_validator_refuses_every_hostile_change():
    """parse_rules, the last check of the editor's rules (and of any rules in the inventory's shape)."""
    from reseller_panel.core import numbers
    from reseller_panel.dashboard.forms import parse_rules

    assert parse_rules([RULE])[1] == []
    for change in RULE_CHANGES:
        problems = parse_rules(numbers.loads(with_change(*change)))[1]
        assert problems and all("rule" in problem for problem in problems), change


def test_priority_and_modifier_price_from_the_report_are_refused_at_their_fields(world, dashboard):
    response = post(dashboard, "/reseller/plans/new/", editor_post([dict(RULE, priority="abc")], name="p"))
    assert invalid_fields(response.content.decode())["rules-0-priority"] == "Enter a whole number."
    modifier = dict(RULE["modifiers"][0], price="1e999999")
    response = post(dashboard, "/reseller/plans/new/", editor_post([dict(RULE, modifiers=[modifier])], name="p"))
    assert invalid_fields(response.content.decode())["rules-0-modifiers-0-price"] == \
        "1e999999 has more than 12 digits before the point"
    assert not Plan.objects.filter(name="p").exists()


def test_the_configuration_forms(world, dashboard):
    conf = world["a"]["conf"]
    before = snapshot()
    good = {"name": "hostile-conf", "description": "d", "options": '{"billing": {"credit_limit": 0}}'}
    for path in ("/reseller/configurations/new/", "/reseller/configurations/%d/edit/" % conf.pk):
        for field in ("name", "options"):
            for value in SCALARS + DOCUMENTS + OPTIONS:
                if field == "options" and value in ("{}",) or field == "name" and not refused_name(value):
                    continue
                response = post(dashboard, path, dict(good, **{field: value}))
                assert response.status_code == 200, (field, value[:40])
    assert snapshot() == before


def test_the_quote_form(world, dashboard):
    plan = world["a"]["plan"]
    PricingRule.objects.create(plan=plan, name="vCPU", resource="instance", attribute="vcpus",
                               tiers=[{"from": "0", "price": "0.004"}])
    before = snapshot()
    for items in ITEMS + DOCUMENTS + SCALARS:
        response = post(dashboard, "/reseller/quote/", {"plan": str(plan.pk), "items": items})
        assert response.status_code == 200
        assert b'"total"' not in response.content, items[:60]
    for value in SCALARS:
        assert post(dashboard, "/reseller/quote/", {"plan": value, "items": "[]"}).status_code == 200
    assert snapshot() == before


def test_the_set_password_form(world):
    import hashlib

    UserToken.objects.create(user=world["a"]["end_user"], token_sha256=hashlib.sha256(b"tok").hexdigest(),
                             expires_at=timezone.now() + timedelta(hours=1))
    before = snapshot()
    for value in SCALARS:
        response = post(Browser(), "/set-password/tok/", {"new_password1": value, "new_password2": value + "x"})
        assert response.status_code == 200
        assert post(Browser(), "/set-password/%s/" % value.replace("/", "")[:200] or "x",
                    {"new_password1": PASSWORD}).status_code in (200, 404)
    assert snapshot() == before


def test_the_json_endpoint(world):
    for host in ("unknown.test", PROVIDER_HOST, "x" * 10240, "\u202e.test", "[::1]", "a..b"):
        response = Browser().get("/healthz", HTTP_HOST=host)
        # A Host that is not a host name at all is a 400 (Django's own check), anything else is answered.
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert json.loads(response.content)["status"] == "ok"
        assert Browser().post("/healthz", {"x": TEN_KB}, HTTP_HOST=host).status_code < 500


@pytest.mark.parametrize("path,needs_login", [("/signup/", False), ("/login/", False), ("/reseller/login/", False),
                                              ("/reseller/plans/new/", True), ("/reseller/quote/", True),
                                              ("/reseller/configurations/new/", True), ("/staff/login/", False)])
def test_a_body_of_one_megabyte_is_refused_before_it_is_read(world, dashboard, path, needs_login):
    browser = dashboard if needs_login else Browser()
    before = snapshot()
    body = {"username": "big", "email": "big@example.test", "password": PASSWORD, "name": "big", "currency": "EUR",
            "rules": "[" + " " * (1024 * 1024) + "]", "items": "[]", "options": "{}"}
    host = world["a"]["host"] if path in ("/signup/", "/login/") else PROVIDER_HOST
    response = browser.post(path, body, HTTP_HOST=host)
    assert response.status_code == 400
    assert snapshot() == before
    # 12 KB, a large but ordinary form, is read.
    body["rules"] = json.dumps([dict(RULE, name="r%d" % n) for n in range(40)])
    assert 12 * 1024 <= len(body["rules"]) < 256 * 1024
    assert browser.post(path, body, HTTP_HOST=host).status_code in (200, 302, 403)
