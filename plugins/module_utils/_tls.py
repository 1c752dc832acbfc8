# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One certificate per FQDN, kept in a controller-side store and installed on every frontend by nginx_sites.

Store layout (`store` is a directory on the controller, e.g. the demo's `.demo/pki`):

    ca/ca.crt, ca/ca.key            the project CA of mode internal_ca (ECDSA P-256, created once, key 0600)
    certs/<fqdn>/privkey.pem        the FQDN's key (0600)
    certs/<fqdn>/cert.pem           the leaf certificate
    certs/<fqdn>/chain.pem          its issuer chain
    certs/<fqdn>/fullchain.pem      cert.pem + chain.pem without its self-signed root (what nginx serves)
    certs/_wildcard.<zone>/         the `*.<zone>` certificate of the resellers under a panel_tls.wildcard_zones zone
    retired/<fqdn>/                 certificates of FQDNs no longer declared (absent resellers); never deleted

What needs (re)issuing is decided here, the same way for every mode (`plan()`): missing, renewal due (by the
fraction of the lifetime left, `_tls_renewal`), SAN changed, issuer changed, key not matching. Which ACME orders a
run may place is chosen by `_tls_budget` before any is placed; the rest is deferred (`deferred_fqdns`). How a certificate is produced is the job of a
provider looked up by mode in PROVIDERS: `internal_ca` and `provided` live here; another module registers
`acme` with `register_provider("acme", factory)`. A provider's `issue(items)` returns {fqdn: outcome} where an
outcome is {"status": "issued", "key_pem", "cert_pem", "chain_pem"} or {"status": "failed", "error"}; a failed
item keeps the certificate already in the store. A provider may also answer {"status": "skipped", "error"} (not
attempted, e.g. DNS not ready; the stored certificate is kept) or, in check mode, {"status": "planned"} (would be
issued); `"ordered": True` in an outcome counts it as an order placed with a CA (`ordered` in the result).
A provider registered with `validate=` gets the requests of its mode before anything is written and returns
problems, listed with all the others.
"""

from __future__ import annotations

import datetime
import os
import re

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError as _exc:  # pragma: no cover - exercised only without the library
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = _exc

from ansible_collections.panelops.reseller.plugins.module_utils import (
    _files,
    _model,
    _tls_budget,
    _tls_renewal,
    _tls_wildcard,
)
from ansible_collections.panelops.reseller.plugins.module_utils._files import write_atomically
from ansible_collections.panelops.reseller.plugins.module_utils._tls_settings import MODES
_NAME = re.compile(r"^[a-z0-9.-]+$")


class TLSError(Exception):
    def __init__(self, msg, problems=None):
        super(TLSError, self).__init__(msg)
        self.problems = problems or []


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


# ----------------------------------------------------------------------------------------------- files

def atomic_write(path, data, mode):
    """One file of the store (its directory made 0700 when missing), written atomically."""
    _files.atomic_write(path, data, mode, make_dirs_mode=0o700)


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


# ----------------------------------------------------------------------------------------------- parsing

def load_certs(data):
    return x509.load_pem_x509_certificates(data) if data and b"-----BEGIN CERTIFICATE" in data else []


def load_key(data):
    return serialization.load_pem_private_key(data, password=None)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def served_chain(chain_pem):
    """The issuer chain a server sends: chain_pem without its self-signed roots. A client verifies a chain up to a
    root it already trusts, so a root in the chain is never used (RFC 8446, 4.4.2, lets a server leave it out);
    sent, it costs every handshake its bytes and every nginx start or reload one more certificate to parse for
    each vhost (a seventh of `nginx -t` over 1000 internal-CA vhosts, whose chain is the root alone)."""
    chain = load_certs(chain_pem)
    served = [cert for cert in chain if not _self_signed(cert)]
    if len(served) == len(chain):
        return chain_pem
    return b"".join(cert_pem(cert) for cert in served)


def _self_signed(cert):
    """Issued by its own key (a root), not merely by a name equal to its own (a self-issued key rollover)."""
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _public(key_or_cert):
    public = key_or_cert.public_key()
    return public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def san_names(cert):
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return sorted(n.lower() for n in ext.value.get_values_for_type(x509.DNSName))


def covers(san, fqdn):
    """Whether a SAN DNS name covers fqdn (one-label wildcards allowed)."""
    if san == fqdn:
        return True
    if san.startswith("*.") and "." in fqdn:
        return fqdn.split(".", 1)[1] == san[2:]
    return False


def describe(cert):
    """The public facts shown in diffs and results: never key material."""
    return {
        "subject": cert.subject.rfc4514_string(),
        "san": san_names(cert),
        "issuer": cert.issuer.rfc4514_string(),
        "not_after": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "serial": "%x" % cert.serial_number,
    }


def describe_text(facts):
    if not facts:
        return ""
    return "subject: %s\nsan: %s\nissuer: %s\nnot_after: %s\n" % (
        facts["subject"], ", ".join(facts["san"]), facts["issuer"], facts["not_after"])


# ----------------------------------------------------------------------------------------------- internal CA

def load_or_create_ca(store, common_name, days=3650, check_mode=False, now=None):
    """(key, cert, created) of the project CA; created once and kept (key 0600)."""
    key_path = os.path.join(store, "ca", "ca.key")
    crt_path = os.path.join(store, "ca", "ca.crt")
    key_data, crt_data = _read(key_path), _read(crt_path)
    if key_data and crt_data:
        key, cert = load_key(key_data), load_certs(crt_data)[0]
        if _public(key) != _public(cert):
            raise TLSError("the CA key %s does not match %s; refusing to continue" % (key_path, crt_path))
        return key, cert, False
    if key_data or crt_data:
        raise TLSError("only one of %s and %s exists; restore the other or remove both" % (key_path, crt_path))
    now = now or utcnow()
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    if not check_mode:
        atomic_write(key_path, key_pem(key), 0o600)
        atomic_write(crt_path, cert_pem(cert), 0o644)
    return key, cert, True


class InternalCAProvider(object):
    """Issues ECDSA P-256 leaves signed by the project CA."""

    def __init__(self, store, options, check_mode=False, now=None):
        self.now = now or utcnow()
        self.days = int(options.get("days", 90))
        self.ca_key, self.ca_cert, self.ca_created = load_or_create_ca(
            store, options.get("ca_common_name", "panelops.reseller internal CA"),
            days=int(options.get("ca_days", 3650)), check_mode=check_mode, now=self.now)

    def expected_issuer(self):
        return self.ca_cert.subject

    def issue(self, items):
        out = {}
        for item in items:
            key = ec.generate_private_key(ec.SECP256R1())
            names = item["names"]
            cert = (
                x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
                .issuer_name(self.ca_cert.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(self.now - datetime.timedelta(minutes=5))
                .not_valid_after(self.now + datetime.timedelta(days=self.days))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                               critical=False)
                .sign(self.ca_key, hashes.SHA256())
            )
            out[item["fqdn"]] = {"status": "issued", "key_pem": key_pem(key), "cert_pem": cert_pem(cert),
                                 "chain_pem": cert_pem(self.ca_cert)}
        return out


class ProvidedProvider(object):
    """The operator's own files: checked (key matches, SAN covers, chain present, not expired), then copied."""

    def __init__(self, store, options, check_mode=False, now=None):
        self.now = now or utcnow()
        self.renew_days = options.get("renew_days")
        self.fraction = _tls_renewal.fraction_for(options, "provided")

    def expected_issuer(self):
        return None

    def check(self, item):
        """(outcome or None, problems) for one provided item."""
        where = "%s (%s)" % (item["where"], item["fqdn"])
        problems = []
        files = {}
        for field in ("cert_file", "key_file", "chain_file"):
            path = item.get(field)
            if not path:
                problems.append("%s: tls.%s: required in mode provided" % (where, field))
                continue
            data = _read(path)
            if data is None:
                problems.append("%s: tls.%s: %s does not exist" % (where, field, path))
                continue
            files[field] = data
        if problems:
            return None, problems
        try:
            certs = load_certs(files["cert_file"])
        except ValueError as exc:
            certs = []
            problems.append("%s: tls.cert_file: %s is not a PEM certificate (%s)" % (where, item["cert_file"], exc))
        try:
            key = load_key(files["key_file"])
        except (ValueError, TypeError) as exc:
            key = None
            problems.append("%s: tls.key_file: %s is not an unencrypted PEM private key (%s)"
                            % (where, item["key_file"], exc))
        try:
            chain = load_certs(files["chain_file"])
        except ValueError:
            chain = []
        if not chain:
            problems.append("%s: tls.chain_file: %s holds no certificate" % (where, item["chain_file"]))
        if not certs:
            if not problems:
                problems.append("%s: tls.cert_file: %s holds no certificate" % (where, item["cert_file"]))
            return None, problems
        cert = certs[0]
        if key is not None and _public(key) != _public(cert):
            problems.append("%s: tls.key_file: %s does not match the certificate %s"
                            % (where, item["key_file"], item["cert_file"]))
        sans = san_names(cert)
        for name in item["names"]:
            if not any(covers(san, name) for san in sans):
                problems.append("%s: tls.cert_file: the certificate's SAN (%s) does not cover %s"
                                % (where, ", ".join(sans) or "none", name))
        if cert.not_valid_after_utc <= self.now:
            problems.append("%s: tls.cert_file: the certificate expired on %s"
                            % (where, cert.not_valid_after_utc.strftime("%Y-%m-%d %H:%M UTC")))
        elif cert.not_valid_before_utc > self.now:
            problems.append("%s: tls.cert_file: the certificate is not valid before %s"
                            % (where, cert.not_valid_before_utc.strftime("%Y-%m-%d %H:%M UTC")))
        if chain and cert.issuer != chain[0].subject:
            problems.append("%s: tls.chain_file: its first certificate (%s) is not the issuer of the certificate "
                            "(%s)" % (where, chain[0].subject.rfc4514_string(), cert.issuer.rfc4514_string()))
        if problems:
            return None, problems
        chain_pem = b"".join(cert_pem(c) for c in chain)
        return {"status": "issued", "key_pem": key_pem(key), "cert_pem": cert_pem(cert), "chain_pem": chain_pem,
                "expiring": _tls_renewal.renewal_due(cert.not_valid_before_utc, cert.not_valid_after_utc, self.now,
                                                     self.fraction, self.renew_days)}, []

    def issue(self, items):
        out = {}
        for item in items:
            outcome, problems = self.check(item)
            out[item["fqdn"]] = outcome or {"status": "failed", "error": "; ".join(problems)}
        return out


class UnavailableProvider(object):
    def __init__(self, mode):
        self.mode = mode


PROVIDERS = {
    "internal_ca": InternalCAProvider,
    "provided": ProvidedProvider,
}
VALIDATORS = {}


def register_provider(mode, factory, validate=None):
    """Make `mode` available: factory(store, options, check_mode=..., now=...) -> object with issue(items).

    validate(requests, options) -> [problem, ...] is called with the mode's requests before anything is written.
    """
    PROVIDERS[mode] = factory
    if validate is not None:
        VALIDATORS[mode] = validate


def get_provider(mode, store, options, check_mode=False, now=None):
    if mode not in PROVIDERS:
        raise TLSError("TLS mode %r is not available yet in this collection: no provider is registered for it "
                       "(available: %s)" % (mode, ", ".join(sorted(PROVIDERS))))
    return PROVIDERS[mode](store, options, check_mode=check_mode, now=now)


# ----------------------------------------------------------------------------------------------- the model

def requests_from_inventory(resellers, provider_url=None, default_tls=None, provider_tls=None):
    """(requests, retired fqdns, problems): one request per FQDN to serve, naming reseller and field on errors.

    The sites come from the inventory model; each takes the default TLS settings with its owner's own choice
    (`provider_tls` for the provider, a reseller's `tls`) laid over them.
    """
    default_tls = dict(default_tls or {})
    problems = []
    mode = default_tls.get("mode", "internal_ca")
    if mode not in MODES:
        problems.append("panel_tls: mode: must be one of %s, got %r" % (", ".join(MODES), mode))
    inventory = _model.read(resellers, provider_url)
    problems.extend(inventory.problems)
    zones = default_tls.get("wildcard_zones") or []
    problems.extend(_tls_wildcard.zones_problems(default_tls.get("wildcard_zones")))
    sites = inventory.served_sites()
    own_tls = [_site_tls(site, default_tls, provider_tls) for site in sites]
    groups, group_problems = _tls_wildcard.group_sites(
        [(site.fqdn, site.where, tls.get("mode", "internal_ca")) for site, tls in zip(sites, own_tls)
         if site.owner is not None], zones)
    problems.extend(group_problems)
    covered = dict((fqdn, zone) for zone, group in groups.items() for fqdn, _where in group["covers"])
    requests, made = [], set()
    for site, tls in zip(sites, own_tls):
        zone = covered.get(site.fqdn) if site.owner is not None else None
        if zone is None:
            requests.append(_request(site.fqdn, site.where, tls, problems))
        elif zone not in made:
            # One *.zone certificate for every reseller directly under the zone, in their mode, made with the
            # default settings; an ACME wildcard can only be validated by DNS-01.
            made.add(zone)
            requests.append(_wildcard_request(zone, groups[zone], default_tls, problems))
    return requests, inventory.retired_fqdns(), problems


def _site_tls(site, default_tls, provider_tls):
    """The TLS settings of one site: the defaults with its owner's own choice laid over them."""
    tls = dict(default_tls)
    tls.update((provider_tls or {}) if site.owner is None else site.tls)
    return tls


def _wildcard_request(zone, group, default_tls, problems):
    tls = dict(default_tls, mode=group["mode"])
    if group["mode"] == "acme":
        tls["challenge"] = "dns-01"
    return dict(_request(_tls_wildcard.store_name(zone), _tls_wildcard.ZONE_WHERE % zone, tls, problems),
                names=["*." + zone], covers=list(group["covers"]))


def _covered_entries(result, requests):
    """Each reseller FQDN served by a wildcard gets the wildcard's facts in `certificates`, naming it."""
    for req in requests:
        entry = result["certificates"].get(req["fqdn"])
        for fqdn, where in req.get("covers") or []:
            result["certificates"][fqdn] = dict(entry, where=where, wildcard=req["names"][0])


def _request(fqdn, where, tls, problems):
    mode = tls.get("mode", "internal_ca")
    if mode not in MODES:
        problems.append("%s (%s): tls.mode: must be one of %s, got %r" % (where, fqdn, ", ".join(MODES), mode))
    return {"fqdn": fqdn, "names": [fqdn], "where": where, "mode": mode, "tls": tls,
            "cert_file": tls.get("cert_file"), "key_file": tls.get("key_file"), "chain_file": tls.get("chain_file")}


# ----------------------------------------------------------------------------------------------- planning

def cert_dir(store, fqdn):
    return os.path.join(store, "certs", fqdn)


def current(store, fqdn):
    """(cert, key_matches) of what the store holds for fqdn, or (None, False)."""
    base = cert_dir(store, fqdn)
    crt, key = _read(os.path.join(base, "cert.pem")), _read(os.path.join(base, "privkey.pem"))
    full = _read(os.path.join(base, "fullchain.pem"))
    if not crt or not key or not full:
        return None, False
    try:
        cert = load_certs(crt)[0]
        return cert, _public(load_key(key)) == _public(cert)
    except (ValueError, TypeError, IndexError):
        return None, False


def renewal_reason(cert, key_matches, names, renew_days, now, expected_issuer=None,
                   fraction=_tls_renewal.DEFAULT_RENEW_FRACTION):
    """Why the stored certificate must be (re)issued, or None when it is good (renew_days None: the fraction of
    the lifetime left alone decides, see _tls_renewal)."""
    if cert is None:
        return "missing"
    if not key_matches:
        return "key does not match"
    if sorted(names) != san_names(cert):
        return "SAN changed (%s -> %s)" % (", ".join(san_names(cert)), ", ".join(sorted(names)))
    if expected_issuer is not None and cert.issuer != expected_issuer:
        return "issuer changed"
    return _tls_renewal.renewal_due(cert.not_valid_before_utc, cert.not_valid_after_utc, now, fraction, renew_days)


def _checked_requests(store, resellers, provider_url, default_tls, provider_tls, options, now):
    """(requests, retired fqdns, provided outcomes by fqdn); TLSError listing every problem of the inventory,
    of the provided files and of each mode's own checks, before anything is written."""
    requests, retired, problems = requests_from_inventory(resellers, provider_url, default_tls, provider_tls)
    # Provided files are checked on every run, together with the inventory, so one run lists every problem.
    provided = {}
    checker = ProvidedProvider(store, options, now=now)
    for req in requests:
        if req["mode"] == "provided":
            outcome, item_problems = checker.check(req)
            problems.extend(item_problems)
            provided[req["fqdn"]] = outcome
    problems.extend(_tls_renewal.renewal_settings_problems(default_tls or {}))
    problems.extend(_tls_budget.budget_problems((default_tls or {}).get("acme_budget")))
    for mode in sorted(set(req["mode"] for req in requests)):
        if mode in VALIDATORS:
            problems.extend(VALIDATORS[mode]([r for r in requests if r["mode"] == mode], options))
    if problems:
        raise TLSError("%d TLS problem(s); nothing was changed:\n- %s" % (len(problems), "\n- ".join(problems)),
                       problems)
    return requests, retired, provided


# How <store>/pending.json tells a deferred FQDN from one skipped for its DNS.
DEFERRED_PREFIX = "deferred: "


class _CertificateRun(object):
    """One run over the store, in four phases: plan (what needs issuing and why), issue (each mode's provider
    gets its items at once), write (every issued file with one sync), retire (FQDNs no longer served)."""

    def __init__(self, store, providers, provided, renew_days, check_mode, now):
        self.store, self.providers, self.provided = store, providers, provided
        self.renew_days, self.check_mode, self.now = renew_days, check_mode, now
        self.result = {"certificates": {}, "created": [], "renewed": [], "unchanged": [], "removed": [],
                       "failed_fqdns": [], "skipped_fqdns": [], "deferred_fqdns": [], "ordered": [], "opened": [],
                       "warnings": [],
                       "diff": {"before": "", "after": ""}, "changed": False}
        self.before, self.after = [], []
        self.todo = {}  # fqdn -> (request, stored certificate, its facts)
        self.writes = []
        self.orders = []  # (fqdn, renewal, status) of every ACME order placed, for the order history
        self.finished = []  # (fqdn, renewal, status) of every order of an earlier step finished in this run

    # -- plan ----------------------------------------------------------------------------------------------
    def _reason(self, req, cert, key_matches):
        if req["mode"] != "provided":
            provider = self.providers[req["mode"]]
            return renewal_reason(cert, key_matches, req["names"], req["tls"].get("renew_days", self.renew_days),
                                  self.now, getattr(provider, "expected_issuer", lambda: None)(),
                                  _tls_renewal.fraction_for(req["tls"], req["mode"]))
        outcome = self.provided[req["fqdn"]]
        if outcome.get("expiring"):
            self.result["warnings"].append("%s (%s): the provided certificate is due for renewal: %s"
                                           % (req["where"], req["fqdn"], outcome["expiring"]))
        same = cert is not None and key_matches and cert_pem(cert) == outcome["cert_pem"] and \
            _read(os.path.join(cert_dir(self.store, req["fqdn"]), "chain.pem")) == outcome["chain_pem"]
        return None if same else ("missing" if cert is None else "provided files changed")

    def plan(self, requests):
        for req in requests:
            cert, key_matches = current(self.store, req["fqdn"])
            reason = self._reason(req, cert, key_matches)
            facts = describe(cert) if cert is not None else None
            entry = {"mode": req["mode"], "where": req["where"], "reason": reason}
            entry.update(facts or {})
            self.result["certificates"][req["fqdn"]] = entry
            if reason is None:
                self.result["unchanged"].append(req["fqdn"])
            else:
                self.todo[req["fqdn"]] = (req, cert, facts)

    # -- budget --------------------------------------------------------------------------------------------
    def apply_budget(self, requests, budget, history):
        """Keep in `todo` only the ACME orders the budget allows; the others are deferred (kept as they are)."""
        candidates = []
        not_ready = getattr(self.providers.get("acme"), "not_ready", lambda req: False)
        for index, req in enumerate(requests):
            # A domain whose DNS is not ready is skipped by the provider: it takes no place in the budget.
            if req["mode"] != "acme" or req["fqdn"] not in self.todo or not_ready(req):
                continue
            cert = self.todo[req["fqdn"]][1]
            candidates.append({"fqdn": req["fqdn"], "index": index, "provider": req["where"] == "panel_provider_url",
                               "not_after": cert.not_valid_after_utc if cert is not None else None})
        if not candidates:
            return
        for fqdn, reason in _tls_budget.select(candidates, history, budget, self.now)[1].items():
            self.defer(fqdn, reason)

    def keep_deferred(self, pending):
        """The FQDNs an earlier step of this run deferred (`<store>/pending.json`) are deferred again."""
        for fqdn, why in sorted(pending.items()):
            if fqdn in self.todo and why.startswith(DEFERRED_PREFIX):
                self.defer(fqdn, why[len(DEFERRED_PREFIX):])

    def defer(self, fqdn, reason):
        self.todo.pop(fqdn, None)
        self.result["certificates"][fqdn]["deferred"] = reason
        self.result["deferred_fqdns"].append(fqdn)

    # -- issue ---------------------------------------------------------------------------------------------
    def issue(self, requests):
        for mode in sorted(set(req["mode"] for req in requests)):
            items = [self.todo[r["fqdn"]][0] for r in requests if r["mode"] == mode and r["fqdn"] in self.todo]
            if not items:
                continue
            if mode == "provided":
                issued = dict((r["fqdn"], self.provided[r["fqdn"]]) for r in items)
            else:
                issued = self.providers[mode].issue(items)
            for item in items:
                self._record(item, mode, issued.get(item["fqdn"]))

    def _record(self, item, mode, outcome):
        fqdn = item["fqdn"]
        outcome = outcome or {"status": "failed", "error": "the provider returned nothing"}
        entry = self.result["certificates"][fqdn]
        old_facts = self.todo[fqdn][2]
        if outcome.get("ordered"):
            self.result["ordered"].append(fqdn)
            self.orders.append((fqdn, self.todo[fqdn][1] is not None, outcome["status"]))
        elif outcome.get("finished") and outcome["status"] in ("issued", "failed"):
            self.finished.append((fqdn, self.todo[fqdn][1] is not None, outcome["status"]))
        if outcome.get("warning"):
            self.result["warnings"].append("%s (%s): %s" % (item["where"], fqdn, outcome["warning"]))
        if outcome["status"] == "deferred":
            # The CA asked us to wait longer than a run may (rateLimited with a long Retry-After).
            self.defer(fqdn, outcome.get("error"))
        elif outcome["status"] == "skipped":
            entry["skipped"] = outcome.get("error")
            self.result["skipped_fqdns"].append(fqdn)
            self.result["warnings"].append("%s (%s): skipped: %s" % (item["where"], fqdn, outcome.get("error")))
        elif outcome["status"] == "planned":
            # Check mode of a provider that cannot issue without side effects (an ACME order).
            entry["planned"] = True
            self._count_new(fqdn)
            self.result["ordered"].append(fqdn)
            self._diff(fqdn, old_facts, "would be ordered (%s, %s)\nsan: %s\n" % (
                mode, entry["reason"], ", ".join(sorted(item["names"]))))
        elif outcome["status"] == "opened":
            # Step 1 of a two-step ACME run: the certificate comes with step 2, once the frontends serve the
            # challenges.
            entry["opened"] = True
            self.result["opened"].append(fqdn)
            self._diff(fqdn, old_facts, "order opened (%s, %s)\nsan: %s\n" % (
                mode, entry["reason"], ", ".join(sorted(item["names"]))))
        elif outcome["status"] != "issued":
            entry["error"] = outcome.get("error")
            self.result["failed_fqdns"].append(fqdn)
        else:
            new_facts = describe(load_certs(outcome["cert_pem"])[0])
            entry.update(new_facts)
            self._count_new(fqdn)
            self._diff(fqdn, old_facts, describe_text(new_facts))
            self._stage(fqdn, outcome)

    def _count_new(self, fqdn):
        self.result["created" if self.todo[fqdn][1] is None else "renewed"].append(fqdn)

    def _diff(self, fqdn, old_facts, after):
        self.before.append("[%s]\n%s" % (fqdn, describe_text(old_facts)) if old_facts else "")
        self.after.append("[%s]\n%s" % (fqdn, after))

    # -- write ---------------------------------------------------------------------------------------------
    def _stage(self, fqdn, outcome):
        if self.check_mode:
            return
        base = cert_dir(self.store, fqdn)
        self.writes.extend([
            (os.path.join(base, "privkey.pem"), outcome["key_pem"], 0o600),
            (os.path.join(base, "cert.pem"), outcome["cert_pem"], 0o644),
            (os.path.join(base, "chain.pem"), outcome["chain_pem"], 0o644),
            (os.path.join(base, "fullchain.pem"), outcome["cert_pem"] + served_chain(outcome["chain_pem"]), 0o644),
        ])

    def write(self):
        # Every issued certificate's files at once: one sync for the whole batch instead of one per file.
        write_atomically(self.writes, make_dirs_mode=0o700)

    # -- retire --------------------------------------------------------------------------------------------
    def retire(self, retired, requests):
        served = set(r["fqdn"] for r in requests)
        for fqdn in sorted(retired):
            base = cert_dir(self.store, fqdn)
            if fqdn in served or not os.path.isdir(base):
                continue
            self.result["removed"].append(fqdn)
            cert = current(self.store, fqdn)[0]
            if cert is not None:
                self._diff(fqdn, describe(cert), "retired\n")
            if not self.check_mode:
                target = os.path.join(self.store, "retired", fqdn)
                if os.path.exists(target):
                    os.rename(target, target + "." + self.now.strftime("%Y%m%dT%H%M%S"))
                os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
                os.rename(base, target)

    # -- result --------------------------------------------------------------------------------------------
    def finish(self):
        result = self.result
        ca = self.providers.get("internal_ca")
        if ca is not None:
            result["ca_certificate"] = os.path.join(self.store, "ca", "ca.crt")
            if ca.ca_created:
                result["ca_created"] = True
                self.after.insert(0, "[CA]\n%s" % describe_text(describe(ca.ca_cert)))
        acme = self.providers.get("acme")
        if acme is not None and getattr(acme, "account_created", False):
            # A new ACME account key is a change of its own, even when no order succeeded.
            result["acme_account_created"] = True
        if acme is not None and getattr(acme, "http01_challenges", None) is not None:
            result["http01_challenges"] = acme.http01_challenges
        result["diff"] = {"before": "".join(self.before), "after": "".join(self.after)}
        result["changed"] = bool(result["created"] or result["renewed"] or result["removed"] or result["opened"]
                                 or result.get("ca_created") or result.get("acme_account_created"))
        for key in ("created", "renewed", "unchanged", "removed", "failed_fqdns", "skipped_fqdns", "deferred_fqdns",
                    "ordered", "opened"):
            result[key].sort()
        return result


def ensure_certificates(store, resellers, provider_url=None, default_tls=None, provider_tls=None, renew_days=None,
                        options=None, check_mode=False, now=None):
    """Make the store hold a good certificate for every FQDN served; returns the result dict.

    Raises TLSError listing every problem (inventory or provided files) before anything is written.
    """
    now = now or utcnow()
    merged = dict(default_tls or {})
    merged.update(options or {})
    options = merged
    if renew_days is not None:
        options.setdefault("renew_days", renew_days)
    requests, retired, provided = _checked_requests(store, resellers, provider_url, default_tls, provider_tls,
                                                    options, now)
    providers = {}
    for mode in sorted(set(req["mode"] for req in requests)):
        providers[mode] = get_provider(mode, store, options, check_mode=check_mode, now=now)
    run = _CertificateRun(store, providers, provided, options.get("renew_days"), check_mode, now)
    run.plan(requests)
    history = _load_history(store, now) if "acme" in providers else []
    if options.get("acme_step") == "finish":
        # Step 2 of a two-step run places no order: it finishes what step 1 opened within the budget, and what
        # step 1 deferred stays deferred.
        run.keep_deferred(_tls_budget.read_pending(store))
    else:
        run.apply_budget(requests, options.get("acme_budget"), history)
    run.issue(requests)
    run.write()
    if not check_mode:
        _keep_history(store, history, run.orders, run.finished, now)
        _keep_pending(store, run.result)
    run.retire(list(retired) + _served_by_wildcard(requests, run.result), requests)
    result = run.finish()
    _covered_entries(result, requests)
    return result


def _load_history(store, now):
    try:
        return _tls_budget.load_history(store, now)
    except _tls_budget.MissingLibrary:
        raise
    except _tls_budget.BudgetError as exc:
        raise TLSError(str(exc), [str(exc)])


def _served_by_wildcard(requests, result):
    """The FQDNs whose own certificates are retired (kept under retired/, never deleted) because a wildcard now
    serves them: only once the wildcard has a certificate (still valid, or issued or planned in this run). While
    an ACME wildcard waits (deferred, failed, DNS not ready), each keeps the certificate it has."""
    ready = set(result["unchanged"]) | set(result["created"]) | set(result["renewed"])
    return [fqdn for req in requests if req["fqdn"] in ready for fqdn, _where in req.get("covers") or []]


def _keep_history(store, history, orders, finished, now):
    """Add this run's ACME orders to the history, and the outcome of the orders an earlier step opened that this
    run finished (written only when there are any; entries older than a week are left out then)."""
    if orders or finished:
        entries = _tls_budget.finish_entries(history, finished, now)
        _tls_budget.save_history(store, entries + [_tls_budget.history_entry(fqdn, now, renewal, status)
                                                   for fqdn, renewal, status in orders])


def _keep_pending(store, result):
    """The FQDNs of this run that have no new certificate and are waiting (deferred, or DNS not ready), with why:
    nginx_sites leaves out those that have no certificate at all."""
    pending = {}
    for fqdn in result["deferred_fqdns"]:
        pending[fqdn] = DEFERRED_PREFIX + result["certificates"][fqdn]["deferred"]
    for fqdn in result["skipped_fqdns"]:
        pending[fqdn] = "skipped: %s" % result["certificates"][fqdn].get("skipped")
    if pending != _tls_budget.read_pending(store) and (pending or os.path.exists(_tls_budget.pending_path(store))):
        _tls_budget.save_pending(store, pending)
