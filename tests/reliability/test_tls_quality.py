# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sslscan against a reseller vhost on loopback: TLS 1.2 and 1.3 only, strong ciphers only, a certificate for
the vhost's name with a strong key."""
from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

SSLSCAN = shutil.which("sslscan")
WEAK = ("NULL", "EXP", "RC4", "DES", "3DES", "MD5", "ADH", "AECDH", "anon", "CBC3", "IDEA", "SEED", "PSK")


@pytest.fixture(scope="module")
def scan(converged):
    if SSLSCAN is None:
        pytest.skip("sslscan is not installed (.ci/install-system-deps.sh installs it)")
    site, _runs = converged
    proc = subprocess.run([SSLSCAN, "--no-colour", "--xml=-", "--sni-name=cloud.acme.test",
                           "127.0.0.1:%d" % site.ports["one"]["https"]], capture_output=True, text=True,
                          timeout=300, check=True)
    report = proc.stdout[proc.stdout.index("<?xml"):]
    if os.environ.get("RELIABILITY_SSLSCAN_XML"):
        with open(os.environ["RELIABILITY_SSLSCAN_XML"], "w") as handle:
            handle.write(report)
    return ET.fromstring(report).find("ssltest")


def test_only_tls_1_2_and_1_3(scan):
    enabled = {"%s%s" % (p.get("type"), p.get("version")) for p in scan.iter("protocol") if p.get("enabled") == "1"}
    disabled = {"%s%s" % (p.get("type"), p.get("version")) for p in scan.iter("protocol") if p.get("enabled") == "0"}
    assert enabled == {"tls1.2", "tls1.3"}
    assert {"ssl2", "ssl3", "tls1.0", "tls1.1"} <= disabled
    accepted = {c.get("sslversion") for c in scan.iter("cipher")}
    assert accepted == {"TLSv1.2", "TLSv1.3"}


def test_only_strong_ciphers(scan):
    ciphers = [(c.get("cipher"), c.get("strength"), int(c.get("bits"))) for c in scan.iter("cipher")]
    assert ciphers
    weak = [c for c in ciphers if c[1] not in ("strong", "acceptable") or c[2] < 128
            or any(w in c[0] for w in WEAK)]
    assert weak == []
    # Forward secrecy everywhere: every TLS 1.2 suite is ECDHE or DHE.
    assert all(c.get("cipher").startswith(("ECDHE", "DHE")) for c in scan.iter("cipher")
               if c.get("sslversion") == "TLSv1.2")


def test_no_renegotiation_or_compression_or_heartbleed(scan):
    renegotiation = scan.find("renegotiation")
    assert renegotiation is None or renegotiation.get("supported") == "0" or renegotiation.get("secure") == "1"
    compression = scan.find("compression")
    assert compression is None or compression.get("supported") == "0"
    assert all(h.get("vulnerable") == "0" for h in scan.iter("heartbleed"))


def test_certificate_names_the_vhost_with_a_strong_key(scan):
    cert = scan.find("certificates/certificate")
    assert cert is not None
    assert "cloud.acme.test" in (cert.findtext("altnames") or "") + (cert.findtext("subject") or "")
    key = cert.find("pk")
    assert key is not None and key.get("error") == "false"
    # sslscan gives EC keys in security bits (P-256: 128) and RSA keys in modulus bits.
    bits = int(key.get("bits"))
    assert (key.get("type") == "EC" and bits >= 128) or (key.get("type") == "RSA" and bits >= 2048)
    assert "sha1" not in (cert.findtext("signature-algorithm") or "").lower()
    assert cert.findtext("expired") == "false"
