#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: panel_configurations
short_description: Seed named billing and sign-up configurations in one transaction
version_added: 0.1.0
description:
  - Makes the configurations of one owner (the provider, or a reseller named by O(owner)) what the list says,
    in one transaction, writing only what differs. Records are found by owner and name and marked managed.
  - Configurations made in the panel (not managed) are never changed or removed.
  - With O(purge), managed configurations the list no longer names are deleted, unless a client still uses
    one (the task then fails naming the clients).
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - panelops.reseller.panel_db
options:
  configurations:
    description:
      - Each a mapping with C(name), optional C(description), C(default) (at most one per owner) and
        C(options), a mapping of sections (C(billing), C(signup), C(limits), C(notifications)) to mappings.
      - Unknown keys and sections are rejected.
    type: list
    elements: dict
    required: true
  owner:
    description:
      - Name of the reseller that owns the configurations; the provider when omitted.
    type: str
  purge:
    description:
      - Delete the owner's managed configurations that the list does not name.
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
- name: Seed the provider's configurations
  panelops.reseller.panel_configurations:
    db: "{{ panel_db }}"
    configurations:
      - name: default
        default: true
        options:
          billing: {credit_limit: 0}
          signup: {require_phone: false}
"""

RETURN = r"""
configurations:
  description: Per-configuration result; reseller configurations are named C(owner/name).
  returned: always
  type: dict
  sample: {"default": "created"}
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
from ansible_collections.panelops.reseller.plugins.module_utils._configurations import sync_configurations
from ansible_collections.panelops.reseller.plugins.module_utils._validation import validate_configurations


def main():
    module = AnsibleModule(
        argument_spec=dict(
            db=DB_ARGUMENT_SPEC,
            configurations=dict(type="list", elements="dict", required=True),
            owner=dict(type="str"),
            purge=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    missing = missing_library(module.params["db"])
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])
    owner = module.params["owner"]
    configurations = module.params["configurations"]
    problems = validate_configurations(configurations, owner_label="provider" if owner is None else "reseller %r" % owner)
    if problems:
        module.fail_json(msg="invalid configurations: " + "; ".join(problems), problems=problems)
    try:
        with open_panel(module.params["db"], check_mode=module.check_mode) as db:
            owner_id, owner_names = None, {}
            if owner is not None:
                rows = db.query("SELECT id FROM panel_reseller WHERE name = ?", (owner,))
                if not rows:
                    raise PanelDBError("owner: reseller %r is not in the panel database" % owner)
                owner_id = rows[0]["id"]
                owner_names = {owner_id: owner}
            report = sync_configurations(db, {owner_id: configurations}, owner_names, purge=module.params["purge"])
    except PanelDBError as exc:
        module.fail_json(msg=str(exc))
    result = report.result("configurations", "panel_configuration")
    diff = result.pop("diff")
    result["changed"] = report.changed
    if module._diff and report.changed:
        result["diff"] = diff
    module.exit_json(**result)


if __name__ == "__main__":
    main()
