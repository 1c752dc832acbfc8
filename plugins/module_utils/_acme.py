# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ACME issuance with the `acme` library (the protocol library of certbot): many orders in one run.

`order_certificates` registers (or finds) the account of a kept account key, opens one order per FQDN, places
every challenge (HTTP-01 through the caller's `http01` object, DNS-01 through `dns01`, e.g.
`_dns.Rfc2136Challenges`), answers them all, then polls and finalizes each order. Each order succeeds or fails
on its own: a domain whose DNS is wrong, or whose challenge cannot be placed, is reported as failed with the
CA's error, and the others are still issued. Challenge files and TXT records are removed at the end in all
cases. The caller decides what to order (missing, changed or expiring certificates only) and keeps the old
certificate of a failed order.

Every network wait is bounded: HTTP requests by `timeout`, and the polling of each order by `timeout` too.
A request the CA answers with a server error (5xx) or `rateLimited` is tried again at most `retries` times in all,
after the CA's Retry-After (or a doubling backoff from one second), unless that wait exceeds `retry_max_wait`;
a rate limit that outlasts it ends the order as `deferred`, and the orders not yet opened are deferred with it
(a CA that limits one order limits the next). A failed validation is never retried in the same run.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import os
import time
import traceback

# The acme library and josepy, imported by load() on first use: with requests they take 0.3 s to import, which
# a run whose certificates come from the internal CA never needs. None until then.
jose = challenges = client = crypto_util = errors = messages = None
ACME_IMPORT_ERROR = None

try:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    HAS_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover
    HAS_CRYPTOGRAPHY = False

from ansible_collections.panelops.reseller.plugins.module_utils._files import atomic_write
from ansible_collections.panelops.reseller.plugins.module_utils._names import normalize_fqdn

CHALLENGE_TYPES = ("http-01", "dns-01")
USER_AGENT = "panelops.reseller"
DEFAULT_RETRIES = 3
DEFAULT_RETRY_MAX_WAIT = 30.0
_sleep = time.sleep  # replaced by tests


class ACMEError(Exception):
    """A failure that concerns the whole run (directory, account); per-order failures are results."""


class RateLimited(ACMEError):
    """The CA refused with rateLimited and asked to wait longer than a run may."""


def load():
    """Import the acme library once; whether it is there (ACME_IMPORT_ERROR holds why not)."""
    global jose, challenges, client, crypto_util, errors, messages, ACME_IMPORT_ERROR, _Network
    if messages is None and ACME_IMPORT_ERROR is None:
        try:
            import josepy
            from acme import challenges as acme_challenges, client as acme_client, crypto_util as acme_crypto_util
            from acme import errors as acme_errors, messages as acme_messages
        except ImportError:  # pragma: no cover - exercised only without the acme library
            ACME_IMPORT_ERROR = traceback.format_exc()
            return False
        jose, challenges, client, crypto_util = josepy, acme_challenges, acme_client, acme_crypto_util
        errors, messages = acme_errors, acme_messages
        _Network = _network_class()
    return messages is not None


def _network_class():
    class Network(client.ClientNetwork):
        """Keeps the last HTTP response, so that an error can honour the Retry-After header sent with it."""

        last_response = None

        def _send_request(self, method, url, *args, **kwargs):
            response = super(Network, self)._send_request(method, url, *args, **kwargs)
            self.last_response = response
            return response

    return Network


_Network = None


def _retryable(exc, net):
    """'rateLimited', 'server error' or None (not to be retried: a validation failure, a refusal, ...)."""
    response = getattr(net, "last_response", None)
    status = getattr(response, "status_code", 0) or 0
    if load() and isinstance(exc, messages.Error):
        if exc.code == "rateLimited":
            return "rateLimited"
        return "server error" if exc.code == "serverInternal" or status >= 500 else None
    if load() and isinstance(exc, errors.ClientError):
        cause = exc.args[0] if exc.args else None
        cause = cause[0] if isinstance(cause, tuple) and cause else cause
        return "server error" if getattr(cause, "status_code", status) >= 500 else None
    return None


def retry_after_seconds(response, default):
    """Seconds the CA asks to wait (Retry-After: delay-seconds or an HTTP date), else `default`."""
    value = (getattr(response, "headers", None) or {}).get("Retry-After")
    if not value:
        return default
    try:
        return max(0.0, float(int(value)))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())


def _retrying(net, policy, call):
    """call() tried at most policy['retries'] times on a 5xx or rateLimited answer, waiting as the CA asks."""
    attempt = 0
    while True:
        try:
            return call()
        except Exception as exc:
            kind = _retryable(exc, net)
            if kind is None:
                raise
            attempt += 1
            wait = retry_after_seconds(getattr(net, "last_response", None), 2.0 ** (attempt - 1))
            if attempt >= policy["retries"] or wait > policy["retry_max_wait"]:
                if kind == "rateLimited":
                    raise RateLimited("rate limited by the CA: %s (retry after %d s)" % (_error_text(exc), wait))
                raise
            _sleep(wait)


def new_account_key():
    """A new ACME account key (ECDSA P-256), PEM (PKCS#8, unencrypted). The caller keeps it (mode 0600)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _require():
    if not load():
        raise ACMEError("the acme library is not installed: %s" % ACME_IMPORT_ERROR.strip().splitlines()[-1])


def _jwk(account_key_pem):
    _require()
    key = serialization.load_pem_private_key(account_key_pem, password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = key.curve.key_size
        alg = {256: jose.ES256, 384: jose.ES384, 521: jose.ES512}.get(size)
        if alg is None:
            raise ACMEError("account key: unsupported elliptic curve %s" % key.curve.name)
        return jose.JWKEC(key=key), alg
    if isinstance(key, rsa.RSAPrivateKey):
        return jose.JWKRSA(key=key), jose.RS256
    raise ACMEError("account key: must be an ECDSA or RSA private key")


def split_chain(fullchain_pem):
    """(cert_pem, chain_pem) of a PEM full chain: the first certificate, and the rest."""
    marker = "-----END CERTIFICATE-----"
    blocks = [b.strip() + "\n" + marker + "\n" for b in fullchain_pem.split(marker) if b.strip()]
    return (blocks[0] if blocks else ""), "".join(blocks[1:])


def _error_text(exc):
    """The CA's own words for a failure, without a traceback."""
    if load() and isinstance(exc, errors.ValidationError):
        details = []
        for authzr in exc.failed_authzrs:
            for chall in authzr.body.challenges:
                if chall.error is not None:
                    details.append("%s: %s" % (authzr.body.identifier.value, _problem(chall.error)))
        return "validation failed: " + "; ".join(details) if details else "validation failed"
    if load() and isinstance(exc, messages.Error):
        return _problem(exc)
    if load() and isinstance(exc, errors.TimeoutError):
        return "the CA did not complete the order in time"
    if load() and isinstance(exc, errors.IssuanceError):
        return "issuance failed: %s" % _problem(exc.error)
    if isinstance(exc, ACMEError) or type(exc).__name__ == "DNSError":
        return str(exc)
    return "%s: %s" % (type(exc).__name__, exc)


def _problem(error):
    text = error.detail or error.description or str(error)
    return "%s (%s)" % (text, error.typ.rsplit(":", 1)[-1]) if error.typ else text


def _connect(directory_url, account_key_pem, trust_anchor, timeout, email=None):
    jwk, alg = _jwk(account_key_pem)
    net = _Network(jwk, alg=alg, verify_ssl=trust_anchor or True, user_agent=USER_AGENT, timeout=timeout)
    try:
        directory = client.ClientV2.get_directory(directory_url, net)
    except Exception as exc:  # requests' and acme's errors alike: the whole run cannot start
        raise ACMEError("ACME directory %s: %s" % (directory_url, _error_text(exc)))
    acme = client.ClientV2(directory, net)
    try:
        regr = acme.new_account(messages.NewRegistration.from_data(email=email, terms_of_service_agreed=True))
    except errors.ConflictError as exc:
        # The key is already registered: the CA returned the account's URL.
        regr = messages.RegistrationResource(uri=exc.location, body=messages.Registration())
        net.account = regr
    except Exception as exc:
        raise ACMEError("ACME account at %s: %s" % (directory_url, _error_text(exc)))
    net.account = regr
    return acme, jwk, net


def _order_names(order):
    """(fqdn the results are keyed by, the certificate's names, problems) of one order. Without `names` the
    certificate is for `fqdn` alone; with them `fqdn` is only the caller's key (such as a store name) and each name
    is checked, `*.` allowed in front of one (a wildcard)."""
    raw = order.get("fqdn") if isinstance(order, dict) else None
    if not isinstance(order, dict) or not order.get("names"):
        fqdn, problems = normalize_fqdn(raw)
        return fqdn, [fqdn], ["fqdn: " + "; ".join(problems)] if problems else []
    if not isinstance(raw, str) or not raw:
        return None, [], ["fqdn: the key of the order is required"]
    names, problems = [], []
    for name in order["names"] if isinstance(order["names"], list) else [order["names"]]:
        wildcard = isinstance(name, str) and name.startswith("*.")
        fqdn, name_problems = normalize_fqdn(name[2:] if wildcard else name)
        problems.extend("names: %s" % p for p in name_problems)
        names.append(("*." if wildcard else "") + (fqdn or ""))
    if any(n.startswith("*.") for n in names) and order.get("challenge") != "dns-01":
        problems.append("names: a wildcard (%s) can only be validated by dns-01"
                        % ", ".join(n for n in names if n.startswith("*.")))
    return raw, names, problems


def _validate_orders(orders, http01, dns01):
    """(good orders, {fqdn: error}) — orders that cannot even be attempted fail on their own."""
    good, failed, seen = [], {}, set()
    for index, order in enumerate(orders):
        fqdn, names, problems = _order_names(order)
        label = fqdn or "orders[%d]" % index
        if problems:
            raw = order.get("fqdn") if isinstance(order, dict) else None
            failed[str(raw or label)] = "; ".join(problems)
            continue
        if fqdn in seen:
            failed[fqdn] = "ordered twice in the same run"
            continue
        seen.add(fqdn)
        challenge = order.get("challenge", "http-01")
        if challenge not in CHALLENGE_TYPES:
            failed[fqdn] = "challenge: must be one of %s, got %r" % (", ".join(CHALLENGE_TYPES), challenge)
        elif challenge == "http-01" and http01 is None:
            failed[fqdn] = "challenge http-01: no HTTP-01 responder given"
        elif challenge == "dns-01" and dns01 is None:
            failed[fqdn] = "challenge dns-01: no DNS-01 (RFC 2136) responder given"
        elif not order.get("key_pem"):
            failed[fqdn] = "key_pem: the certificate's private key is required"
        else:
            good.append(dict(order, fqdn=fqdn, names=names, challenge=challenge))
    return good, failed


def _failed(error):
    return dict(status="failed", fullchain_pem="", cert_pem="", chain_pem="", error=error)


def _place(challb, domain, order, jwk, http01, dns01, cleanups):
    """Place one challenge of the authorization of `domain` with its responder; remember how to remove it.
    Returns the response to answer. The DNS-01 record of a wildcard `*.zone` is `_acme-challenge.<zone>`: the CA
    names the authorization by the zone."""
    fqdn = order["fqdn"]
    response, validation = challb.chall.response_and_validation(jwk)
    if order["challenge"] == "http-01":
        token = challb.chall.encode("token")
        http01.place(token, validation)
        cleanups.append((fqdn, lambda t=token: http01.remove(t)))
    else:
        dns01.set_txt(domain, validation)
        cleanups.append((fqdn, lambda d=domain, v=validation: dns01.remove_txt(d, v)))
    return response


def _open_order(acme, jwk, order, http01, dns01, cleanups, retry):
    """Open one order and place every challenge it still needs; returns (orderr, [(challb, response, domain)])."""
    key_pem = order["key_pem"]
    if isinstance(key_pem, str):
        key_pem = key_pem.encode("ascii")
    csr = crypto_util.make_csr(key_pem, order["names"])
    orderr = retry(lambda: acme.new_order(csr))
    pending = []
    for authzr in orderr.authorizations:
        if authzr.body.status == messages.STATUS_VALID:
            continue
        challb = _pick(authzr, order["challenge"])
        if challb is None:
            raise ACMEError("the CA offers no %s challenge for %s" % (order["challenge"], ", ".join(order["names"])))
        domain = authzr.body.identifier.value
        pending.append((challb, _place(challb, domain, order, jwk, http01, dns01, cleanups), domain))
    return orderr, pending


def _open_orders(acme, jwk, orders, http01, dns01, results, cleanups, retry):
    """1. Open the orders and place every challenge before answering any."""
    active = []
    limited = None
    for order in orders:
        if limited is not None:
            results[order["fqdn"]] = _deferred("not ordered: an earlier order of this run was %s" % limited)
            continue
        try:
            orderr, pending = _open_order(acme, jwk, order, http01, dns01, cleanups, retry)
            active.append((order, orderr, pending))
        except RateLimited as exc:
            limited = str(exc)
            results[order["fqdn"]] = _deferred(limited)
        except Exception as exc:
            results[order["fqdn"]] = _failed(_error_text(exc))
    return active


def _deferred(reason):
    return dict(_failed(reason), status="deferred")


def _answer(acme, active, results, retry):
    """2. Answer the challenges of every open order."""
    answered = []
    for order, orderr, pending in active:
        try:
            for challb, response, _domain in pending:
                retry(lambda c=challb, r=response: acme.answer_challenge(c, r))
            answered.append((order, orderr))
        except Exception as exc:
            results[order["fqdn"]] = _failed(_error_text(exc))
    return answered


def _finalize(acme, answered, timeout, results, retry):
    """3. Poll and finalize each order, each within its own bounded time."""
    for order, orderr in answered:
        fqdn = order["fqdn"]
        try:
            deadline = datetime.datetime.now() + datetime.timedelta(seconds=timeout)
            done = retry(lambda o=orderr, d=deadline: acme.poll_and_finalize(o, d))
            cert_pem, chain_pem = split_chain(done.fullchain_pem)
            results[fqdn] = dict(status="issued", fullchain_pem=done.fullchain_pem, cert_pem=cert_pem,
                                 chain_pem=chain_pem, error=None)
        except Exception as exc:
            results[fqdn] = _failed(_error_text(exc))


def _clean_up(cleanups, results):
    """4. Remove every placed challenge, whatever happened."""
    for fqdn, cleanup in cleanups:
        try:
            cleanup()
        except Exception as exc:  # the certificate may be fine; report the leftover challenge
            if fqdn in results and results[fqdn]["status"] == "issued":
                results[fqdn]["cleanup_error"] = _error_text(exc)


def _session(directory_url, account_key_pem, trust_anchor, timeout, email, retries, retry_max_wait):
    """(acme client, account JWK, retry) for one run: `retry(call)` tries a request as the retry policy says."""
    acme, jwk, net = _connect(directory_url, account_key_pem, trust_anchor, timeout, email=email)
    policy = {"retries": max(1, int(retries)), "retry_max_wait": float(retry_max_wait)}

    def retry(call):
        return _retrying(net, policy, call)

    return acme, jwk, retry


def order_certificates(orders, directory_url, account_key_pem, trust_anchor=None, http01=None, dns01=None,
                       timeout=30, email=None, retries=DEFAULT_RETRIES, retry_max_wait=DEFAULT_RETRY_MAX_WAIT):
    """Order one certificate per FQDN; returns {fqdn: {status, fullchain_pem, cert_pem, chain_pem, error}}.

    orders: [{"fqdn": str, "key_pem": bytes, "challenge": "http-01"|"dns-01", "names": [str] (optional: the
    certificate's names when they are not just fqdn, e.g. ["*.zone"] keyed by a store name)}]. A run places at
    most one ACME order per entry of `orders` (and no other), so the caller controls how many orders a run may
    place. status
    is issued, failed, or deferred (rate limited for longer than retry_max_wait seconds; not an error).
    """
    _require()
    good, invalid = _validate_orders(orders, http01, dns01)
    results = {fqdn: _failed(error) for fqdn, error in invalid.items()}
    if not good:
        return results
    try:
        acme, jwk, retry = _session(directory_url, account_key_pem, trust_anchor, timeout, email, retries,
                                    retry_max_wait)
    except ACMEError as exc:
        results.update({o["fqdn"]: _failed(str(exc)) for o in good})
        return results
    cleanups = []  # (fqdn, callable removing a placed challenge)
    try:
        active = _open_orders(acme, jwk, good, http01, dns01, results, cleanups, retry)
        _finalize(acme, _answer(acme, active, results, retry), timeout, results, retry)
    finally:
        _clean_up(cleanups, results)
    return results


def open_orders(orders, directory_url, account_key_pem, trust_anchor=None, http01=None, dns01=None, timeout=30,
                email=None, retries=DEFAULT_RETRIES, retry_max_wait=DEFAULT_RETRY_MAX_WAIT):
    """Step 1 of 2 (frontends on other hosts): open one order per entry and place its challenges, answer none.

    HTTP-01 tokens go to `http01` (a `CollectedChallenges`: the caller writes them on every frontend), DNS-01
    TXT records are added through `dns01`. Returns ({fqdn: failed or deferred result}, {fqdn: pending}) where
    pending is JSON-serializable: the order with its authorizations and the challenges to answer in
    `finish_orders`.
    """
    _require()
    good, invalid = _validate_orders(orders, http01, dns01)
    failed = {fqdn: _failed(error) for fqdn, error in invalid.items()}
    if not good:
        return failed, {}
    try:
        acme, jwk, retry = _session(directory_url, account_key_pem, trust_anchor, timeout, email, retries,
                                    retry_max_wait)
    except ACMEError as exc:
        failed.update({o["fqdn"]: _failed(str(exc)) for o in good})
        return failed, {}
    cleanups = []
    active = _open_orders(acme, jwk, good, http01, dns01, failed, cleanups, retry)
    # Challenges placed for an order that then failed to open are removed now; the others stay until step 2.
    _clean_up([(fqdn, cleanup) for fqdn, cleanup in cleanups if fqdn in failed], failed)
    pending = {}
    for order, orderr, challenges_ in active:
        pending[order["fqdn"]] = {"order": json.loads(orderr.json_dumps()),
                                  "challenges": [json.loads(challb.json_dumps()) for challb, _r, _d in challenges_],
                                  # Where each DNS-01 record went (a wildcard's is at its zone), to remove it.
                                  "domains": [domain for _c, _r, domain in challenges_]}
    return failed, pending


def _read_back(pending, jwk, dns01, results):
    """The open orders of `pending` as (active orders, DNS-01 cleanups); a damaged entry fails that order alone."""
    active, cleanups = [], []
    for fqdn, state in sorted(pending.items()):
        try:
            orderr = messages.OrderResource.from_json(state["order"])
            bodies = [messages.ChallengeBody.from_json(c) for c in state["challenges"]]
        except Exception as exc:
            results[fqdn] = _failed("the open order could not be read back: %s" % _error_text(exc))
            continue
        # Saved by an earlier version without the domains: every challenge was for the order's own FQDN.
        domains = state.get("domains") or [fqdn] * len(bodies)
        active.append(({"fqdn": fqdn}, orderr, [(challb, challb.response(jwk), domain)
                                                for challb, domain in zip(bodies, domains)]))
        for challb, domain in zip(bodies, domains):
            if isinstance(challb.chall, challenges.DNS01) and dns01 is not None:
                value = challb.chall.validation(jwk)
                cleanups.append((fqdn, lambda d=domain, v=value: dns01.remove_txt(d, v)))
    return active, cleanups


def finish_orders(pending, directory_url, account_key_pem, trust_anchor=None, dns01=None, timeout=30, email=None,
                  retries=DEFAULT_RETRIES, retry_max_wait=DEFAULT_RETRY_MAX_WAIT):
    """Step 2 of 2: answer the challenges of the orders `open_orders` opened, poll and finalize each order, and
    remove the DNS-01 TXT records (HTTP-01 files are the caller's to remove). Returns {fqdn: result} as
    `order_certificates` does."""
    _require()
    if not pending:
        return {}
    try:
        acme, jwk, retry = _session(directory_url, account_key_pem, trust_anchor, timeout, email, retries,
                                    retry_max_wait)
    except ACMEError as exc:
        return {fqdn: _failed(str(exc)) for fqdn in pending}
    results = {}
    active, cleanups = _read_back(pending, jwk, dns01, results)
    try:
        _finalize(acme, _answer(acme, active, results, retry), timeout, results, retry)
    finally:
        _clean_up(cleanups, results)
    return results


class CollectedChallenges:
    """HTTP-01 responder of `open_orders`: keeps each token and its content for the caller to serve."""

    def __init__(self):
        self.placed = {}

    def place(self, token, content):
        if not token or "/" in token or token.startswith("."):
            raise ACMEError("refusing a challenge token that is not a plain file name: %r" % token)
        self.placed[token] = content

    def remove(self, token):
        self.placed.pop(token, None)


class WebrootChallenges:
    """HTTP-01 responder writing challenge files into every given webroot (one per frontend served locally).

    `place` writes `<webroot>/.well-known/acme-challenge/<token>` (atomically, world-readable: nginx serves it)
    into all webroots before the challenge is answered; `remove` deletes them all.
    """

    def __init__(self, webroots):
        self.webroots = list(webroots)

    def _paths(self, token):
        if not token or "/" in token or token.startswith("."):
            raise ACMEError("refusing a challenge token that is not a plain file name: %r" % token)
        return [os.path.join(root, ".well-known", "acme-challenge", token) for root in self.webroots]

    def place(self, token, content):
        for path in self._paths(token):
            atomic_write(path, content.encode("ascii"), 0o644, make_dirs_mode=0o755)

    def remove(self, token):
        for path in self._paths(token):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass


def _pick(authzr, challenge_type):
    wanted = challenges.HTTP01 if challenge_type == "http-01" else challenges.DNS01
    for challb in authzr.body.challenges:
        if isinstance(challb.chall, wanted):
            return challb
    return None
