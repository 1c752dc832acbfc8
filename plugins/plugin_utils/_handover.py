# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of large module inputs handed over as files (plugins/module_utils/_handover.py reads them).

An argument is held several times over on both sides (in the module's wrapper script, its argument buffer, its
parsed arguments), is encoded and decoded through Ansible's serialization profile in Python, and is scrubbed as a
whole for no_log values; at 1000 resellers that is a tenth of a second or more per task, and tens of MB at
10 000 vhosts. A file in the task's private temporary directory is written once with the C JSON encoder, and the
module removes it once read.
"""

from __future__ import annotations

import json

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.json import Direction, get_module_encoder

# What the C encoder cannot write (a vaulted value, a date, a set) is encoded as a module argument would be.
_AS_AN_ARGUMENT = get_module_encoder("legacy", Direction.CONTROLLER_TO_MODULE)()


def to_json(items, what):
    """``items`` as JSON text; an AnsibleActionFail naming ``what`` when something in it is not data."""
    try:
        return json.dumps(items, default=_AS_AN_ARGUMENT.default)
    except (TypeError, ValueError) as exc:
        raise AnsibleActionFail("cannot hand the %s over to the module: %s" % (what, exc))


def refuse_handover_options(module_name, args, options):
    """The handed-over options are the action's own: a task that sets one is refused, naming it."""
    given = [option for option in options if option in args]
    if given:
        raise AnsibleActionFail("%s: filled by %s itself" % (", ".join(given), module_name))


def execute_with_files(action, module_name, module_args, files, task_vars):
    """Run ``module_name`` once, each ``(option, file_name, items, what)`` of ``files`` written as JSON into the
    task's private temporary directory and named by ``module_args[option]``; the directory is removed
    afterwards, whatever happened."""
    shell = action._connection._shell
    try:
        tmpdir = shell.tmpdir or action._make_tmp_path()
        paths = []
        for option, file_name, items, what in files:
            module_args[option] = shell.join_path(tmpdir, file_name)
            action._transfer_data(module_args[option], to_json(items, what))
            paths.append(module_args[option])
        # One permission fix for the directory and every file (a remote command each under an unprivileged
        # become user).
        action._fixup_perms2([tmpdir] + paths, execute=False)
        return action._execute_module(module_name=module_name, module_args=module_args, task_vars=task_vars)
    finally:
        action._remove_tmp_path(shell.tmpdir)


def execute_with_list(action, module_name, module_args, option, task_vars):
    """Run ``module_name`` once: a non-empty list in ``module_args[option]`` travels as the file option
    ``<option>_file``; without one the arguments go as they are (the module reports what is missing)."""
    if not module_args.get(option):
        return action._execute_module(module_name=module_name, module_args=module_args, task_vars=task_vars)
    file_name = "%s_%s.json" % (module_name.rsplit(".", 1)[-1], option)
    files = [(option + "_file", file_name, module_args.pop(option), option)]
    return execute_with_files(action, module_name, module_args, files, task_vars)
