# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
---
name: changed_site_hosts
short_description: The hosts whose vhost or certificate an nginx_sites run created or changed, for the health check
version_added: 0.2.0
description:
  - Takes the registered result of M(panelops.reseller.nginx_sites) and returns up to O(count) site names (the
    host names of a reseller set), created sites first, then updated sites, then sites whose certificate alone was
    created or renewed, each group in name order. Removed sites are never returned.
  - The health check after a reload asks hosts that already existed before it as well, and nginx's previous
    configuration answers for those until the new one is loaded (and for good when the reload never took
    effect). Only a host this run created or changed shows that the new configuration is the one serving.
author:
  - panelops.reseller contributors (@panelops)
options:
  _input:
    description: The registered result of an M(panelops.reseller.nginx_sites) task; a skipped task or none gives none.
    type: dict
    required: true
  count:
    description: How many host names at most; 0 gives none.
    type: int
    default: 1
"""

EXAMPLES = r"""
- name: The provider's host, one reseller's, and one this run created or changed
  ansible.builtin.set_fact:
    health_hosts: >-
      {{ (['panel.provider.example'] + (sites_result | panelops.reseller.changed_site_hosts)) | unique }}
"""

RETURN = r"""
_value:
  description: Up to O(count) host names.
  type: list
  elements: str
"""


def _candidates(result):
    """Most telling first: nothing serves a created host before the reload; an updated vhost or a renewed
    certificate is served differently by the new configuration."""
    certificates = result.get("certificates") if isinstance(result.get("certificates"), dict) else {}
    yield from result.get("created") or ()
    yield from result.get("updated") or ()
    for state in ("created", "updated"):
        yield from (name for name in sorted(certificates) if certificates[name] == state)


def changed_site_hosts(result, count=1):
    hosts = []
    if not isinstance(result, dict) or count < 1:
        return hosts
    for name in _candidates(result):
        if name not in hosts:
            hosts.append(name)
            if len(hosts) >= count:
                break
    return hosts


class FilterModule(object):
    def filters(self):
        return {"changed_site_hosts": changed_site_hosts}
