#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dns_records
short_description: Manage the A/AAAA or CNAME records of reseller domains by RFC 2136 dynamic updates
version_added: 0.1.0
description:
  - For every record whose FQDN lies inside one of the provider's O(zones), makes the zone's primary
    O(server) hold exactly the wanted A/AAAA records (or one CNAME), or none for O(records[].state=absent).
  - The current records are read from the server first; the changes of one zone are sent as one
    TSIG-signed UPDATE message, so each zone changes all at once or not at all. Past 100 changed names a zone's
    changes are split into several UPDATEs (a DNS message holds at most 64 KiB); if one of them fails, the
    names of that and later UPDATEs are reported in RV(failed_fqdns).
  - FQDNs outside every zone are skipped (or fail the task, see O(outside_zones)).
  - All input is validated before anything is sent, listing every problem with the FQDN and the field.
    A zone the server is not authoritative for, a TSIG key the server does not know or a wrong secret,
    REFUSED, NOTAUTH and timeouts fail with an error naming the zone and the server.
author:
  - panelops.reseller contributors (@panelops)
options:
  records:
    description: The wanted records, one entry per FQDN.
    type: list
    elements: dict
    required: true
    suboptions:
      fqdn:
        description: The domain name.
        type: str
        required: true
      state:
        description: C(present) sets the records, C(absent) removes the FQDN's A, AAAA and CNAME records.
        type: str
        default: present
        choices: [present, absent]
      addresses:
        description: IPv4/IPv6 addresses of the A/AAAA records; O(addresses) when omitted.
        type: list
        elements: str
      cname:
        description: Make the FQDN a CNAME to this name instead of A/AAAA records.
        type: str
      ttl:
        description: TTL of the records; O(ttl) when omitted.
        type: int
  zones:
    description: The zones the provider controls (RFC 2136 updates are allowed for the TSIG key).
    type: list
    elements: str
    required: true
  server:
    description: IP address of the zones' primary name server.
    type: str
    required: true
  port:
    description: Port of O(server).
    type: int
    default: 53
  tsig:
    description: The TSIG key that signs the updates.
    type: dict
    required: true
    suboptions:
      name:
        description: Key name.
        type: str
        required: true
      secret:
        description: Base64 secret of the key (never logged).
        type: str
        required: true
      algorithm:
        description: HMAC algorithm of the key.
        type: str
        default: hmac-sha256
        choices: [hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha224, hmac-sha1, hmac-md5]
  addresses:
    description: Default addresses (the frontends' public addresses) for records without their own.
    type: list
    elements: str
    default: []
  ttl:
    description: Default TTL.
    type: int
    default: 300
  timeout:
    description: Seconds to wait for each answer of the server.
    type: float
    default: 10.0
  outside_zones:
    description: What to do with a C(present) FQDN that is inside none of O(zones).
    type: str
    default: skip
    choices: [skip, fail]
extends_documentation_fragment:
  - action_common_attributes
attributes:
  check_mode:
    support: full
    details: The current records are read and compared; no UPDATE is sent.
  diff_mode:
    support: full
    details: The records before and after, one line per record; the TSIG secret never appears.
  platform:
    support: full
    platforms: posix
requirements:
  - dnspython >= 2.4
"""

EXAMPLES = r"""
- name: Point reseller domains of the provider zone at the frontends
  panelops.reseller.dns_records:
    zones: [resellers.provider.test]
    server: 192.0.2.53
    tsig:
      name: panel-update
      secret: "{{ vault_dns_tsig_secret }}"
    addresses: [203.0.113.10, 2001:db8::10]
    records:
      - fqdn: acme.resellers.provider.test
      - fqdn: shop.resellers.provider.test
        cname: frontends.provider.test
      - fqdn: gone.resellers.provider.test
        state: absent
"""

RETURN = r"""
created:
  description: FQDNs that had no record before.
  returned: always
  type: list
  elements: str
updated:
  description: FQDNs whose records changed.
  returned: always
  type: list
  elements: str
removed:
  description: FQDNs whose records were removed.
  returned: always
  type: list
  elements: str
unchanged:
  description: FQDNs that already had the wanted records.
  returned: always
  type: list
  elements: str
outside:
  description: FQDNs inside none of the zones.
  returned: always
  type: list
  elements: str
failed_fqdns:
  description: FQDNs whose zone update the server rejected (their zone is unchanged).
  returned: always
  type: list
  elements: str
failed_zones:
  description: Per failed zone, the error naming the zone and the server.
  returned: always
  type: dict
zones:
  description: Per zone, C(changed), C(unchanged) or C(failed).
  returned: always
  type: dict
  sample: {"resellers.provider.test": "changed"}
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.panelops.reseller.plugins.module_utils import _dns
from ansible_collections.panelops.reseller.plugins.module_utils._dns_settings import TSIG_ALGORITHMS


def main():
    module = AnsibleModule(
        argument_spec=dict(
            records=dict(type="list", elements="dict", required=True, options=dict(
                fqdn=dict(type="str", required=True),
                state=dict(type="str", default="present", choices=["present", "absent"]),
                addresses=dict(type="list", elements="str"),
                cname=dict(type="str"),
                ttl=dict(type="int"),
            )),
            zones=dict(type="list", elements="str", required=True),
            server=dict(type="str", required=True),
            port=dict(type="int", default=53),
            tsig=dict(type="dict", required=True, options=dict(
                name=dict(type="str", required=True),
                secret=dict(type="str", required=True, no_log=True),
                algorithm=dict(type="str", default="hmac-sha256", choices=list(TSIG_ALGORITHMS)),
            )),
            addresses=dict(type="list", elements="str", default=[]),
            ttl=dict(type="int", default=300),
            timeout=dict(type="float", default=10.0),
            outside_zones=dict(type="str", default="skip", choices=["skip", "fail"]),
        ),
        supports_check_mode=True,
    )
    if not _dns.load():
        module.fail_json(msg=missing_required_lib("dnspython"), exception=_dns.DNSPYTHON_IMPORT_ERROR)
    p = module.params
    try:
        result = _dns.apply_records(p["records"], p["zones"], p["server"], p["port"], p["tsig"],
                                    default_addresses=p["addresses"], ttl=p["ttl"], timeout=p["timeout"],
                                    outside_zones=p["outside_zones"], check_mode=module.check_mode)
    except _dns.DNSError as exc:
        module.fail_json(msg=str(exc), problems=getattr(exc, "problems", [str(exc)]))

    diff = result.pop("diff")
    if module._diff and result["changed"]:
        result["diff"] = diff
    if result["failed_zones"]:
        module.fail_json(msg="DNS update failed: " + "; ".join(result["failed_zones"].values()), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
