# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/renew.yml on a copy of the demo (internal CA, 90-day certificates): after an apply, one certificate
is replaced by one of the same CA that is past two thirds of its lifetime; renew.yml re-issues exactly that one,
installs it on the frontend, and changes nothing else (the database, the other certificates, the vhosts)."""
from __future__ import annotations

import datetime
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.panelops.reseller.plugins.module_utils import _tls
from tests.playbooks import test_ci_pipeline
from tests.playbooks.test_ci_pipeline import dump, make, recap, snapshot
from tests.support.files import read_bytes

demo_copy = test_ci_pipeline.demo_copy  # the fixture: a copy of the demo inventory with its own ports and state

AGED = "cloud.acme.test"


def age_certificate(store, fqdn):
    """Replace fqdn's certificate by one of the store's CA, valid 90 days from 70 days ago (20 days left)."""
    ca_key = _tls.load_key(read_bytes(os.path.join(store, "ca", "ca.key")))
    ca_cert = _tls.load_certs(read_bytes(os.path.join(store, "ca", "ca.crt")))[0]
    key = ec.generate_private_key(ec.SECP256R1())
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=70)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, fqdn)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(fqdn)]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    base = os.path.join(store, "certs", fqdn)
    _tls.atomic_write(os.path.join(base, "privkey.pem"), _tls.key_pem(key), 0o600)
    _tls.atomic_write(os.path.join(base, "cert.pem"), _tls.cert_pem(cert), 0o644)
    chain = read_bytes(os.path.join(base, "chain.pem"))
    _tls.atomic_write(os.path.join(base, "fullchain.pem"), _tls.cert_pem(cert) + chain, 0o644)


def test_renew_reissues_exactly_the_certificates_past_two_thirds(demo_copy):
    inventory, state = demo_copy
    db_path = os.path.join(state, "panel.sqlite3")
    assert recap(make("apply", inventory))["failed"] == 0
    store = os.path.join(state, "pki")
    age_certificate(store, AGED)
    aged_files, applied_db = snapshot(state), dump(db_path)

    out = make("renew", inventory)
    assert recap(out)["failed"] == 0
    # No seeding play ran.
    assert "Seed the" not in out and "Enable the reseller feature" not in out
    assert dump(db_path) == applied_db
    renewed_files = snapshot(state)
    changed = sorted(path for path in set(aged_files) | set(renewed_files)
                     if aged_files.get(path) != renewed_files.get(path))
    cert_files = ["pki/certs/%s/%s" % (AGED, name) for name in ("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem")]
    tls_files = ["nginx/tls/%s.crt" % AGED, "nginx/tls/%s.key" % AGED]
    # The chain is the same CA's: only the leaf, its key and the full chain change in the store.
    expected = sorted(f for f in cert_files if not f.endswith("chain.pem") or "fullchain" in f) + tls_files
    # The frontends keep the previous files of the set this run changed, for the rollout to restore from.
    expected.append("nginx/tls/.nginx_sites-resellers.previous.json")
    assert [p for p in changed if not p.startswith("reports/") and "nginx.pid" not in p
            and not p.endswith(".log")] == sorted(expected)
    leaf = _tls.load_certs(read_bytes(os.path.join(store, "certs", AGED, "cert.pem")))[0]
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc > datetime.timedelta(days=89)

    # A second renewal has nothing to do.
    out = make("renew", inventory)
    assert recap(out)["changed"] == 0
