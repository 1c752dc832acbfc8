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
    leaf per FQDN, renewed when fewer than O(renew_days) days remain, when the SAN changes or when the issuer
    or key no longer match.
  - Mode C(provided) checks the operator's files (key matches the certificate, SAN covers the FQDN, chain present
    and issuing the certificate, not expired, not yet valid) and copies them into the store; every failure
    names the reseller, the FQDN and the field.
  - Mode C(acme) is served by a provider registered by the ACME support; without it the task fails saying the
    mode is not available yet.
  - Everything is validated before anything is written; private keys never appear in the output or the diff
    (which shows subject, SAN, issuer and expiry).
author:
  - panelops.reseller contributors (@panelops)
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
    type: list
    elements: dict
    default: []
  resellers_var:
    description:
      - Name of a host variable holding the reseller list (normally C(panel_resellers)), read by the action
        plugin on the controller instead of O(resellers). A list of 1000 resellers passed as a task argument
        costs seconds per task; read this way it costs a fraction of that.
      - Mutually exclusive with O(resellers).
    type: str
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
    description: Reissue a certificate when fewer than this many days of validity remain.
    type: int
    default: 30
  days:
    description: Validity in days of the certificates issued by the internal CA.
    type: int
    default: 90
  ca_common_name:
    description: Common name of the internal CA when it is created.
    type: str
    default: panelops.reseller internal CA
attributes:
  check_mode:
    description: Whether the module can report what it would change without changing anything.
    support: full
    details: Reports what would be issued, renewed or retired; nothing is written.
  diff_mode:
    description: Whether the module shows what it changes (or would change) as a diff.
    support: full
    details: Subject, SAN, issuer and not-after of each certificate before and after; never a key.
requirements:
  - cryptography >= 42
"""

EXAMPLES = r"""
- name: One certificate per FQDN, once, on the controller
  panelops.reseller.tls_certificates:
    store: "{{ panel_tls_store }}"
    resellers: "{{ panel_resellers }}"
    provider_url: "{{ panel_provider_url }}"
    tls: "{{ panel_tls }}"
    renew_days: 30
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
failed:
  description: FQDNs the provider could not issue (their previous certificate is kept).
  returned: always
  type: list
  elements: str
ca_certificate:
  description: Path of the internal CA certificate (the trust anchor clients need).
  returned: when mode internal_ca is used
  type: str
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.panelops.reseller.plugins.module_utils import _tls
from ansible_collections.panelops.reseller.plugins.module_utils._results import echo_compactly


def main():
    module = AnsibleModule(
        argument_spec=dict(
            store=dict(type="path", required=True),
            resellers=dict(type="list", elements="dict", default=[]),
            resellers_var=dict(type="str"),
            provider_url=dict(type="str"),
            tls=dict(type="dict", default={"mode": "internal_ca"}),
            provider_tls=dict(type="dict", default={}),
            renew_days=dict(type="int", default=30),
            days=dict(type="int", default=90),
            ca_common_name=dict(type="str", default="panelops.reseller internal CA"),
        ),
        supports_check_mode=True,
    )
    echo_compactly(module, "resellers")
    if not _tls.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography"), exception=str(_tls.CRYPTOGRAPHY_IMPORT_ERROR))
    p = module.params
    options = dict(p["tls"])
    options.update(days=p["days"], ca_common_name=p["ca_common_name"])
    try:
        result = _tls.ensure_certificates(
            p["store"], p["resellers"], provider_url=p["provider_url"], default_tls=p["tls"],
            provider_tls=p["provider_tls"], renew_days=p["renew_days"], options=options,
            check_mode=module.check_mode)
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
    if result["failed"]:
        module.fail_json(msg="could not issue a certificate for: %s" % "; ".join(
            "%s (%s)" % (f, result["certificates"][f].get("error")) for f in result["failed"]), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
