# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side help for modules that take the whole reseller list.

A task argument such as ``resellers: "{{ panel_resellers }}"`` costs seconds per task at 1000 resellers on
ansible-core 2.19 (the task's arguments are templated, handled and echoed back as ``invocation``, and no_log
values are searched through all of it). With ``resellers_var: panel_resellers`` the action plugin reads the
host variable itself, templates it only when it holds a template (or a vaulted value), sends it to the module,
and drops the echo from the result.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

_PLAIN = (int, float, bool, type(None))


def needs_templating(value):
    """True when ``value`` holds anything a template pass could change: a string with a Jinja delimiter, or
    an object that is not plain data (a vaulted value, say). Plain data templates to itself."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if "{" in item and ("{{" in item or "{%" in item or "{#" in item):
                return True
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, (list, tuple)):
            todo.extend(item)
        elif not isinstance(item, _PLAIN):
            return True
    return False


def take_list_from_variable(templar, args, task_vars, option="resellers", var_option="resellers_var"):
    """Fill ``args[option]`` from the host variable named by ``args[var_option]`` (removed from ``args``).

    Does nothing when ``var_option`` is not given. Fails when both are given or the variable is not defined.
    """
    name = args.pop(var_option, None)
    if name is None:
        return args
    if args.get(option) is not None:
        raise AnsibleActionFail("%s and %s are mutually exclusive" % (option, var_option))
    if not isinstance(name, str) or name not in task_vars:
        raise AnsibleActionFail("%s: no host variable named %r" % (var_option, name))
    value = task_vars[name]
    # One walk over plain data costs milliseconds; a template pass over 1000 resellers costs about a second.
    if needs_templating(value):
        value = templar.template(value)
    if value is None:
        value = []
    if not isinstance(value, list):
        raise AnsibleActionFail("%s: the variable %s must be a list, not %s" % (var_option, name, type(value).__name__))
    args[option] = value
    return args


def only_fields(items, fields):
    """Each mapping of ``items`` cut down to ``fields``: a module gets what it uses and nothing else (users'
    credentials, say, never reach the arguments of a module that has no use for them)."""
    return [dict((key, item[key]) for key in fields if key in item) if isinstance(item, dict) else item
            for item in items]


def without_invocation(result):
    """The module result without its ``invocation`` echo of the (large) arguments."""
    result.pop("invocation", None)
    return result
