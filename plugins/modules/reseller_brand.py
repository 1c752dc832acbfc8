#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: reseller_brand
short_description: A reseller's own brand (name, colour, contacts, logo), through the panel's reseller API
version_added: 0.2.0
description:
  - Makes the brand of the reseller's end-user panel what O(brand) says, over the panel's reseller API (no
    database access). The logo file is read on the controller (relative paths from the inventory's directory)
    and checked there (PNG, JPEG or WebP by content, at most 256 KiB, never SVG).
  - A brand without C(logo) has no logo, so a logo set in the dashboard is removed.
  - The same shape as a reseller's C(brand) in the provider's inventory.
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - panelops.reseller.reseller_api
options:
  brand:
    description:
      - A mapping with C(name) (required), C(primary_color) (C(#rrggbb)), C(support_email), C(support_url),
        C(terms_url), C(privacy_url) (https addresses) and C(logo) (an image file on the controller).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Make ACME's brand what its inventory says
  panelops.reseller.reseller_brand:
    api_url: https://panel.provider.example/reseller/api/v1/
    api_token: "{{ vault_acme_api_token }}"
    brand:
      name: ACME Cloud
      primary_color: "#c2410c"
      support_email: help@acme.example
      support_url: https://help.acme.example/
      logo: files/acme-logo.png
"""

RETURN = r"""
brand:
  description: What happened to the brand (C(created), C(updated), C(unchanged)).
  returned: always
  type: str
  sample: updated
problems:
  description: On failure, every problem, each naming the field.
  returned: failure
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._reseller_api import run_module, sync_brand


def main():
    run_module(AnsibleModule, "the reseller's brand", dict(brand=dict(type="dict", required=True)),
               lambda api, params, check_mode: sync_brand(api, params["brand"], check_mode))


if __name__ == "__main__":
    main()
