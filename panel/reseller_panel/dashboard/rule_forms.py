"""The plan editor: a plan's pricing rules as Django forms and formsets, one block per rule.

Each rule block has its fields (name, resource, attribute, time unit, priority) and three formsets: tiers,
conditions and modifiers; each modifier has a formset of its own conditions ("when"). Rows are added with an
"Add ..." button that posts the form (no JavaScript needed: the page comes back with one more row) or, with
dashboard.js, adds the row in the page from the formset's <template>. Rows are removed with their "Remove"
toggle (a checkbox: a removed row is dropped when the plan is saved).

Every error is attached to the field it is about. The rules are those of the collection's validation
(plugins/module_utils/_seed_validation.py: tiers from 0 in ascending order, identifiers, unique names, list values
for in/ni), pinned together by tests/test_rule_editor.py; the assembled rules then pass through
dashboard.forms.parse_rules, which normalises them exactly as before.
"""
import json
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory

from reseller_panel.core import numbers, terms

from .forms import PlanForm, parse_rules

IDENTIFIER = re.compile(terms.IDENTIFIER_PATTERN)
DISPLAY_NAME = re.compile(terms.DISPLAY_NAME_PATTERN)
OPERATOR_LABELS = {"lt": "is less than", "le": "is at most", "gt": "is more than", "ge": "is at least",
                   "eq": "is", "ne": "is not", "in": "is one of", "ni": "is none of"}
OPERATOR_CHOICES = [(op, OPERATOR_LABELS[op]) for op in terms.OPERATORS]
TIME_UNIT_CHOICES = [(unit, "per " + terms.TIME_UNIT_LABELS[unit]) for unit in terms.TIME_UNITS]
# What a typed condition value is read as JSON for (anything else is text): numbers, true, false, null,
# "quoted text" and [lists].
_JSON_LITERAL = re.compile(r'^(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|".*"|\[.*\])$', re.S)


def identifier(value):
    if not IDENTIFIER.match(value):
        raise ValidationError("a name such as instance or vcpus: a letter or _, then letters, digits, _ . : -")


def display_name(value):
    if not DISPLAY_NAME.match(value):
        raise ValidationError("1-100 printable characters")


def parse_price(text):
    """A price or tier bound as typed: a non-negative decimal number within the panel's bounds."""
    text = str(text).strip()
    try:
        Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError("a number such as 0.004") from None
    try:
        return numbers.bounded_decimal(text)
    except numbers.NumberError as error:
        raise ValidationError(str(error)) from None


def condition_value_text(value, op):
    """How a stored condition value is shown in its text field (the inverse of parse_condition_value)."""
    if op in terms.LIST_OPERATORS and isinstance(value, list):
        items = [condition_value_text(item, "eq") for item in value]
        if all("," not in item and item == item.strip() and item for item in items):
            return ", ".join(items)
        return json.dumps(value)
    if isinstance(value, str):
        # A string that would read back as something else is shown quoted.
        return json.dumps(value) if _JSON_LITERAL.match(value) or value != value.strip() else value
    return json.dumps(value)


def parse_condition_value(text, op):
    """A condition value as typed: numbers, true/false, null, "quoted text" and [lists] as JSON, anything else
    as text; for in/ni a comma-separated list (or a JSON list)."""
    text = text.strip()
    if op in terms.LIST_OPERATORS:
        if not text.startswith("["):
            return [parse_condition_value(item, "eq") for item in text.split(",") if item.strip()]
        value = _json(text)
        if not isinstance(value, list):
            raise ValidationError("a list such as RegionOne, RegionTwo")
        return value
    if not _JSON_LITERAL.match(text):
        return text
    try:
        return _json(text)
    except ValidationError:
        if text[0] in '["':
            return text  # brackets or a quote in plain text
        raise


def _json(text):
    """A typed JSON value with its numbers held to the panel's bounds (core.numbers)."""
    try:
        value = numbers.loads(text)
    except ValueError:
        raise ValidationError('not understood; a number, true, false, or "quoted text"') from None
    try:
        return numbers.plain_json(value, "value")
    except numbers.NumberError as error:
        raise ValidationError(str(error)) from None


class PlaceholderFormSet(BaseFormSet):
    """A formset whose empty form (the <template> new rows are made from) uses its own placeholder, so the
    templates of nested formsets keep theirs when an outer row is copied. All rows count as extra rows once
    posted: a row left blank is ignored, a row partly filled is checked in full."""

    placeholder = "__prefix__"

    def initial_form_count(self):
        return 0 if self.is_bound else super().initial_form_count()

    @property
    def empty_form(self):
        form = self.form(**{**self.get_form_kwargs(None), "auto_id": self.auto_id,
                            "prefix": self.add_prefix(self.placeholder), "empty_permitted": True,
                            "use_required_attribute": False, "renderer": self.form_renderer})
        self.add_fields(form, None)
        return form

    def live_forms(self):
        """The rows that count: filled in and not removed."""
        return [form for form in self.forms if form.has_changed() and form["DELETE"].value() is not True]


class TierForm(forms.Form):
    start = forms.CharField(label="From quantity", initial="0", max_length=64)
    price = forms.CharField(label="Price per unit", max_length=64)

    def clean_start(self):
        return parse_price(self.cleaned_data["start"])

    def clean_price(self):
        return parse_price(self.cleaned_data["price"])


class TierFormSet(PlaceholderFormSet):
    placeholder = "__row__"

    def clean(self):
        live = self.live_forms()
        if not live:
            raise ValidationError("at least one tier: the price from quantity 0")
        previous = None
        for index, form in enumerate(live):
            start = form.cleaned_data.get("start")
            if start is None:
                continue
            if index == 0 and start != 0:
                form.add_error("start", "the first tier must start at 0")
            elif previous is not None and start <= previous:
                form.add_error("start", "tiers must be in ascending order (%s after %s)" % (start, previous))
            previous = start


class ConditionForm(forms.Form):
    attribute = forms.CharField(max_length=100, validators=[identifier])
    op = forms.ChoiceField(label="Operator", choices=OPERATOR_CHOICES, initial="eq")
    value = forms.CharField(max_length=1000, required=False,
                            help_text='For "is one of" and "is none of": a comma-separated list.')

    def clean(self):
        data = super().clean()
        if "op" in data and "value" in data:
            try:
                data["value"] = parse_condition_value(data["value"], data["op"])
            except ValidationError as error:
                self.add_error("value", error)
        return data


class ConditionFormSet(PlaceholderFormSet):
    placeholder = "__row__"


class WhenFormSet(PlaceholderFormSet):
    placeholder = "__when__"


class ModifierForm(forms.Form):
    name = forms.CharField(max_length=100, validators=[display_name], help_text="e.g. Windows licence")
    price = forms.CharField(max_length=64, help_text="Added per time unit, or a percentage of the rule's amount.")
    time_unit = forms.ChoiceField(label="Time unit", choices=TIME_UNIT_CHOICES, initial=terms.DEFAULT_TIME_UNIT)
    is_percent = forms.BooleanField(label="Percent of the rule's amount", required=False)

    def clean_price(self):
        return parse_price(self.cleaned_data["price"])


class ModifierFormSet(PlaceholderFormSet):
    placeholder = "__row__"

    def clean(self):
        seen = set()
        for form in self.live_forms():
            name = form.cleaned_data.get("name")
            if name in seen:
                form.add_error("name", "another modifier of this rule has this name")
            seen.add(name)


class RuleForm(forms.Form):
    name = forms.CharField(label="Rule name", max_length=100, validators=[display_name])
    resource = forms.CharField(max_length=100, initial="instance", validators=[identifier],
                               help_text="instance, volume, …")
    attribute = forms.CharField(max_length=100, required=False, validators=[identifier],
                                help_text="vcpus, size_gb, …; empty: 1 each")
    time_unit = forms.ChoiceField(label="Time unit", choices=TIME_UNIT_CHOICES, initial=terms.DEFAULT_TIME_UNIT)
    priority = forms.IntegerField(initial=terms.DEFAULT_PRIORITY, min_value=terms.PRIORITY_RANGE[0],
                                  max_value=terms.PRIORITY_RANGE[1],
                                  help_text="lower applies first")


class RuleFormSet(PlaceholderFormSet):
    placeholder = "__rule__"


# The most rows of one formset: a plan of more rules, or a rule of more tiers, is not made by hand; and a posted
# row count cannot make the panel build more forms than this.
MAX_ROWS = 50


def _formset(cls, form, prefix, data, initial):
    factory = formset_factory(form, formset=cls, extra=0, can_delete=True, max_num=MAX_ROWS,
                              absolute_max=MAX_ROWS, validate_max=True)
    return factory(data, prefix=prefix, initial=None if data is not None else initial)


class ModifierBlock:
    """One modifier row and its own conditions."""

    def __init__(self, form, data, initial):
        self.form = form
        self.when = _formset(WhenFormSet, ConditionForm, form.prefix + "-when", data, (initial or {}).get("when"))

    def in_use(self):
        return self.form.has_changed() or bool(self.when.live_forms())


class RuleBlock:
    """One rule: its form and its tiers, conditions and modifiers (each modifier with its conditions)."""

    def __init__(self, form, data, initial):
        initial = initial or {}
        self.form = form
        self.tiers = _formset(TierFormSet, TierForm, form.prefix + "-tiers", data, initial.get("tiers", [{}]))
        self.conditions = _formset(ConditionFormSet, ConditionForm, form.prefix + "-conditions", data,
                                   initial.get("conditions"))
        self.modifiers = _formset(ModifierFormSet, ModifierForm, form.prefix + "-modifiers", data,
                                  initial.get("modifiers"))
        modifier_initial = initial.get("modifiers") or []
        self.modifier_blocks = [ModifierBlock(f, data, modifier_initial[i] if i < len(modifier_initial) else None)
                                for i, f in enumerate(self.modifiers.forms)]
        self.empty_modifier = ModifierBlock(self.modifiers.empty_form, None, None)
        self.checked = False

    @property
    def removed(self):
        return self.form.is_bound and self.form["DELETE"].value() is True

    def in_use(self):
        """Filled in anywhere (a rule whose only change is a tier still needs its name)."""
        nested = (self.tiers.live_forms() + self.conditions.live_forms()
                  + [b for b in self.modifier_blocks if b.in_use()])
        return self.form.has_changed() or bool(nested)

    def is_valid(self):
        self.checked = True
        if not self.form.has_changed():
            # Check the rule's own fields too when only its rows were filled in.
            self.form.empty_permitted = False
            self.form._errors = None
        valid = [self.form.is_valid(), self.tiers.is_valid(), self.conditions.is_valid(), self.modifiers.is_valid()]
        live = self.modifiers.live_forms()
        valid += [block.when.is_valid() for block in self.modifier_blocks if block.form in live]
        return all(valid)

    def as_rule(self):
        """The rule in the inventory's shape (prices as canonical strings), for parse_rules."""
        data = self.form.cleaned_data
        live_modifiers = self.modifiers.live_forms()
        return {
            "name": data["name"], "resource": data["resource"], "attribute": data["attribute"] or None,
            "time_unit": data["time_unit"], "priority": data["priority"],
            "tiers": [{"from": str(f.cleaned_data["start"]), "price": str(f.cleaned_data["price"])}
                      for f in self.tiers.live_forms()],
            "conditions": [_condition(f) for f in self.conditions.live_forms()],
            "modifiers": [{"name": b.form.cleaned_data["name"], "price": str(b.form.cleaned_data["price"]),
                           "time_unit": b.form.cleaned_data["time_unit"],
                           "is_percent": b.form.cleaned_data["is_percent"],
                           "when": [_condition(f) for f in b.when.live_forms()]}
                          for b in self.modifier_blocks if b.form in live_modifiers],
        }

    def raw(self):
        """What was typed, as initial data for the page again; removed rows keep a REMOVED mark for now."""
        return dict(_raw(self.form), tiers=_raw_rows(self.tiers), conditions=_raw_rows(self.conditions),
                    modifiers=[dict(_raw(b.form), when=_raw_rows(b.when)) for b in self.modifier_blocks])


REMOVED = "_removed"


def _condition(form):
    return {"attribute": form.cleaned_data["attribute"], "op": form.cleaned_data["op"],
            "value": form.cleaned_data["value"]}


def _raw(form):
    row = {name: form[name].value() for name in form.fields if name != "DELETE"}
    if form["DELETE"].value() is True:
        row[REMOVED] = True
    return row


def _raw_rows(formset):
    return [_raw(form) for form in formset.forms]


def _without_removed(rows):
    """Raw rows (and their nested rows) without those marked removed."""
    kept = []
    for row in rows:
        if row.get(REMOVED):
            continue
        kept.append(dict((key, _without_removed(value) if isinstance(value, list) else value)
                         for key, value in row.items()))
    return kept


class PlanDetailsForm(PlanForm):
    """The plan's own fields; its rules come from the rule blocks."""

    rules = None


def plan_initial(plan):
    """Initial data of the editor for an existing plan (None: a new plan with one empty rule)."""
    if plan is None:
        return {}, [{"tiers": [{}]}]
    rules = []
    for rule in plan.rules_as_inventory():
        rules.append({
            "name": rule["name"], "resource": rule["resource"], "attribute": rule["attribute"] or "",
            "time_unit": rule["time_unit"], "priority": rule["priority"],
            "tiers": [{"start": t["from"], "price": t["price"]} for t in rule["tiers"]],
            "conditions": [_condition_initial(c) for c in rule["conditions"]],
            "modifiers": [{"name": m["name"], "price": m["price"], "time_unit": m["time_unit"],
                           "is_percent": m["is_percent"], "when": [_condition_initial(c) for c in m["when"]]}
                          for m in rule["modifiers"]],
        })
    details = {"name": plan.name, "currency": plan.currency, "is_default": plan.is_default,
               "archived": plan.archived}
    return details, rules


def _condition_initial(condition):
    return {"attribute": condition["attribute"], "op": condition["op"],
            "value": condition_value_text(condition["value"], condition["op"])}


class PlanEditor:
    """The whole page: plan details and rule blocks, bound to a POST or filled from initial data."""

    def __init__(self, reseller, plan=None, data=None, details=None, rules=None):
        if data is None and details is None:
            details, rules = plan_initial(plan)
        self.details = PlanDetailsForm(data, initial=details, reseller=reseller, instance=plan)
        self.rules = _formset(RuleFormSet, RuleForm, "rules", data, rules)
        rules = rules or []
        self.blocks = [RuleBlock(form, data, rules[i] if i < len(rules) else None)
                       for i, form in enumerate(self.rules.forms)]
        self.empty_block = RuleBlock(self.rules.empty_form, None, {"tiers": [{}]})
        self.problems = []
        self.cleaned_rules = None
        self.checked = self.valid = False

    def live_blocks(self):
        return [block for block in self.blocks if not block.removed and block.in_use()]

    def is_valid(self):
        self.checked = True
        self.valid = self._validate()
        return self.valid

    def _validate(self):
        valid = self.details.is_valid() and self.rules.is_valid()
        blocks = self.live_blocks()
        # Every block is checked (no short cut), so that each shows its own errors.
        results = [block.is_valid() for block in blocks]
        valid = all(results) and valid
        seen = set()
        for block in blocks:
            name = block.form.cleaned_data.get("name")
            if name in seen:
                block.form.add_error("name", "another rule of this plan has this name")
                valid = False
            seen.add(name)
        if not valid:
            return False
        self.cleaned_rules, self.problems = parse_rules([block.as_rule() for block in blocks])
        return not self.problems

    def with_row(self, prefix, reseller, plan):
        """A new, unbound editor with what was typed plus one empty row in the formset named `prefix`; the
        rows marked removed are dropped (after the new row is placed, as the prefix counts them)."""
        details = {name: self.details[name].value() for name in self.details.fields}
        rules = [block.raw() for block in self.blocks]
        parts = prefix.split("-")
        if prefix == "rules":
            rules.append({"tiers": [{}]})
        elif len(parts) == 3 and parts[0] == "rules" and parts[1].isdigit():
            _rows(rules, int(parts[1]), parts[2]).append({})
        elif len(parts) == 5 and parts[2] == "modifiers" and parts[4] == "when":
            modifiers = _rows(rules, int(parts[1]), "modifiers")
            if parts[3].isdigit() and int(parts[3]) < len(modifiers):
                modifiers[int(parts[3])].setdefault("when", []).append({})
        return PlanEditor(reseller, plan, details=details, rules=_without_removed(rules))


def _rows(rules, index, kind):
    """The rows of `kind` of rule `index` in raw data (a throw-away list for an unknown rule or kind)."""
    if index >= len(rules) or kind not in ("tiers", "conditions", "modifiers"):
        return []
    return rules[index].setdefault(kind, [])


def _posted_rows(data, prefix, rows, fields):
    data["%s-TOTAL_FORMS" % prefix] = str(len(rows))
    data["%s-INITIAL_FORMS" % prefix] = "0"
    for index, row in enumerate(rows):
        for name, text in fields(row).items():
            if text is not None:
                data["%s-%d-%s" % (prefix, index, name)] = text


def _posted_condition(condition):
    op = condition.get("op", "eq")
    return {"attribute": condition.get("attribute", ""), "op": op,
            "value": condition_value_text(condition.get("value"), op)}


def _checkbox(value):
    return "on" if value is True else None


def editor_data(details, rules):
    """The form data the editor's page posts for a plan: `details` (name, currency, is_default, archived) and
    `rules` in the inventory's shape (plain JSON values). The API checks a plan it receives by posting it to
    the editor's forms this way, so a plan is held to the same rules, field by field, wherever it comes from."""
    data = {"name": details.get("name", ""), "currency": details.get("currency", "")}
    for key in ("is_default", "archived"):
        if details.get(key) is True:
            data[key] = "on"
    _posted_rows(data, "rules", rules, lambda rule: {
        "name": rule.get("name", ""), "resource": rule.get("resource", ""), "attribute": rule.get("attribute") or "",
        "time_unit": rule.get("time_unit", terms.DEFAULT_TIME_UNIT),
        "priority": str(rule.get("priority", terms.DEFAULT_PRIORITY))})
    for index, rule in enumerate(rules):
        prefix = "rules-%d" % index
        _posted_rows(data, prefix + "-tiers", rule.get("tiers", []),
                     lambda tier: {"start": str(tier.get("from", "")), "price": str(tier.get("price", ""))})
        _posted_rows(data, prefix + "-conditions", rule.get("conditions", []), _posted_condition)
        modifiers = rule.get("modifiers", [])
        _posted_rows(data, prefix + "-modifiers", modifiers, lambda mod: {
            "name": mod.get("name", ""), "price": str(mod.get("price", "")),
            "time_unit": mod.get("time_unit", terms.DEFAULT_TIME_UNIT), "is_percent": _checkbox(mod.get("is_percent"))})
        for number, mod in enumerate(modifiers):
            _posted_rows(data, "%s-modifiers-%d-when" % (prefix, number), mod.get("when", []), _posted_condition)
    return data


def _form_errors(form):
    return [(form.add_prefix(field) if field != "__all__" else form.prefix, message)
            for field, messages in form.errors.items() for message in messages]


def _formset_errors(formset, forms=None):
    found = [(formset.prefix, message) for message in formset.non_form_errors()]
    for form in formset.forms if forms is None else forms:
        found += _form_errors(form)
    return found


def editor_errors(editor):
    """Every problem a checked PlanEditor found, as (the field's name in the posted form, message); a problem
    of the rules as a whole (from parse_rules) is named "rules"."""
    found = _form_errors(editor.details) + [("rules", message) for message in editor.rules.non_form_errors()]
    for block in editor.live_blocks():
        found += _form_errors(block.form) + _formset_errors(block.tiers) + _formset_errors(block.conditions)
        found += _formset_errors(block.modifiers)
        live = block.modifiers.live_forms()
        for modifier in block.modifier_blocks:
            if modifier.form in live:
                found += _formset_errors(modifier.when)
    return found + [("rules", problem) for problem in editor.problems]
