# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the database modules seed, validated: plans (rules, tiers, conditions, modifiers), configurations,
resellers' account fields, users and own catalogues, brands and mail transports. Every problem is listed, each
naming the record and field.

Used by the seeding modules (so a module called on its own refuses the same bad input) and by _validation (the
first play of site.yml). The structure of the reseller list (names, states, URLs, hosts) comes from _model.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from decimal import Decimal

from ansible_collections.panelops.reseller.plugins.module_utils import _model
from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import decode_embedded_logo
from ansible_collections.panelops.reseller.plugins.module_utils._canonical import decimal_bounds_problem, parse_price
from ansible_collections.panelops.reseller.plugins.module_utils._names import (
    check_https_url,
    normalize_fqdn,
    username_key,
)
from ansible_collections.panelops.reseller.plugins.module_utils._passwords import check_hash_format
from ansible_collections.panelops.reseller.plugins.module_utils._vocabulary import (
    CONFIGURATION_SECTIONS,
    CURRENCIES,
    DEFAULT_PRIORITY,
    DEFAULT_TIME_UNIT,
    LIST_OPERATORS,
    OPERATORS,
    PRIORITY_RANGE,
    TIME_UNITS,
)

UPDATE_PASSWORD = ("on_create", "always")

PLAN_KEYS = ("name", "currency", "is_default", "rules")
RULE_KEYS = ("name", "resource", "attribute", "time_unit", "priority", "tiers", "conditions", "modifiers")
TIER_KEYS = ("from", "price")
CONDITION_KEYS = ("attribute", "op", "value")
MODIFIER_KEYS = ("name", "price", "time_unit", "is_percent", "when")
RESELLER_KEYS = ("name", "state", "company", "email", "currency", "plan", "enduser_panel_url", "offboard_to",
                 "users", "plans", "configurations", "dns", "tls", "brand", "smtp")
USER_KEYS = ("username", "email", "password", "password_hash", "update_password")
CONFIGURATION_KEYS = ("name", "description", "default", "options")
BRAND_KEYS = ("name", "logo", "primary_color", "support_email", "support_url", "terms_url", "privacy_url")
BRAND_URL_KEYS = ("support_url", "terms_url", "privacy_url")
# What a brand holds as text (its logo aside): the panel_brand columns and the API's brand fields.
BRAND_TEXT_KEYS = tuple(key for key in BRAND_KEYS if key != "logo")
SMTP_KEYS = ("host", "port", "username", "password", "security")
SMTP_SECURITY = ("starttls", "tls", "none")
SET_PASSWORD_DELIVERY = ("file", "email")

_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$")
_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([A-Za-z0-9-]{1,63}\.)+[A-Za-z0-9-]{2,63}$")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def _text(value):
    return isinstance(value, str) and value.strip() != ""


def _is_name(value):
    return _text(value) and _NAME.match(value) is not None


def _is_ident(value):
    return isinstance(value, str) and _IDENT.match(value) is not None


def _unknown_keys(problems, where, item, allowed):
    for key in sorted(k for k in item if k not in allowed):
        problems.append("%s: unknown key %r (allowed: %s)" % (where, str(key), ", ".join(allowed)))


def _check_time_unit(problems, where, value):
    if value not in TIME_UNITS:
        problems.append("%s: must be one of %s, got %r" % (where, ", ".join(TIME_UNITS), value))


# -- pricing rules --------------------------------------------------------------------------------------------

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
        if not _is_ident(cond.get("attribute")):
            problems.append("%s.attribute: must be an attribute name, got %r" % (here, cond.get("attribute")))
        if cond.get("op") not in OPERATORS:
            problems.append("%s.op: must be one of %s, got %r" % (here, ", ".join(OPERATORS), cond.get("op")))
        if "value" not in cond:
            problems.append("%s.value: required" % here)
        elif cond.get("op") in LIST_OPERATORS and not isinstance(cond["value"], list):
            problems.append("%s.value: must be a list for op %s" % (here, cond["op"]))


def _check_tiers(problems, where, tiers):
    if not isinstance(tiers, list) or not tiers:
        problems.append("%s: tiers: required, a non-empty list of {from, price}" % where)
        return
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
        if start is None:
            continue
        if i == 0 and Decimal(start) != 0:
            problems.append("%s.from: the first tier must start at 0, got %s" % (here, start))
        if previous is not None and Decimal(start) <= previous:
            problems.append("%s.from: tiers must be in ascending order (%s after %s)" % (here, start, previous))
        previous = Decimal(start)


def _check_modifier(problems, here, mod, seen):
    _unknown_keys(problems, here, mod, MODIFIER_KEYS)
    name = mod.get("name")
    if not _is_name(name):
        problems.append("%s.name: required, got %r" % (here, name))
    elif name in seen:
        problems.append("%s.name: duplicate modifier %r" % (here, name))
    else:
        seen.add(name)
    problem = parse_price(mod.get("price"))[1]
    if problem:
        problems.append("%s.price: %s" % (here, problem))
    _check_time_unit(problems, "%s.time_unit" % here, mod.get("time_unit", DEFAULT_TIME_UNIT))
    if "is_percent" in mod and not isinstance(mod["is_percent"], bool):
        problems.append("%s.is_percent: must be a boolean, got %r" % (here, mod["is_percent"]))
    _check_conditions(problems, here, mod.get("when"), "when")


def _check_modifiers(problems, where, modifiers):
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
        _check_modifier(problems, here, mod, seen)


def _check_rule(problems, where, rule):
    if not isinstance(rule, dict):
        problems.append("%s: must be a mapping" % where)
        return
    _unknown_keys(problems, where, rule, RULE_KEYS)
    if not _text(rule.get("resource")) or not _IDENT.match(str(rule.get("resource"))):
        problems.append("%s: resource: required, a resource name such as instance, got %r" % (where, rule.get("resource")))
    attribute = rule.get("attribute")
    if attribute is not None and not _is_ident(attribute):
        problems.append("%s: attribute: must be an attribute name or omitted, got %r" % (where, attribute))
    _check_time_unit(problems, "%s: time_unit" % where, rule.get("time_unit", DEFAULT_TIME_UNIT))
    priority = rule.get("priority", DEFAULT_PRIORITY)
    if isinstance(priority, bool) or not isinstance(priority, int):
        problems.append("%s: priority: must be an integer, got %r" % (where, priority))
    elif not PRIORITY_RANGE[0] <= priority <= PRIORITY_RANGE[1]:
        problems.append("%s: priority: must be between %d and %d, got %d" % ((where,) + PRIORITY_RANGE + (priority,)))
    _check_tiers(problems, where, rule.get("tiers"))
    _check_conditions(problems, where, rule.get("conditions"), "conditions")
    _check_modifiers(problems, where, rule.get("modifiers"))


# -- plans and configurations -----------------------------------------------------------------------------------

def _owned_label(kind, item, index, owner_label):
    name = item.get("name")
    return "%s%s %r" % ("" if owner_label == "provider" else owner_label + " ", kind,
                        name if _text(name) else "#%d" % index)


def _check_owned_name(problems, label, name, names, kind, owner_label):
    if not _is_name(name):
        problems.append("%s: name: required, 1-100 printable characters" % label)
    elif name in names:
        problems.append("%s: name: duplicate %s name for the %s" % (label, kind, owner_label))
    else:
        names.add(name)


def _check_rules(problems, label, rules):
    if not isinstance(rules, list):
        problems.append("%s: rules: must be a list" % label)
        return
    rule_names = set()
    for j, rule in enumerate(rules):
        rname = rule.get("name") if isinstance(rule, dict) else None
        where = "%s rule %r" % (label, rname if _text(rname) else "#%d" % j)
        if isinstance(rule, dict):
            if not _is_name(rname):
                problems.append("%s: name: required" % where)
            elif rname in rule_names:
                problems.append("%s: name: duplicate rule name in the plan" % where)
            else:
                rule_names.add(rname)
        _check_rule(problems, where, rule)


def _check_plan(problems, label, plan, defaults):
    _unknown_keys(problems, label, plan, PLAN_KEYS)
    if plan.get("currency") not in CURRENCIES:
        problems.append("%s: currency: must be an ISO 4217 code such as EUR, got %r" % (label, plan.get("currency")))
    if "is_default" in plan and not isinstance(plan["is_default"], bool):
        problems.append("%s: is_default: must be a boolean, got %r" % (label, plan["is_default"]))
    elif plan.get("is_default"):
        defaults.append(plan.get("name"))
    _check_rules(problems, label, plan.get("rules", []))


def validate_plans(plans, owner_label="provider"):
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
        label = _owned_label("plan", plan, i, owner_label)
        _check_owned_name(problems, label, plan.get("name"), names, "plan", owner_label)
        _check_plan(problems, label, plan, defaults)
    if len(defaults) > 1:
        problems.append("%s: more than one default plan for the %s: %s" % (field, owner_label, ", ".join(map(str, defaults))))
    return problems


def _check_configuration(problems, label, conf, defaults):
    _unknown_keys(problems, label, conf, CONFIGURATION_KEYS)
    if "description" in conf and not isinstance(conf["description"], str):
        problems.append("%s: description: must be a string" % label)
    if "default" in conf and not isinstance(conf["default"], bool):
        problems.append("%s: default: must be a boolean, got %r" % (label, conf["default"]))
    elif conf.get("default"):
        defaults.append(conf.get("name"))
    options = conf.get("options", {})
    if not isinstance(options, dict):
        problems.append("%s: options: must be a mapping of sections (%s)" % (label, ", ".join(CONFIGURATION_SECTIONS)))
        return
    for section in sorted(options, key=str):
        if section not in CONFIGURATION_SECTIONS:
            problems.append("%s: options: unknown section %r (allowed: %s)"
                            % (label, str(section), ", ".join(CONFIGURATION_SECTIONS)))
        elif not isinstance(options[section], dict):
            problems.append("%s: options.%s: must be a mapping" % (label, section))
        else:
            problems.extend(_number_problems(options[section], "%s: options.%s" % (label, section)))


def _number_problems(value, where):
    """Problems with the numbers anywhere inside an options value (bounded like prices, negatives allowed)."""
    if isinstance(value, dict):
        return [p for key in sorted(value, key=str) for p in _number_problems(value[key], "%s.%s" % (where, key))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _number_problems(item, "%s[%d]" % (where, i))]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = repr(value) if isinstance(value, float) else str(value)
        problem = decimal_bounds_problem(Decimal(text), text)
        return ["%s: %s" % (where, problem)] if problem else []
    return []


def validate_configurations(configurations, owner_label="provider"):
    """Problems with a list of configurations of one owner (the provider, or 'reseller NAME')."""
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
        label = _owned_label("configuration", conf, i, owner_label)
        _check_owned_name(problems, label, conf.get("name"), names, "configuration", owner_label)
        _check_configuration(problems, label, conf, defaults)
    if len(defaults) > 1:
        problems.append("%s: more than one default configuration for the %s: %s"
                        % (field, owner_label, ", ".join(map(str, defaults))))
    return problems


# -- users --------------------------------------------------------------------------------------------------

def _check_credentials(problems, where, user):
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


def _check_user(problems, label, where, user, usernames, emails):
    username = user.get("username")
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
    _check_credentials(problems, where, user)


def _check_users(problems, label, users, usernames, emails):
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
        _check_user(problems, label, where, user, usernames, emails)


# -- brands and mail transports --------------------------------------------------------------------------------

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
    if not _is_name(name):
        problems.append("%s.name: required, 1-100 printable characters, got %r" % (label, name))
    color = brand.get("primary_color")
    if color is not None and not (isinstance(color, str) and _COLOR.match(color)):
        problems.append("%s.primary_color: must be a colour like #1a7f5a, got %r" % (label, color))
    email = brand.get("support_email")
    if email is not None and not (isinstance(email, str) and _EMAIL.match(email)):
        problems.append("%s.support_email: must be an e-mail address, got %r" % (label, email))
    for key in BRAND_URL_KEYS:
        if brand.get(key) is not None:
            problems.extend("%s.%s: %s" % (label, key, p) for p in check_https_url(brand[key], require_root_path=False))
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
    _unknown_keys(problems, label, smtp, SMTP_KEYS)
    host = smtp.get("host")
    if not _text(host):
        problems.append("%s.host: required, the SMTP server's name or address" % label)
    else:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            problems.extend("%s.host: %s" % (label, p) for p in normalize_fqdn(host)[1])
    port = smtp.get("port")
    if port is not None and not _model.is_port(port):
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


# -- resellers ------------------------------------------------------------------------------------------------

def _check_offboard(problems, reseller, states):
    offboard = reseller.get("offboard_to")
    if offboard is None:
        return
    label = reseller.label
    if reseller.state != "absent":
        problems.append("%s: offboard_to: only meaningful with state absent" % label)
    if offboard == reseller.name:
        problems.append("%s: offboard_to: cannot name the reseller itself" % label)
    elif offboard not in states:
        problems.append("%s: offboard_to: %r is not a declared reseller" % (label, offboard))
    elif states[offboard] == "absent":
        problems.append("%s: offboard_to: %r is itself absent" % (label, offboard))


def _check_account(problems, reseller, provider_plans):
    """The reseller's client account and the provider plan it is billed on."""
    label = reseller.label
    company = reseller.get("company")
    if not _text(company) or len(company) > 255:
        problems.append("%s: company: required, up to 255 characters" % label)
    email = reseller.get("email")
    if not (isinstance(email, str) and _EMAIL.match(email)):
        problems.append("%s: email: must be an e-mail address, got %r" % (label, email))
    currency = reseller.get("currency")
    if currency not in CURRENCIES:
        problems.append("%s: currency: must be an ISO 4217 code such as EUR, got %r" % (label, currency))
    plan = reseller.get("plan")
    if not _text(plan):
        problems.append("%s: plan: required, the name of a provider plan" % label)
    elif provider_plans is not None:
        if plan not in provider_plans:
            problems.append("%s: plan: %r is not a provider plan (panel_plans has: %s)"
                            % (label, plan, ", ".join(sorted(provider_plans)) or "none"))
        elif currency in CURRENCIES and provider_plans[plan] in CURRENCIES and provider_plans[plan] != currency:
            problems.append("%s: plan: %r is priced in %s, the reseller in %s"
                            % (label, plan, provider_plans[plan], currency))


def check_resellers(inventory, provider_plans=None):
    """Problems with what the seeding reads of each reseller of an _model.Inventory (beyond its structure).

    `provider_plans` maps provider plan name to currency (None: not known here, not checked).
    """
    problems = []
    states = {}
    for reseller in inventory.resellers:
        if isinstance(reseller.name, str):
            states.setdefault(reseller.name, reseller.state)
    usernames, emails = {}, {}
    for reseller in inventory.resellers:
        _unknown_keys(problems, reseller.label, reseller.declared, RESELLER_KEYS)
        if reseller.state != "absent":
            # Offboarding needs only the name (and offboard_to); the other fields may stay or go.
            _check_account(problems, reseller, provider_plans)
        _check_offboard(problems, reseller, states)
        if reseller.state == "absent":
            continue
        _check_users(problems, reseller.label, reseller.get("users"), usernames, emails)
        problems.extend(validate_plans(reseller.get("plans"), owner_label=reseller.label))
        problems.extend(validate_configurations(reseller.get("configurations"), owner_label=reseller.label))
        if reseller.get("brand") is not None:
            problems.extend(validate_brand(reseller.get("brand"), "%s: brand" % reseller.label))
        if reseller.get("smtp") is not None:
            problems.extend(validate_smtp(reseller.get("smtp"), "%s: smtp" % reseller.label))
    return problems


def validate_resellers(resellers, provider_plans=None, provider_url=None, https_port=None):
    """Problems with `panel_resellers`: their structure (_model) and every field the seeding reads.

    `provider_plans` maps provider plan name to currency (None: unknown); `provider_url`, when valid, is a host
    no reseller may use; `https_port` the only port an end-user panel URL may name (None: none).
    """
    provider = _model.provider_site(provider_url)[0] if provider_url is not None else None
    inventory = _model.read_resellers(resellers, provider, https_port)
    return inventory.reseller_problems + check_resellers(inventory, provider_plans)
