# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory validation: every problem found in one pass, each naming the record and the field.

Used by the `validate_inventory` action (the first play of site.yml, on the controller, before any host is
touched) and by the modules themselves, so a module called on its own refuses the same bad input.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import decode_embedded_logo

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported
    urlsplit = None

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_fqdn(name):
    """IDNA-encode and lowercase a host name; returns (ascii_name, problems)."""
    if not isinstance(name, str) or not name:
        return None, ["must be a non-empty host name"]
    if name.endswith("."):
        name = name[:-1]
    if name.isascii():
        # Checked by check_fqdn's own rules: the idna codec's messages differ between Python versions.
        ascii_name = name.lower()
    else:
        try:
            ascii_name = name.encode("idna").decode("ascii").lower()
        except UnicodeError as exc:
            return None, ["%r is not a valid internationalized domain name (%s)" % (name, exc)]
    return ascii_name, check_fqdn(ascii_name)


def check_fqdn(name):
    """Problems with an (ASCII) fully qualified domain name."""
    problems = []
    try:
        ipaddress.ip_address(name.strip("[]"))
        return ["%r is an IP address; a domain name is required" % name]
    except ValueError:
        pass
    if len(name) > 253:
        problems.append("%r is longer than 253 characters" % (name[:40] + "..."))
    labels = name.split(".")
    if len(labels) < 2:
        problems.append("%r is not fully qualified (needs at least one dot)" % name)
    for label in labels:
        if not _LABEL.match(label):
            if len(label) > 63:
                problems.append("label %r... is longer than 63 characters" % label[:20])
            else:
                problems.append("label %r is not a valid DNS label (a-z, 0-9, '-', not at either end)" % label)
            break
    if labels and labels[-1].isdigit():
        problems.append("%r has a numeric top-level label" % name)
    return problems


def check_https_url(url, require_root_path=True, allow_port=True):
    """Problems with an absolute https URL whose host is a valid FQDN. Returns a list of messages."""
    if not isinstance(url, str) or not url:
        return ["must be an absolute https:// URL"]
    if any(c.isspace() or ord(c) < 32 for c in url) or any(c in url for c in "\"'<>\\`{};"):
        return ["%r contains whitespace, control or quoting characters" % url[:80]]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return ["%r is not a valid URL (%s)" % (url[:80], exc)]
    if parts.scheme != "https":
        return ["%r must use https://" % url[:80]]
    if parts.username or parts.password:
        return ["%r must not carry credentials" % url[:80]]
    host = parts.hostname or ""
    problems = []
    if not host:
        return ["%r has no host" % url[:80]]
    if host.startswith("[") or ":" in host:
        return ["%r uses an IP literal; a domain name is required" % url[:80]]
    ascii_host, host_problems = normalize_fqdn(host)
    problems.extend(host_problems)
    if port is not None and not allow_port:
        problems.append("%r must not name a port" % url[:80])
    if require_root_path and parts.path not in ("", "/"):
        problems.append("%r must have the path / (got %r)" % (url[:80], parts.path))
    if parts.query or parts.fragment:
        problems.append("%r must not have a query or fragment" % url[:80])
    return problems


def url_host(url):
    """The IDNA-encoded, lowercase host of a URL (assumes check_https_url passed)."""
    host = urlsplit(url).hostname or ""
    return host.encode("idna").decode("ascii").lower()


def url_origin(url):
    """scheme://host[:port] of a URL, the host IDNA-encoded."""
    parts = urlsplit(url)
    origin = "%s://%s" % (parts.scheme, url_host(url))
    if parts.port:
        origin += ":%d" % parts.port
    return origin


def _check_bool(problems, where, value):
    if not isinstance(value, bool):
        problems.append("%s: must be a boolean (true/false), got %r" % (where, value))


def validate_inventory(inventory):
    """Validate the whole provisioning model; returns a list of problems (empty when valid).

    `inventory` maps variable names (panel_db, panel_provider_url, panel_reseller_feature, ...) to values.
    """
    # Imported here: _panel_db pulls in optional drivers only when used, and the action plugin imports us.
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import validate_spec

    problems = []
    problems.extend(validate_spec(inventory.get("panel_db")))

    provider_url = inventory.get("panel_provider_url")
    for problem in check_https_url(provider_url, require_root_path=True):
        problems.append("panel_provider_url: %s" % problem)

    for name in ("panel_reseller_feature", "panel_force_reseller_registration"):
        if name in inventory:
            _check_bool(problems, name, inventory[name])

    dashboard_path = inventory.get("panel_reseller_dashboard_path", "/reseller/")
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_settings import validate_settings
    problems.extend("panel_reseller_dashboard_path (%s)" % p
                    for p in validate_settings({"reseller.dashboard_path": dashboard_path}))

    resellers = inventory.get("panel_resellers")
    resellers = resellers if isinstance(resellers, list) else []
    from ansible_collections.panelops.reseller.plugins.module_utils._tls_acme import validate_panel_tls
    problems.extend(validate_panel_tls(inventory.get("panel_tls"), resellers))
    from ansible_collections.panelops.reseller.plugins.module_utils._dns import validate_panel_dns
    problems.extend(validate_panel_dns(inventory.get("panel_dns"), resellers))
    problems.extend(validate_model(inventory))
    if inventory.get("panel_brand") is not None:
        problems.extend(validate_brand(inventory["panel_brand"], "panel_brand"))
    if inventory.get("panel_smtp") is not None:
        problems.extend(validate_smtp(inventory["panel_smtp"], "panel_smtp"))
    delivery = inventory.get("panel_set_password_delivery", "file")
    if delivery not in SET_PASSWORD_DELIVERY:
        problems.append("panel_set_password_delivery: must be one of %s, got %r"
                        % (", ".join(SET_PASSWORD_DELIVERY), delivery))
    return problems


# -- the seeding model: plans, resellers, users, configurations ---------------------------------------------

# ISO 4217 active alphabetic codes.
CURRENCIES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG
HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
""".split())
TIME_UNITS = ("h", "d", "month")
OPERATORS = ("lt", "le", "gt", "ge", "eq", "ne", "in", "ni")
STATES = ("present", "suspended", "absent")
UPDATE_PASSWORD = ("on_create", "always")
CONFIGURATION_SECTIONS = ("billing", "signup", "limits", "notifications")
# Bounds of every decimal from the inventory (prices, tier limits, numbers in options), the panel's too
# (panel/reseller_panel/core/terms.py; a test pins them together): at most 12 digits before the point and 8
# after it. An exponent is read as the number it stands for, then held to the same bounds, so "1e3" is 1000 and
# "1e999999" is refused instead of being written out as a million digits.
MAX_PRICE_INTEGER_DIGITS = 12
MAX_PRICE_PLACES = 8
# A rule's priority is a 32-bit signed integer (the column's type on every engine).
PRIORITY_RANGE = (-2147483648, 2147483647)

PLAN_KEYS = ("name", "currency", "is_default", "rules")
RULE_KEYS = ("name", "resource", "attribute", "time_unit", "priority", "tiers", "conditions", "modifiers")
TIER_KEYS = ("from", "price")
CONDITION_KEYS = ("attribute", "op", "value")
MODIFIER_KEYS = ("name", "price", "time_unit", "is_percent", "when")
RESELLER_KEYS = ("name", "state", "company", "email", "currency", "plan", "enduser_panel_url", "offboard_to",
                 "users", "plans", "configurations", "dns", "tls", "brand", "smtp")
# Per-reseller settings read by other roles (reseller_dns, reseller_tls), which check their content.
FOREIGN_RESELLER_KEYS = ("dns", "tls")
USER_KEYS = ("username", "email", "password", "password_hash", "update_password")
CONFIGURATION_KEYS = ("name", "description", "default", "options")
BRAND_KEYS = ("name", "logo", "primary_color", "support_email", "support_url", "terms_url", "privacy_url")
BRAND_URL_KEYS = ("support_url", "terms_url", "privacy_url")
SMTP_KEYS = ("host", "port", "username", "password", "security")
SMTP_SECURITY = ("starttls", "tls", "none")
SET_PASSWORD_DELIVERY = ("file", "email")

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$")
_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([A-Za-z0-9-]{1,63}\.)+[A-Za-z0-9-]{2,63}$")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def username_key(username):
    """What makes two usernames the same name (panel_user.username_key, unique within a name space): NFKC and
    case folding, so "Bob" and the fullwidth "Ｂob" are "bob". The panel's core.usernames.key, pinned by a test."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def _text(value):
    return isinstance(value, str) and value.strip() != ""


def _unknown_keys(problems, where, item, allowed):
    for key in sorted(k for k in item if k not in allowed):
        problems.append("%s: unknown key %r (allowed: %s)" % (where, str(key), ", ".join(allowed)))


def parse_price(value):
    """(canonical decimal text, problem) for a price or tier bound given as a string, int or float."""
    from decimal import Decimal, InvalidOperation

    if isinstance(value, bool) or value is None:
        return None, "must be a number or a decimal string, got %r" % (value,)
    if isinstance(value, float):
        # repr() is the shortest text that reads back as the same float: what the inventory author wrote.
        text = repr(value)
    elif isinstance(value, (int, str)):
        text = str(value).strip()
    else:
        return None, "must be a number or a decimal string, got %s" % type(value).__name__
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None, "%r is not a decimal number" % (text[:40],)
    problem = decimal_bounds_problem(number, text)
    if problem:
        return None, problem
    if number < 0:
        return None, "%s is negative" % text[:40]
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import canonical_decimal

    return canonical_decimal(number), None


def decimal_bounds_problem(number, text):
    """Why a Decimal read from `text` is out of bounds (not finite, too many digits either side), or None."""
    if not number.is_finite():
        return "%r is not a finite number" % (text[:40],)
    if number and number.adjusted() >= MAX_PRICE_INTEGER_DIGITS:
        return "%s has more than %d digits before the point" % (text[:40], MAX_PRICE_INTEGER_DIGITS)
    if number and _decimal_places(number) > MAX_PRICE_PLACES:
        return "%s has more than %d decimal places" % (text[:40], MAX_PRICE_PLACES)
    return None


def _decimal_places(number):
    """Significant digits after the point, counted exactly (normalize() would round at 28 digits first)."""
    sign, digits, exponent = number.as_tuple()
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing_zeros))


def _number_problems(value, where):
    """Problems with the numbers anywhere inside an options value (bounded like prices, negatives allowed)."""
    from decimal import Decimal

    if isinstance(value, dict):
        return [p for key in sorted(value, key=str) for p in _number_problems(value[key], "%s.%s" % (where, key))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _number_problems(item, "%s[%d]" % (where, i))]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = repr(value) if isinstance(value, float) else str(value)
        problem = decimal_bounds_problem(Decimal(text), text)
        return ["%s: %s" % (where, problem)] if problem else []
    return []


def _check_conditions(problems, where, conditions, field):
    if conditions is None:
        return
    if not isinstance(conditions, list):
        problems.append("%s: %s must be a list" % (where, field))
        return
    for i, cond in enumerate(conditions):
        here = "%s: %s[%d]" % (where, field, i)
        if not isinstance(cond, dict):
            problems.append("%s must be a mapping with attribute, op, value" % here)
            continue
        _unknown_keys(problems, here, cond, CONDITION_KEYS)
        if not (isinstance(cond.get("attribute"), str) and _IDENT.match(cond["attribute"])):
            problems.append("%s.attribute: must be an attribute name, got %r" % (here, cond.get("attribute")))
        if cond.get("op") not in OPERATORS:
            problems.append("%s.op: must be one of %s, got %r" % (here, ", ".join(OPERATORS), cond.get("op")))
        if "value" not in cond:
            problems.append("%s.value: required" % here)
        elif cond.get("op") in ("in", "ni") and not isinstance(cond["value"], list):
            problems.append("%s.value: must be a list for op %s" % (here, cond["op"]))


def _check_rule(problems, where, rule):
    if not isinstance(rule, dict):
        problems.append("%s: must be a mapping" % where)
        return
    _unknown_keys(problems, where, rule, RULE_KEYS)
    if not _text(rule.get("resource")) or not _IDENT.match(str(rule.get("resource"))):
        problems.append("%s: resource: required, a resource name such as instance, got %r" % (where, rule.get("resource")))
    attribute = rule.get("attribute")
    if attribute is not None and not (isinstance(attribute, str) and _IDENT.match(attribute)):
        problems.append("%s: attribute: must be an attribute name or omitted, got %r" % (where, attribute))
    if rule.get("time_unit", "h") not in TIME_UNITS:
        problems.append("%s: time_unit: must be one of %s, got %r" % (where, ", ".join(TIME_UNITS), rule.get("time_unit")))
    priority = rule.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int):
        problems.append("%s: priority: must be an integer, got %r" % (where, priority))
    elif not PRIORITY_RANGE[0] <= priority <= PRIORITY_RANGE[1]:
        problems.append("%s: priority: must be between %d and %d, got %d" % ((where,) + PRIORITY_RANGE + (priority,)))
    tiers = rule.get("tiers")
    if not isinstance(tiers, list) or not tiers:
        problems.append("%s: tiers: required, a non-empty list of {from, price}" % where)
    else:
        previous = None
        for i, tier in enumerate(tiers):
            here = "%s: tiers[%d]" % (where, i)
            if not isinstance(tier, dict):
                problems.append("%s: must be a mapping with from and price" % here)
                continue
            _unknown_keys(problems, here, tier, TIER_KEYS)
            start, problem = parse_price(tier.get("from"))
            if problem:
                problems.append("%s.from: %s" % (here, problem))
            problem = parse_price(tier.get("price"))[1]
            if problem:
                problems.append("%s.price: %s" % (here, problem))
            if start is not None:
                from decimal import Decimal

                if i == 0 and Decimal(start) != 0:
                    problems.append("%s.from: the first tier must start at 0, got %s" % (here, start))
                if previous is not None and Decimal(start) <= previous:
                    problems.append("%s.from: tiers must be in ascending order (%s after %s)" % (here, start, previous))
                previous = Decimal(start)
    _check_conditions(problems, where, rule.get("conditions"), "conditions")
    modifiers = rule.get("modifiers")
    if modifiers is None:
        return
    if not isinstance(modifiers, list):
        problems.append("%s: modifiers must be a list" % where)
        return
    seen = set()
    for i, mod in enumerate(modifiers):
        here = "%s: modifiers[%d]" % (where, i)
        if not isinstance(mod, dict):
            problems.append("%s: must be a mapping" % here)
            continue
        _unknown_keys(problems, here, mod, MODIFIER_KEYS)
        name = mod.get("name")
        if not (_text(name) and _NAME.match(name)):
            problems.append("%s.name: required, got %r" % (here, name))
        elif name in seen:
            problems.append("%s.name: duplicate modifier %r" % (here, name))
        else:
            seen.add(name)
        problem = parse_price(mod.get("price"))[1]
        if problem:
            problems.append("%s.price: %s" % (here, problem))
        if mod.get("time_unit", "h") not in TIME_UNITS:
            problems.append("%s.time_unit: must be one of %s, got %r" % (here, ", ".join(TIME_UNITS), mod.get("time_unit")))
        if "is_percent" in mod and not isinstance(mod["is_percent"], bool):
            problems.append("%s.is_percent: must be a boolean, got %r" % (here, mod["is_percent"]))
        _check_conditions(problems, here, mod.get("when"), "when")


def validate_plans(plans, owner_label="provider", currency_of_owner=None):
    """Problems with a list of plans of one owner (the provider, or 'reseller NAME')."""
    problems = []
    field = "panel_plans" if owner_label == "provider" else "%s: plans" % owner_label
    if plans is None:
        return problems
    if not isinstance(plans, list):
        return ["%s: must be a list of plans" % field]
    names, defaults = set(), []
    for i, plan in enumerate(plans):
        if not isinstance(plan, dict):
            problems.append("%s[%d]: must be a mapping" % (field, i))
            continue
        name = plan.get("name")
        label = "%splan %r" % ("" if owner_label == "provider" else owner_label + " ", name if _text(name) else "#%d" % i)
        if not (_text(name) and _NAME.match(name)):
            problems.append("%s: name: required, 1-100 printable characters" % label)
        elif name in names:
            problems.append("%s: name: duplicate plan name for the %s" % (label, owner_label))
        else:
            names.add(name)
        _unknown_keys(problems, label, plan, PLAN_KEYS)
        if plan.get("currency") not in CURRENCIES:
            problems.append("%s: currency: must be an ISO 4217 code such as EUR, got %r" % (label, plan.get("currency")))
        if "is_default" in plan and not isinstance(plan["is_default"], bool):
            problems.append("%s: is_default: must be a boolean, got %r" % (label, plan["is_default"]))
        elif plan.get("is_default"):
            defaults.append(name)
        rules = plan.get("rules", [])
        if not isinstance(rules, list):
            problems.append("%s: rules: must be a list" % label)
            continue
        rule_names = set()
        for j, rule in enumerate(rules):
            rname = rule.get("name") if isinstance(rule, dict) else None
            where = "%s rule %r" % (label, rname if _text(rname) else "#%d" % j)
            if isinstance(rule, dict):
                if not (_text(rname) and _NAME.match(rname)):
                    problems.append("%s: name: required" % where)
                elif rname in rule_names:
                    problems.append("%s: name: duplicate rule name in the plan" % where)
                else:
                    rule_names.add(rname)
            _check_rule(problems, where, rule)
    if len(defaults) > 1:
        problems.append("%s: more than one default plan for the %s: %s" % (field, owner_label, ", ".join(map(str, defaults))))
    return problems


def validate_configurations(configurations, owner_label="provider"):
    problems = []
    field = "panel_configurations" if owner_label == "provider" else "%s: configurations" % owner_label
    if configurations is None:
        return problems
    if not isinstance(configurations, list):
        return ["%s: must be a list of configurations" % field]
    names, defaults = set(), []
    for i, conf in enumerate(configurations):
        if not isinstance(conf, dict):
            problems.append("%s[%d]: must be a mapping" % (field, i))
            continue
        name = conf.get("name")
        label = "%sconfiguration %r" % ("" if owner_label == "provider" else owner_label + " ",
                                        name if _text(name) else "#%d" % i)
        if not (_text(name) and _NAME.match(name)):
            problems.append("%s: name: required, 1-100 printable characters" % label)
        elif name in names:
            problems.append("%s: name: duplicate configuration name for the %s" % (label, owner_label))
        else:
            names.add(name)
        _unknown_keys(problems, label, conf, CONFIGURATION_KEYS)
        if "description" in conf and not isinstance(conf["description"], str):
            problems.append("%s: description: must be a string" % label)
        if "default" in conf and not isinstance(conf["default"], bool):
            problems.append("%s: default: must be a boolean, got %r" % (label, conf["default"]))
        elif conf.get("default"):
            defaults.append(name)
        options = conf.get("options", {})
        if not isinstance(options, dict):
            problems.append("%s: options: must be a mapping of sections (%s)" % (label, ", ".join(CONFIGURATION_SECTIONS)))
            continue
        for section in sorted(options, key=str):
            if section not in CONFIGURATION_SECTIONS:
                problems.append("%s: options: unknown section %r (allowed: %s)"
                                % (label, str(section), ", ".join(CONFIGURATION_SECTIONS)))
            elif not isinstance(options[section], dict):
                problems.append("%s: options.%s: must be a mapping" % (label, section))
            else:
                problems.extend(_number_problems(options[section], "%s: options.%s" % (label, section)))
    if len(defaults) > 1:
        problems.append("%s: more than one default configuration for the %s: %s"
                        % (field, owner_label, ", ".join(map(str, defaults))))
    return problems


# -- brands and mail transport --------------------------------------------------------------------------

def normalize_color(value):
    """'#rrggbb' in lowercase from '#rgb' or '#rrggbb' (assumes the colour passed validation)."""
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def validate_brand(brand, label):
    """Problems with a brand mapping (`brand:` of a reseller, or `panel_brand`), each naming `label` and the key.

    `logo` is a file name in the inventory (the controller reads and checks the file) or, in a module's
    arguments, the embedded logo the controller made from it; the bytes are checked either way.
    """
    if not isinstance(brand, dict):
        return ["%s: must be a mapping with %s" % (label, ", ".join(BRAND_KEYS))]
    problems = []
    _unknown_keys(problems, label, brand, BRAND_KEYS)
    name = brand.get("name")
    if not (_text(name) and _NAME.match(name)):
        problems.append("%s.name: required, 1-100 printable characters, got %r" % (label, name))
    color = brand.get("primary_color")
    if color is not None and not (isinstance(color, str) and _COLOR.match(color)):
        problems.append("%s.primary_color: must be a colour like #1a7f5a, got %r" % (label, color))
    email = brand.get("support_email")
    if email is not None and not (isinstance(email, str) and _EMAIL.match(email)):
        problems.append("%s.support_email: must be an e-mail address, got %r" % (label, email))
    for key in BRAND_URL_KEYS:
        if brand.get(key) is not None:
            problems.extend("%s.%s: %s" % (label, key, p)
                            for p in check_https_url(brand[key], require_root_path=False))
    logo = brand.get("logo")
    if isinstance(logo, dict):
        problem = decode_embedded_logo(logo)[2]
        if problem:
            problems.append("%s.logo: %s" % (label, problem))
    elif logo is not None and not _text(logo):
        problems.append("%s.logo: must be the path of an image file on the controller, got %r" % (label, logo))
    return problems


def validate_smtp(smtp, label):
    """Problems with a mail transport mapping (a reseller's `smtp:` or `panel_smtp`). Values are never echoed
    for keys that may hold a secret."""
    if not isinstance(smtp, dict):
        return ["%s: must be a mapping with %s" % (label, ", ".join(SMTP_KEYS))]
    problems = []
    for key in sorted(k for k in smtp if k not in SMTP_KEYS):
        problems.append("%s: unknown key %r (allowed: %s)" % (label, str(key), ", ".join(SMTP_KEYS)))
    host = smtp.get("host")
    if not _text(host):
        problems.append("%s.host: required, the SMTP server's name or address" % label)
    else:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            problems.extend("%s.host: %s" % (label, p) for p in normalize_fqdn(host)[1])
    port = smtp.get("port")
    if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536):
        problems.append("%s.port: must be a TCP port number, got %r" % (label, port))
    if smtp.get("security", "starttls") not in SMTP_SECURITY:
        problems.append("%s.security: must be one of %s, got %r"
                        % (label, ", ".join(SMTP_SECURITY), smtp.get("security")))
    for key in ("username", "password"):
        if smtp.get(key) is not None and not isinstance(smtp[key], str):
            problems.append("%s.%s: must be a string" % (label, key))
    if bool(smtp.get("username")) != bool(smtp.get("password")):
        problems.append("%s: username and password: give both or neither" % label)
    return problems


def _check_users(problems, label, users, usernames, emails):
    from ansible_collections.panelops.reseller.plugins.module_utils._passwords import check_hash_format

    if users is None:
        return
    if not isinstance(users, list):
        problems.append("%s: users: must be a list" % label)
        return
    for i, user in enumerate(users):
        if not isinstance(user, dict):
            problems.append("%s: users[%d]: must be a mapping" % (label, i))
            continue
        username = user.get("username")
        where = "%s user %r" % (label, username if _text(username) else "#%d" % i)
        if not (isinstance(username, str) and _USERNAME.match(username)):
            problems.append("%s: username: required, 1-150 characters from letters, digits and @.+-_" % where)
        elif unicodedata.normalize("NFKC", username) != username:
            problems.append("%s: username: must be written in NFKC form (%r)"
                            % (where, unicodedata.normalize("NFKC", username)))
        elif username_key(username) in usernames:
            problems.append("%s: username: already used by %s" % (where, usernames[username_key(username)]))
        else:
            usernames[username_key(username)] = label
        # Never echo values: a typo in a key may hold a secret.
        for key in sorted(k for k in user if k not in USER_KEYS):
            problems.append("%s: unknown key %r (allowed: %s)" % (where, str(key), ", ".join(USER_KEYS)))
        email = user.get("email")
        if not (isinstance(email, str) and _EMAIL.match(email)):
            problems.append("%s: email: must be an e-mail address, got %r" % (where, email))
        elif email.lower() in emails:
            problems.append("%s: email: %s is already used by %s" % (where, email, emails[email.lower()]))
        else:
            emails[email.lower()] = "%s user %r" % (label, username)
        if user.get("password") is not None and user.get("password_hash") is not None:
            problems.append("%s: password, password_hash: give one credential, not both" % where)
        if user.get("password") is not None and (not isinstance(user["password"], str) or user["password"] == ""):
            problems.append("%s: password: must be a non-empty string" % where)
        if user.get("password_hash") is not None:
            problem = check_hash_format(user["password_hash"])
            if problem:
                problems.append("%s: password_hash: %s" % (where, problem))
        if user.get("update_password", "on_create") not in UPDATE_PASSWORD:
            problems.append("%s: update_password: must be one of %s" % (where, ", ".join(UPDATE_PASSWORD)))


def _check_offboard(problems, label, res, state, names):
    offboard = res.get("offboard_to")
    if offboard is None:
        return
    if state != "absent":
        problems.append("%s: offboard_to: only meaningful with state absent" % label)
    if offboard == res.get("name"):
        problems.append("%s: offboard_to: cannot name the reseller itself" % label)
    elif offboard not in names:
        problems.append("%s: offboard_to: %r is not a declared reseller" % (label, offboard))
    elif names[offboard] == "absent":
        problems.append("%s: offboard_to: %r is itself absent" % (label, offboard))


def validate_resellers(resellers, provider_plans=None, provider_url=None, https_port=None):
    """Problems with `panel_resellers`. `provider_plans` maps provider plan name to currency (None: unknown)."""
    problems = []
    if resellers is None:
        return problems
    if not isinstance(resellers, list):
        return ["panel_resellers: must be a list of resellers"]
    names, urls, hosts = {}, {}, {}
    usernames, emails = {}, {}
    provider_host = None
    if isinstance(provider_url, str) and not check_https_url(provider_url):
        provider_host = url_host(provider_url)
    for i, res in enumerate(resellers):
        if isinstance(res, dict) and isinstance(res.get("name"), str):
            names.setdefault(res["name"], res.get("state", "present"))
    seen = set()
    for i, res in enumerate(resellers):
        if not isinstance(res, dict):
            problems.append("panel_resellers[%d]: must be a mapping" % i)
            continue
        name = res.get("name")
        label = "reseller %r" % (name if _text(name) else "#%d" % i)
        if not (isinstance(name, str) and _SLUG.match(name)):
            problems.append("%s: name: must be a slug (a-z, 0-9, '-', 1-63 characters, not starting or ending with '-')"
                            % label)
        elif name in seen:
            problems.append("%s: name: duplicate reseller name" % label)
        else:
            seen.add(name)
        _unknown_keys(problems, label, res, RESELLER_KEYS)
        for key in FOREIGN_RESELLER_KEYS:
            if res.get(key) is not None and not isinstance(res[key], dict):
                problems.append("%s: %s: must be a mapping" % (label, key))
        state = res.get("state", "present")
        if state not in STATES:
            problems.append("%s: state: must be one of %s, got %r" % (label, ", ".join(STATES), state))
        if state == "absent":
            # Offboarding needs only the name (and offboard_to); the other fields may stay or go.
            _check_offboard(problems, label, res, state, names)
            continue
        if not _text(res.get("company")) or len(res.get("company")) > 255:
            problems.append("%s: company: required, up to 255 characters" % label)
        email = res.get("email")
        if not (isinstance(email, str) and _EMAIL.match(email)):
            problems.append("%s: email: must be an e-mail address, got %r" % (label, email))
        currency = res.get("currency")
        if currency not in CURRENCIES:
            problems.append("%s: currency: must be an ISO 4217 code such as EUR, got %r" % (label, currency))
        plan = res.get("plan")
        if not _text(plan):
            problems.append("%s: plan: required, the name of a provider plan" % label)
        elif provider_plans is not None:
            if plan not in provider_plans:
                problems.append("%s: plan: %r is not a provider plan (panel_plans has: %s)"
                                % (label, plan, ", ".join(sorted(provider_plans)) or "none"))
            elif currency in CURRENCIES and provider_plans[plan] in CURRENCIES and provider_plans[plan] != currency:
                problems.append("%s: plan: %r is priced in %s, the reseller in %s"
                                % (label, plan, provider_plans[plan], currency))
        url = res.get("enduser_panel_url")
        url_problems = check_https_url(url, require_root_path=True)
        if not url_problems:
            port = urlsplit(url).port
            if port is not None and port != https_port:
                url_problems.append("%r must not name a port%s" % (
                    url, "" if https_port is None else " other than panel_frontend_https_port (%s)" % https_port))
        if url_problems:
            problems.extend("%s: enduser_panel_url: %s" % (label, p) for p in url_problems)
        else:
            host = url_host(url)
            canonical = "https://%s%s/" % (host, "" if urlsplit(url).port is None else ":%d" % urlsplit(url).port)
            if host == provider_host:
                problems.append("%s: enduser_panel_url: host %s is the provider's own host" % (label, host))
            elif host in hosts:
                problems.append("%s: enduser_panel_url: host %s is already used by %s" % (label, host, hosts[host]))
            else:
                hosts[host] = label
            urls[canonical] = label
        _check_offboard(problems, label, res, state, names)
        _check_users(problems, label, res.get("users"), usernames, emails)
        problems.extend(validate_plans(res.get("plans"), owner_label=label))
        problems.extend(validate_configurations(res.get("configurations"), owner_label=label))
        if res.get("brand") is not None:
            problems.extend(validate_brand(res["brand"], "%s: brand" % label))
        if res.get("smtp") is not None:
            problems.extend(validate_smtp(res["smtp"], "%s: smtp" % label))
    return problems


def validate_model(inventory):
    """Problems with the seeding part of the model: panel_plans, panel_configurations, panel_resellers."""
    problems = []
    https_port = inventory.get("panel_frontend_https_port")
    if https_port is not None and (isinstance(https_port, bool) or not isinstance(https_port, int)
                                   or not 0 < https_port < 65536):
        problems.append("panel_frontend_https_port: must be a TCP port number, got %r" % (https_port,))
        https_port = None
    plans = inventory.get("panel_plans")
    problems.extend(validate_plans(plans))
    problems.extend(validate_configurations(inventory.get("panel_configurations")))
    provider_plans = None
    if "panel_plans" in inventory and isinstance(plans, list):
        provider_plans = dict((p.get("name"), p.get("currency")) for p in plans if isinstance(p, dict))
    problems.extend(validate_resellers(inventory.get("panel_resellers"), provider_plans=provider_plans,
                                       provider_url=inventory.get("panel_provider_url"), https_port=https_port))
    return problems
