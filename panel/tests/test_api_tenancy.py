"""The tenancy matrix over the API: a token of reseller A never reads or changes anything of reseller B or of
the provider, whether it names the record in the URL (name or id) or in the body; every such request is a 404,
as for a record that does not exist, and nothing changes."""
import json

import pytest

from api_client import API, Api, snapshot, token_for
from reseller_panel.core.models import ApiToken
from test_tenancy import markers

OWNERS = ("a", "b", "provider")


def names(world, owner):
    """(plan names, configuration names, client ids) of `owner`."""
    if owner == "provider":
        return ([world["wholesale"].name, world["provider_plan"].name], [world["provider_conf"].name],
                [world["a"]["reseller"].client_id])
    w = world[owner]
    return [w["plan"].name, w["managed_plan"].name], [w["conf"].name], [w["end_client"].pk]


def requests_on(world, owner):
    """(method, path, body, headers) naming `owner`'s records."""
    plans, confs, clients = names(world, owner)
    found = []
    for plan in plans:
        found += [("get", "plans/" + plan, None, {}), ("delete", "plans/" + plan, None, {}),
                  ("put", "plans/" + plan, {"currency": "EUR"}, {"HTTP_IF_MATCH": "*"}),
                  ("post", "quote", {"plan": plan, "items": []}, {})]
    for conf in confs:
        found += [("get", "configurations/" + conf, None, {}), ("delete", "configurations/" + conf, None, {}),
                  ("put", "configurations/" + conf, {}, {"HTTP_IF_MATCH": "*"})]
    found += [("get", "clients/%d" % pk, None, {}) for pk in clients]
    return found


def send(api, method, path, body, headers):
    if body is None:
        return getattr(api.browser, method)(API + path, **headers)
    return getattr(api.browser, method)(API + path, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize("actor", ["a", "b"])
def test_every_record_of_another_tenant_is_not_found(world, actor):
    api = Api(token_for(world[actor]["user"]))
    before = snapshot()
    checked = 0
    for owner in OWNERS:
        for method, path, body, headers in requests_on(world, owner):
            if owner == actor:
                # The same reads of the tenant's own records do find them.
                if method == "get" or path == "quote":
                    assert send(api, method, path, body, headers).status_code == 200, (actor, method, path)
                continue
            response = send(api, method, path, body, headers)
            expected = 412 if method == "put" else 404
            assert response.status_code == expected, (actor, owner, method, path, response.content)
            checked += 1
    assert checked >= 14
    assert snapshot() == before


@pytest.mark.parametrize("actor", ["a", "b"])
def test_lists_hold_only_the_tenants_own_records(world, actor):
    other = "b" if actor == "a" else "a"
    api = Api(token_for(world[actor]["user"]))
    for path in ("plans/", "configurations/", "clients/", "account"):
        body = api.get(path).content.decode()
        for marker in markers(world, other) + markers(world, None):
            assert marker not in body, (actor, path, marker)
    assert "plan-of-%s" % actor in api.get("plans/").content.decode()


def test_a_put_under_another_tenants_name_makes_the_tokens_own_record(world):
    b_plan = world["b"]["plan"]
    before = (b_plan.currency, b_plan.is_default, list(b_plan.rules.values_list("id", flat=True)))
    api = Api(token_for(world["a"]["user"]))
    made = api.put("plans/plan-of-b", {"currency": "USD"})
    assert made.status_code == 201
    b_plan.refresh_from_db()
    assert (b_plan.currency, b_plan.is_default, list(b_plan.rules.values_list("id", flat=True))) == before
    assert b_plan.owner_reseller == world["b"]["reseller"]
    assert world["a"]["reseller"].plans.get(name="plan-of-b").currency == "USD"


@pytest.mark.parametrize("user", ["end_user", "staff"])
def test_tokens_of_users_who_are_not_reseller_users_do_not_work(world, user):
    account = world["staff"] if user == "staff" else world["a"]["end_user"]
    secret = ApiToken.objects.issue(account, "x", "write")[1]
    assert Api(secret).get("plans/").status_code == 401
