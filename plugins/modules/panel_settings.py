#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: panel_settings
short_description: Set the reseller panel's settings in one transaction
version_added: 0.1.0
description:
  - Writes a batch of panel settings (the C(panel_setting) table) in one transaction, after checking the
    panel's schema version and validating every key and value.
  - Unknown keys and values of the wrong type fail the task before anything is written, naming the key.
author:
  - panelops.reseller contributors (@panelops)
options:
  settings:
    description:
      - Mapping of setting key to value. Known keys are C(reseller.enabled) (bool),
        C(reseller.force_registration) (bool), C(provider.frontend_url) (https URL or null) and
        C(reseller.dashboard_path) (a path such as C(/reseller/)).
      - Keys not listed are left as they are.
    type: dict
    required: true
extends_documentation_fragment:
  - panelops.reseller.panel_db
  - action_common_attributes
attributes:
  check_mode:
    support: full
    details: The same reads and writes run inside the transaction, which is then rolled back.
  diff_mode:
    support: full
  platform:
    support: full
    platforms: posix
"""

EXAMPLES = r"""
- name: Enable the reseller feature
  panelops.reseller.panel_settings:
    db: "{{ panel_db }}"
    settings:
      reseller.enabled: true
      provider.frontend_url: https://panel.provider.test/
      reseller.dashboard_path: /reseller/
"""

RETURN = r"""
settings:
  description: Per-key result, one of C(created), C(updated) or C(unchanged).
  returned: always
  type: dict
  sample: {"reseller.enabled": "updated", "reseller.dashboard_path": "unchanged"}
created:
  description: Keys that did not exist before.
  returned: always
  type: list
  elements: str
updated:
  description: Keys whose value changed.
  returned: always
  type: list
  elements: str
unchanged:
  description: Keys that already had the wanted value.
  returned: always
  type: list
  elements: str
schema_version:
  description: The panel schema version found.
  returned: success
  type: int
  sample: 1
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import DB_ARGUMENT_SPEC
from ansible_collections.panelops.reseller.plugins.module_utils._panel_settings import (
    apply_settings,
    validate_settings,
)
from ansible_collections.panelops.reseller.plugins.module_utils._seed_runner import run_seed


def main():
    module = AnsibleModule(
        argument_spec=dict(db=DB_ARGUMENT_SPEC, settings=dict(type="dict", required=True)),
        supports_check_mode=True,
    )
    settings = module.params["settings"]

    def step(db):
        result = apply_settings(db, settings)
        result["schema_version"] = db.schema_version()
        return result

    run_seed(module, "panel settings", lambda: validate_settings(settings), step)


if __name__ == "__main__":
    main()
