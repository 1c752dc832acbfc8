# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""panel_settings on the controller: the provider brand's logo is a file here, read, checked and sent to the
module embedded; everything else passes through unchanged."""

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
        if module_args.get("brand") is not None:
            module_args["brand"], problems = embed_brand_logo(module_args["brand"], "brand",
                                                              task_vars.get("inventory_dir"))
            if problems:
                raise AnsibleActionFail("invalid brand logo; nothing was changed:\n- " + "\n- ".join(problems))
        result.update(self._execute_module(module_name="panelops.reseller.panel_settings", module_args=module_args,
                                           task_vars=task_vars))
        # The echo of the arguments names the logo by its digest instead of carrying the whole image back.
        echoed = ((result.get("invocation") or {}).get("module_args") or {}).get("brand") or {}
        if isinstance(echoed.get("logo"), dict):
            echoed["logo"] = dict((k, v) for k, v in echoed["logo"].items() if k != "data")
        return result
