# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
---
name: acme_in_use
short_description: Whether any certificate of the run is ordered from an ACME CA
version_added: 0.2.0
description:
  - True when the default mode (O(default_tls.mode), C(internal_ca) when unset), the provider's mode
    (O(provider_tls.mode)) or any reseller's C(tls.mode) is C(acme); the reseller_tls role then orders in two steps
    (open, challenges on every frontend, finish).
  - Stops at the first C(acme) it finds. The same test written as a Jinja chain (C(map(attribute=...))) costs a
    fifth of a second at 1000 resellers every time a task reads it.
author:
  - panelops.reseller contributors (@panelops)
options:
  _input:
    description: The reseller list (the inventory's C(panel_resellers)).
    type: list
    elements: dict
    required: true
  default_tls:
    description: The default TLS settings (C(panel_tls)).
    type: dict
    default: {}
  provider_tls:
    description: The provider host's own TLS settings (C(panel_provider_tls)).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Order in two steps when ACME is used
  ansible.builtin.set_fact:
    two_step: "{{ panel_resellers | panelops.reseller.acme_in_use(panel_tls, panel_provider_tls) }}"
"""

RETURN = r"""
_value:
  description: Whether C(acme) is among the modes.
  type: bool
"""

ACME = "acme"


def _mode(tls):
    return tls.get("mode") if isinstance(tls, dict) else None


def acme_in_use(resellers, default_tls=None, provider_tls=None):
    if (_mode(default_tls) or "internal_ca") == ACME or _mode(provider_tls) == ACME:
        return True
    return any(isinstance(reseller, dict) and _mode(reseller.get("tls")) == ACME for reseller in resellers or [])


class FilterModule(object):
    def filters(self):
        return {"acme_in_use": acme_in_use}
