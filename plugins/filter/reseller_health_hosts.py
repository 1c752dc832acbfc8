# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
---
name: reseller_health_hosts
short_description: The first served reseller hosts of the list, for a frontend's health check
version_added: 0.2.0
description:
  - Returns the host names of the first O(count) resellers that a frontend serves - C(state) other than
    C(absent), an C(enduser_panel_url), its host not among O(skipped) (no certificate yet) - in list order.
  - Stops at the last one it needs. The same selection written as a Jinja chain (C(selectattr), C(rejectattr),
    C(map)) walks the whole list, which costs over two seconds at 10 000 resellers in the role's argument validation.
author:
  - panelops.reseller contributors (@panelops)
options:
  _input:
    description: The reseller list (the inventory's C(panel_resellers)).
    type: list
    elements: dict
    required: true
  skipped:
    description: Host names to pass over (the certificate role's C(skipped_fqdns)).
    type: list
    elements: str
    default: []
  count:
    description: How many host names at most.
    type: int
    default: 1
"""

EXAMPLES = r"""
- name: The provider's host and one reseller's
  ansible.builtin.set_fact:
    health_hosts: "{{ ['panel.provider.example'] + panel_resellers | panelops.reseller.reseller_health_hosts }}"
"""

RETURN = r"""
_value:
  description: Up to O(count) host names, in list order.
  type: list
  elements: str
"""

from urllib.parse import urlsplit


def reseller_health_hosts(resellers, skipped=None, count=1):
    skipped = set(skipped or [])
    hosts = []
    if count < 1:
        return hosts
    for reseller in resellers or []:
        if not isinstance(reseller, dict) or reseller.get("state") == "absent" or not reseller.get("enduser_panel_url"):
            continue
        host = urlsplit(str(reseller["enduser_panel_url"])).hostname
        if host and host not in skipped:
            hosts.append(host)
            if len(hosts) >= count:
                break
    return hosts


class FilterModule(object):
    def filters(self):
        return {"reseller_health_hosts": reseller_health_hosts}
