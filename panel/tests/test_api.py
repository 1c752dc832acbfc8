"""The reseller API (docs/api.md): records by name, idempotent PUT, DELETE archives, ETags, dry runs, the
provider's records read-only, errors naming the field, the same rules as the dashboard's forms."""
import base64
import hashlib

import pytest

from api_client import VCPU, Api, fields, snapshot, token_for
from conftest import tiny_png
from reseller_panel.core.models import Brand, Plan, PricingRule


@pytest.fixture
def api(world):
    return Api(token_for(world["a"]["user"]))


def test_account_says_who_the_token_acts_for(world, api):
    assert api.get("account").json() == {"reseller": "res-a", "status": "active", "wholesale_plan": "wholesale",
                                         "currency": "EUR", "token": {"name": "test", "scope": "write",
                                                                      "expires_at": None}}


def test_a_plan_is_created_read_replaced_and_archived_by_name(world, api):
    created = api.put("plans/retail small", {"currency": "EUR", "rules": [VCPU]})
    assert created.status_code == 201, created.content
    plan = Plan.objects.get(owner_reseller=world["a"]["reseller"], name="retail small")
    assert plan.managed is False
    body = created.json()
    assert created["ETag"] == body["etag"]
    assert body["rules"][0]["tiers"] == [{"from": "0", "price": "0.01"}, {"from": "4", "price": "0.008"}]
    assert body["rules"][0]["modifiers"][0]["when"] == VCPU["modifiers"][0]["when"]
    fetched = api.get("plans/retail%20small")
    assert fetched.status_code == 200 and fetched.json() == body and fetched["ETag"] == body["etag"]

    # The same PUT again: 200, the same ETag, and nothing rewritten (the rule rows keep their ids).
    rule_ids = list(PricingRule.objects.filter(plan=plan).values_list("id", flat=True))
    again = api.put("plans/retail small", {"currency": "EUR", "rules": [VCPU]})
    assert again.status_code == 200 and again.json() == body
    assert list(PricingRule.objects.filter(plan=plan).values_list("id", flat=True)) == rule_ids

    changed = api.put("plans/retail small", {"currency": "EUR", "is_default": True,
                                             "rules": [dict(VCPU, tiers=[{"from": 0, "price": "0.012"}])]})
    assert changed.status_code == 200 and changed.json()["etag"] != body["etag"]
    assert changed.json()["rules"][0]["tiers"] == [{"from": "0", "price": "0.012"}]
    # ...the reseller's other default (unmanaged) plan is no longer its default, as in the dashboard.
    assert Plan.objects.get(pk=world["a"]["plan"].pk).is_default is False

    archived = api.delete("plans/retail small")
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert Plan.objects.get(pk=plan.pk).archived is True
    assert api.delete("plans/retail small").status_code == 200
    assert api.get("plans/?archived=true").json()["results"][0]["name"] == "retail small"


def test_lists_are_paginated(world, api):
    for n in range(5):
        assert api.put("plans/p%d" % n, {"currency": "EUR"}).status_code == 201
    first = api.get("plans/?page_size=3").json()
    assert first["count"] == 7 and len(first["results"]) == 3 and first["previous"] is None
    assert "page=2" in first["next"] and first["next"].startswith("http://panel.provider.test:8443/reseller/api/v1/")
    second = api.get("plans/?page_size=3&page=2").json()
    names = [p["name"] for p in first["results"] + second["results"]]
    assert len(set(names)) == 6
    assert api.get("plans/?page=99").status_code == 404
    assert api.get("plans/?archived=maybe").status_code == 400


def test_if_match_protects_concurrent_edits(world, api):
    etag = api.get("plans/plan-of-a")["ETag"]
    stale = api.put("plans/plan-of-a", {"currency": "EUR", "is_default": True, "rules": [VCPU]},
                    HTTP_IF_MATCH='"0000"')
    assert stale.status_code == 412 and "read it again" in stale.json()["detail"]
    assert not PricingRule.objects.filter(plan=world["a"]["plan"]).exists()
    fresh = api.put("plans/plan-of-a", {"currency": "EUR", "is_default": True, "rules": [VCPU]}, HTTP_IF_MATCH=etag)
    assert fresh.status_code == 200
    assert api.delete("plans/plan-of-a", HTTP_IF_MATCH=etag).status_code == 412
    assert api.put("plans/plan-of-a", {"currency": "EUR"}, HTTP_IF_NONE_MATCH="*").status_code == 412
    assert api.put("plans/brand-new", {"currency": "EUR"}, HTTP_IF_MATCH="*").status_code == 412
    assert api.put("plans/brand-new", {"currency": "EUR"}, HTTP_IF_NONE_MATCH="*").status_code == 201


def test_a_dry_run_answers_as_if_written_and_stores_nothing(world, api):
    before = snapshot()
    dry = api.put("plans/tried?dry_run=true", {"currency": "EUR", "rules": [VCPU]})
    assert dry.status_code == 201 and dry.json()["rules"][0]["name"] == "vCPU"
    assert api.delete("plans/plan-of-a?dry_run=true").json()["archived"] is True
    refused = api.put("plans/tried?dry_run=true", {"currency": "XXX"})
    assert refused.status_code == 400 and "currency" in fields(refused)
    assert snapshot() == before


def test_the_providers_records_are_read_only(world, api):
    before = snapshot()
    assert api.get("plans/managed-plan-of-a").json()["managed"] is True
    for response in (api.put("plans/managed-plan-of-a", {"currency": "EUR", "rules": [VCPU]}),
                     api.delete("plans/managed-plan-of-a")):
        assert response.status_code == 409
        assert "managed by the provider's inventory" in response.json()["detail"]
    Brand.objects.create(reseller=world["a"]["reseller"], name="Alpha", managed=True)
    before = snapshot()
    assert api.put("brand", {"name": "Mine now"}).status_code == 409
    assert snapshot() == before


def test_errors_name_every_field_and_nothing_is_written(world, api):
    before = snapshot()
    response = api.put("plans/bad", {"currency": "XYZ", "rules": [
        {"name": "vCPU", "resource": "1nstance", "tiers": [{"from": 1, "price": "-1"}],
         "modifiers": [{"name": "m", "price": "1e999999"}],
         "conditions": [{"attribute": "region", "op": "in", "value": "RegionOne"}]},
        {"name": "vCPU", "resource": "instance", "tiers": [{"from": 0, "price": 1}, {"from": 0, "price": 2}]}]})
    assert response.status_code == 400
    found = fields(response)
    assert found["currency"] == "an ISO 4217 currency code such as EUR"
    assert found["rules[0].resource"].startswith("a name such as instance")
    assert found["rules[0].tiers[0].price"] == "-1 is negative"
    assert found["rules[0].tiers[0].from"] == "the first tier must start at 0"
    assert found["rules[0].modifiers[0].price"] == "1e999999 has more than 12 digits before the point"
    assert found["rules[1].name"] == "another rule of this plan has this name"
    assert "ascending" in found["rules[1].tiers[1].from"]
    assert response.json()["detail"].startswith("plan 'bad' refused, nothing was changed")
    assert snapshot() == before


@pytest.mark.parametrize("body,field", [
    ({"currency": 5}, "currency"),
    ({"currency": "EUR", "is_default": "yes"}, "is_default"),
    ({"currency": "EUR", "owner": "res-b"}, "owner"),
    ({"currency": "EUR", "rules": [dict(VCPU, priority="1")]}, "rules[0].priority"),
    ({"currency": "EUR", "rules": [dict(VCPU, extra=1)]}, "rules[0].extra"),
    ({"currency": "EUR", "rules": [dict(VCPU, tiers=[{"from": True, "price": 1}])]}, "rules[0].tiers[0].from"),
    ({"currency": "EUR", "rules": [dict(VCPU, conditions=[{"attribute": "a", "op": "eq", "value": {"x": 1}}])]},
     "rules[0].conditions[0].value"),
    ({"currency": "EUR", "name": "other"}, "name"),
    ({}, "currency"),
])
def test_the_body_shape_is_checked_naming_the_field(world, api, body, field):
    before = snapshot()
    response = api.put("plans/shape", body)
    assert response.status_code == 400, response.content
    assert field in fields(response), response.json()
    assert snapshot() == before


def test_bodies_that_are_not_json_objects_are_refused(world, api):
    for data, status in (("{", 400), ("[]", 400), ('{"currency": NaN}', 400), ("[" * 100 + "]" * 100, 400)):
        response = api.raw("put", "plans/x", data)
        assert response.status_code == status and response.json()["detail"]
    assert api.raw("put", "plans/x", "currency=EUR", "application/x-www-form-urlencoded").status_code == 415
    assert api.raw("put", "plans/x", "{}" + " " * 300 * 1024, "application/json").status_code == 400


def test_names_the_database_cannot_hold_are_not_found(world, api):
    for name in ("a" * 101, "nul%00name"):
        assert api.get("plans/" + name).status_code == 404
    assert api.put("plans/" + "a" * 101, {"currency": "EUR"}).status_code == 400
    assert api.put("plans/%20padded%20", {"currency": "EUR"}).status_code == 400


def test_configurations(world, api):
    created = api.put("configurations/retail", {"description": "Retail", "is_default": True,
                                                "options": {"billing": {"credit_limit": 10.5}}})
    assert created.status_code == 201, created.content
    assert created.json()["options"] == {"billing": {"credit_limit": 10.5}}
    assert api.put("configurations/retail", {"description": "Retail", "is_default": True,
                                             "options": {"billing": {"credit_limit": 10.5}}}).status_code == 200
    refused = api.put("configurations/retail", {"options": {"shipping": {}, "billing": 3}})
    assert refused.status_code == 400
    assert [e["message"] for e in refused.json()["errors"]] == [
        "options.billing: must be a mapping",
        "options: unknown section \"shipping\" (allowed: billing, signup, limits, notifications)"]
    assert api.delete("configurations/retail").json()["archived"] is True
    assert api.put("configurations/managed?dry_run=1", {}).status_code == 400
    assert {c["name"] for c in api.get("configurations/").json()["results"]} == {"conf-of-a", "retail"}


def test_the_brand(world, api):
    assert api.get("brand").status_code == 404
    logo = tiny_png((10, 20, 30))
    created = api.put("brand", {"name": "Alpha Cloud", "primary_color": "#ABC",
                                "support_url": "https://help.alpha.test/", "logo": base64.b64encode(logo).decode()})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["primary_color"] == "#aabbcc" and body["logo_sha256"] == hashlib.sha256(logo).hexdigest()
    assert "logo" not in body
    # Without `logo` the logo is kept; the same body again changes nothing.
    again = api.put("brand", {"name": "Alpha Cloud", "primary_color": "#aabbcc",
                              "support_url": "https://help.alpha.test/"})
    assert again.status_code == 200 and again.json() == body
    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').decode()
    refused = api.put("brand", {"name": "Alpha Cloud", "logo": svg, "support_url": "http://help.alpha.test/"})
    assert refused.status_code == 400
    assert fields(refused)["support_url"] == "must start with https://"
    assert "SVG" in fields(refused)["logo"]
    assert api.put("brand", {"name": "Alpha Cloud", "logo": "not base64!"}).status_code == 400
    removed = api.put("brand", {"name": "Alpha Cloud", "logo": None})
    assert removed.json()["logo_sha256"] is None
    assert Brand.objects.get(reseller=world["a"]["reseller"]).logo is None


def test_clients_are_read_only_and_searchable(world, api):
    listed = api.get("clients/").json()
    assert [c["name"] for c in listed["results"]] == ["enduser-client-of-a"]
    assert listed["results"][0]["plan"] == "plan-of-a"
    assert api.get("clients/?search=nobody").json()["count"] == 0
    own = world["a"]["end_client"].pk
    assert api.get("clients/%d" % own).json()["configuration"] == "conf-of-a"
    assert api.put("clients/%d" % own, {}).status_code == 405


def test_quotes_price_the_resellers_own_plans(world, api):
    api.put("plans/retail", {"currency": "EUR", "rules": [dict(VCPU, conditions=[], modifiers=[])]})
    quote = api.post("quote", {"plan": "retail", "items": [
        {"resource": "instance", "attributes": {"vcpus": 2}, "hours": 730}]})
    assert quote.status_code == 200, quote.content
    assert quote.json()["total"] == "14.6000" and quote.json()["wholesale_plan"] == "wholesale"
    bad = api.post("quote", {"plan": "retail", "items": [{"resource": "instance", "hours": -1}]})
    assert bad.status_code == 400 and "items" in fields(bad)
    assert api.post("quote", {"plan": "nope", "items": []}).status_code == 404


def test_read_tokens_read_and_quote_only(world):
    reader = Api(token_for(world["a"]["user"], scope="read"))
    before = snapshot()
    assert reader.get("plans/").status_code == 200
    assert reader.post("quote", {"plan": "plan-of-a", "items": []}).status_code == 200
    for response in (reader.put("plans/x", {"currency": "EUR"}), reader.delete("plans/plan-of-a"),
                     reader.put("brand", {"name": "x"})):
        assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert snapshot() == before


def test_unknown_paths_under_the_api_are_json_404(world, api):
    response = api.get("nothing/here")
    assert response.status_code == 404 and response.json()["detail"].startswith("no such API path")


def test_the_rate_limit_is_per_token(world, settings):
    settings.REST_FRAMEWORK = dict(settings.REST_FRAMEWORK, DEFAULT_THROTTLE_RATES={"api_token": "3/min"})
    first, second = Api(token_for(world["a"]["user"])), Api(token_for(world["a"]["user"]))
    assert [first.get("account").status_code for _attempt in range(3)] == [200, 200, 200]
    limited = first.get("account")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0 and limited.json()["detail"]
    assert second.get("account").status_code == 200


def test_searching_clients_for_any_text_is_answered(world, api):
    # Found by schemathesis on MariaDB: a 4-byte character in a search once failed on a latin1 database.
    for text in ("J\u00f0nV\U0001444a", "\U0001f600", "%_", "x" * 500):
        response = api.get("clients/", data={"search": text})
        assert response.status_code == 200 and response.json()["count"] == 0
