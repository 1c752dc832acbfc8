#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: validate_inventory
short_description: Validate the whole reseller provisioning model before anything changes
version_added: 0.1.0
description:
  - Checks the inventory's provisioning model (database access, provider URL, feature switches and, as the
    collection grows, plans and resellers) and fails listing B(every) problem, each naming the record and
    the field.
  - Runs on the controller only (an action plugin); it opens no connection and changes nothing.
  - Any option left out is read from the host variable of the same name.
author:
  - panelops.reseller contributors (@panelops)
options:
  panel_db:
    description: How to reach the panel database (see R(panel_settings,panelops.reseller.panel_settings)).
    type: dict
  panel_provider_url:
    description: The provider's end-user panel URL; must be an absolute https URL with the path C(/).
    type: str
  panel_reseller_feature:
    description: Whether the reseller feature is enabled.
    type: bool
  panel_force_reseller_registration:
    description: Whether sign-ups on a reseller host are forced under that reseller.
    type: bool
  panel_reseller_dashboard_path:
    description: Path of the reseller dashboard on the provider host.
    type: str
  panel_tls:
    description:
      - Default TLS settings (C(mode), C(renew_days); in mode C(acme) also C(acme_directory), C(acme_trust_anchor),
        C(acme_email), C(acme_timeout), C(challenge)); see M(panelops.reseller.tls_certificates).
    type: dict
  panel_dns:
    description:
      - DNS of the reseller domains (name servers, frontend addresses, provider zones, TSIG key); see the
        C(reseller_dns) role. Only problems are reported, never the TSIG secret.
    type: dict
extends_documentation_fragment:
  - action_common_attributes
  - action_common_attributes.flow
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: full
    details: It never changes anything.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: all
"""

EXAMPLES = r"""
- name: Validate the inventory before touching any host
  panelops.reseller.validate_inventory:
  run_once: true
"""

RETURN = r"""
problems:
  description: Every problem found (empty when the inventory is valid).
  returned: always
  type: list
  elements: str
"""
