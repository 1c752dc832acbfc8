# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compact invocation: a batch module's result echoes its big lists as their length, secrets still masked."""
from __future__ import annotations

import json

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.parameters import PASS_VARS
from ansible.module_utils.testing import patch_module_args

from ansible_collections.panelops.reseller.plugins.module_utils._results import compact_invocation, echo_compactly

# ansible-core 2.21 returns an invocation only when the controller asks for one (INJECT_INVOCATION, off by
# default); 2.19 always returns it.
INJECTION_OPTIONAL = "inject_invocation" in PASS_VARS

SPEC = dict(
    items=dict(type="list", elements="dict", options=dict(name=dict(type="str"), token=dict(type="str", no_log=True))),
    label=dict(type="str"),
)


def test_compact_invocation_replaces_only_the_named_collections():
    out = compact_invocation({"items": [1, 2, 3], "label": "x", "other": [1]}, ("items", "absent"))
    assert out == {"module_args": {"items": "(3 items, not echoed)", "label": "x", "other": [1]}}


def _run(exit_with, capsys, inject=True, **kwargs):
    args = {"items": [{"name": "a", "token": "s3cr3t-token"}, {"name": "b", "token": None}], "label": "s3cr3t-token"}
    if INJECTION_OPTIONAL:
        args["_ansible_inject_invocation"] = inject
    with patch_module_args(args):
        module = echo_compactly(AnsibleModule(argument_spec=SPEC), "items")
        with pytest.raises(SystemExit):
            getattr(module, exit_with)(**kwargs)
    return json.loads(capsys.readouterr().out)


def test_exit_json_echoes_the_list_as_its_length_and_masks_secrets(capsys):
    result = _run("exit_json", capsys, changed=False)
    assert result["invocation"]["module_args"]["items"] == "(2 items, not echoed)"
    # A no_log value found elsewhere in the result is still scrubbed by AnsibleModule.
    assert result["invocation"]["module_args"]["label"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "s3cr3t-token" not in json.dumps(result)


def test_fail_json_too(capsys):
    result = _run("fail_json", capsys, msg="broken")
    assert result["failed"] is True and result["msg"] == "broken"
    assert result["invocation"]["module_args"]["items"] == "(2 items, not echoed)"


@pytest.mark.skipif(not INJECTION_OPTIONAL, reason="ansible-core before 2.21 always returns an invocation")
def test_no_invocation_at_all_unless_the_controller_asks(capsys):
    result = _run("exit_json", capsys, inject=False, changed=False)
    assert "invocation" not in result and "s3cr3t-token" not in json.dumps(result)
