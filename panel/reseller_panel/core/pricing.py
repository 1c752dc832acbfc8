"""Pricing quotes: one function used by the reseller dashboard and by `manage.py quote`.

The semantics are written down in docs/pricing.md. All arithmetic is exact (Decimal); the total is rounded
half-up to 4 places once, at the end.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from . import numbers, terms
from .fields import canonical_decimal
from .models import Plan, Reseller

UNIT_HOURS = {unit: Decimal(hours) for unit, hours in terms.TIME_UNIT_HOURS.items()}
FOUR_PLACES = Decimal("0.0001")
# Inputs are bounded (core.numbers): a price, a quantity and a number of hours have at most 20 digits each, so
# their products fit in 80 digits and every amount is exact before the one rounding at the end.
QUOTE_PRECISION = 80


class QuoteError(ValueError):
    """The usage document or the plan cannot be quoted; the message says why."""


def _number(value):
    """`value` as a Decimal when it is a number (or a numeric string), else None. Booleans are not numbers."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    # NaN and the infinities are not numbers here (ordering NaN would raise).
    return number if number.is_finite() else None


def _equal(left, right):
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return a == b
    return left == right


def condition_holds(attributes, attribute, op, value):
    """Whether `attributes[attribute] <op> value` holds. A missing attribute never satisfies a condition."""
    if op not in terms.OPERATORS:
        raise QuoteError("unknown operator %r" % (op,))
    if attribute not in attributes:
        return False
    actual = attributes[attribute]
    if op in terms.LIST_OPERATORS:
        if not isinstance(value, list):
            raise QuoteError("operator %r needs a list value, got %r" % (op, value))
        found = any(_equal(actual, candidate) for candidate in value)
        return found if op == "in" else not found
    if op == "eq":
        return _equal(actual, value)
    if op == "ne":
        return not _equal(actual, value)
    a, b = _number(actual), _number(value)
    if a is None or b is None:
        # Ordering is defined for numbers only.
        return False
    return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]


def graduated(quantity, tiers):
    """Charge for `quantity` over graduated tiers [{from, price}] (ascending `from`, the first from 0)."""
    ordered = sorted(((Decimal(str(t["from"])), Decimal(str(t["price"]))) for t in tiers), key=lambda t: t[0])
    amount = Decimal(0)
    for index, (start, price) in enumerate(ordered):
        end = ordered[index + 1][0] if index + 1 < len(ordered) else None
        if quantity <= start:
            break
        upper = quantity if end is None else min(quantity, end)
        amount += (upper - start) * price
    return amount


def _units(hours, time_unit):
    if time_unit not in UNIT_HOURS:
        raise QuoteError("unknown time unit %r" % (time_unit,))
    return hours / UNIT_HOURS[time_unit]


def price_item(rules, item):
    """Amount of one usage item under `rules` (plain dicts, see Plan.rules_as_data), with the per-rule breakdown."""
    resource = item.get("resource")
    attributes = item.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise QuoteError("item attributes must be a mapping")
    try:
        hours = numbers.bounded_decimal(item.get("hours", 0))
    except numbers.NumberError as error:
        raise QuoteError("item hours must be a non-negative number: %s" % error) from None
    lines, total = [], Decimal(0)
    for rule in rules:
        if rule["resource"] != resource:
            continue
        if not all(condition_holds(attributes, c["attribute"], c["op"], c["value"]) for c in rule["conditions"]):
            continue
        if rule["attribute"]:
            quantity = _number(attributes.get(rule["attribute"]))
            if quantity is None:
                # The item does not carry the attribute this rule charges for.
                continue
            try:
                quantity = numbers.bounded_decimal(quantity, negative=True)
            except numbers.NumberError as error:
                raise QuoteError("item attribute %s: %s" % (rule["attribute"], error)) from None
        else:
            quantity = Decimal(1)
        amount = graduated(quantity, rule["tiers"]) * _units(hours, rule["time_unit"])
        modifiers = []
        for modifier in rule["modifiers"]:
            if not all(condition_holds(attributes, c["attribute"], c["op"], c["value"])
                       for c in modifier["conditions"]):
                continue
            price = Decimal(str(modifier["price"]))
            if modifier["is_percent"]:
                extra = amount * price / Decimal(100)
            else:
                extra = price * _units(hours, modifier["time_unit"])
            modifiers.append({"name": modifier["name"], "amount": canonical_decimal(extra)})
            total += extra
        total += amount
        lines.append({"rule": rule["name"], "quantity": canonical_decimal(quantity),
                      "amount": canonical_decimal(amount), "modifiers": modifiers})
    return total, lines


def round4(amount):
    return str(amount.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP))


def quote_rules(rules, items, wholesale_rules=None):
    """Quote `items` under `rules`; with `wholesale_rules`, flag items priced below the wholesale cost."""
    if not isinstance(items, list):
        raise QuoteError("items must be a list")
    with localcontext() as context:
        context.prec = QUOTE_PRECISION
        return _quote_items(rules, items, wholesale_rules)


def _quote_items(rules, items, wholesale_rules):
    result_items, total, below = [], Decimal(0), False
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise QuoteError("item %d must be a mapping" % index)
        if not isinstance(item.get("resource"), (str, type(None))):
            raise QuoteError("item %d: resource must be a name" % index)
        try:
            amount, lines = price_item(rules, item)
        except QuoteError as error:
            raise QuoteError("item %d: %s" % (index, error)) from None
        entry = {"index": index, "resource": item.get("resource"), "amount": canonical_decimal(amount),
                 "rules": lines}
        if wholesale_rules is not None:
            cost = price_item(wholesale_rules, item)[0]
            entry["wholesale_amount"] = canonical_decimal(cost)
            entry["below_cost"] = amount < cost
            below = below or entry["below_cost"]
        result_items.append(entry)
        total += amount
    result = {"items": result_items, "total": round4(total)}
    if wholesale_rules is not None:
        result["below_cost"] = below
    return result


def quote(usage):
    """Quote a usage document {"plan", "owner", "items"} against the plans in the database."""
    if not isinstance(usage, dict):
        raise QuoteError("the usage document must be a JSON object")
    name, owner = usage.get("plan"), usage.get("owner")
    if not isinstance(name, str) or not name:
        raise QuoteError("usage document: 'plan' (a plan name) is required")
    reseller = None
    if owner is not None:
        reseller = Reseller.objects.filter(name=owner).first()
        if reseller is None:
            raise QuoteError("no reseller named %r" % (owner,))
    plan = Plan.objects.owned_by(reseller).live().filter(name=name).first()
    if plan is None:
        raise QuoteError("no plan %r owned by %s" % (name, "reseller %r" % owner if owner else "the provider"))
    return quote_plan(plan, usage.get("items", []))


def quote_plan(plan, items):
    wholesale_plan = plan.wholesale_plan
    wholesale = wholesale_plan.rules_as_data() if wholesale_plan is not None else None
    result = quote_rules(plan.rules_as_data(), items, wholesale)
    header = {"plan": plan.name, "owner": plan.owner_reseller.name if plan.owner_reseller_id else None,
              "currency": plan.currency}
    if wholesale is not None:
        header["wholesale_plan"] = wholesale_plan.name
        # Only the rounded totals are compared for the whole quote; items carry exact amounts.
        result["wholesale_total"] = round4(sum((Decimal(i["wholesale_amount"]) for i in result["items"]),
                                               Decimal(0)))
    header.update(result)
    return header
