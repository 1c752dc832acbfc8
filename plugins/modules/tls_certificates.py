#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: tls_certificates
short_description: Keep one TLS certificate per reseller FQDN in a certificate store
version_added: 0.1.0
description:
  - Batch module, meant to run once on the controller (C(run_once) and C(delegate_to=localhost)); the frontends
    then receive the certificates through M(panelops.reseller.nginx_sites).
  - One certificate per FQDN served (the provider's host and every reseller whose C(state) is C(present) or
    C(suspended)), kept under O(store). Certificates of absent resellers are moved to C(<store>/retired/).
  - Mode C(internal_ca) keeps a project CA (ECDSA P-256, created once, key mode 0600) and issues an ECDSA P-256
    leaf per FQDN, renewed when its renewal is due, when the SAN changes or when the issuer or key no longer match.
  - Renewal is due when a fraction of the certificate's lifetime is left - C(renew_fraction) of O(tls) (default a
    third), per mode C(renew_fraction_per_mode) (a mapping of mode to fraction); when O(renew_days) (or
    C(renew_days) in O(tls)) is set, also when fewer than that many days remain.
  - With C(wildcard_zones) in O(tls) (a list of zones), the resellers whose FQDN is a direct child of one of
    them (one label) and whose mode is C(internal_ca) or C(acme) share one C(*.<zone>) certificate, kept as
    C(<store>/certs/_wildcard.<zone>/) and renewed once for all; RV(certificates) lists each of them with
    C(wildcard). In mode C(acme) it is one order (one order and one certificate of the registered domain for the
    budget) validated by DNS-01 - the TXT record C(_acme-challenge.<zone>) is added by RFC 2136 into the zone of
    O(dns_update) that holds it - whatever C(challenge) says; a zone outside O(dns_update) C(zones), or no TSIG
    key, fails the task before anything is written, naming the zone. The resellers under one zone must share one
    mode (C(provided) ones keep their own certificates). Their own earlier certificates are moved to C(retired/)
    once the wildcard has a certificate; while an ACME wildcard is deferred, skipped or failed, they keep them. A
    reseller that moves to its own domain gets its own certificate.
  - Mode C(provided) checks the operator's files (key matches the certificate, SAN covers the FQDN, chain present
    and issuing the certificate, not expired, not yet valid) and copies them into the store; every failure
    names the reseller, the FQDN and the field.
  - Mode C(acme) orders certificates from an ACME CA (the C(acme) library) with these settings of O(tls) -
    C(acme_directory) (required), C(acme_trust_anchor), C(acme_email), C(acme_timeout) and C(challenge)
    (C(http-01) or C(dns-01); a reseller's C(tls.challenge) overrides it). The account key is created once as
    C(<store>/acme/account.key) (mode 0600) and reused. Only certificates that are missing, whose SAN changed,
    whose key does not match or whose renewal is due are ordered, all in one run; a valid certificate is never
    ordered again.
  - The ACME order budget C(acme_budget) of O(tls) (C(orders_per_run), default 100; C(orders_per_3_hours),
    default 250; C(certificates_per_domain_week) per registered domain of the Public Suffix List, default 40;
    C(failed_validations_per_hour) per FQDN, default 3) chooses the orders of a run before any is placed -
    renewals of valid certificates first, then the provider's host, then new names in inventory order. The others
    are deferred, listed in RV(deferred_fqdns) with the reason (not an error) and ordered by a later run; the
    history of orders is kept in C(<store>/acme/orders.json). M(panelops.reseller.nginx_sites) does not publish a
    deferred FQDN that has no certificate yet.
  - A request the CA answers with a server error or C(rateLimited) is tried again (C(acme_retries), default 3 in
    all) after its Retry-After or a doubling backoff, up to C(acme_retry_max_wait) seconds (default 30); a longer
    rate limit defers the order and the orders after it. A failed validation is not retried in the same run.
  - A failed order keeps the certificate already in the store and the task fails naming each domain with the
    CA's error, after every other order was completed and stored.
  - HTTP-01 writes the challenge files into every directory of O(acme_webroots) B(on the host the module runs
    on) (normally the controller). Frontends on other hosts must serve the same directory (shared or synced
    storage) or proxy C(/.well-known/acme-challenge/) to a host that does; otherwise their validation fails.
  - DNS-01 adds C(_acme-challenge) TXT records by RFC 2136 with the TSIG key of O(dns_update), for FQDNs inside
    its zones, and removes them afterwards.
  - When O(dns_ready) is given, ACME orders are placed only for reseller FQDNs listed there (the domains whose DNS
    points at the frontends); the others are reported in RV(skipped_fqdns) with a warning, and keep what the store
    holds. The provider's own host is not filtered.
  - Everything is validated before anything is written; private keys never appear in the output or the diff
    (which shows subject, SAN, issuer and expiry).
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - panelops.reseller.resellers_var
options:
  store:
    description: Certificate store directory (on the host the module runs on, normally the controller).
    type: path
    required: true
  resellers:
    description:
      - The inventory's reseller list (C(panel_resellers)). Fields used are C(name), C(state),
        C(enduser_panel_url) and the optional C(tls) override (C(mode), C(cert_file), C(key_file),
        C(chain_file)).
      - Mutually exclusive with O(resellers_var).
      - The action plugin hands the list to the module as O(resellers_file).
    type: list
    elements: dict
    default: []
  resellers_file:
    description:
      - Filled by the action plugin with the reseller fields the module uses; do not set it yourself.
      - A JSON file in the task's private temporary directory holding a list like O(resellers); the module reads
        and removes it. As an argument, 1000 resellers are decoded and deep-copied as a whole on every run.
    type: path
    version_added: 0.1.0
  provider_url:
    description: The provider's end-user panel URL; its host gets a certificate too.
    type: str
  tls:
    description:
      - Default TLS settings (the inventory's C(panel_tls)); key C(mode) is one of C(internal_ca), C(provided),
        C(acme). Other keys are passed to the provider.
    type: dict
    default: {mode: internal_ca}
  provider_tls:
    description: Override of O(tls) for the provider's host (for example C(mode=provided) with its files).
    type: dict
    default: {}
  renew_days:
    description:
      - Also reissue a certificate when fewer than this many days of validity remain (besides the fraction of the
        lifetime, see C(renew_fraction)). Unset - the fraction alone decides, which suits any lifetime.
    type: int
  days:
    description: Validity in days of the certificates issued by the internal CA.
    type: int
    default: 90
  ca_common_name:
    description: Common name of the internal CA when it is created.
    type: str
    default: panelops.reseller internal CA
  acme_webroots:
    description:
      - Mode C(acme), challenge C(http-01) - the directories the frontends serve at
        C(/.well-known/acme-challenge/) (their C(panel_nginx_acme_webroot)), on the host the module runs on.
    type: list
    elements: path
    default: []
  dns_update:
    description:
      - Mode C(acme), challenge C(dns-01) - the provider zones and the server taking RFC 2136 updates.
    type: dict
    suboptions:
      zones:
        description: Zones the provider controls; DNS-01 works for FQDNs inside them.
        type: list
        elements: str
        required: true
      server:
        description: IP address of the zones' primary server.
        type: str
        required: true
      port:
        description: Port of the primary server.
        type: int
        default: 53
      tsig:
        description: The TSIG key allowed to update the zones.
        type: dict
        required: true
        suboptions:
          name:
            description: Key name.
            type: str
            required: true
          secret:
            description: Base64 secret of the key.
            type: str
            required: true
          algorithm:
            description: HMAC algorithm of the key.
            type: str
            default: hmac-sha256
  acme_step:
    description:
      - Mode C(acme) with frontends on other hosts than the one the module runs on (HTTP-01 in two steps).
      - C(all) orders in one call, writing the HTTP-01 files into O(acme_webroots) on this host.
      - C(open) opens every order that is needed and returns the HTTP-01 challenges in RV(http01_challenges)
        for a task on the frontends to write into each one's webroot (M(panelops.reseller.acme_http01)); DNS-01
        records are added. The orders and their new keys wait in C(<store>/acme/open-orders.json) (mode 0600).
        A failed order does not fail this step; the C(finish) step reports it.
      - C(finish) answers the opened orders' challenges, finalizes them, stores the certificates, removes the
        DNS-01 records and fails naming each domain the CA refused. It places no order; the outcome of each order
        goes into the order history (a failed validation counts against C(failed_validations_per_hour), an issued
        certificate against C(certificates_per_domain_week)).
    type: str
    choices: [all, open, finish]
    default: all
  dns_ready:
    description:
      - Reseller FQDNs whose DNS points at the frontends (the fact C(reseller_dns_ready) of the C(reseller_dns)
        role). When given, ACME orders are placed only for these; omit it to order for every FQDN.
    type: list
    elements: str
attributes:
  check_mode:
    description: Whether the module can report what it would change without changing anything.
    support: full
    details: Reports what would be issued, renewed, ordered or retired; nothing is written and no ACME order is placed.
  diff_mode:
    description: Whether the module shows what it changes (or would change) as a diff.
    support: full
    details: Subject, SAN, issuer and not-after of each certificate before and after; never a key.
requirements:
  - cryptography >= 42
  - acme (mode acme only)
  - publicsuffixlist (mode acme only)
"""

EXAMPLES = r"""
- name: One certificate per FQDN, once, on the controller
  panelops.reseller.tls_certificates:
    store: "{{ panel_tls_store }}"
    resellers_var: panel_resellers  # read on the controller; far cheaper than a templated argument
    provider_url: "{{ panel_provider_url }}"
    tls: "{{ panel_tls }}"
  run_once: true
  delegate_to: localhost

- name: Public certificates by ACME, HTTP-01 through the frontends' webroot, DNS-01 for one reseller
  panelops.reseller.tls_certificates:
    store: "{{ panel_tls_store }}"
    resellers:
      - {name: acme, enduser_panel_url: "https://cloud.acme.test/"}
      - {name: globex, enduser_panel_url: "https://globex.resellers.provider.test/", tls: {challenge: dns-01}}
    provider_url: https://panel.provider.test/
    tls:
      mode: acme
      acme_directory: https://acme-v02.api.letsencrypt.org/directory
      acme_email: hostmaster@provider.test
      challenge: http-01
      renew_fraction: 0.33
      acme_budget: {orders_per_run: 100, certificates_per_domain_week: 40}
    acme_webroots: [/var/lib/panelops/acme]
    dns_update:
      zones: [resellers.provider.test]
      server: 192.0.2.53
      tsig: {name: panel-update, secret: "{{ vault_dns_tsig_secret }}"}
    dns_ready: "{{ reseller_dns_ready }}"
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
certificates:
  description: Per FQDN, the mode, the reseller (C(where)), the reason for a (re)issue and the public facts.
  returned: always
  type: dict
  sample: {"cloud.acme.test": {"mode": "internal_ca", "where": "reseller 'acme'", "reason": null,
           "subject": "CN=cloud.acme.test", "san": ["cloud.acme.test"], "issuer": "CN=panelops.reseller internal CA",
           "not_after": "2027-02-22T21:00:00Z", "serial": "1f3a"}}
created:
  description: FQDNs that got their first certificate.
  returned: always
  type: list
  elements: str
renewed:
  description: FQDNs whose certificate was reissued (or replaced by newer provided files).
  returned: always
  type: list
  elements: str
unchanged:
  description: FQDNs whose certificate was kept.
  returned: always
  type: list
  elements: str
removed:
  description: FQDNs of absent resellers whose certificate was moved to C(retired/).
  returned: always
  type: list
  elements: str
failed_fqdns:
  description: FQDNs the provider could not issue (their previous certificate is kept).
  returned: always
  type: list
  elements: str
skipped_fqdns:
  description: FQDNs not attempted because their DNS is not ready (see O(dns_ready)); their certificate is kept.
  returned: always
  type: list
  elements: str
deferred_fqdns:
  description:
    - FQDNs that need an ACME order but were not ordered in this run (the budget, or the CA's rate limit); the
      reason is C(deferred) in RV(certificates). Their certificate (if any) is kept; a later run orders them.
  returned: always
  type: list
  elements: str
ordered:
  description: FQDNs for which an ACME order was placed in this run (would be placed, in check mode).
  returned: always
  type: list
  elements: str
opened:
  description: FQDNs whose ACME order was opened by O(acme_step=open) (the certificate comes with C(finish)).
  returned: always
  type: list
  elements: str
http01_challenges:
  description:
    - With O(acme_step=open), the HTTP-01 challenges every frontend must serve at
      C(/.well-known/acme-challenge/<token>) before the C(finish) step. Not secret (the CA fetches them in
      the clear), and valid only for this run's orders.
  returned: when O(acme_step=open) opened orders
  type: list
  elements: dict
  sample: [{"token": "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0", "content": "LoqXcYV8...9jg46WB3rtCB7ewd"}]
acme_account_created:
  description: Whether the ACME account key was created in this run.
  returned: when the ACME account key was created
  type: bool
ca_certificate:
  description: Path of the internal CA certificate (the trust anchor clients need).
  returned: when mode internal_ca is used
  type: str
"""

import contextlib
import os
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.panelops.reseller.plugins.module_utils import _locks, _tls, _tls_acme, _tls_budget
from ansible_collections.panelops.reseller.plugins.module_utils._handover import take_handed_over_list
from ansible_collections.panelops.reseller.plugins.module_utils._results import echo_compactly


def main():
    module = AnsibleModule(
        argument_spec=dict(
            store=dict(type="path", required=True),
            resellers=dict(type="list", elements="dict", default=[]),
            resellers_var=dict(type="str"),
            resellers_file=dict(type="path"),
            provider_url=dict(type="str"),
            tls=dict(type="dict", default={"mode": "internal_ca"}),
            provider_tls=dict(type="dict", default={}),
            renew_days=dict(type="int"),
            days=dict(type="int", default=90),
            ca_common_name=dict(type="str", default="panelops.reseller internal CA"),
            acme_webroots=dict(type="list", elements="path", default=[]),
            dns_update=dict(type="dict", options=dict(
                zones=dict(type="list", elements="str", required=True),
                server=dict(type="str", required=True),
                port=dict(type="int", default=53),
                tsig=dict(type="dict", required=True, options=dict(
                    name=dict(type="str", required=True),
                    secret=dict(type="str", required=True, no_log=True),
                    algorithm=dict(type="str", default="hmac-sha256"),
                )),
            )),
            dns_ready=dict(type="list", elements="str"),
            acme_step=dict(type="str", choices=["all", "open", "finish"], default="all"),
        ),
        supports_check_mode=True,
        mutually_exclusive=[("resellers_var", "resellers_file")],
    )
    # The action plugin hands the list over as a file: read and validated before the compact echo is taken.
    take_handed_over_list(module, "resellers", "resellers_file", "reseller")
    echo_compactly(module, "resellers")
    if not _tls.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography"), exception=str(_tls.CRYPTOGRAPHY_IMPORT_ERROR))
    p = module.params
    options = dict(p["tls"])
    options.update(days=p["days"], ca_common_name=p["ca_common_name"], acme_webroots=p["acme_webroots"],
                   dns_update=p["dns_update"], dns_ready=p["dns_ready"], acme_step=p["acme_step"])
    try:
        # Two runs at once would both issue and could pair one's certificate with the other's key: outside
        # check mode the store is changed under its lock.
        lock = contextlib.nullcontext()
        if not module.check_mode:
            os.makedirs(p["store"], exist_ok=True)
            lock = _locks.directory_lock(p["store"])
        with lock:
            result = _tls.ensure_certificates(
                p["store"], p["resellers"], provider_url=p["provider_url"], default_tls=p["tls"],
                provider_tls=p["provider_tls"], renew_days=p["renew_days"], options=options,
                check_mode=module.check_mode)
    except _locks.LockTimeout as exc:
        module.fail_json(msg="another run is changing the certificate store: %s" % exc)
    except (_tls_acme.MissingLibrary, _tls_budget.MissingLibrary) as exc:
        module.fail_json(msg=missing_required_lib(exc.library), exception=exc.error)
    except _tls.TLSError as exc:
        module.fail_json(msg=str(exc), problems=exc.problems)
    except OSError as exc:
        module.fail_json(msg="cannot write the certificate store %s: %s" % (p["store"], exc),
                         exception=traceback.format_exc())
    diff = result.pop("diff")
    warnings = result.pop("warnings")
    for warning in warnings:
        module.warn(warning)
    if module._diff and result["changed"]:
        result["diff"] = diff
    if result["failed_fqdns"] and p["acme_step"] != "open":
        module.fail_json(msg="could not issue a certificate for: %s" % "; ".join(
            "%s (%s)" % (f, result["certificates"][f].get("error")) for f in result["failed_fqdns"]), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
