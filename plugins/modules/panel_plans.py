#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: panel_plans
short_description: Seed pricing plans (rules, conditions, modifiers, tiers) in one transaction
version_added: 0.1.0
description:
  - Makes the pricing plans of one owner (the provider, or a reseller named by O(owner)) what the list says,
    in one transaction. Plans are found by name and owner, and only what differs is written.
  - Plans are marked managed. Plans made in the panel (not managed) are never changed or removed; declaring a
    plan whose name is taken by one of them fails.
  - With O(purge), managed plans of the owner that the list no longer names are deleted with their rules; a
    plan still used by a reseller or a client is not, and the task fails naming who uses it.
  - The whole list is validated before anything is written; every problem is reported, naming plan, rule and
    field. Prices are exact decimals (strings or numbers), stored as canonical decimal text.
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - panelops.reseller.panel_db
  - panelops.reseller.seeding
  - panelops.reseller.seeding.owned
options:
  plans:
    description:
      - The plans, each a mapping with C(name), C(currency) (ISO 4217), optional C(is_default) and C(rules).
      - A rule has C(name), C(resource), optional C(attribute), C(time_unit) (C(h), C(d), C(month); default
        C(h)), C(priority) (default 0), C(tiers) (a list of C(from)/C(price), ascending from 0),
        C(conditions) (C(attribute), C(op) among C(lt le gt ge eq ne in ni), C(value)) and C(modifiers)
        (C(name), C(price), C(time_unit), C(is_percent), C(when) as a list of conditions).
      - Unknown keys are rejected.
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Seed the provider's plans
  panelops.reseller.panel_plans:
    db: "{{ panel_db }}"
    plans:
      - name: reseller-wholesale
        currency: EUR
        rules:
          - name: vCPU
            resource: instance
            attribute: vcpus
            tiers: [{from: 0, price: "0.004"}]
            conditions: [{attribute: region, op: eq, value: RegionOne}]
"""

RETURN = r"""
plans:
  description: Per-plan result (C(created), C(updated), C(unchanged), C(removed)); reseller plans are C(owner/name).
  returned: always
  type: dict
  sample: {"reseller-wholesale": "created"}
created:
  description: Plans that did not exist (with their rules).
  returned: always
  type: list
  elements: str
updated:
  description: Plans whose currency, default flag or rules (tiers, conditions, modifiers) changed.
  returned: always
  type: list
  elements: str
unchanged:
  description: Plans that already matched the list.
  returned: always
  type: list
  elements: str
removed:
  description: Managed plans of the owner deleted with their rules by O(purge).
  returned: always
  type: list
  elements: str
archived:
  description: Always empty here; a reseller's plans are archived when M(panelops.reseller.panel_resellers) offboards it.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._plans import sync_plans
from ansible_collections.panelops.reseller.plugins.module_utils._seed_runner import owned_argument_spec, seed_owned
from ansible_collections.panelops.reseller.plugins.module_utils._seed_validation import validate_plans


def main():
    module = AnsibleModule(argument_spec=owned_argument_spec("plans"), supports_check_mode=True)
    seed_owned(module, "plans", "panel_plan", validate_plans, sync_plans)


if __name__ == "__main__":
    main()
