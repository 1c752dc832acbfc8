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
  owner:
    description:
      - Name of the reseller that owns the plans; the provider when omitted.
    type: str
  purge:
    description:
      - Delete the owner's managed plans that the list does not name.
    type: bool
    default: true
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The same transaction runs and is rolled back.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: Rows before and after, one line per plan, reseller, user or configuration; never a password or hash.
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
  description: Names of the records created.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the records changed.
  returned: always
  type: list
  elements: str
unchanged:
  description: Names of the records that already matched.
  returned: always
  type: list
  elements: str
removed:
  description: Names of the records removed (purged, or for users deactivated).
  returned: always
  type: list
  elements: str
archived:
  description: Names of the records archived (offboarding); nothing is deleted.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import (
    DB_ARGUMENT_SPEC,
    PanelDBError,
    missing_library,
    open_panel,
)
from ansible_collections.panelops.reseller.plugins.module_utils._plans import sync_plans
from ansible_collections.panelops.reseller.plugins.module_utils._validation import validate_plans


def main():
    module = AnsibleModule(
        argument_spec=dict(
            db=DB_ARGUMENT_SPEC,
            plans=dict(type="list", elements="dict", required=True),
            owner=dict(type="str"),
            purge=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    missing = missing_library(module.params["db"])
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])
    owner = module.params["owner"]
    plans = module.params["plans"]
    problems = validate_plans(plans, owner_label="provider" if owner is None else "reseller %r" % owner)
    if problems:
        module.fail_json(msg="invalid plans: " + "; ".join(problems), problems=problems)
    try:
        with open_panel(module.params["db"], check_mode=module.check_mode) as db:
            owner_id, owner_names = None, {}
            if owner is not None:
                rows = db.query("SELECT id FROM panel_reseller WHERE name = ?", (owner,))
                if not rows:
                    raise PanelDBError("owner: reseller %r is not in the panel database" % owner)
                owner_id = rows[0]["id"]
                owner_names = {owner_id: owner}
            report = sync_plans(db, {owner_id: plans}, owner_names, purge=module.params["purge"])
    except PanelDBError as exc:
        module.fail_json(msg=str(exc))
    result = report.result("plans", "panel_plan")
    diff = result.pop("diff")
    result["changed"] = report.changed
    if module._diff and report.changed:
        result["diff"] = diff
    module.exit_json(**result)


if __name__ == "__main__":
    main()
