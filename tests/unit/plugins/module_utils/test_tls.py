# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_tls: the internal CA, renewal decisions, provided-mode checks, retirement and the provider registry."""
from __future__ import annotations

import datetime
import os
import shutil
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.panelops.reseller.plugins.module_utils import _tls
from tests.support.files import read_bytes

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.timezone.utc)
RESELLERS = [
    {"name": "acme", "state": "present", "enduser_panel_url": "https://cloud.acme.test:8443/"},
    {"name": "globex", "state": "suspended", "enduser_panel_url": "https://panel.globex.test/"},
]
PROVIDER = "https://panel.demo.test/"


def ensure(store, resellers=None, now=NOW, **kwargs):
    return _tls.ensure_certificates(str(store), RESELLERS if resellers is None else resellers,
                                    provider_url=kwargs.pop("provider_url", PROVIDER), now=now, **kwargs)


def stored(store, fqdn, name="cert.pem"):
    with open(os.path.join(str(store), "certs", fqdn, name), "rb") as handle:
        return handle.read()


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_internal_ca_issues_one_certificate_per_fqdn_then_keeps_them(tmp_path):
    first = ensure(tmp_path)
    assert first["changed"] is True and first["ca_created"] is True
    assert first["created"] == ["cloud.acme.test", "panel.demo.test", "panel.globex.test"]
    assert mode(tmp_path / "ca" / "ca.key") == 0o600
    assert mode(tmp_path / "certs" / "cloud.acme.test" / "privkey.pem") == 0o600
    ca = x509.load_pem_x509_certificate((tmp_path / "ca" / "ca.crt").read_bytes())
    assert isinstance(ca.public_key(), ec.EllipticCurvePublicKey) and ca.public_key().curve.name == "secp256r1"
    leaf = x509.load_pem_x509_certificate(stored(tmp_path, "cloud.acme.test"))
    assert _tls.san_names(leaf) == ["cloud.acme.test"]
    assert leaf.issuer == ca.subject
    ca.public_key().verify(leaf.signature, leaf.tbs_certificate_bytes, ec.ECDSA(leaf.signature_hash_algorithm))
    # chain.pem is the CA; what nginx serves leaves that root out (every client that can verify it has it).
    assert stored(tmp_path, "cloud.acme.test", "chain.pem") == (tmp_path / "ca" / "ca.crt").read_bytes()
    assert stored(tmp_path, "cloud.acme.test", "fullchain.pem") == stored(tmp_path, "cloud.acme.test")
    # The diff shows public facts, never a key.
    assert "san: cloud.acme.test" in first["diff"]["after"] and "issuer: CN=panelops.reseller internal CA" in \
        first["diff"]["after"]
    assert "PRIVATE" not in repr(first)

    second = ensure(tmp_path, now=NOW + datetime.timedelta(days=1))
    assert second["changed"] is False
    assert second["unchanged"] == ["cloud.acme.test", "panel.demo.test", "panel.globex.test"]
    assert stored(tmp_path, "cloud.acme.test") == leaf.public_bytes(_serialization_pem())


def _serialization_pem():
    from cryptography.hazmat.primitives.serialization import Encoding
    return Encoding.PEM


def test_renewal_threshold(tmp_path):
    ensure(tmp_path, options={"days": 90})
    original = stored(tmp_path, "cloud.acme.test")
    # 90-day certificates, renew_days 30 (the same moment as a third of the lifetime): at day 59 (31 days left)
    # nothing, at day 61 (29 left) everything.
    kept = ensure(tmp_path, now=NOW + datetime.timedelta(days=59), renew_days=30)
    assert kept["changed"] is False and stored(tmp_path, "cloud.acme.test") == original
    renewed = ensure(tmp_path, now=NOW + datetime.timedelta(days=61), renew_days=30)
    assert renewed["renewed"] == ["cloud.acme.test", "panel.demo.test", "panel.globex.test"]
    assert renewed["certificates"]["cloud.acme.test"]["reason"].startswith("32% of its lifetime left (29 days")
    assert stored(tmp_path, "cloud.acme.test") != original
    assert "not_after: 2027-04-01" in renewed["diff"]["after"]
    assert "not_after: 2027-01-30" in renewed["diff"]["before"]


def test_renewal_by_fraction_without_renew_days_and_per_mode(tmp_path):
    ensure(tmp_path, options={"days": 90})
    # No renew_days: a third of 90 days is due at day 60; at day 50 (40 days left) nothing is due.
    assert ensure(tmp_path, now=NOW + datetime.timedelta(days=50))["changed"] is False
    # The internal CA's fraction raised to a half: due at day 45, so at day 50 every certificate is renewed.
    renewed = ensure(tmp_path, now=NOW + datetime.timedelta(days=50),
                     default_tls={"mode": "internal_ca", "renew_fraction_per_mode": {"internal_ca": 0.5}})
    assert renewed["renewed"] == ["cloud.acme.test", "panel.demo.test", "panel.globex.test"]
    assert "renew_fraction 0.50" in renewed["certificates"]["cloud.acme.test"]["reason"]


def test_renewal_settings_are_checked_before_anything_is_written(tmp_path):
    with pytest.raises(_tls.TLSError) as caught:
        ensure(tmp_path, default_tls={"mode": "internal_ca", "renew_fraction": 1.5, "renew_fraction_per_mode": {"nope": 0.2},
                                      "acme_budget": {"orders_per_run": 0}})
    text = "\n".join(caught.value.problems)
    assert "panel_tls.renew_fraction: must be a number between 0 and 1" in text
    assert "panel_tls.renew_fraction_per_mode.nope: unknown mode" in text
    assert "panel_tls.acme_budget.orders_per_run: must be a whole number >= 1, got 0" in text
    assert not os.path.exists(os.path.join(str(tmp_path), "certs"))


def test_san_change_reissues(tmp_path):
    ensure(tmp_path)
    # The store's files for cloud.acme.test now hold globex's certificate: its SAN no longer matches.
    for name in ("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"):
        shutil.copy(tmp_path / "certs" / "panel.globex.test" / name, tmp_path / "certs" / "cloud.acme.test" / name)
    result = ensure(tmp_path)
    assert result["renewed"] == ["cloud.acme.test"]
    assert result["certificates"]["cloud.acme.test"]["reason"] == \
        "SAN changed (panel.globex.test -> cloud.acme.test)"
    assert _tls.san_names(x509.load_pem_x509_certificate(stored(tmp_path, "cloud.acme.test"))) == \
        ["cloud.acme.test"]


def test_check_mode_writes_nothing(tmp_path):
    result = ensure(tmp_path, check_mode=True)
    assert result["changed"] is True and len(result["created"]) == 3
    assert list(tmp_path.iterdir()) == []


def test_absent_reseller_certificate_is_retired_not_deleted(tmp_path):
    ensure(tmp_path)
    acme_cert = stored(tmp_path, "cloud.acme.test")
    resellers = [dict(RESELLERS[0], state="absent"), RESELLERS[1]]
    result = ensure(tmp_path, resellers)
    assert result["removed"] == ["cloud.acme.test"]
    assert not (tmp_path / "certs" / "cloud.acme.test").exists()
    assert (tmp_path / "retired" / "cloud.acme.test" / "cert.pem").read_bytes() == acme_cert
    assert "[cloud.acme.test]\nretired" in result["diff"]["after"]
    assert ensure(tmp_path, resellers)["changed"] is False


def test_inventory_problems_are_all_listed_before_any_write(tmp_path):
    with pytest.raises(_tls.TLSError) as err:
        ensure(tmp_path, [
            {"name": "acme", "enduser_panel_url": "http://cloud.acme.test/"},
            {"name": "globex", "enduser_panel_url": "https://panel.globex.test/", "tls": {"mode": "selfsigned"}},
        ])
    assert "reseller 'acme': enduser_panel_url: 'http://cloud.acme.test/' must use https://" in err.value.problems
    assert any(p.startswith("reseller 'globex' (panel.globex.test): tls.mode: must be one of")
               for p in err.value.problems)
    assert list(tmp_path.iterdir()) == []


def test_acme_without_a_provider_says_it_is_not_available(tmp_path, monkeypatch):
    monkeypatch.delitem(_tls.PROVIDERS, "acme", raising=False)
    monkeypatch.delitem(_tls.VALIDATORS, "acme", raising=False)
    with pytest.raises(_tls.TLSError, match="TLS mode 'acme' is not available yet"):
        ensure(tmp_path, default_tls={"mode": "acme"})


def test_a_registered_provider_gets_only_what_needs_issuing(tmp_path, monkeypatch):
    """The registry: a mode's provider is called with the items _tls decided to (re)issue; failures keep the
    previous certificate."""
    ca_key, ca_cert = _tls.load_or_create_ca(str(tmp_path / "other"), "Other CA", now=NOW)[:2]
    calls = []

    class Provider(object):
        def __init__(self, store, options, check_mode=False, now=None):
            self.fail = options.get("fail", False)

        def issue(self, items):
            calls.append([i["fqdn"] for i in items])
            if self.fail:
                return {i["fqdn"]: {"status": "failed", "error": "order refused"} for i in items}
            return {i["fqdn"]: _issued_by(ca_key, ca_cert, i["fqdn"]) for i in items}

    monkeypatch.setitem(_tls.PROVIDERS, "acme", Provider)
    monkeypatch.delitem(_tls.VALIDATORS, "acme", raising=False)
    first = ensure(tmp_path, default_tls={"mode": "acme"}, provider_url=None)
    assert calls == [["cloud.acme.test", "panel.globex.test"]] and first["created"] == calls[0]
    assert ensure(tmp_path, default_tls={"mode": "acme"}, provider_url=None)["changed"] is False
    assert len(calls) == 1
    before = stored(tmp_path, "cloud.acme.test")
    failed = ensure(tmp_path, default_tls={"mode": "acme", "fail": True}, provider_url=None,
                    now=NOW + datetime.timedelta(days=80))
    assert failed["failed_fqdns"] == ["cloud.acme.test", "panel.globex.test"]
    assert failed["certificates"]["cloud.acme.test"]["error"] == "order refused"
    assert stored(tmp_path, "cloud.acme.test") == before


def _issued_by(ca_key, ca_cert, fqdn, names=None, not_before=None, not_after=None, key=None):
    key = key or ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, fqdn)]))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - datetime.timedelta(days=1))
        .not_valid_after(not_after or NOW + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in (names or [fqdn])]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return {"status": "issued", "key_pem": _tls.key_pem(key), "cert_pem": _tls.cert_pem(cert),
            "chain_pem": _tls.cert_pem(ca_cert)}


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca_cert(subject, issuer, public_key, signing_key):
    return (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - datetime.timedelta(days=1)).not_valid_after(NOW + datetime.timedelta(days=900))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(signing_key, hashes.SHA256()))


def test_served_chain_leaves_out_self_signed_roots_only():
    root_key, intermediate_key, rollover_key = (ec.generate_private_key(ec.SECP256R1()) for dummy in range(3))
    root = _ca_cert("Root", "Root", root_key.public_key(), root_key)
    intermediate = _ca_cert("Intermediate", "Root", intermediate_key.public_key(), root_key)
    # Self-issued (its issuer's name is its own) but signed by another key: a key rollover, kept.
    rollover = _ca_cert("Root", "Root", rollover_key.public_key(), root_key)
    pem = _tls.cert_pem
    assert _tls.served_chain(pem(intermediate) + pem(root)) == pem(intermediate)
    assert _tls.served_chain(pem(root)) == b""
    assert _tls.served_chain(pem(intermediate) + pem(rollover)) == pem(intermediate) + pem(rollover)
    # Nothing to leave out: the operator's bytes as they were; no chain at all stays none.
    unchanged = b"# operator comment\n" + pem(intermediate)
    assert _tls.served_chain(unchanged) == unchanged
    assert _tls.served_chain(b"") == b""


# ------------------------------------------------------------------------------------------------ provided

@pytest.fixture()
def operator_files(tmp_path):
    """Write an operator's certificate files; returns a function(fqdn, **variations) -> tls mapping."""
    ca_key, ca_cert = _tls.load_or_create_ca(str(tmp_path / "operator-ca"), "Operator CA", now=NOW)[:2]

    def make(fqdn, names=None, not_after=None, wrong_key=False, chain=True, wrong_chain=False):
        issued = _issued_by(ca_key, ca_cert, fqdn, names=names, not_after=not_after)
        base = tmp_path / "operator" / fqdn
        base.mkdir(parents=True, exist_ok=True)
        (base / "cert.pem").write_bytes(issued["cert_pem"])
        key = _tls.key_pem(ec.generate_private_key(ec.SECP256R1())) if wrong_key else issued["key_pem"]
        (base / "key.pem").write_bytes(key)
        if wrong_chain:
            other = _tls.load_or_create_ca(str(tmp_path / "stranger-ca"), "Stranger CA", now=NOW)[1]
            (base / "chain.pem").write_bytes(_tls.cert_pem(other))
        else:
            (base / "chain.pem").write_bytes(issued["chain_pem"] if chain else b"")
        return {"mode": "provided", "cert_file": str(base / "cert.pem"), "key_file": str(base / "key.pem"),
                "chain_file": str(base / "chain.pem")}
    return make


def test_provided_files_are_checked_and_copied(tmp_path, operator_files):
    resellers = [dict(RESELLERS[0], tls=operator_files("cloud.acme.test", names=["*.acme.test"]))]
    store = tmp_path / "store"
    result = ensure(store, resellers, provider_url=None)
    assert result["created"] == ["cloud.acme.test"]
    assert stored(store, "cloud.acme.test") == read_bytes(resellers[0]["tls"]["cert_file"])
    assert mode(store / "certs" / "cloud.acme.test" / "privkey.pem") == 0o600
    assert ensure(store, resellers, provider_url=None)["changed"] is False


def test_provided_failures_are_each_named(tmp_path, operator_files):
    resellers = [
        {"name": "wrongkey", "enduser_panel_url": "https://wrongkey.test/",
         "tls": operator_files("wrongkey.test", wrong_key=True)},
        {"name": "expired", "enduser_panel_url": "https://expired.test/",
         "tls": operator_files("expired.test", not_after=NOW - datetime.timedelta(hours=1))},
        {"name": "othersan", "enduser_panel_url": "https://othersan.test/",
         "tls": operator_files("othersan.test", names=["www.othersan.test"])},
        {"name": "nochain", "enduser_panel_url": "https://nochain.test/",
         "tls": operator_files("nochain.test", chain=False)},
        {"name": "badchain", "enduser_panel_url": "https://badchain.test/",
         "tls": operator_files("badchain.test", wrong_chain=True)},
        {"name": "nofiles", "enduser_panel_url": "https://nofiles.test/", "tls": {"mode": "provided"}},
    ]
    store = tmp_path / "store"
    with pytest.raises(_tls.TLSError) as err:
        ensure(store, resellers, provider_url=None)
    problems = err.value.problems
    text = "\n".join(problems)
    assert "reseller 'wrongkey' (wrongkey.test): tls.key_file:" in text and "does not match the certificate" in text
    assert "reseller 'expired' (expired.test): tls.cert_file: the certificate expired on" in text
    assert ("reseller 'othersan' (othersan.test): tls.cert_file: the certificate's SAN (www.othersan.test) does "
            "not cover othersan.test") in problems
    assert any(p.startswith("reseller 'nochain' (nochain.test): tls.chain_file:") and "holds no certificate" in p
               for p in problems)
    assert any(p.startswith("reseller 'badchain' (badchain.test): tls.chain_file: its first certificate")
               for p in problems)
    for field in ("cert_file", "key_file", "chain_file"):
        assert "reseller 'nofiles' (nofiles.test): tls.%s: required in mode provided" % field in problems
    assert len(problems) == 8
    assert not store.exists()


def test_wildcard_coverage():
    assert _tls.covers("*.acme.test", "cloud.acme.test")
    assert not _tls.covers("*.acme.test", "a.cloud.acme.test")
    assert not _tls.covers("*.acme.test", "acme.test")
    assert _tls.covers("cloud.acme.test", "cloud.acme.test")
