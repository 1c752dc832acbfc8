"""Dashboard forms. Rules are edited as JSON in the inventory's shape, validated before anything is saved."""
import json
from decimal import Decimal, InvalidOperation

from django import forms

from reseller_panel.core import terms
from reseller_panel.core.models import Configuration, Plan

TIME_UNIT_CHOICES = ", ".join(terms.TIME_UNITS)


def _decimal(value):
    if isinstance(value, bool):
        raise InvalidOperation
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation
    return number


def _conditions(where, items, problems):
    result = []
    if not isinstance(items, list):
        problems.append("%s: must be a list" % where)
        return result
    for n, cond in enumerate(items):
        at = "%s[%d]" % (where, n)
        if not isinstance(cond, dict) or not isinstance(cond.get("attribute"), str) or not cond.get("attribute"):
            problems.append("%s: needs an attribute" % at)
            continue
        if cond.get("op") not in terms.OPERATORS:
            problems.append("%s: op must be one of %s" % (at, ", ".join(terms.OPERATORS)))
            continue
        if cond["op"] in terms.LIST_OPERATORS and not isinstance(cond.get("value"), list):
            problems.append("%s: op %s needs a list value" % (at, cond["op"]))
            continue
        result.append({"attribute": cond["attribute"], "op": cond["op"], "value": cond.get("value")})
    return result


def parse_rules(rules):
    """Validate rules (a list of mappings, the inventory's shape); returns (normalized rules, problems)."""
    problems, parsed = [], []
    if not isinstance(rules, list):
        return [], ["rules: must be a JSON list"]
    for i, rule in enumerate(rules):
        at = "rule %d" % (i + 1)
        if not isinstance(rule, dict):
            problems.append("%s: must be a mapping" % at)
            continue
        name = rule.get("name")
        at = "rule %r" % name if name else at
        for key in ("name", "resource"):
            if not isinstance(rule.get(key), str) or not rule.get(key):
                problems.append("%s: %s is required" % (at, key))
        time_unit = rule.get("time_unit", terms.DEFAULT_TIME_UNIT)
        if time_unit not in terms.TIME_UNITS:
            problems.append("%s: time_unit must be one of %s" % (at, TIME_UNIT_CHOICES))
        tiers = rule.get("tiers")
        norm_tiers = []
        if not isinstance(tiers, list) or not tiers:
            problems.append("%s: tiers must be a non-empty list of {from, price}" % at)
        else:
            try:
                norm_tiers = sorted(({"from": _decimal(t["from"]), "price": _decimal(t["price"])} for t in tiers),
                                    key=lambda t: t["from"])
                if norm_tiers[0]["from"] != 0:
                    problems.append("%s: the first tier must start at 0" % at)
                if len({t["from"] for t in norm_tiers}) != len(norm_tiers):
                    problems.append("%s: two tiers start at the same quantity" % at)
            except (KeyError, TypeError, InvalidOperation):
                problems.append("%s: every tier needs numeric from and price" % at)
        conditions = _conditions("%s: conditions" % at, rule.get("conditions", []), problems)
        modifiers = []
        mods = rule.get("modifiers", [])
        if not isinstance(mods, list):
            problems.append("%s: modifiers must be a list" % at)
            mods = []
        for m, mod in enumerate(mods):
            mat = "%s: modifier %d" % (at, m + 1)
            if not isinstance(mod, dict) or not mod.get("name"):
                problems.append("%s: needs a name" % mat)
                continue
            try:
                price = _decimal(mod.get("price"))
            except (InvalidOperation, TypeError, ValueError):
                problems.append("%s: price must be a number" % mat)
                continue
            if mod.get("time_unit", terms.DEFAULT_TIME_UNIT) not in terms.TIME_UNITS:
                problems.append("%s: time_unit must be one of %s" % (mat, TIME_UNIT_CHOICES))
            when = _conditions("%s: when" % mat, mod.get("when", mod.get("conditions", [])), problems)
            modifiers.append({"name": mod["name"], "price": price,
                              "time_unit": mod.get("time_unit", terms.DEFAULT_TIME_UNIT),
                              "is_percent": bool(mod.get("is_percent", False)), "conditions": when})
        parsed.append({"name": name, "resource": rule.get("resource"), "attribute": rule.get("attribute") or None,
                       "time_unit": time_unit, "priority": rule.get("priority", terms.DEFAULT_PRIORITY),
                       "tiers": [{"from": str(t["from"]), "price": str(t["price"])} for t in norm_tiers],
                       "conditions": conditions, "modifiers": modifiers})
    return parsed, problems


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
        try:
            data = json.loads(self.cleaned_data["rules"] or "[]")
        except ValueError as error:
            raise forms.ValidationError("not valid JSON: %s" % error)
        parsed, problems = parse_rules(data)
        if problems:
            raise forms.ValidationError(problems)
        return parsed


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
        try:
            data = json.loads(self.cleaned_data["options"] or "{}")
        except ValueError as error:
            raise forms.ValidationError("not valid JSON: %s" % error)
        if not isinstance(data, dict):
            raise forms.ValidationError("options must be a JSON object")
        return data


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
        try:
            data = json.loads(self.cleaned_data["items"])
        except ValueError as error:
            raise forms.ValidationError("not valid JSON: %s" % error)
        if not isinstance(data, list):
            raise forms.ValidationError("a JSON list of usage items")
        return data
