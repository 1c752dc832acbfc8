# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate the whole provisioning model on the controller, listing every problem, before any host is touched.

Runs no module and opens no connection: it reads the model's variables from the host's variables (or from
explicit arguments) and hands them to module_utils/_validation.py, the same code the modules use; brand logo
files, which only the controller has, are read and checked here too.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.panelops.reseller.plugins.module_utils._validation import validate_inventory
from ansible_collections.panelops.reseller.plugins.plugin_utils._brand_logos import logo_problems
from ansible_collections.panelops.reseller.plugins.plugin_utils._inventory_lists import needs_templating

# The inventory variables that make up the provisioning model.
MODEL_VARIABLES = (
    "panel_db",
    "panel_provider_url",
    "panel_reseller_feature",
    "panel_force_reseller_registration",
    "panel_reseller_dashboard_path",
    "panel_frontend_https_port",
    "panel_plans",
    "panel_configurations",
    "panel_resellers",
    "panel_tls",
    "panel_dns",
    "panel_brand",
    "panel_smtp",
    "panel_set_password_delivery",
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(MODEL_VARIABLES)
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        model = {}
        for name in MODEL_VARIABLES:
            if name in self._task.args:
                model[name] = self._task.args[name]
            elif name in task_vars:
                # Plain data (no template, no vaulted value) templates to itself: skip the costly pass.
                value = task_vars[name]
                model[name] = self._templar.template(value) if needs_templating(value) else value
        problems = validate_inventory(model)
        # Logo files live on the controller, next to the inventory that names them.
        problems.extend(logo_problems(model, task_vars.get("inventory_dir")))
        result["changed"] = False
        result["problems"] = problems
        if problems:
            raise AnsibleActionFail(
                "the inventory has %d problem(s); nothing was changed:\n- %s" % (len(problems), "\n- ".join(problems)),
                result=result,
            )
        result["msg"] = "inventory is valid"
        return result
