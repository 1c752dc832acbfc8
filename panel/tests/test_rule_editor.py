"""The plan editor accepts exactly the plans the collection's validation accepts, and stores what the collection
would seed (plugins/module_utils/_seed_validation.validate_plans, _plans.normalize_plan): one set of rules, pinned."""
import copy
import html
import re

import pytest
from django.test import Client as Browser

from collection import module_utils
from editor import editor_post, invalid_fields
from reseller_panel.core.fields import canonical_json
from reseller_panel.core.models import Plan
from reseller_panel.dashboard.rule_forms import condition_value_text, parse_condition_value
from world import PROVIDER_HOST

validation = module_utils("_seed_validation")
plans = module_utils("_plans")

VCPU = {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h", "priority": 0,
        "tiers": [{"from": "0", "price": "0.004"}, {"from": "64", "price": "0.0035"}],
        "conditions": [{"attribute": "region", "op": "in", "value": ["RegionOne", "RegionTwo"]}],
        "modifiers": [{"name": "Windows licence", "price": "0.01", "time_unit": "h", "is_percent": False,
                       "when": [{"attribute": "os_type", "op": "eq", "value": "windows"}]}]}
STORAGE = {"name": "Volume storage", "resource": "volume", "attribute": "size_gb", "time_unit": "month",
           "priority": -5, "tiers": [{"from": "0", "price": "0.05"}], "conditions": [], "modifiers": []}


def changed(rule, **changes):
    rule = copy.deepcopy(rule)
    rule.update(changes)
    return rule


def tiers(*pairs):
    return [{"from": start, "price": price} for start, price in pairs]


# (case, rules): plans a person can type into the editor; the collection decides which are valid.
CASES = [
    ("two rules", [VCPU, STORAGE]),
    ("no attribute: one per resource", [changed(STORAGE, attribute=None)]),
    ("per day, percent modifier", [changed(VCPU, time_unit="d", modifiers=[
        dict(VCPU["modifiers"][0], is_percent=True, price="15")])]),
    ("numbers in conditions", [changed(VCPU, conditions=[{"attribute": "vcpus", "op": "ge", "value": 4}])]),
    ("list of numbers", [changed(VCPU, conditions=[{"attribute": "gpu", "op": "ni", "value": [0, 1]}])]),
    ("no rules at all", []),
    ("first tier not at 0", [changed(VCPU, tiers=tiers(("1", "0.004")))]),
    ("tiers out of order", [changed(VCPU, tiers=tiers(("0", "1"), ("10", "1"), ("5", "1")))]),
    ("two tiers at one quantity", [changed(VCPU, tiers=tiers(("0", "1"), ("0", "2")))]),
    ("negative price", [changed(VCPU, tiers=tiers(("0", "-1")))]),
    ("price not a number", [changed(VCPU, tiers=tiers(("0", "cheap")))]),
    ("price with nine decimals", [changed(VCPU, tiers=tiers(("0", "0.000000001")))]),
    ("price of thirteen digits", [changed(VCPU, tiers=tiers(("0", "1234567890123")))]),
    ("huge exponent", [changed(VCPU, tiers=tiers(("0", "1e999999")))]),
    ("no tier", [changed(VCPU, tiers=[])]),
    ("resource with a space", [changed(VCPU, resource="my instance")]),
    ("resource missing", [changed(VCPU, resource="")]),
    ("attribute starting with a digit", [changed(VCPU, attribute="2vcpus")]),
    ("time unit week", [changed(VCPU, time_unit="week")]),
    ("rule without a name", [changed(VCPU, name="")]),
    ("rule name with a control character", [changed(VCPU, name="v\x01CPU")]),
    ("rule name of 101 characters", [changed(VCPU, name="x" * 101)]),
    ("two rules of one name", [VCPU, changed(STORAGE, name="vCPU")]),
    ("unknown operator", [changed(VCPU, conditions=[{"attribute": "region", "op": "like", "value": "x"}])]),
    ("condition attribute missing", [changed(VCPU, conditions=[{"attribute": "", "op": "eq", "value": "x"}])]),
    ("modifier without a name", [changed(VCPU, modifiers=[dict(VCPU["modifiers"][0], name="")])]),
    ("two modifiers of one name", [changed(VCPU, modifiers=VCPU["modifiers"] * 2)]),
    ("modifier price not a number", [changed(VCPU, modifiers=[dict(VCPU["modifiers"][0], price="x")])]),
    ("modifier time unit week", [changed(VCPU, modifiers=[dict(VCPU["modifiers"][0], time_unit="week")])]),
    ("modifier condition operator", [changed(VCPU, modifiers=[dict(VCPU["modifiers"][0], when=[
        {"attribute": "os_type", "op": "~", "value": "w"}])])]),
    ("priority out of range", [changed(VCPU, priority=2 ** 31)]),
]


@pytest.fixture
def dashboard(world):
    browser = Browser()
    browser.force_login(world["a"]["user"])
    return browser


def collection_accepts(rules):
    return validation.validate_plans([{"name": "pinned", "currency": "EUR", "rules": rules}]) == []


def seeded(rules):
    """What the collection would store for these rules (comparable rows, _plans.normalize_plan)."""
    return plans.normalize_plan({"currency": "EUR", "rules": rules})["rules"]


def stored(plan):
    """The same view of the rules the editor stored."""
    return {rule["name"]: dict(
        resource=rule["resource"], attribute=rule["attribute"], time_unit=rule["time_unit"],
        priority=rule["priority"], tiers=canonical_json(rule["tiers"]),
        conditions=sorted((c["attribute"], c["op"], canonical_json(c["value"])) for c in rule["conditions"]),
        modifiers=sorted((m["name"], m["price"], m["time_unit"], m["is_percent"], canonical_json(m["when"]))
                         for m in rule["modifiers"])) for rule in plan.rules_as_inventory()}


@pytest.mark.django_db
@pytest.mark.parametrize("case,rules", CASES, ids=[c[0] for c in CASES])
def test_the_editor_and_the_collection_accept_the_same_plans(dashboard, world, case, rules):
    response = dashboard.post("/reseller/plans/new/", editor_post(rules, name="pinned"), HTTP_HOST=PROVIDER_HOST)
    saved = response.status_code == 302
    assert saved is collection_accepts(rules), (case, invalid_fields(response.content.decode()))
    if saved:
        assert stored(Plan.objects.get(name="pinned")) == seeded(rules)
    else:
        # Refused at a field, and that field is marked (a rule without tiers: at its tiers).
        page = response.content.decode()
        assert invalid_fields(page) or "at least one tier: the price from quantity 0" in page, case


@pytest.mark.parametrize("value,op", [("RegionOne", "eq"), (4, "ge"), (0.5, "lt"), (True, "eq"), ("true", "eq"),
                                      ("42", "eq"), (" padded ", "eq"), ("[draft]", "eq"), (None, "eq"),
                                      (["a", "b"], "in"), ([1, 2], "ni"), (["a,b", "c"], "in"), ([], "in")])
def test_condition_values_survive_the_round_trip_through_their_text_field(value, op):
    assert parse_condition_value(condition_value_text(value, op), op) == value


@pytest.mark.django_db
def test_an_existing_plan_opens_in_the_editor_as_it_was_and_saves_unchanged(dashboard, world):
    response = dashboard.post("/reseller/plans/new/", editor_post([VCPU, STORAGE], name="pinned"),
                              HTTP_HOST=PROVIDER_HOST)
    plan = Plan.objects.get(name="pinned")
    before = stored(plan)
    page = dashboard.get("/reseller/plans/%d/edit/" % plan.pk, HTTP_HOST=PROVIDER_HOST).content.decode()
    assert 'value="RegionOne, RegionTwo"' in page and 'value="Windows licence"' in page
    # Post back exactly what the page shows (its inputs' values), as a browser would.

    data = {}
    # (Rows of the <template>s, for new rows, carry a placeholder such as __row__ in their names.)
    for tag in re.findall(r"<input[^>]+>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and "__" not in name.group(1) and ('type="checkbox"' not in tag or " checked" in tag):
            data[name.group(1)] = html.unescape(value.group(1)) if value else "on"
    for select in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        if "__" not in select.group(1):
            data[select.group(1)] = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2)).group(1)
    data["save"] = "1"
    response = dashboard.post("/reseller/plans/%d/edit/" % plan.pk, data, HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 302, invalid_fields(response.content.decode())
    assert stored(Plan.objects.get(pk=plan.pk)) == before
