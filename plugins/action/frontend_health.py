# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check a frontend over TLS from the controller itself, in the task's own worker process.

The check is the controller's view of the frontend (its address, its certificates, its answers), so it needs no
connection to any host: running it here spares the module run a check would otherwise cost after every reload
(building and starting a module process, about half a second). The work is module_utils/_health.py's.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.panelops.reseller.plugins.module_utils._health import (
    ARGUMENT_SPEC,
    argument_problem,
    run_checks,
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        # A wrong type or a missing argument fails here, naming it, before any request is sent.
        _validation, params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        problem = argument_problem(params)
        if problem:
            return dict(result, failed=True, changed=False, msg=problem)
        checks, failure = run_checks(params)
        result.update(changed=False, checks=checks)
        if failure:
            result.update(failed=True, msg=failure)
        return result
