#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: reseller_plans
short_description: A reseller's own retail plans, through the panel's reseller API
version_added: 0.2.0
description:
  - Makes the retail plans of the reseller whose token is used what the list says, in one call, over the
    panel's reseller API (no database access). Plans are found by name; only what differs is written.
  - The same plan shape as M(panelops.reseller.panel_plans), so a plan can move between the provider's inventory
    and the reseller's own.
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - panelops.reseller.reseller_api
  - panelops.reseller.reseller_api.purge
options:
  plans:
    description:
      - The plans, each a mapping with C(name), C(currency) (ISO 4217), optional C(is_default) and C(rules).
      - A rule has C(name), C(resource), optional C(attribute), C(time_unit) (C(h), C(d), C(month); default
        C(h)), C(priority) (default 0), C(tiers) (a list of C(from)/C(price), ascending from 0),
        C(conditions) (C(attribute), C(op) among C(lt le gt ge eq ne in ni), C(value)) and C(modifiers)
        (C(name), C(price), C(time_unit), C(is_percent), C(when) as a list of conditions).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Make ACME's retail plans what its inventory says
  panelops.reseller.reseller_plans:
    api_url: https://panel.provider.example/reseller/api/v1/
    api_token: "{{ vault_acme_api_token }}"
    plans:
      - name: retail-small
        currency: EUR
        is_default: true
        rules:
          - name: vCPU
            resource: instance
            attribute: vcpus
            tiers: [{from: 0, price: "0.006"}, {from: 8, price: "0.005"}]
"""

RETURN = r"""
plans:
  description: What happened to each plan (C(created), C(updated), C(unchanged), C(archived)).
  returned: always
  type: dict
  sample: {"retail-small": "created"}
created:
  description: Plans that did not exist.
  returned: always
  type: list
  elements: str
updated:
  description: Plans whose currency, default flag or rules changed (or that were archived and are live again).
  returned: always
  type: list
  elements: str
unchanged:
  description: Plans that already were what the list says.
  returned: always
  type: list
  elements: str
archived:
  description: The reseller's plans archived by O(purge).
  returned: always
  type: list
  elements: str
problems:
  description: On failure, every problem, each naming the plan and the field.
  returned: failure
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._reseller_api import (
    LIST_OPTION,
    PURGE_OPTION,
    run_module,
    sync_plans,
)


def main():
    run_module(AnsibleModule, "the reseller's plans", dict(plans=LIST_OPTION, purge=PURGE_OPTION),
               lambda api, params, check_mode: sync_plans(api, params["plans"], params["purge"], check_mode))


if __name__ == "__main__":
    main()
