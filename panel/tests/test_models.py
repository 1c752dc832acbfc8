"""Scoping and lookups live on the models: each query the views rely on, tested on its own."""
import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from reseller_panel.core.models import Client, Configuration, Plan, PricingRule, Reseller, Setting, User, UserToken


def test_a_host_finds_its_reseller_and_nothing_else(world):
    assert Reseller.objects.for_host("cloud.a.test") == world["a"]["reseller"]
    assert Reseller.objects.for_host("cloud.unknown.test") is None


def test_only_active_reseller_users_manage_a_reseller(world):
    assert Reseller.objects.managed_by(world["a"]["user"]) == world["a"]["reseller"]
    assert Reseller.objects.managed_by(world["a"]["end_user"]) is None
    assert Reseller.objects.managed_by(world["staff"]) is None
    assert Reseller.objects.managed_by(AnonymousUser()) is None
    suspended = User.objects.create_user("admin-of-s2", client=world["s"]["reseller"].client, is_reseller=True)
    assert Reseller.objects.managed_by(suspended) is None
    world["a"]["user"].is_active = False
    assert Reseller.objects.managed_by(world["a"]["user"]) is None


def test_owned_records_are_scoped_to_their_owner(world):
    a = world["a"]["reseller"]
    assert set(Plan.objects.owned_by(a)) == {world["a"]["plan"], world["a"]["managed_plan"]}
    assert set(Plan.objects.owned_by(None)) == {world["wholesale"], world["provider_plan"]}
    assert list(Configuration.objects.owned_by(a)) == [world["a"]["conf"]]
    assert set(a.plans.all()) == set(Plan.objects.owned_by(a))


def test_the_default_plan_is_live_and_the_inventorys_first(world):
    a = world["a"]["reseller"]
    assert Plan.objects.default_for(a) == world["a"]["plan"]
    world["a"]["managed_plan"].is_default = True
    world["a"]["managed_plan"].save()
    assert Plan.objects.default_for(a) == world["a"]["managed_plan"]
    Plan.objects.filter(owner_reseller=a).update(archived=True)
    assert Plan.objects.default_for(a) is None
    assert Configuration.objects.default_for(None) == world["provider_conf"]


def test_making_a_sole_default_leaves_the_inventorys_defaults_alone(world):
    a = world["a"]["reseller"]
    world["a"]["managed_plan"].is_default = True
    world["a"]["managed_plan"].save()
    new = Plan.objects.create(owner_reseller=a, name="new-default", currency="EUR", is_default=True)
    new.make_sole_default()
    defaults = set(Plan.objects.owned_by(a).filter(is_default=True))
    assert defaults == {new, world["a"]["managed_plan"]}
    # Another owner's default is not touched.
    assert Plan.objects.get(pk=world["b"]["plan"].pk).is_default


def test_users_belong_to_their_clients_reseller_only(world):
    a, b = world["a"]["reseller"], world["b"]["reseller"]
    assert world["a"]["end_user"].belongs_to(a) and not world["a"]["end_user"].belongs_to(b)
    assert not world["a"]["end_user"].belongs_to(None)
    # Reseller users and staff are the provider's users (a reseller's own account is a provider client).
    assert world["a"]["user"].belongs_to(None) and not world["a"]["user"].belongs_to(a)
    assert world["staff"].belongs_to(None)


@pytest.mark.parametrize("owner_key,currency", [("a", "EUR"), (None, "EUR")])
def test_sign_up_makes_a_client_with_the_owners_defaults(world, owner_key, currency):
    owner = world[owner_key]["reseller"] if owner_key else None
    user = Client.objects.sign_up(owner, "someone", "someone@example.test", "Pass-word-1234")
    assert user.check_password("Pass-word-1234")
    client = user.client
    assert client.reseller == owner and client.currency == currency
    assert client.plan == (world[owner_key]["plan"] if owner_key else world["provider_plan"])


def test_sign_up_without_a_default_plan_takes_the_resellers_currency(world):
    a = world["a"]["reseller"]
    Client.objects.filter(pk=a.client_id).update(currency="CHF")
    Plan.objects.filter(owner_reseller=a).update(is_default=False)
    a.refresh_from_db()
    user = Client.objects.sign_up(a, "someone", "someone@example.test", "Pass-word-1234")
    assert user.client.plan is None and user.client.currency == "CHF"


def test_rules_round_trip_in_the_inventorys_shape(world):
    plan = world["a"]["plan"]
    rules = [{"name": "b", "resource": "instance", "attribute": None, "time_unit": "d", "priority": 0,
              "tiers": [{"from": "0", "price": "1"}], "conditions": [{"attribute": "x", "op": "eq", "value": 1}],
              "modifiers": [{"name": "m", "price": "0.5", "time_unit": "h", "is_percent": True,
                             "conditions": [{"attribute": "y", "op": "in", "value": [1, 2]}]}]},
             {"name": "a", "resource": "volume", "attribute": "size_gb", "time_unit": "month", "priority": 0,
              "tiers": [{"from": "0", "price": "2"}], "conditions": [], "modifiers": []}]
    plan.replace_rules(rules)
    assert PricingRule.objects.filter(plan=plan).count() == 2
    shaped = plan.rules_as_inventory()
    assert [r["name"] for r in shaped] == ["b", "a"]  # same priority: the order they were given in
    assert shaped[0]["modifiers"] == [{"name": "m", "price": "0.5", "time_unit": "h", "is_percent": True,
                                       "when": [{"attribute": "y", "op": "in", "value": [1, 2]}]}]
    data = plan.rules_as_data()
    assert data[0]["conditions"] == [{"attribute": "x", "op": "eq", "value": 1}]
    assert data[1]["attribute"] == "size_gb" and data[0]["attribute"] is None


def test_a_token_is_redeemable_once_and_only_before_it_expires(world):
    def token(name, **kwargs):
        UserToken.objects.create(user=world["a"]["user"], token_sha256=hashlib.sha256(name.encode()).hexdigest(),
                                 expires_at=kwargs.pop("expires_at", timezone.now() + timedelta(hours=1)), **kwargs)
        return name
    fresh, expired = token("fresh"), token("expired", expires_at=timezone.now() - timedelta(seconds=1))
    row = UserToken.objects.redeemable(fresh)
    assert row is not None and row.user == world["a"]["user"]
    row.redeem()
    assert UserToken.objects.redeemable(fresh) is None
    assert UserToken.objects.redeemable(expired) is None
    assert UserToken.objects.redeemable("never-issued") is None


def test_settings_as_a_mapping_and_the_schema_version(world):
    values = Setting.objects.as_dict()
    assert values["reseller.enabled"] is True
    assert Setting.objects.schema_version() == values["schema.version"]
    Setting.objects.filter(key="schema.version").delete()
    assert Setting.objects.schema_version() is None
