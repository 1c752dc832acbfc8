# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_acme against a real pebble (validating for real) that resolves through the test bind9."""
from __future__ import annotations

import dns.message
import dns.query
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ansible_collections.panelops.reseller.plugins.module_utils import _acme, _dns
from tests.support.dns_acme_servers import ChallengeServer, free_port, pebble_roots


@pytest.fixture(scope="module")
def account_key():
    return _acme.new_account_key()


def dns01_for(dns_acme):
    server = dns_acme["dns"]
    return _dns.Rfc2136Challenges(["provider.test"], "127.0.0.1", server["port"], server["tsig"]["name"],
                                  server["tsig"]["secret"], server["tsig"]["algorithm"])


def point(dns_acme, records):
    server = dns_acme["dns"]
    _dns.apply_records(records, ["provider.test"], "127.0.0.1", server["port"], server["tsig"],
                       default_addresses=["127.0.0.1"])


def order(fqdn, challenge):
    return dict(fqdn=fqdn, key_pem=_acme.new_account_key(), challenge=challenge)


def txt(dns_acme, name):
    reply = dns.query.tcp(dns.message.make_query(name, "TXT"), "127.0.0.1", port=dns_acme["dns"]["port"],
                          timeout=5)
    return [r.to_text() for rrset in reply.answer for r in rrset]


def verify_chain(result, key_pem, fqdn, root_pem):
    certs = x509.load_pem_x509_certificates(result["fullchain_pem"].encode("ascii"))
    leaf = certs[0]
    assert result["cert_pem"].strip() == leaf.public_bytes(serialization.Encoding.PEM).decode("ascii").strip()
    assert x509.load_pem_x509_certificates(result["chain_pem"].encode("ascii")) == certs[1:]
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == [fqdn]
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert leaf.public_key().public_numbers() == key.public_key().public_numbers()
    # leaf <- intermediate(s) <- pebble's root of this run
    chain = certs + [x509.load_pem_x509_certificate(root_pem.encode("ascii"))]
    for child, parent in zip(chain, chain[1:]):
        child.verify_directly_issued_by(parent)


def test_http01_and_dns01_issue_while_a_wrong_domain_fails_alone(dns_acme, account_key):
    acme = dns_acme["acme"]
    point(dns_acme, [{"fqdn": "web.provider.test"}, {"fqdn": "web2.provider.test"},
                     {"fqdn": "misdirected.provider.test", "addresses": ["127.0.0.9"]}])
    orders = [order("web.provider.test", "http-01"), order("web2.provider.test", "http-01"),
              order("txt.provider.test", "dns-01"), order("misdirected.provider.test", "http-01"),
              order("nowhere.provider.test", "http-01")]
    with ChallengeServer(acme["http_port"]) as http01:
        results = _acme.order_certificates(orders, acme["directory"], account_key,
                                           trust_anchor=acme["trust_anchor"], http01=http01,
                                           dns01=dns01_for(dns_acme), timeout=30)
        assert http01.tokens == {}  # every challenge file removed afterwards
        assert any(p.startswith("/.well-known/acme-challenge/") for p in http01.requests)
    assert txt(dns_acme, "_acme-challenge.txt.provider.test") == []

    assert sorted(results) == sorted(o["fqdn"] for o in orders)
    root = pebble_roots(acme)
    for item in orders[:3]:
        result = results[item["fqdn"]]
        assert result["status"] == "issued", result["error"]
        assert result["error"] is None
        verify_chain(result, item["key_pem"], item["fqdn"], root)

    wrong = results["misdirected.provider.test"]
    assert wrong["status"] == "failed" and wrong["fullchain_pem"] == ""
    assert "misdirected.provider.test" in wrong["error"] and "127.0.0.9" in wrong["error"]
    missing = results["nowhere.provider.test"]
    assert missing["status"] == "failed"
    assert "nowhere.provider.test" in missing["error"]


def test_account_key_is_reused_on_a_later_run(dns_acme, account_key):
    acme = dns_acme["acme"]
    point(dns_acme, [{"fqdn": "again.provider.test"}])
    with ChallengeServer(acme["http_port"]) as http01:
        first = _acme.order_certificates([order("again.provider.test", "http-01")], acme["directory"],
                                         account_key, trust_anchor=acme["trust_anchor"], http01=http01)
        second = _acme.order_certificates([order("again.provider.test", "http-01")], acme["directory"],
                                          account_key, trust_anchor=acme["trust_anchor"], http01=http01)
    assert first["again.provider.test"]["status"] == "issued"
    assert second["again.provider.test"]["status"] == "issued"
    assert first["again.provider.test"]["cert_pem"] != second["again.provider.test"]["cert_pem"]


def test_dns01_outside_the_provider_zones_fails_alone(dns_acme, account_key):
    acme = dns_acme["acme"]
    results = _acme.order_certificates([order("txt2.provider.test", "dns-01"), order("shop.customer.test", "dns-01")],
                                       acme["directory"], account_key, trust_anchor=acme["trust_anchor"],
                                       dns01=dns01_for(dns_acme), timeout=30)
    assert results["txt2.provider.test"]["status"] == "issued"
    assert results["shop.customer.test"]["status"] == "failed"
    assert "not inside any provider zone" in results["shop.customer.test"]["error"]


def test_untrusted_directory_fails_every_order_clearly(dns_acme, account_key):
    acme = dns_acme["acme"]
    # Without pebble's trust anchor the system's CAs are used, and pebble's certificate is not trusted.
    results = _acme.order_certificates([order("a.provider.test", "dns-01")], acme["directory"], account_key,
                                       dns01=dns01_for(dns_acme), timeout=10)
    assert results["a.provider.test"]["status"] == "failed"
    assert acme["directory"] in results["a.provider.test"]["error"]
    assert "SSL" in results["a.provider.test"]["error"] or "certificate" in results["a.provider.test"]["error"]


def test_unreachable_directory_fails_every_order(account_key):
    url = "https://127.0.0.1:%d/dir" % free_port()
    results = _acme.order_certificates([order("a.provider.test", "http-01"), order("b.provider.test", "http-01")],
                                       url, account_key, http01=object(), timeout=2)
    assert {r["status"] for r in results.values()} == {"failed"}
    assert all(url in r["error"] for r in results.values())


def test_orders_that_cannot_be_attempted_fail_without_contacting_the_ca(account_key):
    url = "https://127.0.0.1:%d/dir" % free_port()  # never reached: every order is invalid
    results = _acme.order_certificates(
        [dict(fqdn="a.provider.test", key_pem=b"x", challenge="tls-alpn-01"),
         dict(fqdn="b.provider.test", key_pem=b"x", challenge="http-01"),
         dict(fqdn="c.provider.test", key_pem=b"x", challenge="dns-01"),
         dict(fqdn="bad_name", key_pem=b"x", challenge="http-01")],
        url, account_key)
    assert "tls-alpn-01" in results["a.provider.test"]["error"]
    assert "no HTTP-01 responder" in results["b.provider.test"]["error"]
    assert "no DNS-01" in results["c.provider.test"]["error"]
    assert results["bad_name"]["status"] == "failed" and "fqdn" in results["bad_name"]["error"]
    assert url not in repr(results)


def test_named_orders_check_each_name_and_a_wildcard_needs_dns01(account_key):
    url = "https://127.0.0.1:%d/dir" % free_port()  # never reached: every order is invalid
    results = _acme.order_certificates(
        [dict(fqdn="_wildcard.z.provider.test", names=["*.z.provider.test"], key_pem=b"x", challenge="http-01"),
         dict(fqdn="_wildcard.bad", names=["*.bad_zone.test"], key_pem=b"x", challenge="dns-01"),
         dict(fqdn="", names=["*.y.provider.test"], key_pem=b"x", challenge="dns-01")],
        url, account_key, http01=object(), dns01=object())
    assert results["_wildcard.z.provider.test"]["error"] == (
        "names: a wildcard (*.z.provider.test) can only be validated by dns-01")
    assert "names: label 'bad_zone'" in results["_wildcard.bad"]["error"]
    assert results["orders[2]"]["error"] == "fqdn: the key of the order is required"
    assert url not in repr(results)


def test_new_account_key_is_p256():
    key = serialization.load_pem_private_key(_acme.new_account_key(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"


def test_split_chain():
    block = "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n"
    cert, chain = _acme.split_chain(block % "AAA" + block % "BBB" + block % "CCC")
    assert cert == block % "AAA"
    assert chain == block % "BBB" + block % "CCC"


def test_webroot_challenges_on_every_frontend(dns_acme, account_key, tmp_path):
    """HTTP-01 through files in two webroots; pebble fetches them from a server of the first one."""
    import functools
    import http.server
    import threading

    acme = dns_acme["acme"]
    roots = [tmp_path / "frontend-1", tmp_path / "frontend-2"]
    responder = _acme.WebrootChallenges([str(r) for r in roots])
    seen = {}

    class Recorder(_acme.WebrootChallenges):
        def place(self, token, content):
            responder.place(token, content)
            seen[token] = [(r / ".well-known" / "acme-challenge" / token).read_text() for r in roots]

        def remove(self, token):
            responder.remove(token)

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(roots[0]))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", acme["http_port"]), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        point(dns_acme, [{"fqdn": "webroot.provider.test"}])
        results = _acme.order_certificates([order("webroot.provider.test", "http-01")], acme["directory"],
                                           account_key, trust_anchor=acme["trust_anchor"], http01=Recorder([]))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert results["webroot.provider.test"]["status"] == "issued", results["webroot.provider.test"]["error"]
    assert len(seen) == 1
    token, contents = next(iter(seen.items()))
    assert contents[0] == contents[1] and contents[0].startswith(token + ".")
    for root in roots:
        assert list((root / ".well-known" / "acme-challenge").iterdir()) == []


def test_webroot_challenges_refuse_path_tokens(tmp_path):
    with pytest.raises(_acme.ACMEError):
        _acme.WebrootChallenges([str(tmp_path)]).place("../escape", "x")


def test_silent_directory_fails_instead_of_hanging(account_key):
    import socket

    # Accepts connections (the kernel's backlog) but never speaks: the request must give up after `timeout`.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = "https://127.0.0.1:%d/dir" % silent.getsockname()[1]
        results = _acme.order_certificates([order("a.provider.test", "http-01")], url, account_key,
                                           http01=object(), timeout=1)
    assert results["a.provider.test"]["status"] == "failed"
    assert url in results["a.provider.test"]["error"]
    assert "timed out" in results["a.provider.test"]["error"].lower()


def test_two_step_orders_open_then_finish_from_their_saved_state(dns_acme, account_key):
    """open_orders places the challenges and answers none; finish_orders, from the JSON the first step saved,
    answers, finalizes and removes the DNS-01 records."""
    import json

    acme = dns_acme["acme"]
    point(dns_acme, [{"fqdn": "twostep.provider.test"}])
    orders = [order("twostep.provider.test", "http-01"), order("twostep-txt.provider.test", "dns-01")]
    collected = _acme.CollectedChallenges()
    failed, pending = _acme.open_orders(orders, acme["directory"], account_key, trust_anchor=acme["trust_anchor"],
                                        http01=collected, dns01=dns01_for(dns_acme), timeout=30)
    assert failed == {} and sorted(pending) == ["twostep-txt.provider.test", "twostep.provider.test"]
    # The HTTP-01 token is handed back for the frontends; the DNS-01 record is already in the zone.
    assert len(collected.placed) == 1
    token, content = next(iter(collected.placed.items()))
    assert content.startswith(token + ".")
    assert txt(dns_acme, "_acme-challenge.twostep-txt.provider.test") != []
    saved = json.loads(json.dumps(pending))  # what the caller keeps between the steps

    with ChallengeServer(acme["http_port"]) as http01:
        http01.place(token, content)  # as every frontend does between the two steps
        results = _acme.finish_orders(saved, acme["directory"], account_key, trust_anchor=acme["trust_anchor"],
                                      dns01=dns01_for(dns_acme), timeout=30)
        assert "/.well-known/acme-challenge/" + token in http01.requests
    root = pebble_roots(acme)
    for item in orders:
        result = results[item["fqdn"]]
        assert result["status"] == "issued", result["error"]
        verify_chain(result, item["key_pem"], item["fqdn"], root)
    assert txt(dns_acme, "_acme-challenge.twostep-txt.provider.test") == []


def test_open_orders_fails_what_cannot_be_opened_and_keeps_nothing_of_it(dns_acme, account_key):
    acme = dns_acme["acme"]
    collected = _acme.CollectedChallenges()
    # An order that cannot be attempted fails without contacting the CA; an unreachable CA fails every order.
    failed, pending = _acme.open_orders([dict(fqdn="a.provider.test", key_pem=b"x", challenge="tls-alpn-01")],
                                        "https://127.0.0.1:%d/dir" % free_port(), account_key, http01=collected)
    assert pending == {} and "tls-alpn-01" in failed["a.provider.test"]["error"]
    url = "https://127.0.0.1:%d/dir" % free_port()
    failed, pending = _acme.open_orders([order("b.provider.test", "http-01")], url, account_key, http01=collected,
                                        timeout=2)
    assert pending == {} and url in failed["b.provider.test"]["error"]
    # An order whose challenge cannot be placed (DNS-01 outside the provider zones) fails alone; the others
    # stay open with their challenges placed.
    failed, pending = _acme.open_orders([order("ok.provider.test", "http-01"), order("shop.customer.test", "dns-01")],
                                        acme["directory"], account_key, trust_anchor=acme["trust_anchor"],
                                        http01=collected, dns01=dns01_for(dns_acme), timeout=30)
    assert sorted(pending) == ["ok.provider.test"] and sorted(failed) == ["shop.customer.test"]
    assert "not inside any provider zone" in failed["shop.customer.test"]["error"]
    assert len(collected.placed) == 1 and len(pending["ok.provider.test"]["challenges"]) == 1


def test_finish_orders_fails_a_damaged_saved_order_alone_and_needs_nothing_for_no_orders(dns_acme, account_key):
    acme = dns_acme["acme"]
    assert _acme.finish_orders({}, "https://127.0.0.1:%d/dir" % free_port(), account_key) == {}
    results = _acme.finish_orders({"damaged.provider.test": {"order": {"body": "not an order"}, "challenges": []}},
                                  acme["directory"], account_key, trust_anchor=acme["trust_anchor"], timeout=30)
    assert results["damaged.provider.test"]["status"] == "failed"
    assert "could not be read back" in results["damaged.provider.test"]["error"]
    url = "https://127.0.0.1:%d/dir" % free_port()
    results = _acme.finish_orders({"gone.provider.test": {"order": {}, "challenges": []}}, url, account_key, timeout=2)
    assert results["gone.provider.test"]["status"] == "failed" and url in results["gone.provider.test"]["error"]


def test_collected_challenges_refuse_path_tokens_and_forget_removed_ones():
    collected = _acme.CollectedChallenges()
    for token in ("../escape", "a/b", ".hidden", ""):
        with pytest.raises(_acme.ACMEError):
            collected.place(token, "x")
    collected.place("tok", "tok.thumb")
    collected.remove("tok")
    collected.remove("never-placed")
    assert collected.placed == {}


# ----------------------------------------------------------------------------------------------- retries
# pebble cannot be made to answer 5xx or rateLimited, so these use a stand-in of the network's last response.
class _Response(object):
    def __init__(self, status, retry_after=None):
        self.status_code = status
        self.headers = {"Retry-After": retry_after} if retry_after is not None else {}


class _Net(object):
    def __init__(self, response):
        self.last_response = response


def _problem(code, detail="slow down"):
    from acme import messages
    return messages.Error(typ="urn:ietf:params:acme:error:" + code, detail=detail)


def _failing(errors_then_value):
    calls = []

    def call():
        calls.append(1)
        item = errors_then_value[len(calls) - 1]
        if isinstance(item, Exception):
            raise item
        return item
    return call, calls


def test_server_errors_are_retried_with_a_doubling_backoff(monkeypatch):
    waits = []
    monkeypatch.setattr(_acme, "_sleep", waits.append)
    call, calls = _failing([_problem("serverInternal"), _problem("serverInternal"), "done"])
    policy = {"retries": 3, "retry_max_wait": 30}
    assert _acme._retrying(_Net(_Response(500)), policy, call) == "done"
    assert waits == [1.0, 2.0] and len(calls) == 3
    # Bounded: the third failure is the last try.
    call, calls = _failing([_problem("serverInternal")] * 3)
    with pytest.raises(Exception, match="slow down"):
        _acme._retrying(_Net(_Response(503)), policy, call)
    assert len(calls) == 3


def test_rate_limit_honours_retry_after_and_a_long_one_is_not_waited_for(monkeypatch):
    waits = []
    monkeypatch.setattr(_acme, "_sleep", waits.append)
    policy = {"retries": 3, "retry_max_wait": 30}
    call, calls = _failing([_problem("rateLimited"), "ok"])
    assert _acme._retrying(_Net(_Response(429, "7")), policy, call) == "ok"
    assert waits == [7.0]
    call, calls = _failing([_problem("rateLimited")])
    with pytest.raises(_acme.RateLimited, match=r"rate limited by the CA: slow down \(rateLimited\) \(retry after 3600 s\)"):
        _acme._retrying(_Net(_Response(429, "3600")), policy, call)
    assert len(calls) == 1 and waits == [7.0]


def test_a_refusal_or_failed_validation_is_not_retried(monkeypatch):
    monkeypatch.setattr(_acme, "_sleep", lambda s: pytest.fail("no wait expected"))
    call, calls = _failing([_problem("unauthorized", "validation failed")])
    with pytest.raises(Exception, match="validation failed"):
        _acme._retrying(_Net(_Response(403)), {"retries": 3, "retry_max_wait": 30}, call)
    assert len(calls) == 1


def test_retry_after_as_seconds_or_http_date():
    assert _acme.retry_after_seconds(_Response(429, "12"), 1) == 12.0
    assert _acme.retry_after_seconds(_Response(429), 4) == 4
    assert _acme.retry_after_seconds(_Response(429, "Wed, 21 Oct 2015 07:28:00 GMT"), 1) == 0.0
    assert _acme.retry_after_seconds(_Response(429, "soon"), 5) == 5
    assert _acme.retry_after_seconds(None, 2) == 2


def test_a_long_rate_limit_defers_that_order_and_the_ones_after_it(monkeypatch, account_key):
    class FakeACME(object):
        def __init__(self):
            self.orders = 0

        def new_order(self, csr):
            self.orders += 1
            raise _problem("rateLimited", "too many new orders")

    fake = FakeACME()
    monkeypatch.setattr(_acme, "_connect", lambda *a, **k: (fake, None, _Net(_Response(429, "10800"))))
    monkeypatch.setattr(_acme, "_sleep", lambda s: pytest.fail("no wait expected"))
    key = _acme.new_account_key()
    results = _acme.order_certificates(
        [{"fqdn": "a.provider.test", "key_pem": key}, {"fqdn": "b.provider.test", "key_pem": key}],
        "https://127.0.0.1:1/dir", account_key, http01=_acme.WebrootChallenges([]))
    assert fake.orders == 1
    assert results["a.provider.test"]["status"] == "deferred"
    assert "too many new orders" in results["a.provider.test"]["error"]
    assert results["b.provider.test"]["status"] == "deferred"
    assert results["b.provider.test"]["error"].startswith("not ordered: an earlier order of this run was rate limited")
