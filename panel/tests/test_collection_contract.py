"""The panel and the collection speak one pricing vocabulary: the models, the quote engine and the forms take
their words from core.terms (pinned to the collection's _vocabulary by the collection's
tests/unit/plugins/module_utils/test_vocabulary.py), and the dashboard accepts what the collection's validation
(plugins/module_utils/_seed_validation.py) accepts and defaults a rule as the collection seeds it (_plans.py)."""
import pytest

from collection import module_utils
from reseller_panel.core import models, pricing, terms
from reseller_panel.dashboard.forms import PlanForm, parse_rules

validation = module_utils("_seed_validation")
plans = module_utils("_plans")

RULE = {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "tiers": [{"from": 0, "price": "0.004"}]}


def test_models_pricing_and_forms_use_the_one_definition():
    assert [op for op, _label in models.PricingCondition._meta.get_field("operator").choices] == list(terms.OPERATORS)
    for model in (models.PricingRule, models.PricingModifier):
        field = model._meta.get_field("time_unit")
        assert [unit for unit, _label in field.choices] == list(terms.TIME_UNITS)
        assert field.default == terms.DEFAULT_TIME_UNIT
    assert set(pricing.UNIT_HOURS) == set(terms.TIME_UNITS)
    assert models.PricingRule._meta.get_field("priority").default == terms.DEFAULT_PRIORITY


def test_a_rule_without_priority_or_time_unit_gets_the_collections_defaults():
    seeded = plans.normalize_plan({"currency": "EUR", "rules": [dict(RULE)]})["rules"]["vCPU"]
    parsed, problems = parse_rules([dict(RULE), dict(RULE, name="RAM", attribute="memory_gb")])
    assert problems == []
    # Every rule, not only the first, defaults to the collection's priority (not to its position in the list).
    assert [rule["priority"] for rule in parsed] == [seeded["priority"], seeded["priority"]]
    assert parsed[0]["time_unit"] == seeded["time_unit"]


@pytest.mark.parametrize("op", ["eq", "in", "like", "EQ", ""])
def test_dashboard_and_collection_accept_the_same_operators(op):
    value = ["x"] if op in ("in", "ni") else "x"
    rule = dict(RULE, conditions=[{"attribute": "region", "op": op, "value": value}])
    collection_problems = []
    validation._check_rule(collection_problems, "rule", rule)
    dashboard_problems = parse_rules([rule])[1]
    assert bool(collection_problems) == bool(dashboard_problems) == (op not in terms.OPERATORS)


@pytest.mark.django_db
@pytest.mark.parametrize("currency,accepted", [("EUR", True), ("usd", True), ("XYZ", False), ("EURO", False),
                                               ("E1R", False)])
def test_dashboard_currencies_are_iso_4217_like_the_collections(currency, accepted):
    form = PlanForm({"name": "p", "currency": currency, "rules": "[]"}, reseller=None)
    assert form.is_valid() is accepted, form.errors
    problems = validation.validate_plans([{"name": "p", "currency": currency.upper(), "rules": []}])
    assert (problems == []) is accepted
