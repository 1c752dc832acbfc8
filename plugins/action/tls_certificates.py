# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tls_certificates on the controller: with `resellers_var`, read the reseller list from that host variable here (one
templating pass) instead of as a task argument, then run the module once, the fields it uses handed over as a file
(`resellers_file`); the result leaves out the `invocation` echo of the whole list."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.panelops.reseller.plugins.plugin_utils import _summary_contract
from ansible_collections.panelops.reseller.plugins.plugin_utils._handover import (
    execute_with_list,
    refuse_handover_options,
)
from ansible_collections.panelops.reseller.plugins.plugin_utils._inventory_lists import (
    only_fields,
    take_list_from_variable,
)

# The reseller fields tls_certificates reads.
RESELLER_FIELDS = ("name", "state", "enduser_panel_url", "tls")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        args = dict(self._task.args)
        refuse_handover_options("tls_certificates", args, ("resellers_file",))
        module_args = take_list_from_variable(self._templar, args, task_vars)
        declared = dict(module_args)  # the run summary's view, taken before the list is cut down
        if module_args.get("resellers"):
            module_args["resellers"] = only_fields(module_args["resellers"], RESELLER_FIELDS)
        module_result = execute_with_list(self, "panelops.reseller.tls_certificates", module_args, "resellers",
                                          task_vars)
        result.update(_summary_contract.attach(module_result, declared))
        return result
