# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""panel_tls.wildcard_zones: 30 resellers under one zone share one *.zone certificate (of the internal CA, or one
DNS-01 order from the real pebble with the TXT record added in bind9), which nginx_sites installs for each of their
vhosts; a reseller moving to its own domain gets its own certificate."""
from __future__ import annotations

import datetime
import json
import os

import dns.message
import dns.query
import pytest
from cryptography import x509

from ansible_collections.panelops.reseller.plugins.action.nginx_sites import read_certificates, unpublished_sites
from ansible_collections.panelops.reseller.plugins.module_utils import (
    _model,
    _tls,
    _tls_acme,
    _tls_budget,
    _tls_wildcard,
)
from tests.support.dns_acme_servers import pebble_roots

assert _tls_acme  # importing it registers mode acme

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.timezone.utc)
ZONE = "resellers.provider.test"


def resellers(count, own=()):
    out = []
    for index in range(count):
        name = "r%02d" % index
        fqdn = ("cloud.%s.test" % name) if name in own else "%s.%s" % (name, ZONE)
        out.append({"name": name, "state": "present", "enduser_panel_url": "https://%s/" % fqdn})
    return out


def ensure(store, items, **tls):
    default_tls = dict({"mode": "internal_ca", "wildcard_zones": [ZONE]}, **tls)
    return _tls.ensure_certificates(str(store), items, provider_url="https://panel.provider.test/",
                                    default_tls=default_tls, now=NOW)


def test_zone_rules():
    assert _tls_wildcard.zone_of("a.resellers.provider.test", [ZONE + "."]) == ZONE
    assert _tls_wildcard.zone_of("x.a.resellers.provider.test", [ZONE]) is None
    assert _tls_wildcard.zone_of(ZONE, [ZONE]) is None
    assert _tls_wildcard.zones_problems([ZONE]) == []
    assert _tls_wildcard.zones_problems("x") == ["panel_tls.wildcard_zones: must be a list of zone names"]
    assert _tls_wildcard.zones_problems(["test", 3]) == [
        "panel_tls.wildcard_zones[0]: 'test': 'test' is not fully qualified (needs at least one dot)",
        "panel_tls.wildcard_zones[1]: 3: must be a zone name"]


def test_thirty_resellers_share_one_wildcard_and_one_moves_to_its_own_domain(tmp_path):
    store = tmp_path / "store"
    fqdns = ["r%02d.%s" % (i, ZONE) for i in range(30)]
    first = ensure(store, resellers(30))
    wildcard = _tls_wildcard.store_name(ZONE)
    # The provider's host and one wildcard: two certificates for 31 sites.
    assert first["created"] == [wildcard, "panel.provider.test"]
    assert sorted(os.listdir(store / "certs")) == [wildcard, "panel.provider.test"]
    assert first["certificates"][wildcard]["san"] == ["*." + ZONE]
    assert first["certificates"][fqdns[7]]["wildcard"] == "*." + ZONE
    assert first["certificates"][fqdns[7]]["where"] == "reseller 'r07'"
    found, missing = read_certificates(str(store), fqdns)
    assert missing == [] and len(set(cert["fullchain"] for cert in found.values())) == 1
    leaf = _tls.load_certs(found[fqdns[0]]["fullchain"].encode("ascii"))[0]
    assert all(any(_tls.covers(san, fqdn) for san in _tls.san_names(leaf)) for fqdn in fqdns)

    # Nothing to do on the next run; one reseller moves to its own domain and gets its own certificate.
    assert ensure(store, resellers(30))["changed"] is False
    moved = ensure(store, resellers(30, own=("r03",)))
    assert moved["created"] == ["cloud.r03.test"] and moved["renewed"] == []
    found, _missing = read_certificates(str(store), ["cloud.r03.test", fqdns[4]])
    assert found["cloud.r03.test"]["fullchain"] != found[fqdns[4]]["fullchain"]


def test_own_certificates_of_covered_resellers_are_retired(tmp_path):
    store = tmp_path / "store"
    _tls.ensure_certificates(str(store), resellers(2), default_tls={"mode": "internal_ca"}, now=NOW)
    assert sorted(os.listdir(store / "certs")) == ["r00." + ZONE, "r01." + ZONE]
    result = ensure(store, resellers(2))
    assert result["removed"] == ["r00." + ZONE, "r01." + ZONE]
    assert sorted(os.listdir(store / "retired")) == ["r00." + ZONE, "r01." + ZONE]
    found, missing = read_certificates(str(store), ["r00." + ZONE])
    assert missing == [] and "BEGIN CERTIFICATE" in found["r00." + ZONE]["fullchain"]


# ----------------------------------------------------------------------------------------------- the rules
class _Model(object):
    def __init__(self, sites):
        self.sites = sites

    def reseller_sites(self):
        return self.sites


def site(fqdn, name, mode=None):
    return _model.Site(fqdn, "https://%s/" % fqdn, name, "present", "reseller %r" % name,
                       tls={"mode": mode} if mode else {})


def test_one_wildcard_has_one_mode_and_provided_resellers_keep_their_own():
    sites = [("a.%s" % ZONE, "reseller 'a'", "acme"), ("b.%s" % ZONE, "reseller 'b'", "provided"),
             ("c.other.test", "reseller 'c'", "acme"), ("d.%s" % ZONE, "reseller 'd'", "acme")]
    groups, problems = _tls_wildcard.group_sites(sites, [ZONE])
    assert problems == []
    covers = [("a.%s" % ZONE, "reseller 'a'"), ("d.%s" % ZONE, "reseller 'd'")]
    assert groups == {ZONE: {"mode": "acme", "covers": covers}}
    _groups, problems = _tls_wildcard.group_sites(sites + [("e.%s" % ZONE, "reseller 'e'", "internal_ca")], [ZONE])
    assert problems == [
        "panel_tls.wildcard_zones (resellers.provider.test): one wildcard certificate has one mode, but the "
        "resellers under the zone use acme (reseller 'a', reseller 'd'); internal_ca (reseller 'e'): give them the "
        "same tls.mode, or take the zone out of panel_tls.wildcard_zones"]


def test_an_acme_wildcard_needs_its_zone_inside_panel_dns_zones_and_the_tsig_key():
    assert _tls_wildcard.dns01_problems(ZONE, ["provider.test"], True) == []
    assert _tls_wildcard.dns01_problems(ZONE, [ZONE], True) == []
    assert _tls_wildcard.dns01_problems(ZONE, ["elsewhere.test"], False) == [
        "panel_tls.wildcard_zones (resellers.provider.test): mode acme orders *.resellers.provider.test by DNS-01 "
        "(the TXT record _acme-challenge.resellers.provider.test by RFC 2136): panel_dns.tsig is required",
        "panel_tls.wildcard_zones (resellers.provider.test): mode acme orders *.resellers.provider.test by DNS-01: "
        "the zone is not inside panel_dns.zones (elsewhere.test), so the TXT record "
        "_acme-challenge.resellers.provider.test cannot be added"]


def test_the_inventory_validation_checks_acme_wildcards_only():
    model = _Model([site("a." + ZONE, "a"), site("b." + ZONE, "b", mode="internal_ca")])
    acme = {"mode": "acme", "wildcard_zones": [ZONE, "unused.test"]}
    # b's internal_ca and a's acme (the default) under one zone; the zone is outside panel_dns.
    problems = _tls_wildcard.inventory_problems(acme, {"zones": ["elsewhere.test"]}, model)
    assert [p.split(": ", 1)[0] for p in problems] == ["panel_tls.wildcard_zones (%s)" % ZONE] * 3
    assert "one mode" in problems[0] and "panel_dns.tsig is required" in problems[1]
    assert "not inside panel_dns.zones (elsewhere.test)" in problems[2]
    assert _tls_wildcard.inventory_problems(dict(acme, mode="internal_ca"), None,
                                            _Model([site("a." + ZONE, "a")])) == []
    assert _tls_wildcard.inventory_problems(acme, {"zones": ["provider.test"], "tsig": {"name": "k"}},
                                            _Model([site("a." + ZONE, "a")])) == []


# ----------------------------------------------------------------------------------------------- mode acme
WILD = "wild.provider.test"


def acme_run(dns_acme, store, items, step="all", check_mode=False, budget=None, dns_ready=None, zones=(WILD,)):
    """One run of mode acme against pebble; DNS-01 TXT records by RFC 2136 into the bind9 zone provider.test."""
    acme, server = dns_acme["acme"], dns_acme["dns"]
    tls = {"mode": "acme", "acme_directory": acme["directory"], "acme_trust_anchor": acme["trust_anchor"],
           "acme_timeout": 30, "challenge": "dns-01", "wildcard_zones": list(zones)}
    if budget:
        tls["acme_budget"] = budget
    options = dict(tls, acme_webroots=[], acme_step=step, dns_ready=dns_ready,
                   dns_update={"zones": ["provider.test"], "server": "127.0.0.1", "port": server["port"],
                               "tsig": server["tsig"]})
    return _tls.ensure_certificates(str(store), items, default_tls=tls, options=options, check_mode=check_mode)


def wild_resellers(count, prefix="w", own=()):
    out = []
    for index in range(count):
        name = "%s%02d" % (prefix, index)
        fqdn = ("%s-own.provider.test" % name) if name in own else "%s.%s" % (name, WILD)
        out.append({"name": name, "state": "present", "enduser_panel_url": "https://%s/" % fqdn})
    return out


def txt_records(dns_acme, name):
    reply = dns.query.tcp(dns.message.make_query(name, "TXT"), "127.0.0.1", port=dns_acme["dns"]["port"], timeout=5)
    return [rdata.to_text() for rrset in reply.answer for rdata in rrset]


def history(store):
    with open(_tls_budget.history_path(str(store))) as handle:
        return json.load(handle)["orders"]


def wildcard_leaf(store, zone=WILD):
    with open(os.path.join(str(store), "certs", _tls_wildcard.store_name(zone), "fullchain.pem"), "rb") as handle:
        return x509.load_pem_x509_certificates(handle.read())


def test_acme_resellers_under_a_zone_share_one_dns01_wildcard_order(dns_acme, tmp_path):
    store, wildcard = tmp_path / "store", _tls_wildcard.store_name(WILD)
    items = wild_resellers(30)
    fqdns = ["w%02d.%s" % (i, WILD) for i in range(30)]

    planned = acme_run(dns_acme, store, items, check_mode=True)
    assert planned["ordered"] == [wildcard] and planned["created"] == [wildcard] and planned["changed"]
    assert "would be ordered (acme, missing)\nsan: *.%s" % WILD in planned["diff"]["after"]
    assert not os.path.exists(store / "certs")

    first = acme_run(dns_acme, store, items)
    assert first["failed_fqdns"] == [], first["certificates"][wildcard]
    assert first["created"] == [wildcard] and first["ordered"] == [wildcard]
    assert os.listdir(store / "certs") == [wildcard]
    chain = wildcard_leaf(store)
    assert _tls.san_names(chain[0]) == ["*." + WILD]
    chain.append(x509.load_pem_x509_certificate(pebble_roots(dns_acme["acme"]).encode("ascii")))
    for child, parent in zip(chain, chain[1:]):
        child.verify_directly_issued_by(parent)
    assert first["certificates"][fqdns[12]]["wildcard"] == "*." + WILD
    assert first["certificates"][fqdns[12]]["serial"] == "%x" % chain[0].serial_number
    found, missing = read_certificates(str(store), fqdns)
    assert missing == [] and len(set(cert["fullchain"] for cert in found.values())) == 1
    # One order, one certificate of the registered domain, in the budget's history.
    assert [(e["fqdn"], e["domain"], e["status"]) for e in history(store)] == [(wildcard, "provider.test", "issued")]
    # The TXT record was removed again.
    assert txt_records(dns_acme, "_acme-challenge." + WILD) == []

    second = acme_run(dns_acme, store, items)
    assert second["ordered"] == [] and second["changed"] is False and second["unchanged"] == [wildcard]

    # A reseller moves to its own domain (DNS-01 by its own name): its own order; the wildcard stays.
    moved = acme_run(dns_acme, store, wild_resellers(30, own=("w05",)))
    assert moved["created"] == ["w05-own.provider.test"] and moved["ordered"] == ["w05-own.provider.test"]
    assert moved["unchanged"] == [wildcard] and moved["failed_fqdns"] == []
    assert len(history(store)) == 2


def test_the_two_step_flow_orders_the_wildcard_and_records_the_finished_order(dns_acme, tmp_path):
    store, wildcard = tmp_path / "store", _tls_wildcard.store_name(WILD)
    items = wild_resellers(3, prefix="s")
    ready = ["s00." + WILD]
    opened = acme_run(dns_acme, store, items, step="open", dns_ready=ready)
    assert opened["opened"] == [wildcard] and opened["ordered"] == [wildcard], opened["certificates"]
    assert opened["http01_challenges"] == []
    assert [e["status"] for e in history(store)] == ["opened"]
    finished = acme_run(dns_acme, store, items, step="finish", dns_ready=ready)
    assert finished["created"] == [wildcard] and finished["failed_fqdns"] == [], finished["certificates"]
    assert finished["ordered"] == []
    assert _tls.san_names(wildcard_leaf(store)[0]) == ["*." + WILD]
    # Still one order: the opened entry took the outcome.
    assert [(e["fqdn"], e["status"], "finished_at" in e) for e in history(store)] == [(wildcard, "issued", True)]
    # No reseller under the zone is DNS-ready: nothing is ordered for it (skipped, no budget spent).
    waiting = acme_run(dns_acme, tmp_path / "other", items, step="open", dns_ready=[])
    assert waiting["skipped_fqdns"] == [wildcard] and waiting["ordered"] == []


def test_a_deferred_wildcard_leaves_the_own_certificates_in_place_until_it_is_issued(dns_acme, tmp_path):
    store, wildcard = tmp_path / "store", _tls_wildcard.store_name("later.provider.test")
    items = [{"name": "l%d" % i, "state": "present", "enduser_panel_url": "https://l%d.later.provider.test/" % i}
             for i in range(2)]
    fqdns = ["l0.later.provider.test", "l1.later.provider.test"]
    own = acme_run(dns_acme, store, items, zones=())
    assert own["created"] == fqdns
    # The two orders fill the account's 3-hour budget of 2: the wildcard waits, the own certificates stay.
    deferred = acme_run(dns_acme, store, items, zones=("later.provider.test",), budget={"orders_per_3_hours": 2})
    assert deferred["deferred_fqdns"] == [wildcard] and deferred["removed"] == []
    assert "orders_per_3_hours 2" in deferred["certificates"][fqdns[0]]["deferred"]
    assert _tls_budget.read_pending(str(store)) == {wildcard: "deferred: " + deferred["certificates"][wildcard][
        "deferred"]}
    found, missing = read_certificates(str(store), fqdns)
    assert missing == [] and _tls.san_names(_tls.load_certs(found[fqdns[0]]["fullchain"].encode())[0]) == [fqdns[0]]
    # With room in the budget: one wildcard order, and the own certificates are retired.
    issued = acme_run(dns_acme, store, items, zones=("later.provider.test",), budget={"orders_per_3_hours": 3})
    assert issued["created"] == [wildcard] and issued["removed"] == fqdns
    found, missing = read_certificates(str(store), fqdns)
    assert missing == [] and _tls.san_names(_tls.load_certs(found[fqdns[0]]["fullchain"].encode())[0]) == [
        "*.later.provider.test"]


def test_nginx_leaves_out_the_sites_whose_wildcard_waits():
    pending = {_tls_wildcard.store_name(WILD): "deferred: budget"}
    assert unpublished_sites(["a.%s" % WILD, "b.else.test"], pending) == {
        "a.%s" % WILD: "no certificate yet (the wildcard of %s: deferred: budget)" % WILD}


def test_an_acme_wildcard_outside_the_dns_zones_is_refused_before_anything_is_written(dns_acme, tmp_path):
    items = [{"name": "x", "state": "present", "enduser_panel_url": "https://x.resellers.customer.test/"}]
    with pytest.raises(_tls.TLSError) as caught:
        acme_run(dns_acme, tmp_path / "store", items, zones=("resellers.customer.test",))
    assert caught.value.problems == [
        "panel_tls.wildcard_zones (resellers.customer.test): mode acme orders *.resellers.customer.test by DNS-01: "
        "the zone is not inside panel_dns.zones (provider.test), so the TXT record "
        "_acme-challenge.resellers.customer.test cannot be added"]
    assert not os.path.exists(tmp_path / "store")
