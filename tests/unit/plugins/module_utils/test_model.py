# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory model: the reseller list read once into sites, retired FQDNs and DNS records, every structural
problem named by reseller and field."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _model

RESELLERS = [
    {"name": "acme", "enduser_panel_url": "https://Cloud.Acme.test:8443/", "tls": {"mode": "provided"},
     "dns": {"cname": "edge.provider.test"}},
    {"name": "globex", "state": "suspended", "enduser_panel_url": "https://bücher.test/",
     "dns": {"addresses": ["192.0.2.7"]}},
    {"name": "initech", "state": "absent", "enduser_panel_url": "https://initech.test/"},
    {"name": "hooli", "state": "absent"},
]


def test_records_carry_the_canonical_names_and_choices():
    inventory = _model.read(RESELLERS, "https://Panel.Provider.test/")
    assert inventory.problems == []
    assert [r.name for r in inventory.resellers] == ["acme", "globex", "initech", "hooli"]
    acme = inventory.resellers[0]
    assert (acme.state, acme.label, acme.get("enduser_panel_url")) == ("present", "reseller 'acme'",
                                                                       "https://Cloud.Acme.test:8443/")
    site = acme.site
    assert (site.fqdn, site.url, site.owner, site.where) == ("cloud.acme.test", "https://cloud.acme.test:8443/",
                                                             "acme", "reseller 'acme'")
    assert site.tls == {"mode": "provided"} and site.dns == {"cname": "edge.provider.test"}
    assert inventory.resellers[3].site is None  # offboarding needs only the name
    provider = inventory.provider
    assert (provider.fqdn, provider.url, provider.owner, provider.where) == (
        "panel.provider.test", "https://panel.provider.test/", None, "panel_provider_url")


def test_derived_views_for_tls_nginx_and_dns():
    inventory = _model.read(RESELLERS, "https://panel.provider.test/")
    assert [s.fqdn for s in inventory.served_sites()] == ["panel.provider.test", "cloud.acme.test",
                                                          "xn--bcher-kva.test"]
    assert [s.fqdn for s in inventory.reseller_sites()] == ["cloud.acme.test", "xn--bcher-kva.test"]
    assert inventory.retired_fqdns() == ["initech.test"]
    assert inventory.dns_records() == [
        {"fqdn": "cloud.acme.test", "state": "present", "cname": "edge.provider.test"},
        {"fqdn": "xn--bcher-kva.test", "state": "present", "addresses": ["192.0.2.7"]},
        {"fqdn": "initech.test", "state": "absent"},
    ]
    assert inventory.resellers[0].site.vhost() == {"name": "cloud.acme.test", "fqdn": "cloud.acme.test",
                                                   "reseller": "acme", "state": "present"}


def test_a_domain_taken_over_from_an_offboarded_reseller_is_served_not_retired():
    inventory = _model.read_resellers([
        {"name": "old", "state": "absent", "enduser_panel_url": "https://cloud.shop.test/"},
        {"name": "new", "enduser_panel_url": "https://cloud.shop.test/"},
    ])
    assert inventory.problems == []
    assert [s.owner for s in inventory.reseller_sites()] == ["new"]
    assert inventory.retired_fqdns() == []
    assert inventory.dns_records() == [{"fqdn": "cloud.shop.test", "state": "present"}]


def test_every_structural_problem_is_listed_naming_reseller_and_field():
    inventory = _model.read([
        "acme",
        {"name": "Bad_Name", "enduser_panel_url": "https://bad.test/"},
        {"name": "dup", "enduser_panel_url": "https://dup.test/"},
        {"name": "dup", "enduser_panel_url": "https://dup2.test/"},
        {"name": "state", "state": "gone", "enduser_panel_url": "https://state.test/"},
        {"name": "http", "enduser_panel_url": "http://http.test/"},
        {"name": "twice", "enduser_panel_url": "https://DUP.test/"},
        {"name": "own", "enduser_panel_url": "https://panel.provider.test/"},
        {"name": "gone", "state": "absent", "enduser_panel_url": "https://gone.test/path/"},
        {"name": "choices", "enduser_panel_url": "https://choices.test/", "tls": "acme", "dns": ["x"]},
        {"enduser_panel_url": "https://nameless.test/"},
    ], "https://panel.provider.test/")
    assert inventory.problems == [
        "panel_resellers[0]: must be a mapping",
        "reseller 'Bad_Name': name: must be a slug (a-z, 0-9, '-', 1-63 characters, not starting or ending "
        "with '-')",
        "reseller 'dup': name: duplicate reseller name",
        "reseller 'state': state: must be one of present, suspended, absent, got 'gone'",
        "reseller 'http': enduser_panel_url: 'http://http.test/' must use https://",
        "reseller 'twice': enduser_panel_url: host dup.test is already used by reseller 'dup'",
        "reseller 'own': enduser_panel_url: host panel.provider.test is the provider's own host",
        "reseller 'gone': enduser_panel_url: 'https://gone.test/path/' must have the path / (got '/path/')",
        "reseller 'choices': tls: must be a mapping",
        "reseller 'choices': dns: must be a mapping",
        "reseller '#10': name: must be a slug (a-z, 0-9, '-', 1-63 characters, not starting or ending with '-')",
    ]


def test_provider_problems_are_kept_apart_from_the_resellers():
    inventory = _model.read([{"name": "acme", "enduser_panel_url": "https://a.test/x"}], "ftp://panel.test/")
    assert inventory.provider is None
    assert inventory.provider_problems == ["panel_provider_url: 'ftp://panel.test/' must use https://"]
    assert inventory.reseller_problems == ["reseller 'acme': enduser_panel_url: 'https://a.test/x' must have the "
                                           "path / (got '/x')"]
    assert inventory.problems == inventory.provider_problems + inventory.reseller_problems
    assert _model.read(provider_required=True).provider_problems == [
        "panel_provider_url: must be an absolute https:// URL"]
    assert _model.read().problems == []


@pytest.mark.parametrize("https_port, url, problem", [
    (_model.ANY_PORT, "https://a.test:9443/", None),
    (8443, "https://a.test:8443/", None),
    (8443, "https://a.test/", None),
    (None, "https://a.test:8443/", "'https://a.test:8443/' must not name a port"),
    (8443, "https://a.test:9443/", "'https://a.test:9443/' must not name a port other than "
                                   "panel_frontend_https_port (8443)"),
])
def test_the_port_an_end_user_url_may_name(https_port, url, problem):
    problems = _model.read_resellers([{"name": "a", "enduser_panel_url": url}], https_port=https_port).problems
    assert problems == ([] if problem is None else ["reseller 'a': enduser_panel_url: %s" % problem])


def test_a_reseller_list_that_is_not_a_list():
    assert _model.read_resellers({"acme": {}}).problems == ["panel_resellers: must be a list of resellers"]
    assert _model.read_resellers(None).resellers == []


def test_read_variables_takes_the_port_from_the_inventory():
    variables = {"panel_provider_url": "https://panel.provider.test/", "panel_frontend_https_port": 8443,
                 "panel_resellers": [{"name": "a", "enduser_panel_url": "https://a.test:8443/"}]}
    assert _model.read_variables(variables).problems == []
    variables["panel_frontend_https_port"] = "8443"  # reported by the validation; here: no port allowed
    assert _model.read_variables(variables).reseller_problems == [
        "reseller 'a': enduser_panel_url: 'https://a.test:8443/' must not name a port"]
    assert _model.is_port(443) and not _model.is_port(True) and not _model.is_port(70000)
