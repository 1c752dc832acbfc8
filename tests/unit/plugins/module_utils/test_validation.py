# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""validate_inventory: the TLS and DNS variables are checked with the rest of the model."""
from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils._validation import validate_inventory

BASE = {"panel_db": {"engine": "sqlite", "path": "/tmp/panel.sqlite3"},
        "panel_provider_url": "https://panel.provider.test/"}


def test_acme_settings_and_dns_are_valid():
    model = dict(BASE, panel_tls={"mode": "acme", "renew_days": 30, "challenge": "http-01",
                                  "acme_directory": "https://acme-v02.api.letsencrypt.org/directory"},
                 panel_dns={"servers": ["127.0.0.1"], "port": 15353, "zones": ["provider.test"],
                            "tsig": {"name": "panel-update", "secret": "c2VjcmV0", "algorithm": "hmac-sha256"}})
    assert validate_inventory(model) == []


def test_every_tls_and_dns_problem_is_listed():
    model = dict(BASE, panel_tls={"mode": "acme", "renew_days": -1, "challenge": "dns-02"},
                 panel_dns={"port": "fifty-three", "servers": ["ns1.provider.test"]},
                 panel_resellers=[{"name": "acme", "enduser_panel_url": "https://cloud.acme.test/",
                                   "tls": {"mode": "acme", "challenge": "tls-alpn-01"},
                                   "dns": {"cname": "edge.provider.test", "addresses": ["192.0.2.1"]}}])
    problems = validate_inventory(model)
    assert "panel_tls.renew_days: must be a whole number of days >= 0, got -1" in problems
    assert "panel_tls.acme_directory: required in mode acme (the CA's directory URL)" in problems
    assert "panel_tls.challenge: must be one of http-01, dns-01, got 'dns-02'" in problems
    assert "panel_dns.port: must be a port number, got 'fifty-three'" in problems
    assert "panel_dns.servers: 'ns1.provider.test' is not an IP address" in problems
    assert "reseller 'acme': tls.challenge: must be one of http-01, dns-01, got 'tls-alpn-01'" in problems
    assert "reseller acme: dns: give either cname or addresses, not both" in problems


def test_renewal_and_acme_budget_settings_are_validated_with_the_inventory():
    problems = validate_inventory(dict(BASE, panel_tls={"mode": "internal_ca", "renew_fraction": 2,
                                                        "acme_budget": {"orders_per_run": "many"}}))
    assert any(p.startswith("panel_tls.renew_fraction: must be a number between 0 and 1") for p in problems)
    assert "panel_tls.acme_budget.orders_per_run: must be a whole number >= 1, got 'many'" in problems


def test_an_acme_wildcard_zone_outside_panel_dns_is_reported_naming_the_zone_and_the_field():
    tls = {"mode": "acme", "acme_directory": "https://acme.provider.test/dir",
           "wildcard_zones": ["resellers.provider.test", "resellers.customer.test"]}
    resellers = [{"name": "r%d" % i, "enduser_panel_url": "https://r%d.%s/" % (i, zone)}
                 for i, zone in enumerate(["resellers.provider.test", "resellers.customer.test"])]
    dns = {"servers": ["127.0.0.1"], "zones": ["provider.test"],
           "tsig": {"name": "panel-update", "secret": "c2VjcmV0", "algorithm": "hmac-sha256"}}
    problems = [p for p in validate_inventory(dict(BASE, panel_tls=tls, panel_resellers=resellers, panel_dns=dns))
                if "wildcard" in p]
    assert problems == [
        "panel_tls.wildcard_zones (resellers.customer.test): mode acme orders *.resellers.customer.test by DNS-01: "
        "the zone is not inside panel_dns.zones (provider.test), so the TXT record "
        "_acme-challenge.resellers.customer.test cannot be added"]
    # Without panel_dns at all both zones need it.
    problems = validate_inventory(dict(BASE, panel_tls=tls, panel_resellers=resellers))
    assert sum("panel_dns.tsig is required" in p for p in problems) == 2
    # In mode internal_ca a wildcard needs no DNS.
    assert [p for p in validate_inventory(dict(BASE, panel_tls=dict(tls, mode="internal_ca"),
                                               panel_resellers=resellers)) if "wildcard" in p] == []
