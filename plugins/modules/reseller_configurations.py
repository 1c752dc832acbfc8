#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: reseller_configurations
short_description: A reseller's own billing and sign-up configurations, through the panel's reseller API
version_added: 0.2.0
description:
  - Makes the configurations of the reseller whose token is used what the list says, in one call, over the
    panel's reseller API (no database access). Configurations are found by name; only what differs is written.
  - The same shape as M(panelops.reseller.panel_configurations).
author:
  - panelops.reseller contributors (@panelops)
extends_documentation_fragment:
  - panelops.reseller.reseller_api
  - panelops.reseller.reseller_api.purge
options:
  configurations:
    description:
      - Each a mapping with C(name), optional C(description), C(default) (at most one) and C(options), a
        mapping of sections (C(billing), C(signup), C(limits), C(notifications)) to mappings.
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Make ACME's configurations what its inventory says
  panelops.reseller.reseller_configurations:
    api_url: https://panel.provider.example/reseller/api/v1/
    api_token: "{{ vault_acme_api_token }}"
    configurations:
      - name: retail
        default: true
        options:
          billing: {credit_limit: 0}
"""

RETURN = r"""
configurations:
  description: What happened to each configuration (C(created), C(updated), C(unchanged), C(archived)).
  returned: always
  type: dict
  sample: {"retail": "unchanged"}
created:
  description: Configurations that did not exist.
  returned: always
  type: list
  elements: str
updated:
  description: Configurations that changed.
  returned: always
  type: list
  elements: str
unchanged:
  description: Configurations that already were what the list says.
  returned: always
  type: list
  elements: str
archived:
  description: The reseller's configurations archived by O(purge).
  returned: always
  type: list
  elements: str
problems:
  description: On failure, every problem, each naming the configuration and the field.
  returned: failure
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._reseller_api import (
    LIST_OPTION,
    PURGE_OPTION,
    run_module,
    sync_configurations,
)


def main():
    run_module(AnsibleModule, "the reseller's configurations", dict(configurations=LIST_OPTION, purge=PURGE_OPTION),
               lambda api, params, check_mode: sync_configurations(api, params["configurations"], params["purge"],
                                                                   check_mode))


if __name__ == "__main__":
    main()
