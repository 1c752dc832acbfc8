# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the database modules validate on their own input (the whole-inventory cases: test_validation_model)."""
from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils import _model
from ansible_collections.panelops.reseller.plugins.module_utils._seed_validation import (
    check_resellers,
    validate_configurations,
    validate_plans,
    validate_resellers,
)

PLAN = {"name": "retail", "currency": "EUR", "rules": [
    {"name": "RAM", "resource": "instance", "tiers": [{"from": 0, "price": "0.1"}]}]}
RESELLER = {"name": "acme", "company": "ACME", "email": "ops@acme.test", "currency": "EUR", "plan": "wholesale",
            "enduser_panel_url": "https://cloud.acme.test/"}


def test_a_resellers_own_plans_are_named_with_their_owner():
    assert validate_plans([PLAN], owner_label="reseller 'acme'") == []
    problems = validate_plans([PLAN, dict(PLAN, is_default=True), dict(PLAN, name="other", is_default=True)],
                              owner_label="reseller 'acme'")
    assert problems == [
        "reseller 'acme' plan 'retail': name: duplicate plan name for the reseller 'acme'",
        "reseller 'acme': plans: more than one default plan for the reseller 'acme': retail, other",
    ]
    assert validate_plans("retail") == ["panel_plans: must be a list of plans"]
    assert validate_plans(["retail"], owner_label="reseller 'acme'") == ["reseller 'acme': plans[0]: must be a mapping"]


def test_rule_problems_name_plan_rule_and_field():
    rule = {"name": "RAM", "resource": "instance", "time_unit": "week", "priority": True,
            "tiers": [{"from": 1, "price": "x", "to": 3}],
            "conditions": [{"attribute": "1bad", "op": "in", "value": "RegionOne"}],
            "modifiers": [{"name": "w", "price": 1, "when": "os"}, {"name": "w", "price": 1}, "m"]}
    problems = validate_plans([dict(PLAN, rules=[rule, dict(rule, name="RAM")])])
    assert problems[:10] == [
        "plan 'retail' rule 'RAM': time_unit: must be one of h, d, month, got 'week'",
        "plan 'retail' rule 'RAM': priority: must be an integer, got True",
        "plan 'retail' rule 'RAM': tiers[0]: unknown key 'to' (allowed: from, price)",
        "plan 'retail' rule 'RAM': tiers[0].price: 'x' is not a decimal number",
        "plan 'retail' rule 'RAM': tiers[0].from: the first tier must start at 0, got 1",
        "plan 'retail' rule 'RAM': conditions[0].attribute: must be an attribute name, got '1bad'",
        "plan 'retail' rule 'RAM': conditions[0].value: must be a list for op in",
        "plan 'retail' rule 'RAM': modifiers[0]: when must be a list",
        "plan 'retail' rule 'RAM': modifiers[1].name: duplicate modifier 'w'",
        "plan 'retail' rule 'RAM': modifiers[2]: must be a mapping",
    ]
    assert "plan 'retail' rule 'RAM': name: duplicate rule name in the plan" in problems


def test_configuration_problems():
    assert validate_configurations([{"name": "default", "options": {"billing": {}}}]) == []
    problems = validate_configurations([{"name": "default", "description": 3, "default": "yes", "options": []},
                                        {"name": "default"}], owner_label="reseller 'acme'")
    assert problems == [
        "reseller 'acme' configuration 'default': description: must be a string",
        "reseller 'acme' configuration 'default': default: must be a boolean, got 'yes'",
        "reseller 'acme' configuration 'default': options: must be a mapping of sections (billing, signup, limits, "
        "notifications)",
        "reseller 'acme' configuration 'default': name: duplicate configuration name for the reseller 'acme'",
    ]


def test_resellers_get_the_models_structure_checks_and_their_field_checks():
    problems = validate_resellers([dict(RESELLER, name="ACME", currency="euro"),
                                   dict(RESELLER, name="b", enduser_panel_url="https://b.test:8443/")])
    assert problems == [
        "reseller 'ACME': name: must be a slug (a-z, 0-9, '-', 1-63 characters, not starting or ending with '-')",
        "reseller 'b': enduser_panel_url: 'https://b.test:8443/' must not name a port",
        "reseller 'ACME': currency: must be an ISO 4217 code such as EUR, got 'euro'",
    ]
    assert validate_resellers([dict(RESELLER, enduser_panel_url="https://b.test:8443/")], https_port=8443) == []


def test_the_provider_plans_and_host_are_checked_when_known():
    problems = validate_resellers([dict(RESELLER, enduser_panel_url="https://panel.provider.test/"),
                                   dict(RESELLER, name="b", plan="gold", enduser_panel_url="https://b.test/")],
                                  provider_plans={"wholesale": "USD"}, provider_url="https://panel.provider.test/")
    assert problems == [
        "reseller 'acme': enduser_panel_url: host panel.provider.test is the provider's own host",
        "reseller 'acme': plan: 'wholesale' is priced in USD, the reseller in EUR",
        "reseller 'b': plan: 'gold' is not a provider plan (panel_plans has: wholesale)",
    ]


def test_offboarding_needs_only_the_name_and_a_declared_successor():
    inventory = _model.read_resellers([RESELLER, {"name": "gone", "state": "absent", "offboard_to": "acme"},
                                       {"name": "lost", "state": "absent", "offboard_to": "gone"}])
    assert inventory.problems == []
    assert check_resellers(inventory) == ["reseller 'lost': offboard_to: 'gone' is itself absent"]


def test_users_are_unique_across_resellers():
    users = [{"username": "admin", "email": "admin@acme.test", "password": "pw"}]
    problems = validate_resellers([dict(RESELLER, users=users),
                                   dict(RESELLER, name="b", enduser_panel_url="https://b.test/", users=users)])
    assert problems == ["reseller 'b' user 'admin': username: already used by reseller 'acme'",
                        "reseller 'b' user 'admin': email: admin@acme.test is already used by reseller 'acme' "
                        "user 'admin'"]
