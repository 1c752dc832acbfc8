# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `acme` provider of `_tls`: certificates ordered from an ACME CA (HTTP-01 or DNS-01).

Importing this file registers the provider (`_tls.register_provider("acme", ...)`). `_tls.ensure_certificates`
decides what needs (re)issuing (missing, SAN changed, key not matching, fewer than `renew_days` left); this
provider only orders what it is handed, so a run places at most one ACME order per certificate that needs one,
and none when every certificate is valid.

Settings (the inventory's `panel_tls`, per reseller `tls` may override `challenge`):

    acme_directory       the CA's directory URL (required)
    acme_trust_anchor    CA bundle for the directory's TLS (a test CA such as pebble); default: the system's
    acme_email           contact address registered with the account (optional)
    acme_timeout         seconds for each HTTP request and for the polling of each order (default 60)
    acme_retries         tries of one request the CA answers with 5xx or rateLimited (default 3)
    acme_retry_max_wait  longest wait (seconds) for a Retry-After within a run (default 30); longer: deferred
    acme_budget          how many orders a run may place (see _tls_budget)
    challenge            http-01 (default) | dns-01

and, given by the module: `acme_webroots` (HTTP-01: directories served at `/.well-known/acme-challenge/` by the
frontends, on the host where the module runs), `dns_update` (DNS-01: {zones, server, port, tsig}) and
`dns_ready` (when not None, only reseller FQDNs listed there are ordered; the others are skipped and reported).

The wildcard of a `panel_tls.wildcard_zones` zone (a request with `covers`, see _tls_wildcard) is one order for
`*.<zone>` by DNS-01, its TXT record at `_acme-challenge.<zone>`; it is ordered once one reseller it serves is
DNS-ready.

The account key is created once as `<store>/acme/account.key` (0600) and reused on every run. Each order gets a
new ECDSA P-256 key. A failed order returns the CA's error; `_tls` keeps the certificate already in the store.
"""

from __future__ import annotations

import json
import os

from ansible_collections.panelops.reseller.plugins.module_utils import _acme, _dns, _tls, _tls_wildcard
from ansible_collections.panelops.reseller.plugins.module_utils._names import find_zone
from ansible_collections.panelops.reseller.plugins.module_utils._tls_settings import (
    CHALLENGES,
    DEFAULT_ACME_TIMEOUT,
    acme_settings_problems,
    challenge_of,
)


class MissingLibrary(Exception):
    """The `acme` (or `josepy`) library is not installed on the host running the module."""

    def __init__(self, library, error):
        super(MissingLibrary, self).__init__(library)
        self.library = library
        self.error = error


def account_key_path(store):
    return os.path.join(store, "acme", "account.key")


def validate_requests(requests, options):
    """Problems of the ACME requests (run before anything is written): settings, webroots, DNS-01 zones."""
    problems = []
    webroots = options.get("acme_webroots") or []
    dns_update = options.get("dns_update") or {}
    zones = dns_update.get("zones") if dns_update.get("tsig") else None
    # The ACME account settings are the default ones (panel_tls); a reseller's tls may choose its challenge.
    problems.extend(acme_settings_problems("panel_tls", options, True))
    for req in requests:
        if req.get("covers"):
            # The wildcard of a panel_tls.wildcard_zones zone: always DNS-01, its TXT record at the zone itself.
            problems.extend(_tls_wildcard.dns01_problems(req["names"][0][2:], dns_update.get("zones"),
                                                         bool(dns_update.get("tsig"))))
            continue
        label = "%s (%s): tls" % (req["where"], req["fqdn"])
        if challenge_of(req["tls"]) not in CHALLENGES:
            problems.append("%s.challenge: must be one of %s, got %r"
                            % (label, ", ".join(CHALLENGES), challenge_of(req["tls"])))
            continue
        challenge = challenge_of(req["tls"])
        if challenge == "http-01" and not webroots and (options.get("acme_step") or "all") == "all":
            problems.append("%s.challenge: http-01 needs the frontends' ACME webroot (acme_webroots is empty)"
                            % label)
        elif challenge == "dns-01":
            if not zones:
                problems.append("%s.challenge: dns-01 needs panel_dns with zones and tsig (RFC 2136 updates)"
                                % label)
            elif find_zone("_acme-challenge." + req["fqdn"], zones) is None:
                problems.append("%s.challenge: dns-01 needs the FQDN inside one of the provider zones (%s)"
                                % (label, ", ".join(dns_update.get("zones") or [])))
    return problems


def _dns_challenges(dns_update):
    if not _dns.load():
        raise MissingLibrary("dnspython", _dns.DNSPYTHON_IMPORT_ERROR)
    tsig = dns_update.get("tsig") or {}
    return _dns.Rfc2136Challenges(dns_update.get("zones") or [], dns_update.get("server") or "127.0.0.1",
                                  int(dns_update.get("port") or 53), tsig.get("name"), tsig.get("secret"),
                                  tsig.get("algorithm") or "hmac-sha256", timeout=float(dns_update.get("timeout", 10)))


class ACMEProvider(object):
    """Orders the certificates `_tls` hands it, all in one run: open all orders, place every challenge, answer."""

    def __init__(self, store, options, check_mode=False, now=None):
        if not _acme.load():
            raise MissingLibrary("acme", _acme.ACME_IMPORT_ERROR)
        self.store = store
        self.options = options
        self.check_mode = check_mode
        self.directory = options.get("acme_directory")
        self.ready = options.get("dns_ready")
        self.account_created = False

    def expected_issuer(self):
        # An ACME CA may change its intermediates at any time: the issuer alone never triggers a new order.
        return None

    def account_key(self):
        """The kept account key (PEM); created once (0600), never in check mode."""
        path = account_key_path(self.store)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass
        key = _acme.new_account_key()
        self.account_created = True
        if not self.check_mode:
            _tls.atomic_write(path, key, 0o600)
        return key

    def not_ready(self, item):
        """Whether item's DNS does not point at the frontends yet (it is skipped: no order, no budget used)."""
        if self.ready is None or item["where"] == "panel_provider_url":
            return False
        ready = set(f.rstrip(".").lower() for f in self.ready)
        if item.get("covers"):
            # A zone's wildcard is validated by DNS-01 alone; it is ordered once a reseller it serves is ready.
            return not any(fqdn in ready for fqdn, _where in item["covers"])
        return item["fqdn"] not in ready

    def issue(self, items):
        out = {}
        todo = []
        for item in items:
            if self.not_ready(item):
                out[item["fqdn"]] = {"status": "skipped",
                                     "error": "its DNS does not point at the frontends yet (not in "
                                              "reseller_dns_ready): no order placed"}
            elif self.check_mode:
                out[item["fqdn"]] = {"status": "planned", "challenge": challenge_of(item["tls"])}
            else:
                todo.append(item)
        if todo:
            step = self.options.get("acme_step") or "all"
            out.update({"open": self._open, "finish": self._finish}.get(step, self._order)(todo))
        return out

    def _connection(self):
        return dict(directory_url=self.directory, account_key_pem=self.account_key(),
                    trust_anchor=self.options.get("acme_trust_anchor"),
                    timeout=float(self.options.get("acme_timeout", DEFAULT_ACME_TIMEOUT)),
                    email=self.options.get("acme_email"),
                    retries=self.options.get("acme_retries", _acme.DEFAULT_RETRIES),
                    retry_max_wait=self.options.get("acme_retry_max_wait", _acme.DEFAULT_RETRY_MAX_WAIT))

    def _dns01(self):
        dns_update = self.options.get("dns_update") or {}
        return _dns_challenges(dns_update) if dns_update.get("zones") and dns_update.get("tsig") else None

    @staticmethod
    def _orders(todo, keys):
        return [dict(fqdn=item["fqdn"], names=item["names"], key_pem=keys[item["fqdn"]],
                     challenge=challenge_of(item["tls"])) for item in todo]

    @staticmethod
    def _new_keys(todo):
        return dict((item["fqdn"], _tls.key_pem(_tls.ec.generate_private_key(_tls.ec.SECP256R1()))) for item in todo)

    def _order(self, todo):
        """One step: HTTP-01 files written into acme_webroots on this host, every order answered at once."""
        keys = self._new_keys(todo)
        webroots = self.options.get("acme_webroots") or []
        results = _acme.order_certificates(
            self._orders(todo, keys), http01=_acme.WebrootChallenges(webroots) if webroots else None,
            dns01=self._dns01(), **self._connection())
        return self._outcomes(todo, keys, results)

    def _open(self, todo):
        """Step 1 of 2: open the orders; the HTTP-01 challenges are handed back (`http01_challenges`) for the
        frontends to serve, the orders and their keys kept in the store until step 2 (`finish`)."""
        keys = self._new_keys(todo)
        collected = _acme.CollectedChallenges()
        failed, pending = _acme.open_orders(self._orders(todo, keys), http01=collected, dns01=self._dns01(),
                                            **self._connection())
        state = {"orders": dict((fqdn, dict(entry, key_pem=keys[fqdn].decode("ascii")))
                                for fqdn, entry in pending.items()),
                 "failed": dict((fqdn, result) for fqdn, result in failed.items())}
        _tls.atomic_write(open_orders_path(self.store), json.dumps(state).encode("utf-8"), 0o600)
        self.http01_challenges = [{"token": token, "content": content}
                                  for token, content in sorted(collected.placed.items())]
        out = {}
        for item in todo:
            result = failed.get(item["fqdn"]) or {}
            if item["fqdn"] in pending:
                out[item["fqdn"]] = {"status": "opened", "ordered": True}
            elif result.get("status") == "deferred":
                # Rate limited for longer than a run waits: the next run orders it (not an error).
                out[item["fqdn"]] = {"status": "deferred", "error": result.get("error")}
            else:
                out[item["fqdn"]] = {"status": "failed", "ordered": True, "error": result.get("error") or "not opened"}
        return out

    def _finish(self, todo):
        """Step 2 of 2: answer and finalize what step 1 opened (the frontends now serve the challenges)."""
        try:
            with open(open_orders_path(self.store)) as handle:
                state = json.load(handle)
        except FileNotFoundError:
            state = {"orders": {}, "failed": {}}
        orders = state.get("orders", {})
        wanted = dict((item["fqdn"], orders[item["fqdn"]]) for item in todo if item["fqdn"] in orders)
        results = _acme.finish_orders(wanted, dns01=self._dns01(), **self._connection())
        for item in todo:
            if item["fqdn"] not in wanted:
                results[item["fqdn"]] = state.get("failed", {}).get(item["fqdn"]) or {
                    "status": "failed", "error": "no order was opened for it (acme_step open did not run)"}
        if os.path.exists(open_orders_path(self.store)):
            os.unlink(open_orders_path(self.store))
        keys = dict((fqdn, entry["key_pem"].encode("ascii")) for fqdn, entry in wanted.items())
        out = self._outcomes(todo, keys, results, ordered=False)
        for fqdn in wanted:
            # The end of an order step 1 placed: its outcome goes into the order history (a failed validation
            # counts against failed_validations_per_hour, an issued one against the weekly budget).
            out[fqdn]["finished"] = True
        return out

    @staticmethod
    def _outcomes(todo, keys, results, ordered=True):
        out = {}
        for item in todo:
            fqdn = item["fqdn"]
            result = results.get(fqdn) or {"status": "failed", "error": "no result from the ACME client"}
            if result["status"] == "issued":
                out[fqdn] = {"status": "issued", "ordered": ordered, "key_pem": keys[fqdn],
                             "cert_pem": result["cert_pem"].encode("ascii"),
                             "chain_pem": result["chain_pem"].encode("ascii")}
                if result.get("cleanup_error"):
                    out[fqdn]["warning"] = "challenge cleanup failed: %s" % result["cleanup_error"]
            elif result["status"] == "deferred":
                out[fqdn] = {"status": "deferred", "error": result.get("error")}
            else:
                out[fqdn] = {"status": "failed", "ordered": ordered, "error": result.get("error")}
        return out


def open_orders_path(store):
    """Orders opened by `acme_step: open` and not yet finished: their state and keys (0600)."""
    return os.path.join(store, "acme", "open-orders.json")


_tls.register_provider("acme", ACMEProvider, validate=validate_requests)
