# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the reseller list from a host variable on the controller (resellers_var)."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail
from ansible.parsing.vault import EncryptedString

from ansible_collections.panelops.reseller.plugins.plugin_utils._inventory_lists import (
    needs_templating,
    take_list_from_variable,
    without_invocation,
)


class RecordingTemplar:
    """Stands in for the task's Templar: records what it was asked to template and marks the result."""

    def __init__(self):
        self.calls = []

    def template(self, value):
        self.calls.append(value)
        return [dict(item, templated=True) for item in value]


PLAIN = [{"name": "acme", "users": [{"username": "a", "password_hash": "pbkdf2_sha256$1$s$h"}], "port": 8443,
          "default": True, "dns": None}]


@pytest.mark.parametrize("value, expected", [
    (PLAIN, False),
    ([{"name": "{{ reseller_name }}"}], True),
    ([{"users": [{"password": "{{ vault_acme }}"}]}], True),
    ([{"note": "{% if x %}y{% endif %}"}], True),
    ([{"note": "{# comment #}"}], True),
    ([{"{{ key }}": "value"}], True),
    ([{"note": "braces { alone } are plain"}], False),
])
def test_needs_templating(value, expected):
    assert needs_templating(value) is expected


def test_a_vaulted_value_needs_templating():
    assert needs_templating([{"password": EncryptedString(ciphertext="$ANSIBLE_VAULT;1.1;AES256\n00")}]) is True


def test_plain_data_is_used_as_it_is_without_a_template_pass():
    templar = RecordingTemplar()
    args = take_list_from_variable(templar, {"resellers_var": "panel_resellers", "db": {}}, {"panel_resellers": PLAIN})
    assert args == {"resellers": PLAIN, "db": {}}
    assert templar.calls == []


def test_data_with_a_template_is_templated_once():
    templar = RecordingTemplar()
    value = [{"name": "{{ x }}"}]
    args = take_list_from_variable(templar, {"resellers_var": "panel_resellers"}, {"panel_resellers": value})
    assert templar.calls == [value]
    assert args["resellers"] == [{"name": "{{ x }}", "templated": True}]


def test_without_resellers_var_the_arguments_are_left_alone():
    args = {"resellers": [{"name": "a"}]}
    assert take_list_from_variable(RecordingTemplar(), dict(args), {"panel_resellers": PLAIN}) == args


@pytest.mark.parametrize("args, task_vars, message", [
    ({"resellers_var": "panel_resellers", "resellers": []}, {"panel_resellers": []}, "mutually exclusive"),
    ({"resellers_var": "nope"}, {"panel_resellers": []}, "no host variable named 'nope'"),
    ({"resellers_var": "panel_resellers"}, {"panel_resellers": {"a": 1}}, "must be a list, not dict"),
])
def test_problems_are_named(args, task_vars, message):
    with pytest.raises(AnsibleActionFail, match=message):
        take_list_from_variable(RecordingTemplar(), args, task_vars)


def test_an_undefined_list_value_is_an_empty_list():
    args = take_list_from_variable(RecordingTemplar(), {"resellers_var": "r"}, {"r": None})
    assert args["resellers"] == []


def test_without_invocation():
    assert without_invocation({"changed": True, "invocation": {"module_args": {}}}) == {"changed": True}
