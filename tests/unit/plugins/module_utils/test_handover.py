# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a file an action plugin handed over, validated like the argument it stands for (module side)."""
from __future__ import annotations

import json

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._handover import (
    read_json_list,
    take_handed_over_list,
    validated_option,
)

SPEC = dict(
    items=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        port=dict(type="int", default=443),
        secret=dict(type="str", no_log=True),
    )),
    items_file=dict(type="path"),
)


class Failed(Exception):
    pass


class FakeModule:
    """The parts of AnsibleModule the helpers use."""

    def __init__(self, **params):
        self.argument_spec = SPEC
        self.params = dict(dict((k, None) for k in SPEC), **params)
        self.no_log_values = set()

    def fail_json(self, msg):
        raise Failed(msg)


def write(tmp_path, content):
    path = tmp_path / "items.json"
    path.write_text(json.dumps(content) if not isinstance(content, str) else content)
    return path


def test_a_list_is_read_and_the_file_removed(tmp_path):
    path = write(tmp_path, [{"name": "a"}])
    assert read_json_list(str(path), "item") == [{"name": "a"}]
    assert not path.exists()


@pytest.mark.parametrize("content, error", [({"name": "a"}, "a list of items expected"), ("[{", "Expecting")])
def test_a_malformed_file_is_refused_and_still_removed(tmp_path, content, error):
    path = write(tmp_path, content)
    with pytest.raises(ValueError, match=error):
        read_json_list(str(path), "item")
    assert not path.exists()


def test_the_option_spec_applies_defaults_types_and_no_log():
    module = FakeModule()
    assert validated_option(module, "items", [{"name": "a", "port": "8443", "secret": "hush"}]) == [
        {"name": "a", "port": 8443, "secret": "hush"}]
    assert validated_option(module, "items", [{"name": "b"}]) == [{"name": "b", "port": 443, "secret": None}]
    assert module.no_log_values == {"hush"}


def test_a_problem_fails_naming_the_field_with_the_secrets_registered_first():
    module = FakeModule()
    with pytest.raises(Failed, match="missing required arguments: name found in items"):
        validated_option(module, "items", [{"secret": "hush"}, {"name": "b", "secret": "quiet"}])
    assert module.no_log_values == {"hush", "quiet"}


def test_take_fills_the_option_from_the_file(tmp_path):
    path = write(tmp_path, [{"name": "a"}])
    module = FakeModule(items_file=str(path))
    take_handed_over_list(module, "items", "items_file", "item")
    assert module.params["items"] == [{"name": "a", "port": 443, "secret": None}] and not path.exists()


def test_take_without_a_file_leaves_the_argument_alone():
    module = FakeModule(items=[{"name": "a"}])
    take_handed_over_list(module, "items", "items_file", "item")
    assert module.params["items"] == [{"name": "a"}]


@pytest.mark.parametrize("params, message", [
    (dict(items=[{"name": "a"}]), "items and items_file are mutually exclusive"),
    (dict(), "cannot read the items handed over by the action plugin"),
])
def test_take_refuses_what_it_cannot_use(tmp_path, params, message):
    module = FakeModule(items_file=str(tmp_path / "missing.json"), **params)
    with pytest.raises(Failed, match=message):
        take_handed_over_list(module, "items", "items_file", "item")
