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
  - With O(brand), the provider's brand (shown on the provider host's pages and in its e-mails) is written in
    the same transaction and marked managed. The action plugin reads its logo file on the controller.
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
  brand:
    description:
      - "The provider's brand (C(panel_brand)): C(name) (required), C(logo) (a PNG, JPEG or WebP file on the
        controller, at most 256 KiB; SVG is refused; a relative path is taken from the inventory directory),
        C(primary_color) (C(#rrggbb)), C(support_email), C(support_url), C(terms_url), C(privacy_url)."
      - Omitted, the provider's brand is left as it is.
    type: dict
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
    brand:
      name: Provider Cloud
      logo: files/brands/provider.png
      primary_color: "#1f4e79"
      support_email: support@provider.test
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
brand:
  description: The provider brand's result (C(created), C(updated), C(unchanged)); null without O(brand).
  returned: always
  type: str
schema_version:
  description: The panel schema version found.
  returned: success
  type: int
  sample: 1
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.panelops.reseller.plugins.module_utils._brands import sync_brands
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import DB_ARGUMENT_SPEC
from ansible_collections.panelops.reseller.plugins.module_utils._panel_settings import (
    apply_settings,
    validate_settings,
)
from ansible_collections.panelops.reseller.plugins.module_utils._seed_items import Report
from ansible_collections.panelops.reseller.plugins.module_utils._seed_runner import run_seed
from ansible_collections.panelops.reseller.plugins.module_utils._seed_validation import validate_brand


def main():
    module = AnsibleModule(
        argument_spec=dict(db=DB_ARGUMENT_SPEC, settings=dict(type="dict", required=True), brand=dict(type="dict")),
        supports_check_mode=True,
    )
    settings, brand = module.params["settings"], module.params["brand"]

    def validate():
        return validate_settings(settings) + (validate_brand(brand, "brand") if brand is not None else [])

    def step(db):
        result = apply_settings(db, settings)
        result["schema_version"] = db.schema_version()
        # The provider's brand, in the same transaction.
        brands = Report()
        if brand is not None:
            sync_brands(db, {None: brand}, {}, brands)
        result["brand"] = brands.items.get("provider")
        if brands.changed:
            result["changed"] = True
            result["diff"]["before"] += "".join(brands.before)
            result["diff"]["after"] += "".join(brands.after)
        return result

    run_seed(module, "panel settings", validate, step)


if __name__ == "__main__":
    main()
