# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""reseller_brand on the controller: read the brand's logo file here (relative to the inventory's directory, as
for the provider's brands), check it and send it embedded; then run the module."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.panelops.reseller.plugins.plugin_utils._brand_logos import embed_brand_logo


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        module_args = dict(self._task.args)
        module_args["brand"], problems = embed_brand_logo(module_args.get("brand"), "brand",
                                                          task_vars.get("inventory_dir"))
        if problems:
            raise AnsibleActionFail("invalid brand logo; nothing was changed:\n- " + "\n- ".join(problems))
        result.update(self._execute_module(module_name="panelops.reseller.reseller_brand", module_args=module_args,
                                           task_vars=task_vars))
        return result
