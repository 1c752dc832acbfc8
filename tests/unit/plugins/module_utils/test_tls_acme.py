# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The acme provider through _tls.ensure_certificates, against the real pebble (validating) and bind9."""
from __future__ import annotations

import os
import stat

import pytest
from cryptography import x509

from ansible_collections.panelops.reseller.plugins.module_utils import _dns, _tls, _tls_acme
from tests.support.dns_acme_servers import Webroot, pebble_roots

# pebble issues certificates valid for about five years: a renew_days above that forces a renewal.
RENEW_ALL = 3650


def point(dns_acme, records):
    server = dns_acme["dns"]
    _dns.apply_records(records, ["provider.test"], "127.0.0.1", server["port"], server["tsig"],
                       default_addresses=["127.0.0.1"])


def settings(dns_acme, **extra):
    acme = dns_acme["acme"]
    tls = {"mode": "acme", "acme_directory": acme["directory"], "acme_trust_anchor": acme["trust_anchor"],
           "acme_email": "hostmaster@provider.test", "acme_timeout": 30, "challenge": "http-01"}
    tls.update(extra)
    return tls


def run(store, dns_acme, resellers, webroot, renew_days=30, check_mode=False, dns_ready=None, tls=None):
    server = dns_acme["dns"]
    tls = tls or settings(dns_acme)
    options = dict(tls, acme_webroots=[str(webroot)] if webroot else [], dns_ready=dns_ready,
                   dns_update={"zones": ["provider.test"], "server": "127.0.0.1", "port": server["port"],
                               "tsig": server["tsig"]})
    return _tls.ensure_certificates(str(store), resellers, default_tls=tls, renew_days=renew_days,
                                    options=options, check_mode=check_mode)


def reseller(name, fqdn, **tls):
    out = {"name": name, "state": "present", "enduser_panel_url": "https://%s/" % fqdn}
    if tls:
        out["tls"] = tls
    return out


def stored(store, fqdn, name="cert.pem"):
    with open(os.path.join(str(store), "certs", fqdn, name), "rb") as handle:
        return handle.read()


def verify(store, fqdn, root_pem):
    """The stored full chain is leaf <- intermediate <- pebble's root, for fqdn, with the stored key."""
    chain = x509.load_pem_x509_certificates(stored(store, fqdn, "fullchain.pem"))
    leaf = chain[0]
    assert _tls.san_names(leaf) == [fqdn]
    assert _tls.load_key(stored(store, fqdn, "privkey.pem")).public_key() == leaf.public_key()
    chain.append(x509.load_pem_x509_certificate(root_pem.encode("ascii")))
    for child, parent in zip(chain, chain[1:]):
        child.verify_directly_issued_by(parent)
    return leaf


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_http01_and_dns01_issue_then_nothing_is_ordered_then_renewal(dns_acme, tmp_path):
    point(dns_acme, [{"fqdn": "tls-web.provider.test"}])
    resellers = [reseller("web", "tls-web.provider.test"),
                 reseller("txt", "tls-txt.provider.test", challenge="dns-01")]
    store, webroot = tmp_path / "store", tmp_path / "webroot"
    root = pebble_roots(dns_acme["acme"])

    with Webroot(webroot, dns_acme["acme"]["http_port"]):
        first = run(store, dns_acme, resellers, webroot)
    assert first["failed_fqdns"] == [], first["certificates"]
    assert first["created"] == ["tls-txt.provider.test", "tls-web.provider.test"]
    assert first["ordered"] == ["tls-txt.provider.test", "tls-web.provider.test"]
    assert first["changed"] and first["acme_account_created"]
    leaves = {fqdn: verify(store, fqdn, root) for fqdn in first["created"]}
    assert mode(store / "acme" / "account.key") == 0o600
    assert mode(store / "certs" / "tls-web.provider.test" / "privkey.pem") == 0o600
    account_key = (store / "acme" / "account.key").read_bytes()
    # The challenge files were removed from the webroot afterwards.
    assert os.listdir(webroot / ".well-known" / "acme-challenge") == []
    # The diff shows public facts only.
    assert "san: tls-web.provider.test" in first["diff"]["after"]
    assert "PRIVATE KEY" not in first["diff"]["after"] + first["diff"]["before"]

    # Second run: every certificate is valid, no order is placed (no HTTP server is even needed).
    second = run(store, dns_acme, resellers, webroot)
    assert second["ordered"] == [] and not second["changed"]
    assert second["unchanged"] == ["tls-txt.provider.test", "tls-web.provider.test"]
    assert (store / "acme" / "account.key").read_bytes() == account_key

    # Check mode with renew_days above the remaining validity: reports the orders, places none.
    planned = run(store, dns_acme, resellers, webroot, renew_days=RENEW_ALL, check_mode=True)
    assert planned["ordered"] == ["tls-txt.provider.test", "tls-web.provider.test"]
    assert planned["renewed"] == ["tls-txt.provider.test", "tls-web.provider.test"] and planned["changed"]
    assert "would be ordered" in planned["diff"]["after"]
    for fqdn, leaf in leaves.items():
        assert x509.load_pem_x509_certificate(stored(store, fqdn)).serial_number == leaf.serial_number

    # renew_days above the remaining validity: both are ordered again, with the same account key.
    with Webroot(webroot, dns_acme["acme"]["http_port"]):
        renewed = run(store, dns_acme, resellers, webroot, renew_days=RENEW_ALL)
    assert renewed["failed_fqdns"] == [], renewed["certificates"]
    assert renewed["renewed"] == ["tls-txt.provider.test", "tls-web.provider.test"]
    assert renewed["certificates"]["tls-web.provider.test"]["reason"].startswith("expires in")
    assert "acme_account_created" not in renewed
    for fqdn, leaf in leaves.items():
        assert verify(store, fqdn, root).serial_number != leaf.serial_number
    assert (store / "acme" / "account.key").read_bytes() == account_key


def test_a_domain_with_wrong_dns_fails_alone_and_keeps_its_certificate(dns_acme, tmp_path):
    point(dns_acme, [{"fqdn": "tls-good.provider.test"}, {"fqdn": "tls-moved.provider.test"}])
    resellers = [reseller("good", "tls-good.provider.test"), reseller("moved", "tls-moved.provider.test"),
                 reseller("other", "tls-other.provider.test", challenge="dns-01")]
    store, webroot = tmp_path / "store", tmp_path / "webroot"
    with Webroot(webroot, dns_acme["acme"]["http_port"]):
        first = run(store, dns_acme, resellers, webroot)
    assert first["created"] == ["tls-good.provider.test", "tls-moved.provider.test", "tls-other.provider.test"]
    old = {(f, n): stored(store, f, n) for f in first["created"]
           for n in ("cert.pem", "privkey.pem", "fullchain.pem")}

    # The moved domain now points somewhere pebble cannot reach the webroot.
    point(dns_acme, [{"fqdn": "tls-moved.provider.test", "addresses": ["127.0.0.9"]}])
    with Webroot(webroot, dns_acme["acme"]["http_port"]):
        second = run(store, dns_acme, resellers, webroot, renew_days=RENEW_ALL)
    assert second["failed_fqdns"] == ["tls-moved.provider.test"]
    assert second["renewed"] == ["tls-good.provider.test", "tls-other.provider.test"]
    assert second["ordered"] == ["tls-good.provider.test", "tls-moved.provider.test", "tls-other.provider.test"]
    error = second["certificates"]["tls-moved.provider.test"]["error"]
    assert "tls-moved.provider.test" in error and "127.0.0.9" in error
    for name in ("cert.pem", "privkey.pem", "fullchain.pem"):
        assert stored(store, "tls-moved.provider.test", name) == old[("tls-moved.provider.test", name)]
        assert stored(store, "tls-good.provider.test", name) != old[("tls-good.provider.test", name)]
    verify(store, "tls-good.provider.test", pebble_roots(dns_acme["acme"]))


def test_only_domains_whose_dns_is_ready_are_ordered(dns_acme, tmp_path):
    point(dns_acme, [{"fqdn": "tls-ready.provider.test"}])
    resellers = [reseller("ready", "tls-ready.provider.test"), reseller("later", "tls-later.provider.test")]
    store, webroot = tmp_path / "store", tmp_path / "webroot"
    with Webroot(webroot, dns_acme["acme"]["http_port"]):
        result = run(store, dns_acme, resellers, webroot, dns_ready=["tls-ready.provider.test"])
    assert result["created"] == ["tls-ready.provider.test"]
    assert result["ordered"] == ["tls-ready.provider.test"]
    assert result["skipped_fqdns"] == ["tls-later.provider.test"] and result["failed_fqdns"] == []
    assert "reseller_dns_ready" in result["certificates"]["tls-later.provider.test"]["skipped"]
    assert any("tls-later.provider.test" in w and "skipped" in w for w in result["warnings"])
    assert not os.path.exists(store / "certs" / "tls-later.provider.test")


def test_every_problem_is_listed_before_anything_is_written(dns_acme, tmp_path):
    resellers = [reseller("web", "tls-web2.provider.test"),
                 reseller("outside", "shop.customer.test", challenge="dns-01"),
                 reseller("odd", "tls-odd.provider.test", challenge="tls-alpn-01")]
    tls = {"mode": "acme", "acme_email": "not an address", "challenge": "http-01"}
    with pytest.raises(_tls.TLSError) as caught:
        run(tmp_path / "store", dns_acme, resellers, None, tls=tls)
    problems = caught.value.problems
    assert "panel_tls.acme_directory: required in mode acme (the CA's directory URL)" in problems
    assert any(p.startswith("panel_tls.acme_email:") for p in problems)
    assert any("reseller 'web' (tls-web2.provider.test): tls.challenge: http-01 needs" in p for p in problems)
    assert any("reseller 'outside' (shop.customer.test): tls.challenge: dns-01 needs the FQDN inside" in p
               for p in problems)
    assert any("reseller 'odd' (tls-odd.provider.test): tls.challenge: must be one of" in p for p in problems)
    assert not os.path.exists(tmp_path / "store")


def test_importing_the_provider_registers_mode_acme():
    assert _tls.PROVIDERS["acme"] is _tls_acme.ACMEProvider
    assert _tls.VALIDATORS["acme"] is _tls_acme.validate_requests


def test_a_run_that_only_creates_the_acme_account_reports_a_change(tmp_path, monkeypatch):
    """Every order fails (the CA refused it), but the account key was created and kept: the store changed."""
    from ansible_collections.panelops.reseller.plugins.module_utils import _acme

    def refuse_all(orders, directory_url, account_key_pem, **kwargs):
        assert account_key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
        return dict((o["fqdn"], {"status": "failed", "error": "rejectedIdentifier"}) for o in orders)

    monkeypatch.setattr(_acme, "order_certificates", refuse_all)
    store, webroot = tmp_path / "store", tmp_path / "webroot"
    tls = {"mode": "acme", "acme_directory": "https://127.0.0.1:1/dir", "challenge": "http-01"}

    def ensure(check_mode=False):
        return _tls.ensure_certificates(str(store), [reseller("web", "tls-web.provider.test")], default_tls=tls,
                                        options=dict(tls, acme_webroots=[str(webroot)]), check_mode=check_mode)

    planned = ensure(check_mode=True)
    assert planned["ordered"] == ["tls-web.provider.test"] and "acme_account_created" not in planned
    assert not os.path.exists(store / "acme" / "account.key")

    first = ensure()
    assert first["failed_fqdns"] == ["tls-web.provider.test"] and first["created"] == []
    assert first["acme_account_created"] is True
    assert first["changed"] is True
    assert mode(store / "acme" / "account.key") == 0o600

    again = ensure()
    assert again["failed_fqdns"] == ["tls-web.provider.test"]
    assert "acme_account_created" not in again and again["changed"] is False


def run_step(store, dns_acme, resellers, step, dns_ready=None, budget=None):
    """One step of the two-step flow (frontends on other hosts): no webroot on the host that orders."""
    server = dns_acme["dns"]
    tls = settings(dns_acme)
    if budget:
        tls["acme_budget"] = budget
    options = dict(tls, acme_webroots=[], acme_step=step, dns_ready=dns_ready,
                   dns_update={"zones": ["provider.test"], "server": "127.0.0.1", "port": server["port"],
                               "tsig": server["tsig"]})
    return _tls.ensure_certificates(str(store), resellers, default_tls=tls, options=options)


def serve_challenges(webroot, challenges):
    """What acme_http01 does on every frontend between the steps."""
    directory = webroot / ".well-known" / "acme-challenge"
    directory.mkdir(parents=True, exist_ok=True)
    for challenge in challenges:
        (directory / challenge["token"]).write_text(challenge["content"])


def test_acme_step_open_hands_back_the_challenges_and_finish_stores_the_certificates(dns_acme, tmp_path):
    point(dns_acme, [{"fqdn": "step-web.provider.test"}])
    resellers = [reseller("web", "step-web.provider.test"),
                 reseller("txt", "step-txt.provider.test", challenge="dns-01"),
                 reseller("later", "step-later.provider.test")]
    ready = ["step-web.provider.test", "step-txt.provider.test"]
    store, webroot = tmp_path / "store", tmp_path / "frontend-webroot"

    opened = run_step(store, dns_acme, resellers, "open", dns_ready=ready)
    assert opened["opened"] == ["step-txt.provider.test", "step-web.provider.test"], opened["certificates"]
    assert opened["created"] == [] and opened["failed_fqdns"] == [] and opened["changed"]
    assert opened["skipped_fqdns"] == ["step-later.provider.test"]
    # One HTTP-01 challenge (the DNS-01 one is in the zone already); orders and keys wait in the store, 0600.
    assert [sorted(c) for c in opened["http01_challenges"]] == [["content", "token"]]
    assert mode(_tls_acme.open_orders_path(str(store))) == 0o600
    assert not os.path.exists(store / "certs" / "step-web.provider.test")
    assert "order opened" in opened["diff"]["after"]

    serve_challenges(webroot, opened["http01_challenges"])
    with Webroot(webroot, dns_acme["acme"]["http_port"]):
        finished = run_step(store, dns_acme, resellers, "finish", dns_ready=ready)
    assert finished["failed_fqdns"] == [], finished["certificates"]
    assert finished["created"] == ["step-txt.provider.test", "step-web.provider.test"]
    assert not os.path.exists(_tls_acme.open_orders_path(str(store)))
    root = pebble_roots(dns_acme["acme"])
    for fqdn in finished["created"]:
        verify(store, fqdn, root)

    # Converged: neither step has anything to order.
    again = run_step(store, dns_acme, resellers, "open", dns_ready=ready)
    assert again["opened"] == [] and not again["changed"] and "http01_challenges" not in again


def test_the_budget_is_spent_by_the_open_step_and_the_finish_step_keeps_its_deferrals(dns_acme, tmp_path):
    resellers = [reseller("one", "budget-one.provider.test", challenge="dns-01"),
                 reseller("two", "budget-two.provider.test", challenge="dns-01")]
    store = tmp_path / "store"
    opened = run_step(store, dns_acme, resellers, "open", budget={"orders_per_run": 1})
    assert opened["opened"] == ["budget-one.provider.test"]
    assert opened["deferred_fqdns"] == ["budget-two.provider.test"]
    # The finish step places no order and spends no budget: the opened order is finished even though the run's
    # one order is used, and the deferred name stays deferred (not failed).
    finished = run_step(store, dns_acme, resellers, "finish", budget={"orders_per_run": 1})
    assert finished["created"] == ["budget-one.provider.test"], finished["certificates"]
    assert finished["deferred_fqdns"] == ["budget-two.provider.test"] and finished["failed_fqdns"] == []
    assert "orders_per_run" in finished["certificates"]["budget-two.provider.test"]["deferred"]


def test_acme_step_finish_without_an_open_step_fails_naming_the_domain(dns_acme, tmp_path):
    result = run_step(tmp_path / "store", dns_acme, [reseller("web", "step-none.provider.test")], "finish")
    assert result["failed_fqdns"] == ["step-none.provider.test"]
    assert "acme_step open did not run" in result["certificates"]["step-none.provider.test"]["error"]


def test_http01_needs_a_webroot_only_when_ordering_in_one_step(dns_acme):
    requests = [{"where": "reseller 'web'", "fqdn": "web.provider.test", "tls": {"challenge": "http-01"}}]
    base = dict(settings(dns_acme), acme_webroots=[])
    assert any("acme_webroots is empty" in p for p in _tls_acme.validate_requests(requests, base))
    for step in ("open", "finish"):
        assert _tls_acme.validate_requests(requests, dict(base, acme_step=step)) == []
