# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Results of batch modules without the echo of their whole input.

AnsibleModule returns its arguments as ``invocation`` unless the module gives one itself. For a module called
with 1000 resellers (or 1000 rendered vhosts) that echo is most of the result: the controller parses it, scrubs
it and throws it away, seconds per task. Here the big lists are echoed as their length.
"""

from __future__ import annotations


def compact_invocation(params, big):
    """{"module_args": params} with each option named in ``big`` replaced by a note of its length."""
    args = dict(params)
    for name in big:
        value = args.get(name)
        if isinstance(value, (list, dict)):
            args[name] = "(%d items, not echoed)" % len(value)
    return {"module_args": args}


def echo_compactly(module, *big):
    """Make ``module.exit_json`` and ``module.fail_json`` return the compact invocation.

    The echo still goes through AnsibleModule's own no_log scrubbing of the result.
    """
    invocation = compact_invocation(module.params, big)
    exit_json, fail_json = module.exit_json, module.fail_json

    def _exit_json(**kwargs):
        kwargs.setdefault("invocation", invocation)
        exit_json(**kwargs)

    def _fail_json(msg, **kwargs):
        kwargs.setdefault("invocation", invocation)
        fail_json(msg, **kwargs)

    module.exit_json = _exit_json
    module.fail_json = _fail_json
    return module
