# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module side of the files an action plugin hands over instead of large arguments
(plugins/plugin_utils/_handover.py writes them into the task's private temporary directory).

A list of 1000 resellers as a module argument is decoded through Ansible's serialization profile, deep-copied
by its argument validation and searched for no_log values as a whole; read from a file it is plain JSON, and
only its own option's part of the argument spec is applied to it.
"""
from __future__ import annotations

import json
import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator


def read_json_list(path, kind):
    """The list a handed-over JSON file holds; the file is removed once read (it may carry secrets).

    Raises ValueError on a file that is not JSON or not a list (naming the file and `kind`), OSError when it
    cannot be read.
    """
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
    finally:
        if os.path.exists(path):
            os.unlink(path)
    if not isinstance(data, list):
        raise ValueError("%s: a list of %ss expected" % (path, kind))
    return data


def validated_option(module, option, value):
    """``value`` checked against ``option``'s entry of the module's argument spec, as AnsibleModule checks its
    arguments: the same defaults, types, choices and required fields, and its no_log values are scrubbed from
    whatever the module returns. Fails the module, naming the fields, on a problem."""
    validator = ArgumentSpecValidator({option: module.argument_spec[option]})
    result = validator.validate({option: value})
    # Before any failure is reported: a message must not carry a secret of the list either. The validator
    # keeps them only in this attribute; AnsibleModule reads its own arguments' no_log values from it too.
    module.no_log_values.update(result._no_log_values)
    if result.error_messages:
        module.fail_json(msg="; ".join(result.error_messages))
    return result.validated_parameters[option]


def take_handed_over_list(module, option, file_option, kind):
    """Fill ``module.params[option]`` from the file named by ``module.params[file_option]``, validated as if it
    had been the argument itself. Does nothing when no file was handed over; an empty ``option`` (its default,
    say) gives way to the file."""
    path = module.params.get(file_option)
    if not path:
        return
    if module.params.get(option):
        module.fail_json(msg="%s and %s are mutually exclusive" % (option, file_option))
    try:
        items = read_json_list(path, kind)
    except (OSError, ValueError) as exc:
        module.fail_json(msg="cannot read the %ss handed over by the action plugin: %s" % (kind, exc))
    module.params[option] = validated_option(module, option, items)
