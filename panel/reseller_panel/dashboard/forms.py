"""Dashboard forms. Rules are edited as JSON in the inventory's shape, validated before anything is saved."""
import json

from django import forms
from django.db import transaction

from reseller_panel.core import numbers, terms
from reseller_panel.core.fields import canonical_decimal
from reseller_panel.core.models import Configuration, Plan, PricingCondition, PricingModifier, PricingRule

TIME_UNIT_CHOICES = ", ".join(terms.TIME_UNITS)
# Text fields of a rule and the columns they land in (longer values would fail at the database).
TEXT_LIMITS = {"name": PricingRule._meta.get_field("name").max_length,
               "resource": PricingRule._meta.get_field("resource").max_length,
               "attribute": PricingRule._meta.get_field("attribute").max_length,
               "modifier": PricingModifier._meta.get_field("name").max_length,
               "condition": PricingCondition._meta.get_field("attribute").max_length}


def _text(value, limit):
    return isinstance(value, str) and 0 < len(value) <= limit


def _conditions(where, items, problems):
    result = []
    if not isinstance(items, list):
        problems.append("%s: must be a list" % where)
        return result
    for n, cond in enumerate(items):
        at = "%s[%d]" % (where, n)
        if not isinstance(cond, dict) or not _text(cond.get("attribute"), TEXT_LIMITS["condition"]):
            problems.append("%s: needs an attribute (up to %d characters)" % (at, TEXT_LIMITS["condition"]))
            continue
        if cond.get("op") not in terms.OPERATORS:
            problems.append("%s: op must be one of %s" % (at, ", ".join(terms.OPERATORS)))
            continue
        if cond["op"] in terms.LIST_OPERATORS and not isinstance(cond.get("value"), list):
            problems.append("%s: op %s needs a list value" % (at, cond["op"]))
            continue
        try:
            value = numbers.plain_json(cond.get("value"), "%s.value" % at)
        except numbers.NumberError as error:
            problems.append(str(error))
            continue
        result.append({"attribute": cond["attribute"], "op": cond["op"], "value": value})
    return result


def _tiers(at, tiers, problems):
    if not isinstance(tiers, list) or not tiers:
        problems.append("%s: tiers must be a non-empty list of {from, price}" % at)
        return []
    parsed = []
    for n, tier in enumerate(tiers):
        here = "%s: tiers[%d]" % (at, n)
        if not isinstance(tier, dict):
            problems.append("%s: must be a mapping with from and price" % here)
            continue
        values = {}
        for key in ("from", "price"):
            try:
                values[key] = numbers.bounded_decimal(tier.get(key))
            except numbers.NumberError as error:
                problems.append("%s.%s: %s" % (here, key, error))
        if len(values) == 2:
            parsed.append(values)
    if len(parsed) != len(tiers):
        return []
    parsed.sort(key=lambda t: t["from"])
    if parsed[0]["from"] != 0:
        problems.append("%s: the first tier must start at 0" % at)
    if len({t["from"] for t in parsed}) != len(parsed):
        problems.append("%s: two tiers start at the same quantity" % at)
    return [{"from": canonical_decimal(t["from"]), "price": canonical_decimal(t["price"])} for t in parsed]


def _modifiers(at, mods, problems):
    if not isinstance(mods, list):
        problems.append("%s: modifiers must be a list" % at)
        return []
    modifiers = []
    for m, mod in enumerate(mods):
        mat = "%s: modifier %d" % (at, m + 1)
        if not isinstance(mod, dict) or not _text(mod.get("name"), TEXT_LIMITS["modifier"]):
            problems.append("%s: needs a name (up to %d characters)" % (mat, TEXT_LIMITS["modifier"]))
            continue
        try:
            price = numbers.bounded_decimal(mod.get("price"))
        except numbers.NumberError as error:
            problems.append("%s: price: %s" % (mat, error))
            continue
        time_unit = mod.get("time_unit", terms.DEFAULT_TIME_UNIT)
        if time_unit not in terms.TIME_UNITS:
            problems.append("%s: time_unit must be one of %s" % (mat, TIME_UNIT_CHOICES))
        if not isinstance(mod.get("is_percent", False), bool):
            problems.append("%s: is_percent must be true or false" % mat)
        when = _conditions("%s: when" % mat, mod.get("when", mod.get("conditions", [])), problems)
        modifiers.append({"name": mod["name"], "price": price, "time_unit": time_unit,
                          "is_percent": mod.get("is_percent", False) is True, "conditions": when})
    return modifiers


def _rule(at, rule, problems):
    for key in ("name", "resource"):
        if not _text(rule.get(key), TEXT_LIMITS[key]):
            problems.append("%s: %s is required (up to %d characters)" % (at, key, TEXT_LIMITS[key]))
    attribute = rule.get("attribute")
    attribute = None if attribute == "" else attribute
    if attribute is not None and not _text(attribute, TEXT_LIMITS["attribute"]):
        problems.append("%s: attribute must be a name (up to %d characters) or omitted"
                        % (at, TEXT_LIMITS["attribute"]))
    time_unit = rule.get("time_unit", terms.DEFAULT_TIME_UNIT)
    if time_unit not in terms.TIME_UNITS:
        problems.append("%s: time_unit must be one of %s" % (at, TIME_UNIT_CHOICES))
    priority = terms.DEFAULT_PRIORITY
    try:
        priority = numbers.bounded_integer(rule.get("priority", terms.DEFAULT_PRIORITY), *terms.PRIORITY_RANGE)
    except numbers.NumberError as error:
        problems.append("%s: priority: %s" % (at, error))
    return {"name": rule.get("name"), "resource": rule.get("resource"), "attribute": attribute,
            "time_unit": time_unit, "priority": priority, "tiers": _tiers(at, rule.get("tiers"), problems),
            "conditions": _conditions("%s: conditions" % at, rule.get("conditions", []), problems),
            "modifiers": _modifiers(at, rule.get("modifiers", []), problems)}


def parse_rules(rules):
    """Validate rules (a list of mappings, the inventory's shape, numbers as read by core.numbers.loads);
    returns (normalized rules, problems). Every problem names the rule and the field."""
    problems, parsed = [], []
    if not isinstance(rules, list):
        return [], ["rules: must be a JSON list"]
    for i, rule in enumerate(rules):
        at = "rule %d" % (i + 1)
        if not isinstance(rule, dict):
            problems.append("%s: must be a mapping" % at)
            continue
        name = rule.get("name")
        at = "rule %r" % name if isinstance(name, str) and name else at
        parsed.append(_rule(at[:120], rule, problems))
    return parsed, problems


def _json_field(text, default):
    try:
        return numbers.loads(text or default)
    except ValueError as error:
        raise forms.ValidationError("not valid JSON: %s" % str(error)[:200]) from None


def rules_as_json(plan):
    return json.dumps(plan.rules_as_inventory(), indent=2)


class PlanForm(forms.Form):
    name = forms.CharField(max_length=100)
    currency = forms.CharField(max_length=3, initial=terms.DEFAULT_CURRENCY)
    is_default = forms.BooleanField(required=False)
    archived = forms.BooleanField(required=False)
    rules = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), initial="[]",
                            help_text="JSON list of rules: name, resource, attribute, time_unit, tiers, "
                                      "conditions, modifiers (with when).")

    def __init__(self, *args, reseller, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reseller, self.instance = reseller, instance

    def clean_currency(self):
        value = self.cleaned_data["currency"].upper()
        if value not in terms.CURRENCIES:
            raise forms.ValidationError("an ISO 4217 currency code such as EUR")
        return value

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Plan.objects.owned_by(self.reseller).filter(name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("you already have a plan named %s" % name)
        return name

    def clean_rules(self):
        parsed, problems = parse_rules(_json_field(self.cleaned_data["rules"], "[]"))
        if problems:
            raise forms.ValidationError(problems)
        return parsed


def parse_options(data):
    """A configuration's options (a document from core.numbers.loads) as stored: a mapping of the sections the
    collection knows (terms.CONFIGURATION_SECTIONS), each a mapping, with bounded numbers."""
    if not isinstance(data, dict):
        raise forms.ValidationError("options must be a JSON object")
    problems = []
    for section in sorted(data, key=str):
        if section not in terms.CONFIGURATION_SECTIONS:
            problems.append("options: unknown section %s (allowed: %s)"
                            % (json.dumps(section)[:60], ", ".join(terms.CONFIGURATION_SECTIONS)))
        elif not isinstance(data[section], dict):
            problems.append("options.%s: must be a mapping" % section)
    if problems:
        raise forms.ValidationError(problems)
    try:
        return numbers.plain_json(data, "options")
    except numbers.NumberError as error:
        raise forms.ValidationError(str(error)) from None


class ConfigurationForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_default = forms.BooleanField(required=False)
    archived = forms.BooleanField(required=False)
    options = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), initial="{}",
                              help_text="JSON mapping of sections, e.g. {\"billing\": {\"credit_limit\": 0}}")

    def __init__(self, *args, reseller, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reseller, self.instance = reseller, instance

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Configuration.objects.owned_by(self.reseller).filter(name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("you already have a configuration named %s" % name)
        return name

    def clean_options(self):
        return parse_options(_json_field(self.cleaned_data["options"], "{}"))


class QuoteForm(forms.Form):
    plan = forms.ChoiceField()
    items = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}),
                            initial='[{"resource": "instance", "attributes": {"vcpus": 2}, "hours": 730}]')

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {str(p.pk): p for p in plans}
        self.fields["plan"].choices = [(str(p.pk), p.name) for p in plans]

    def clean_plan(self):
        return self.plans[self.cleaned_data["plan"]]

    def clean_items(self):
        data = _json_field(self.cleaned_data["items"], "[]")
        if not isinstance(data, list):
            raise forms.ValidationError("a JSON list of usage items")
        return data


def save_plan(reseller, plan, details, rules):
    """Write a reseller's (unmanaged) plan from checked details and rules, in one transaction; returns it."""
    with transaction.atomic():
        if plan is None:
            plan = Plan(owner_reseller=reseller, managed=False)
        for key in ("name", "currency", "is_default", "archived"):
            setattr(plan, key, details[key])
        plan.save()
        if plan.is_default:
            plan.make_sole_default()
        plan.replace_rules(rules)
    return plan


def save_configuration(reseller, record, cleaned):
    """Write a reseller's (unmanaged) configuration from a valid ConfigurationForm's data; returns it."""
    with transaction.atomic():
        if record is None:
            record = Configuration(owner_reseller=reseller, managed=False)
        for key in ("name", "description", "is_default", "archived", "options"):
            setattr(record, key, cleaned[key])
        record.save()
        if record.is_default:
            record.make_sole_default()
    return record
