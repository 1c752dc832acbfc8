"""Posting the plan editor (dashboard.rule_forms) as a browser would, from rules in the inventory's shape."""
import re

from reseller_panel.dashboard.rule_forms import condition_value_text


def _management(data, prefix, count):
    data["%s-TOTAL_FORMS" % prefix] = str(count)
    data["%s-INITIAL_FORMS" % prefix] = "0"


def _conditions(data, prefix, conditions):
    _management(data, prefix, len(conditions))
    for i, c in enumerate(conditions):
        data["%s-%d-attribute" % (prefix, i)] = c.get("attribute", "")
        data["%s-%d-op" % (prefix, i)] = c.get("op", "eq")
        value = c.get("value", "")
        data["%s-%d-value" % (prefix, i)] = value if isinstance(value, str) and c.get("raw") else \
            condition_value_text(value, c.get("op", "eq"))


def editor_post(rules, name="retail-2", currency="EUR", **details):
    """The form data of a plan with `rules` (inventory shape; "from" may be any text) as the editor posts it."""
    data = {"name": name, "currency": currency, "save": "1"}
    data.update((k, "on") for k, v in details.items() if v is True)
    _management(data, "rules", len(rules))
    for r, rule in enumerate(rules):
        p = "rules-%d" % r
        data.update({p + "-name": rule.get("name", ""), p + "-resource": rule.get("resource", ""),
                     p + "-attribute": rule.get("attribute") or "", p + "-time_unit": rule.get("time_unit", "h"),
                     p + "-priority": str(rule.get("priority", 0))})
        if rule.get("DELETE"):
            data[p + "-DELETE"] = "on"
        tiers = rule.get("tiers", [])
        _management(data, p + "-tiers", len(tiers))
        for t, tier in enumerate(tiers):
            data["%s-tiers-%d-start" % (p, t)] = str(tier.get("from", ""))
            data["%s-tiers-%d-price" % (p, t)] = str(tier.get("price", ""))
        _conditions(data, p + "-conditions", rule.get("conditions", []))
        modifiers = rule.get("modifiers", [])
        _management(data, p + "-modifiers", len(modifiers))
        for m, mod in enumerate(modifiers):
            q = "%s-modifiers-%d" % (p, m)
            data.update({q + "-name": mod.get("name", ""), q + "-price": str(mod.get("price", "")),
                         q + "-time_unit": mod.get("time_unit", "h")})
            if mod.get("is_percent"):
                data[q + "-is_percent"] = "on"
            _conditions(data, q + "-when", mod.get("when", []))
    return data


def invalid_fields(html):
    """{field name: its error text} for every field the page marks invalid."""
    found = {}
    for match in re.finditer(r'<(?:input|select|textarea)[^>]*>', html):
        tag = match.group(0)
        if "is-invalid" not in tag:
            continue
        name = re.search(r'name="([^"]+)"', tag).group(1)
        rest = html[match.end():match.end() + 1500]
        error = re.search(r'<div class="invalid-feedback[^"]*">(.*?)</div>', rest, re.S)
        found[name] = re.sub(r"<[^>]+>", "", error.group(1)).strip() if error else ""
    return found
