"""The quote preview on a plan's page: one usage item typed into a form (resource, hours, the attributes the
plan's rules read), priced by the quote engine (core.pricing) and compared with the wholesale cost."""
from django import forms
from django.core.exceptions import ValidationError

from reseller_panel.core.pricing import QuoteError, quote_plan

from .rule_forms import parse_condition_value, parse_price

HOURS_IN_A_MONTH = 730


def attributes_of(rules):
    """Every attribute the rules read (charged quantities and conditions), in order of first use."""
    names = []
    for rule in rules:
        candidates = [rule["attribute"]] + [c["attribute"] for c in rule["conditions"]]
        candidates += [c["attribute"] for m in rule["modifiers"] for c in m["conditions"]]
        names.extend(n for n in candidates if n and n not in names)
    return names


class QuotePreviewForm(forms.Form):
    resource = forms.ChoiceField()
    hours = forms.CharField(initial=str(HOURS_IN_A_MONTH), max_length=20, help_text="730 hours: a month.")

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        resources = []
        for rule in rules:
            if rule["resource"] not in resources:
                resources.append(rule["resource"])
        self.fields["resource"].choices = [(r, r) for r in resources]
        self.attribute_names = attributes_of(rules)
        for name in self.attribute_names:
            self.fields["attr:" + name] = forms.CharField(label=name, required=False, max_length=200)

    def clean_hours(self):
        hours = parse_price(self.cleaned_data["hours"])
        if hours > 1000000:
            raise ValidationError("at most 1000000 hours")
        return hours

    def item(self):
        attributes = {}
        for name in self.attribute_names:
            text = self.cleaned_data.get("attr:" + name, "")
            if text.strip():
                attributes[name] = parse_condition_value(text, "eq")
        return {"resource": self.cleaned_data["resource"], "attributes": attributes,
                "hours": str(self.cleaned_data["hours"])}

    def attribute_fields(self):
        return [self["attr:" + name] for name in self.attribute_names]


def preview(plan, query):
    """(form, quote result or None, error or None) for the plan page's GET parameters."""
    rules = plan.rules_as_data()
    if not rules:
        return None, None, None
    asked = "resource" in query
    form = QuotePreviewForm(query if asked else None, rules=rules)
    if not asked or not form.is_valid():
        return form, None, None
    try:
        return form, quote_plan(plan, [form.item()]), None
    except (QuoteError, ValidationError) as error:
        return form, None, str(error.message if isinstance(error, ValidationError) else error)
