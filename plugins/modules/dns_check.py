#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dns_check
short_description: Check that reseller domains resolve to the frontends before certificates are ordered
version_added: 0.1.0
description:
  - Resolves the A and AAAA records of every given FQDN (following CNAMEs, also across zones an authoritative
    server does not serve) and compares the addresses found with the frontends' public addresses.
  - Each FQDN gets one status, C(ok) (every address found is a frontend address), C(mismatch) (some address is
    not), C(nxdomain), C(nodata) (no A or AAAA record), C(timeout) (no name server answered in time) or
    C(error) (the name servers refused or failed).
  - With O(on_mismatch=fail), the task fails after all FQDNs were checked, listing every problem; with
    C(warn), each problem becomes a warning; with C(skip), problems are only returned.
  - The module never changes anything; queries are made in parallel with bounded time per FQDN, about
    O(timeout) * (O(retries) + 1) seconds at most.
author:
  - panelops.reseller contributors (@panelops)
options:
  fqdns:
    description: The domain names to check (IDNA names are encoded).
    type: list
    elements: str
    required: true
  addresses:
    description: The frontends' public IPv4 and IPv6 addresses.
    type: list
    elements: str
    required: true
  servers:
    description:
      - IP addresses of the name servers to ask. When empty, the system's resolvers are used.
    type: list
    elements: str
    default: []
  port:
    description: Port of the name servers.
    type: int
    default: 53
  timeout:
    description: Seconds to wait for one answer.
    type: float
    default: 2.0
  retries:
    description: How many more times a query that timed out is sent.
    type: int
    default: 2
  exclude_zones:
    description:
      - FQDNs inside these zones are not checked (returned in RV(excluded)), typically the provider zones whose
        records R(dns_records,panelops.reseller.dns_records) manages itself.
    type: list
    elements: str
    default: []
  on_mismatch:
    description: What to do when an FQDN is not C(ok).
    type: str
    default: fail
    choices: [fail, warn, skip]
extends_documentation_fragment:
  - action_common_attributes
attributes:
  check_mode:
    support: full
    details: The module only reads; it runs the same in check mode.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: posix
requirements:
  - dnspython >= 2.4
"""

EXAMPLES = r"""
- name: Check that every reseller domain points at the frontends
  panelops.reseller.dns_check:
    fqdns: [cloud.acme.test, panel.example.test]
    addresses: [203.0.113.10, 2001:db8::10]
    servers: [192.0.2.53]
    on_mismatch: warn
  register: dns_preflight
"""

RETURN = r"""
domains:
  description: Per FQDN, what was found.
  returned: always
  type: dict
  sample:
    cloud.acme.test:
      status: mismatch
      addresses: [198.51.100.7]
      cnames: []
      expected: [203.0.113.10]
      message: cloud.acme.test resolves to 198.51.100.7; 198.51.100.7 is not among the frontend addresses
excluded:
  description: FQDNs not checked because they are inside O(exclude_zones).
  returned: always
  type: list
  elements: str
ok:
  description: FQDNs that resolve only to frontend addresses (safe to order certificates for).
  returned: always
  type: list
  elements: str
problems:
  description: One message per FQDN that is not C(ok).
  returned: always
  type: list
  elements: str
mismatch:
  description: FQDNs with status C(mismatch).
  returned: always
  type: list
  elements: str
nxdomain:
  description: FQDNs with status C(nxdomain).
  returned: always
  type: list
  elements: str
nodata:
  description: FQDNs with status C(nodata).
  returned: always
  type: list
  elements: str
timeout:
  description: FQDNs with status C(timeout).
  returned: always
  type: list
  elements: str
error:
  description: FQDNs with status C(error).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.panelops.reseller.plugins.module_utils import _dns


def main():
    module = AnsibleModule(
        argument_spec=dict(
            fqdns=dict(type="list", elements="str", required=True),
            addresses=dict(type="list", elements="str", required=True),
            servers=dict(type="list", elements="str", default=[]),
            port=dict(type="int", default=53),
            timeout=dict(type="float", default=2.0),
            retries=dict(type="int", default=2),
            exclude_zones=dict(type="list", elements="str", default=[]),
            on_mismatch=dict(type="str", default="fail", choices=["fail", "warn", "skip"]),
        ),
        supports_check_mode=True,
    )
    if not _dns.load():
        module.fail_json(msg=missing_required_lib("dnspython"), exception=_dns.DNSPYTHON_IMPORT_ERROR)
    params = module.params
    if params["timeout"] <= 0 or params["retries"] < 0:
        module.fail_json(msg="timeout must be positive and retries zero or more")

    fqdns, excluded = _dns.exclude_zones(params["fqdns"], params["exclude_zones"])
    results, invalid = _dns.check_fqdns(fqdns, params["addresses"], params["servers"], params["port"],
                                        params["timeout"], params["retries"])
    if invalid:
        module.fail_json(msg="invalid DNS check input: " + "; ".join(invalid), problems=invalid)

    out = dict(changed=False, domains=results, problems=[], excluded=excluded)
    for status in _dns.CHECK_STATUSES:
        out[status] = sorted(f for f, r in results.items() if r["status"] == status)
    out["problems"] = [results[f]["message"] for f in sorted(results) if results[f]["status"] != "ok"]
    if out["problems"]:
        if params["on_mismatch"] == "fail":
            module.fail_json(msg="%d of %d domain(s) do not resolve to the frontends: %s"
                             % (len(out["problems"]), len(results), "; ".join(out["problems"])), **out)
        if params["on_mismatch"] == "warn":
            for problem in out["problems"]:
                module.warn(problem)
    module.exit_json(**out)


if __name__ == "__main__":
    main()
