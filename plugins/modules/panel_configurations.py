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
  - panelops.reseller.seeding
  - panelops.reseller.seeding.owned
options:
  configurations:
    description:
      - Each a mapping with C(name), optional C(description), C(default) (at most one per owner) and
        C(options), a mapping of sections (C(billing), C(signup), C(limits), C(notifications)) to mappings.
      - Unknown keys and sections are rejected.
    type: list
    elements: dict
    required: true
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
  description: Configurations that did not exist.
  type: list
  elements: str
  returned: always
updated:
  description: Configurations whose description, default flag or options changed.
  type: list
  elements: str
  returned: always
unchanged:
  description: Configurations that already matched the list.
  type: list
  elements: str
  returned: always
removed:
  description: Managed configurations of the owner deleted by O(purge).
  type: list
  elements: str
  returned: always
archived:
  description: Always empty here; a reseller's configurations are archived when it is offboarded.
  type: list
  elements: str
  returned: always
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._configurations import sync_configurations
from ansible_collections.panelops.reseller.plugins.module_utils._seed_runner import owned_argument_spec, seed_owned
from ansible_collections.panelops.reseller.plugins.module_utils._seed_validation import validate_configurations


def main():
    module = AnsibleModule(argument_spec=owned_argument_spec("configurations"), supports_check_mode=True)
    seed_owned(module, "configurations", "panel_configuration", validate_configurations, sync_configurations)


if __name__ == "__main__":
    main()
