# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""panel_resellers on the controller: with `resellers_var`, read the reseller list from that host variable here (one
templating pass) instead of as a task argument; read each brand's logo file here (the controller has it) and
send it embedded; then run the module once, the list handed over as a file (`resellers_file`), not as an
argument. The result leaves out the `invocation` echo of the whole list."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.panelops.reseller.plugins.plugin_utils import _summary_contract
from ansible_collections.panelops.reseller.plugins.plugin_utils._brand_logos import embed_reseller_logos
from ansible_collections.panelops.reseller.plugins.plugin_utils._handover import (
    execute_with_list,
    refuse_handover_options,
)
from ansible_collections.panelops.reseller.plugins.plugin_utils._inventory_lists import take_list_from_variable


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        args = dict(self._task.args)
        refuse_handover_options("panel_resellers", args, ("resellers_file",))
        module_args = take_list_from_variable(self._templar, args, task_vars)
        if module_args.get("resellers"):
            module_args["resellers"], problems = embed_reseller_logos(module_args["resellers"],
                                                                      task_vars.get("inventory_dir"))
            if problems:
                raise AnsibleActionFail("invalid brand logos; nothing was changed:\n- " + "\n- ".join(problems))
        declared = dict(module_args)  # the run summary's view of the resellers (the list leaves module_args)
        module_result = execute_with_list(self, "panelops.reseller.panel_resellers", module_args, "resellers",
                                          task_vars)
        result.update(_summary_contract.attach(module_result, declared))
        return result
