# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: reseller_dns_records
short_description: The wanted DNS records of the reseller domains, from the inventory model
version_added: 0.1.0
description:
  - Reads the reseller list through the collection's inventory model (the same reading TLS and nginx use) and
    returns one record per reseller domain for M(panelops.reseller.dns_records) and M(panelops.reseller.dns_check).
  - A present or suspended reseller's FQDN gets C(state=present), with the reseller's own C(dns.cname) or
    C(dns.addresses) when it declares them; an offboarded (C(state=absent)) reseller's FQDN gets
    C(state=absent), unless another reseller now uses that FQDN.
  - FQDNs are IDNA-encoded and lowercase, as everywhere else in the collection.
  - Fails listing every problem (name, state, URL, a domain used twice) naming the reseller and the field.
author:
  - panelops.reseller contributors (@panelops)
options:
  _input:
    description: The reseller list (the inventory's C(panel_resellers)).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Collect the reseller domains and their wanted records
  ansible.builtin.set_fact:
    reseller_dns_records: "{{ panel_resellers | panelops.reseller.reseller_dns_records }}"
"""

RETURN = r"""
_value:
  description: One mapping per FQDN, C(fqdn) and C(state), and C(cname) or C(addresses) when the reseller gives them.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.panelops.reseller.plugins.module_utils import _model


def reseller_dns_records(resellers):
    inventory = _model.read_resellers(resellers)
    if inventory.problems:
        raise AnsibleFilterError("reseller_dns_records: %d problem(s):\n- %s"
                                 % (len(inventory.problems), "\n- ".join(inventory.problems)))
    return inventory.dns_records()


class FilterModule(object):
    def filters(self):
        return {"reseller_dns_records": reseller_dns_records}
