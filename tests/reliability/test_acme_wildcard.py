# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""30 ACME resellers under one zone of `panel_tls.wildcard_zones`, served through both frontends by one wildcard
certificate that the real pebble issued after one DNS-01 order (its TXT record added in the real bind9, which
pebble resolves through).

One site.yml run (mode acme, two-step orders, the DNS gate on), then a TLS handshake with each reseller's name as
SNI to each frontend: the same certificate everywhere, SAN `*.<zone>`, verified against pebble's root; the order
history of the budget holds one order for the 30 (and one for the provider's own host).
"""
from __future__ import annotations

import json
import os
import socket
import ssl

import pytest
from cryptography import x509

from tests.reliability.site import HOSTS, Site
from tests.support import dns_acme_servers

pytestmark = pytest.mark.skipif(dns_acme_servers.missing() is not None, reason="bind9 or pebble is not installed")

ZONE = "resellers.demo.test"
COUNT = 30


def resellers(site):
    return [dict(name="w%02d" % index, state="present", company="Wild %02d" % index, email="ops@w%02d.test" % index,
                 currency="EUR", plan="reseller-wholesale",
                 enduser_panel_url="https://w%02d.%s:%d/" % (index, ZONE, site.ports["one"]["https"]))
            for index in range(COUNT)]


@pytest.fixture(scope="module")
def wild_site(scratch):
    base = os.path.join(scratch, "wild-servers")
    servers = dns_acme_servers.start(base, zones=["demo.test"])
    dns, acme = servers["dns"], servers["acme"]
    # The frontends serve pebble's certificates: the health check after each reload trusts pebble's root.
    root = os.path.join(base, "pebble-root.pem")
    with open(root, "w") as handle:
        handle.write(dns_acme_servers.pebble_roots(acme))
    extra = {
        "panel_tls": {"mode": "acme", "acme_directory": acme["directory"], "acme_trust_anchor": acme["trust_anchor"],
                      "acme_timeout": 30, "challenge": "dns-01", "wildcard_zones": [ZONE]},
        "panel_dns": {"servers": ["127.0.0.1"], "port": dns["port"], "frontend_addresses": ["127.0.0.1"],
                      "zones": ["demo.test"], "tsig": dns["tsig"], "check_timeout": 2.0, "check_retries": 1},
        "panel_frontend_health_ca_file": root,
    }
    site = Site(os.path.join(scratch, "wild-site"), extra_vars=extra)
    site.vars["panel_resellers"] = resellers(site)
    site.write_inventory()
    site.root_pem = root
    try:
        site.first = site.run("--diff")
        yield site
    finally:
        site.stop()
        dns_acme_servers.stop(base)


def served_certificate(site, host, fqdn):
    """The leaf a frontend presents for SNI `fqdn`, verified against pebble's root and for the name."""
    context = ssl.create_default_context(cafile=site.root_pem)
    with socket.create_connection(("127.0.0.1", site.ports[host]["https"]), timeout=10) as sock:
        with context.wrap_socket(sock, server_hostname=fqdn) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def test_the_run_converges_with_one_order_for_the_thirty_resellers(wild_site):
    site = wild_site
    assert site.first.returncode == 0, site.first.output[-6000:]
    with open(os.path.join(site.state, "pki", "acme", "orders.json")) as handle:
        orders = json.load(handle)["orders"]
    # One order for the 30 resellers (the wildcard) and one for the provider's own host; both issued.
    assert sorted((o["fqdn"], o["status"]) for o in orders) == [("_wildcard." + ZONE, "issued"),
                                                                ("panel.demo.test", "issued")]
    assert sorted(os.listdir(os.path.join(site.state, "pki", "certs"))) == ["_wildcard." + ZONE, "panel.demo.test"]


def test_every_frontend_serves_the_one_wildcard_for_each_of_the_thirty_names(wild_site):
    site = wild_site
    assert site.first.returncode == 0, site.first.output[-3000:]
    served = {}
    for host in HOSTS:
        for index in range(COUNT):
            fqdn = "w%02d.%s" % (index, ZONE)
            leaf = served_certificate(site, host, fqdn)
            names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            served[(host, fqdn)] = (leaf.serial_number, tuple(names.get_values_for_type(x509.DNSName)))
    assert len(served) == len(HOSTS) * COUNT
    assert set(served.values()) == {(served[("one", "w00." + ZONE)][0], ("*." + ZONE,))}
    # The provider's host has its own certificate, not the wildcard.
    provider = served_certificate(site, "two", "panel.demo.test")
    assert provider.serial_number != served[("one", "w00." + ZONE)][0]


def test_a_new_reseller_under_the_zone_is_served_the_same_wildcard_without_a_new_order(wild_site):
    site = wild_site
    assert site.first.returncode == 0, site.first.output[-3000:]
    before = served_certificate(site, "one", "w00." + ZONE).serial_number
    site.vars["panel_resellers"].append(dict(
        name="w30", state="present", company="Wild 30", email="ops@w30.test", currency="EUR",
        plan="reseller-wholesale", enduser_panel_url="https://w30.%s:%d/" % (ZONE, site.ports["one"]["https"])))
    site.write_inventory()
    proc = site.run()
    assert proc.returncode == 0, proc.output[-6000:]
    with open(os.path.join(site.state, "pki", "acme", "orders.json")) as handle:
        assert len(json.load(handle)["orders"]) == 2
    for host in HOSTS:
        assert served_certificate(site, host, "w30." + ZONE).serial_number == before
    assert "certificate created" not in proc.output.split("PANELOPS RUN SUMMARY", 1)[-1]
