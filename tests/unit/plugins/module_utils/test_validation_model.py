# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The seeding model's validation: a valid model passes; each of many broken ones fails naming record and field."""
from __future__ import annotations

import copy

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._canonical import parse_price
from ansible_collections.panelops.reseller.plugins.module_utils._passwords import make_hash
from ansible_collections.panelops.reseller.plugins.module_utils._validation import (
    validate_inventory,
    validate_model,
)

HASH = make_hash("secret-one", salt="fixedsalt", iterations=1000)


def valid_model():
    return {
        "panel_db": {"engine": "sqlite", "path": "/tmp/x.sqlite3"},
        "panel_provider_url": "https://panel.demo.test:8443/",
        "panel_frontend_https_port": 8443,
        "panel_plans": [
            {"name": "reseller-wholesale", "currency": "EUR", "rules": [
                {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h",
                 "tiers": [{"from": 0, "price": 0.004}, {"from": 100, "price": "0.003"}],
                 "conditions": [{"attribute": "region", "op": "eq", "value": "RegionOne"}],
                 "modifiers": [{"name": "Windows", "price": "0.01", "time_unit": "h",
                                "when": [{"attribute": "os_type", "op": "eq", "value": "windows"}]}]}]},
            {"name": "retail", "currency": "EUR", "is_default": True, "rules": []},
        ],
        "panel_configurations": [{"name": "default", "default": True, "options": {"billing": {"credit_limit": 0}}}],
        "panel_resellers": [
            {"name": "acme", "state": "present", "company": "ACME Cloud", "email": "ops@acme.test",
             "currency": "EUR", "plan": "reseller-wholesale", "enduser_panel_url": "https://cloud.acme.test:8443/",
             "users": [{"username": "acme-admin", "email": "admin@acme.test", "password_hash": HASH}],
             "plans": [{"name": "acme-retail", "currency": "EUR", "is_default": True, "rules": [
                 {"name": "RAM", "resource": "instance", "attribute": "memory_mb",
                  "tiers": [{"from": "0", "price": "0.00001"}]}]}],
             "configurations": [{"name": "default", "default": True, "description": "ACME",
                                 "options": {"billing": {"credit_limit": 0}, "signup": {"require_phone": False}}}]},
            {"name": "globex", "company": "Globex", "email": "ops@globex.test", "currency": "EUR",
             "plan": "reseller-wholesale", "enduser_panel_url": "https://panel.globex.test/",
             "users": [{"username": "globex-admin", "email": "admin@globex.test", "password": "pw",
                        "update_password": "always"}]},
            {"name": "initech", "state": "absent", "offboard_to": "acme"},
        ],
    }


def test_valid_model_has_no_problem():
    assert validate_inventory(valid_model()) == []


def _set(path, value):
    def mutate(model):
        target = model
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return mutate


_DELETE = object()
R0 = ("panel_resellers", 0)
P0 = ("panel_plans", 0)
RULE = P0 + ("rules", 0)


def _append_reseller(**changes):
    def mutate(model):
        res = copy.deepcopy(model["panel_resellers"][1])
        res.update(users=[], name="other", enduser_panel_url="https://other.test/")
        res.update(changes)
        model["panel_resellers"].append(res)
    return mutate


def _two_defaults(model):
    model["panel_plans"][0]["is_default"] = True


CASES = [
    # resellers: names, keys, state
    ("slug-uppercase", _set(R0 + ("name",), "Acme"), "reseller 'Acme': name: must be a slug"),
    ("slug-leading-dash", _set(R0 + ("name",), "-acme"), "reseller '-acme': name: must be a slug"),
    ("slug-too-long", _set(R0 + ("name",), "a" * 64), "name: must be a slug"),
    ("duplicate-name", _append_reseller(name="acme"), "reseller 'acme': name: duplicate reseller name"),
    ("unknown-key", _set(R0 + ("enduser_url",), "x"), "reseller 'acme': unknown key 'enduser_url'"),
    ("bad-state", _set(R0 + ("state",), "enabled"), "reseller 'acme': state: must be one of present, suspended, absent"),
    ("no-company", _set(R0 + ("company",), _DELETE), "reseller 'acme': company: required"),
    ("bad-email", _set(R0 + ("email",), "ops-at-acme"), "reseller 'acme': email: must be an e-mail address"),
    ("bad-currency", _set(R0 + ("currency",), "EURO"), "reseller 'acme': currency: must be an ISO 4217 code"),
    ("not-iso-currency", _set(R0 + ("currency",), "XYZ"), "reseller 'acme': currency: must be an ISO 4217 code"),
    ("unknown-plan", _set(R0 + ("plan",), "wholesale"), "reseller 'acme': plan: 'wholesale' is not a provider plan"),
    ("missing-plan", _set(R0 + ("plan",), _DELETE), "reseller 'acme': plan: required"),
    ("currency-mismatch", _set(R0 + ("currency",), "USD"), "reseller 'acme': plan: 'reseller-wholesale' is priced in EUR"),
    # enduser_panel_url
    ("url-http", _set(R0 + ("enduser_panel_url",), "http://cloud.acme.test/"), "enduser_panel_url: 'http://cloud.acme.test/' must use https://"),
    ("url-ip", _set(R0 + ("enduser_panel_url",), "https://192.0.2.1/"), "enduser_panel_url: '192.0.2.1' is an IP address"),
    ("url-ipv6", _set(R0 + ("enduser_panel_url",), "https://[2001:db8::1]/"), "uses an IP literal"),
    ("url-path", _set(R0 + ("enduser_panel_url",), "https://cloud.acme.test/panel/"), "must have the path /"),
    ("url-undeclared-port", _set(R0 + ("enduser_panel_url",), "https://cloud.acme.test:9443/"),
     "must not name a port other than panel_frontend_https_port (8443)"),
    ("url-long-label", _set(R0 + ("enduser_panel_url",), "https://%s.acme.test/" % ("a" * 64)), "is longer than 63 characters"),
    ("url-too-long", _set(R0 + ("enduser_panel_url",), "https://%s.test/" % ".".join(["abcdefghi"] * 26)),
     "is longer than 253 characters"),
    ("url-single-label", _set(R0 + ("enduser_panel_url",), "https://localhost/"), "is not fully qualified"),
    ("url-bad-label", _set(R0 + ("enduser_panel_url",), "https://cloud_acme.test/"), "is not a valid DNS label"),
    ("url-query", _set(R0 + ("enduser_panel_url",), "https://cloud.acme.test/?x=1"), "must not have a query"),
    ("url-provider-host", _set(R0 + ("enduser_panel_url",), "https://panel.demo.test/"),
     "enduser_panel_url: host panel.demo.test is the provider's own host"),
    ("url-duplicate", _set(("panel_resellers", 1, "enduser_panel_url"), "https://CLOUD.acme.test:8443/"),
     "reseller 'globex': enduser_panel_url: host cloud.acme.test is already used by reseller 'acme'"),
    ("url-idn-duplicate", _append_reseller(name="idn", enduser_panel_url="https://bücher.test/"), None),
    # offboarding
    ("offboard-not-absent", _set(R0 + ("offboard_to",), "globex"), "reseller 'acme': offboard_to: only meaningful with state absent"),
    ("offboard-unknown", _set(("panel_resellers", 2, "offboard_to"), "hooli"), "reseller 'initech': offboard_to: 'hooli' is not a declared reseller"),
    ("offboard-self", _set(("panel_resellers", 2, "offboard_to"), "initech"), "offboard_to: cannot name the reseller itself"),
    # users
    ("user-bad-username", _set(R0 + ("users", 0, "username"), "acme admin"), "reseller 'acme' user 'acme admin': username"),
    ("user-duplicate-username", _set(("panel_resellers", 1, "users", 0, "username"), "acme-admin"),
     "reseller 'globex' user 'acme-admin': username: already used by reseller 'acme'"),
    ("user-bad-email", _set(R0 + ("users", 0, "email"), "admin@"), "reseller 'acme' user 'acme-admin': email: must be an e-mail address"),
    ("user-duplicate-email", _set(("panel_resellers", 1, "users", 0, "email"), "ADMIN@acme.test"),
     "reseller 'globex' user 'globex-admin': email: ADMIN@acme.test is already used"),
    ("user-two-credentials", _set(R0 + ("users", 0, "password"), "pw"), "password, password_hash: give one credential, not both"),
    ("user-bad-hash-algorithm", _set(R0 + ("users", 0, "password_hash"), "md5$abc$def"), "password_hash: uses algorithm 'md5'"),
    ("user-malformed-hash", _set(R0 + ("users", 0, "password_hash"), "pbkdf2_sha256$x$salt$digest"),
     "password_hash: is not a well-formed pbkdf2_sha256 hash"),
    ("user-unknown-key", _set(R0 + ("users", 0, "passwd"), "hunter2"), "user 'acme-admin': unknown key 'passwd'"),
    ("user-update-password", _set(R0 + ("users", 0, "update_password"), "sometimes"), "update_password: must be one of on_create, always"),
    ("user-empty-password", _set(("panel_resellers", 1, "users", 0, "password"), ""), "password: must be a non-empty string"),
    # plans
    ("plan-duplicate", _set(("panel_plans", 1, "name"), "reseller-wholesale"), "plan 'reseller-wholesale': name: duplicate plan name"),
    ("plan-bad-currency", _set(P0 + ("currency",), "eur"), "plan 'reseller-wholesale': currency: must be an ISO 4217 code"),
    ("plan-unknown-key", _set(P0 + ("default",), True), "plan 'reseller-wholesale': unknown key 'default'"),
    ("plan-two-defaults", _two_defaults, "panel_plans: more than one default plan for the provider"),
    ("plan-is-default-not-bool", _set(P0 + ("is_default",), "yes"), "is_default: must be a boolean"),
    ("rule-bad-time-unit", _set(RULE + ("time_unit",), "hour"), "rule 'vCPU': time_unit: must be one of h, d, month"),
    ("rule-no-resource", _set(RULE + ("resource",), _DELETE), "rule 'vCPU': resource: required"),
    ("rule-unknown-key", _set(RULE + ("price",), 1), "rule 'vCPU': unknown key 'price'"),
    ("rule-priority", _set(RULE + ("priority",), "high"), "rule 'vCPU': priority: must be an integer"),
    ("tier-not-from-zero", _set(RULE + ("tiers", 0, "from"), 1), "tiers[0].from: the first tier must start at 0"),
    ("tier-not-ascending", _set(RULE + ("tiers", 1, "from"), 0), "tiers[1].from: tiers must be in ascending order"),
    ("tier-negative-price", _set(RULE + ("tiers", 0, "price"), -0.5), "tiers[0].price: -0.5 is negative"),
    ("tier-not-decimal", _set(RULE + ("tiers", 0, "price"), "cheap"), "tiers[0].price: 'cheap' is not a decimal number"),
    ("tier-nan", _set(RULE + ("tiers", 0, "price"), float("nan")), "tiers[0].price: 'nan' is not a finite number"),
    ("tier-too-precise", _set(RULE + ("tiers", 0, "price"), "0.000000001"), "0.000000001 has more than 8 decimal places"),
    ("tier-precise-enough", _set(RULE + ("tiers", 0, "price"), "0.00000001"), None),
    ("tier-too-precise-past-28-digits", _set(RULE + ("tiers", 0, "price"), "1." + "0" * 29 + "1"),
     "has more than 8 decimal places"),
    ("tier-huge-exponent", _set(RULE + ("tiers", 0, "price"), "1e999999"),
     "rule 'vCPU': tiers[0].price: 1e999999 has more than 12 digits before the point"),
    ("tier-too-many-digits", _set(RULE + ("tiers", 1, "from"), 10 ** 12), "tiers[1].from: 1000000000000 has more than 12 digits"),
    ("tier-largest", _set(RULE + ("tiers", 1, "from"), "999999999999.99999999"), None),
    ("tier-small-exponent", _set(RULE + ("tiers", 1, "from"), "1e-999999"), "tiers[1].from: 1e-999999 has more than 8 decimal places"),
    ("tier-exponent-normalised", _set(RULE + ("tiers", 1, "from"), "1e3"), None),
    ("tier-infinity", _set(RULE + ("tiers", 0, "price"), float("inf")), "tiers[0].price: 'inf' is not a finite number"),
    ("modifier-huge-exponent", _set(RULE + ("modifiers", 0, "price"), "1e999999"),
     "rule 'vCPU': modifiers[0].price: 1e999999 has more than 12 digits before the point"),
    ("rule-priority-float", _set(RULE + ("priority",), 1.5), "rule 'vCPU': priority: must be an integer"),
    ("rule-priority-too-big", _set(RULE + ("priority",), 2 ** 31), "rule 'vCPU': priority: must be between"),
    ("tier-bool", _set(RULE + ("tiers", 0, "price"), True), "tiers[0].price: must be a number or a decimal string"),
    ("tiers-empty", _set(RULE + ("tiers",), []), "rule 'vCPU': tiers: required"),
    ("condition-bad-op", _set(RULE + ("conditions", 0, "op"), "=="), "conditions[0].op: must be one of lt, le, gt, ge, eq, ne, in, ni"),
    ("condition-in-not-list", _set(RULE + ("conditions", 0, "op"), "in"), "conditions[0].value: must be a list for op in"),
    ("condition-no-value", _set(RULE + ("conditions", 0, "value"), _DELETE), "conditions[0].value: required"),
    ("modifier-bad-price", _set(RULE + ("modifiers", 0, "price"), "-1"), "modifiers[0].price: -1 is negative"),
    ("modifier-when-op", _set(RULE + ("modifiers", 0, "when", 0, "op"), "like"), "modifiers[0]: when[0].op: must be one of"),
    ("modifier-is-percent", _set(RULE + ("modifiers", 0, "is_percent"), "no"), "modifiers[0].is_percent: must be a boolean"),
    ("reseller-plan-bad-tier", _set(R0 + ("plans", 0, "rules", 0, "tiers", 0, "price"), "x"),
     "reseller 'acme' plan 'acme-retail' rule 'RAM': tiers[0].price: 'x' is not a decimal number"),
    # configurations
    ("conf-unknown-section", _set(R0 + ("configurations", 0, "options", "billin"), {}),
     "reseller 'acme' configuration 'default': options: unknown section 'billin'"),
    ("conf-section-not-mapping", _set(R0 + ("configurations", 0, "options", "billing"), 5), "options.billing: must be a mapping"),
    ("conf-number-infinite", _set(R0 + ("configurations", 0, "options", "billing", "credit_limit"), float("inf")),
     "reseller 'acme' configuration 'default': options.billing.credit_limit: 'inf' is not a finite number"),
    ("conf-number-too-big", _set(R0 + ("configurations", 0, "options", "billing", "credit_limit"), 10 ** 20),
     "options.billing.credit_limit: 100000000000000000000 has more than 12 digits before the point"),
    ("conf-two-defaults", lambda m: m["panel_resellers"][0]["configurations"].append(
        {"name": "other", "default": True, "options": {}}), "more than one default configuration for the reseller 'acme'"),
    ("conf-unknown-key", _set(("panel_configurations", 0, "is_default"), True), "configuration 'default': unknown key 'is_default'"),
    ("dns-not-mapping", _set(R0 + ("dns",), "cname.example.test"), "reseller 'acme': dns: must be a mapping"),
    ("dns-mapping-accepted", _set(R0 + ("dns",), {"cname": "edge.provider.test"}), None),
    ("port-not-int", _set(("panel_frontend_https_port",), "8443"), "panel_frontend_https_port: must be a TCP port number"),
    ("resellers-not-list", _set(("panel_resellers",), {"acme": {}}), "panel_resellers: must be a list of resellers"),
]


@pytest.mark.parametrize("mutate, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_model_is_rejected(mutate, message):
    model = valid_model()
    mutate(model)
    problems = validate_inventory(model)
    if message is None:  # a case that must stay valid (an IDN host is encoded, not rejected)
        assert problems == []
        return
    assert any(message in p for p in problems), problems


def test_at_least_forty_invalid_cases():
    assert len([c for c in CASES if c[2] is not None]) >= 40


def test_every_problem_is_listed_at_once():
    model = valid_model()
    model["panel_resellers"][0]["name"] = "ACME"
    model["panel_resellers"][0]["currency"] = "EURO"
    model["panel_plans"][0]["rules"][0]["time_unit"] = "week"
    model["panel_resellers"][1]["users"][0]["email"] = "nope"
    problems = validate_model(model)
    assert len(problems) >= 4
    for fragment in ("name: must be a slug", "currency: must be an ISO 4217", "time_unit", "email: must be"):
        assert any(fragment in p for p in problems), fragment


def test_problems_never_echo_a_secret():
    model = valid_model()
    model["panel_resellers"][0]["users"][0]["passwd"] = "hunter2-secret"
    model["panel_resellers"][0]["users"][0]["password_hash"] = "md5$hunter3-secret"
    model["panel_resellers"][1]["users"][0]["password_hash"] = "pbkdf2_sha256$1$s$short"
    problems = validate_model(model)
    text = "\n".join(problems)
    assert len(problems) >= 3
    assert "hunter2-secret" not in text and "hunter3-secret" not in text and "short" not in text


@pytest.mark.parametrize("given, text", [
    (0.004, "0.004"), ("0.0040", "0.004"), (10, "10"), ("1E-5", "0.00001"), (0, "0"), (1.1, "1.1"), ("100.50", "100.5"),
])
def test_prices_are_canonical_decimals(given, text):
    assert parse_price(given) == (text, None)


def test_without_panel_plans_the_plan_reference_is_not_checked():
    model = valid_model()
    del model["panel_plans"]
    assert validate_model(model) == []


BRAND = {"name": "ACME Cloud", "logo": "files/acme.png", "primary_color": "#1a7f5a",
         "support_email": "support@acme.test", "support_url": "https://help.acme.test/",
         "terms_url": "https://acme.test/legal/terms", "privacy_url": "https://acme.test/legal/privacy"}
SMTP = {"host": "smtp.acme.test", "port": 587, "username": "mailer", "password": "smtp-canary-77",
        "security": "starttls"}


def test_brands_mail_transports_and_delivery_are_valid():
    model = valid_model()
    model.update(panel_brand=dict(BRAND, name="Provider Cloud"), panel_smtp=dict(SMTP, host="127.0.0.1"),
                 panel_set_password_delivery="email")
    model["panel_resellers"][0].update(brand=BRAND, smtp=SMTP)
    model["panel_resellers"][1].update(brand={"name": "Globex", "primary_color": "#FA0"})
    assert validate_inventory(model) == []


@pytest.mark.parametrize("brand, message", [
    ({"logo": "x.png"}, "reseller 'acme': brand.name: required, 1-100 printable characters, got None"),
    (dict(BRAND, primary_color="green"), "reseller 'acme': brand.primary_color: must be a colour like #1a7f5a, got 'green'"),
    (dict(BRAND, primary_color="#12345"), "reseller 'acme': brand.primary_color: must be a colour like #1a7f5a"),
    (dict(BRAND, support_email="support"), "reseller 'acme': brand.support_email: must be an e-mail address, got 'support'"),
    (dict(BRAND, terms_url="http://acme.test/terms"), "reseller 'acme': brand.terms_url: 'http://acme.test/terms' must use https://"),
    (dict(BRAND, privacy_url="javascript:alert(1)"), "reseller 'acme': brand.privacy_url: 'javascript:alert(1)' must use https://"),
    (dict(BRAND, support_url="https://help.acme.test/?x=\"><script>"), "reseller 'acme': brand.support_url:"),
    (dict(BRAND, logo=""), "reseller 'acme': brand.logo: must be the path of an image file on the controller"),
    (dict(BRAND, colour="#fff"), "reseller 'acme': brand: unknown key 'colour'"),
    ("ACME", "reseller 'acme': brand: must be a mapping"),
])
def test_a_bad_brand_is_named(brand, message):
    model = valid_model()
    model["panel_resellers"][0]["brand"] = brand
    problems = validate_inventory(model)
    assert any(p.startswith(message) for p in problems), problems


@pytest.mark.parametrize("smtp, message", [
    ({"port": 25}, "reseller 'acme': smtp.host: required"),
    (dict(SMTP, host="smtp_relay"), "reseller 'acme': smtp.host: 'smtp_relay' is not fully qualified"),
    (dict(SMTP, port=0), "reseller 'acme': smtp.port: must be a TCP port number, got 0"),
    (dict(SMTP, security="ssl"), "reseller 'acme': smtp.security: must be one of starttls, tls, none, got 'ssl'"),
    (dict(SMTP, password=None), "reseller 'acme': smtp: username and password: give both or neither"),
    (dict(SMTP, pasword="x"), "reseller 'acme': smtp: unknown key 'pasword'"),
])
def test_a_bad_mail_transport_is_named_without_its_secret(smtp, message):
    model = valid_model()
    model["panel_resellers"][0]["smtp"] = smtp
    problems = validate_inventory(model)
    assert any(p.startswith(message) for p in problems), problems
    assert "smtp-canary-77" not in " ".join(problems)


def test_provider_brand_transport_and_delivery_are_named():
    model = valid_model()
    model.update(panel_brand={"name": ""}, panel_smtp={"host": "smtp.provider.test", "security": "tls", "port": "x"},
                 panel_set_password_delivery="pigeon")
    problems = validate_inventory(model)
    assert "panel_brand.name: required, 1-100 printable characters, got ''" in problems
    assert "panel_smtp.port: must be a TCP port number, got 'x'" in problems
    assert "panel_set_password_delivery: must be one of file, email, got 'pigeon'" in problems
