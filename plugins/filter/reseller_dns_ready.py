# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: reseller_dns_ready
short_description: The reseller domains that point at the frontends, after the DNS check and updates
version_added: 0.1.0
description:
  - Given the wanted records (from P(panelops.reseller.reseller_dns_records#filter)) and the registered results
    of M(panelops.reseller.dns_check) and M(panelops.reseller.dns_records), returns the sorted FQDNs of present
    records that either resolved to the frontends or whose record in a provider zone is in place (created,
    updated or unchanged). A skipped or failed task contributes nothing.
  - The C(reseller_tls) role orders ACME certificates only for these domains.
author:
  - panelops.reseller contributors (@panelops)
options:
  _input:
    description: The wanted records.
    type: list
    elements: dict
    required: true
  check:
    description: The registered result of the C(dns_check) task.
    type: dict
  update:
    description: The registered result of the C(dns_records) task.
    type: dict
"""

EXAMPLES = r"""
- name: Record which reseller domains point at the frontends
  ansible.builtin.set_fact:
    reseller_dns_ready: "{{ reseller_dns_records | panelops.reseller.reseller_dns_ready(reseller_dns_check, reseller_dns_update) }}"
"""

RETURN = r"""
_value:
  description: The FQDNs ready for a certificate, sorted.
  type: list
  elements: str
"""

# The per-item lists of each task's result that mean "this FQDN points at the frontends".
READY_LISTS = (("check", ("ok",)), ("update", ("created", "updated", "unchanged")))


def reseller_dns_ready(records, check=None, update=None):
    results = {"check": check or {}, "update": update or {}}
    ready = set()
    for name, keys in READY_LISTS:
        result = results[name] if isinstance(results[name], dict) else {}
        for key in keys:
            ready.update(result.get(key) or [])
    wanted = set(record["fqdn"] for record in records or [] if record.get("state") == "present")
    return sorted(wanted & ready)


class FilterModule(object):
    def filters(self):
        return {"reseller_dns_ready": reseller_dns_ready}
