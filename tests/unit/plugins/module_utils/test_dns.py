# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_dns against a real bind9 on loopback: preflight resolution and RFC 2136 updates with TSIG."""
from __future__ import annotations

import socket

import dns.message
import dns.query
import dns.rdatatype
import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _dns
from tests.support.dns_acme_servers import free_port

FRONTENDS = ("127.0.0.1", "::1")


def check(dns_acme, fqdns, addresses=FRONTENDS, **kwargs):
    server = dns_acme["dns"]
    kwargs.setdefault("timeout", 1.0)
    kwargs.setdefault("retries", 0)
    results, problems = _dns.check_fqdns(fqdns, addresses, ["127.0.0.1"], server["port"], **kwargs)
    assert problems == []
    return results


def lookup(dns_acme, name, rdtype):
    """What bind9 serves now, asked directly (independent of the code under test)."""
    reply = dns.query.tcp(dns.message.make_query(name, rdtype), "127.0.0.1", port=dns_acme["dns"]["port"],
                          timeout=5)
    return sorted(r.to_text() for rrset in reply.answer if rrset.rdtype == dns.rdatatype.from_text(rdtype)
                  for r in rrset)


def apply(dns_acme, records, check_mode=False, tsig=None, zones=None, **kwargs):
    server = dns_acme["dns"]
    return _dns.apply_records(records, zones or ["provider.test", "elsewhere.test"], "127.0.0.1", server["port"],
                              tsig or server["tsig"], default_addresses=kwargs.pop("addresses", FRONTENDS),
                              check_mode=check_mode, timeout=5, **kwargs)


# ------------------------------------------------------------------------------------------------ preflight
def test_matching_records(dns_acme):
    results = check(dns_acme, ["ok.provider.test", "dual.provider.test"])
    assert results["ok.provider.test"]["status"] == "ok"
    assert results["ok.provider.test"]["addresses"] == ["127.0.0.1"]
    assert results["dual.provider.test"]["status"] == "ok"
    assert results["dual.provider.test"]["addresses"] == ["127.0.0.1", "::1"]


def test_cnames_are_followed_within_and_across_zones(dns_acme):
    results = check(dns_acme, ["alias.provider.test", "alias-out.provider.test"])
    assert results["alias.provider.test"]["status"] == "ok"
    assert results["alias.provider.test"]["cnames"] == ["ok.provider.test"]
    # The server answers only the CNAME for a target in another zone; the check asks for the target itself.
    assert results["alias-out.provider.test"]["status"] == "ok"
    assert results["alias-out.provider.test"]["cnames"] == ["www.elsewhere.test"]
    assert results["alias-out.provider.test"]["addresses"] == ["127.0.0.1"]


def test_mismatch_names_what_was_found(dns_acme):
    result = check(dns_acme, ["wrong.provider.test"])["wrong.provider.test"]
    assert result["status"] == "mismatch"
    assert result["addresses"] == ["198.51.100.7"]
    assert "198.51.100.7" in result["message"] and "wrong.provider.test" in result["message"]


def test_address_outside_the_frontends_is_a_mismatch(dns_acme):
    result = check(dns_acme, ["dual.provider.test"], addresses=["127.0.0.1"])["dual.provider.test"]
    assert result["status"] == "mismatch"
    assert "::1" in result["message"]


def test_nxdomain_and_nodata(dns_acme):
    results = check(dns_acme, ["missing.provider.test", "textonly.provider.test"])
    assert results["missing.provider.test"]["status"] == "nxdomain"
    assert results["textonly.provider.test"]["status"] == "nodata"


def test_unreachable_name_server_is_a_timeout(dns_acme):
    # Nothing listens on this port: the connection is refused.
    results, problems = _dns.check_fqdns(["ok.provider.test"], FRONTENDS, ["127.0.0.1"], free_port(),
                                         timeout=0.5, retries=1)
    assert problems == []
    assert results["ok.provider.test"]["status"] == "timeout"


def test_silent_name_server_is_a_timeout(dns_acme):
    # A socket that receives queries and never answers.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]
        results, problems = _dns.check_fqdns(["ok.provider.test", "dual.provider.test"], FRONTENDS,
                                             ["127.0.0.1"], port, timeout=0.3, retries=1)
    assert problems == []
    assert {r["status"] for r in results.values()} == {"timeout"}
    assert "0.6 s" in results["ok.provider.test"]["message"]


def test_server_not_serving_the_zone_is_an_error(dns_acme):
    result = check(dns_acme, ["x.notserved.test"])["x.notserved.test"]
    assert result["status"] == "error"
    assert "REFUSED" in result["message"]


def test_invalid_input_lists_every_problem_before_querying():
    results, problems = _dns.check_fqdns(["bad_name.test", "ok.test", "nodot"], ["not-an-ip"],
                                         ["ns.example.test"])
    assert results == {}
    assert any("not-an-ip" in p for p in problems)
    assert any("ns.example.test" in p for p in problems)
    assert any("bad_name" in p for p in problems)
    assert any("nodot" in p for p in problems)


def test_exclude_zones():
    keep, excluded = _dns.exclude_zones(["a.provider.test", "b.other.test", "Provider.TEST"], ["provider.test"])
    assert keep == ["b.other.test"]
    assert excluded == ["a.provider.test", "provider.test"]


# -------------------------------------------------------------------------------------------- RFC 2136 path
def test_create_update_delete_and_idempotence(dns_acme):
    records = [{"fqdn": "crud.provider.test"}, {"fqdn": "crud-alias.provider.test", "cname": "ok.provider.test"},
               {"fqdn": "crud.elsewhere.test", "addresses": ["192.0.2.10"], "ttl": 120}]
    first = apply(dns_acme, records)
    assert first["changed"] is True
    assert first["created"] == ["crud-alias.provider.test", "crud.elsewhere.test", "crud.provider.test"]
    assert first["zones"] == {"elsewhere.test": "changed", "provider.test": "changed"}
    assert lookup(dns_acme, "crud.provider.test", "A") == ["127.0.0.1"]
    assert lookup(dns_acme, "crud.provider.test", "AAAA") == ["::1"]
    assert lookup(dns_acme, "crud-alias.provider.test", "CNAME") == ["ok.provider.test."]
    assert lookup(dns_acme, "crud.elsewhere.test", "A") == ["192.0.2.10"]

    again = apply(dns_acme, records)
    assert again["changed"] is False
    assert again["unchanged"] == first["created"]

    # Update: new addresses; an A/AAAA name becomes a CNAME and back.
    records = [{"fqdn": "crud.provider.test", "cname": "ok.provider.test"},
               {"fqdn": "crud-alias.provider.test", "addresses": ["192.0.2.20"]},
               {"fqdn": "crud.elsewhere.test", "addresses": ["192.0.2.11"], "ttl": 120}]
    updated = apply(dns_acme, records)
    assert updated["updated"] == ["crud-alias.provider.test", "crud.elsewhere.test", "crud.provider.test"]
    assert lookup(dns_acme, "crud.provider.test", "A") == ["127.0.0.1"]  # through the CNAME
    assert lookup(dns_acme, "crud.provider.test", "CNAME") == ["ok.provider.test."]
    assert lookup(dns_acme, "crud-alias.provider.test", "A") == ["192.0.2.20"]
    assert lookup(dns_acme, "crud-alias.provider.test", "CNAME") == []
    assert lookup(dns_acme, "crud.elsewhere.test", "A") == ["192.0.2.11"]
    assert "crud.elsewhere.test 120 IN A 192.0.2.10" in updated["diff"]["before"]
    assert "crud.elsewhere.test 120 IN A 192.0.2.11" in updated["diff"]["after"]

    # Delete (an offboarded reseller).
    removed = apply(dns_acme, [dict(r, state="absent") for r in records])
    assert removed["removed"] == ["crud-alias.provider.test", "crud.elsewhere.test", "crud.provider.test"]
    for name in ("crud.provider.test", "crud-alias.provider.test", "crud.elsewhere.test"):
        assert lookup(dns_acme, name, "A") == [] and lookup(dns_acme, name, "CNAME") == []
    gone = apply(dns_acme, [dict(r, state="absent") for r in records])
    assert gone["changed"] is False and gone["removed"] == []


def test_check_mode_sends_no_update_and_diff_has_no_secret(dns_acme):
    result = apply(dns_acme, [{"fqdn": "dry.provider.test"}], check_mode=True)
    assert result["changed"] is True and result["created"] == ["dry.provider.test"]
    assert "dry.provider.test 300 IN A 127.0.0.1" in result["diff"]["after"]
    assert lookup(dns_acme, "dry.provider.test", "A") == []
    secret = dns_acme["dns"]["tsig"]["secret"]
    assert secret not in repr(result)


def test_outside_zones_are_skipped_or_fail(dns_acme):
    result = apply(dns_acme, [{"fqdn": "cloud.customer.test"}, {"fqdn": "skip.provider.test"}], check_mode=True)
    assert result["outside"] == ["cloud.customer.test"]
    with pytest.raises(_dns.DNSError) as caught:
        apply(dns_acme, [{"fqdn": "cloud.customer.test"}], outside_zones="fail")
    assert "cloud.customer.test" in str(caught.value)


def test_wrong_tsig_secret_is_a_clear_error(dns_acme):
    tsig = dict(dns_acme["dns"]["tsig"], secret="c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1yaWdodC1vbmU=")
    result = apply(dns_acme, [{"fqdn": "badsig.provider.test"}], tsig=tsig)
    assert result["changed"] is False
    assert result["failed_fqdns"] == ["badsig.provider.test"]
    message = result["failed_zones"]["provider.test"]
    assert "BADSIG" in message and "provider.test" in message and "127.0.0.1:" in message
    assert tsig["secret"] not in repr(result)
    assert lookup(dns_acme, "badsig.provider.test", "A") == []


def test_unknown_tsig_key_is_a_clear_error(dns_acme):
    tsig = dict(dns_acme["dns"]["tsig"], name="someone-else")
    result = apply(dns_acme, [{"fqdn": "badkey.provider.test"}], tsig=tsig)
    assert "BADKEY" in result["failed_zones"]["provider.test"]
    assert "someone-else" in result["failed_zones"]["provider.test"]


def test_zone_not_found_on_server(dns_acme):
    with pytest.raises(_dns.DNSError) as caught:
        apply(dns_acme, [{"fqdn": "www.notserved.test"}], zones=["notserved.test"])
    message = str(caught.value)
    assert "zone notserved.test not found on server 127.0.0.1:%d" % dns_acme["dns"]["port"] in message


def test_refused_update_names_zone_and_server(dns_acme):
    result = apply(dns_acme, [{"fqdn": "new.static.test"}], zones=["static.test"])
    message = result["failed_zones"]["static.test"]
    assert "REFUSED" in message and "static.test" in message and "127.0.0.1:" in message
    assert lookup(dns_acme, "new.static.test", "A") == []


def test_unreachable_server_is_a_clear_error_and_leaves_no_socket_open(dns_acme, monkeypatch):
    opened = []

    class RecordedSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(_dns.socket, "socket", RecordedSocket)
    port = free_port()
    with pytest.raises(_dns.DNSError) as caught:
        _dns.apply_records([{"fqdn": "a.provider.test"}], ["provider.test"], "127.0.0.1", port,
                           dns_acme["dns"]["tsig"], default_addresses=FRONTENDS, timeout=1)
    assert "provider.test" in str(caught.value) and "127.0.0.1:%d" % port in str(caught.value)
    assert opened and all(sock.fileno() == -1 for sock in opened)


def test_validation_lists_all_problems_before_sending(dns_acme):
    records = [{"fqdn": "a.provider.test", "addresses": ["999.1.1.1"]},
               {"fqdn": "b.provider.test", "cname": "x.test", "addresses": ["192.0.2.1"]},
               {"fqdn": "provider.test", "cname": "x.test"},
               {"fqdn": "a.provider.test"},
               {"fqdn": "c.provider.test", "state": "gone"}]
    with pytest.raises(_dns.DNSError) as caught:
        apply(dns_acme, records, tsig=dict(name="k", secret="%%%", algorithm="hmac-sha999"))
    problems = caught.value.problems
    text = "\n".join(problems)
    assert "a.provider.test" in text and "999.1.1.1" in text
    assert "b.provider.test" in text and "not both" in text
    assert "zone apex" in text
    assert "declared twice" in text
    assert "c.provider.test" in text and "state" in text
    assert "tsig.secret: not valid base64" in text and "tsig.algorithm" in text
    assert "%%%" not in text
    assert lookup(dns_acme, "b.provider.test", "A") == []


def test_rfc2136_challenges_add_and_remove_txt(dns_acme):
    server = dns_acme["dns"]
    responder = _dns.Rfc2136Challenges(["provider.test"], "127.0.0.1", server["port"], server["tsig"]["name"],
                                       server["tsig"]["secret"], server["tsig"]["algorithm"])
    assert responder.covers("shop.provider.test") and not responder.covers("shop.customer.test")
    responder.set_txt("shop.provider.test", "token-one")
    responder.set_txt("shop.provider.test", "token-two")
    assert lookup(dns_acme, "_acme-challenge.shop.provider.test", "TXT") == ['"token-one"', '"token-two"']
    responder.remove_txt("shop.provider.test", "token-one")
    assert lookup(dns_acme, "_acme-challenge.shop.provider.test", "TXT") == ['"token-two"']
    responder.remove_txt("shop.provider.test", "token-two")
    assert lookup(dns_acme, "_acme-challenge.shop.provider.test", "TXT") == []
    with pytest.raises(_dns.DNSError):
        responder.set_txt("shop.customer.test", "x")


def test_large_change_sets_are_split_into_several_updates(dns_acme, monkeypatch):
    monkeypatch.setattr(_dns, "UPDATE_CHUNK", 2)
    sent = []
    original = _dns.ZoneServer.update

    def counting(self, zone, build):
        sent.append(zone)
        return original(self, zone, build)

    monkeypatch.setattr(_dns.ZoneServer, "update", counting)
    records = [{"fqdn": "chunk%d.provider.test" % i} for i in range(5)]
    result = apply(dns_acme, records)
    assert result["created"] == sorted(r["fqdn"] for r in records)
    assert sent == ["provider.test"] * 3
    assert all(lookup(dns_acme, r["fqdn"], "A") == ["127.0.0.1"] for r in records)
    apply(dns_acme, [dict(r, state="absent") for r in records])
    assert all(lookup(dns_acme, r["fqdn"], "A") == [] for r in records)
