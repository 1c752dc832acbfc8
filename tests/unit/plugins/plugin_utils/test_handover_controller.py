# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Large module inputs handed over as files in the task's temporary directory (controller side)."""
from __future__ import annotations

import datetime
import json

import pytest
from ansible.errors import AnsibleActionFail
from ansible.parsing.vault import EncryptedString, VaultLib, VaultSecret, VaultSecretsContext

from ansible_collections.panelops.reseller.plugins.plugin_utils._handover import (
    execute_with_files,
    execute_with_list,
    refuse_handover_options,
    to_json,
)


@pytest.fixture()
def vault_secret(monkeypatch):
    # The process-wide vault context ansible-playbook sets up once, restored after the test.
    secret = VaultSecret(b"handover-test-password")
    monkeypatch.setattr(VaultSecretsContext, "_current", VaultSecretsContext(secrets=[("default", secret)]))
    return secret


def test_plain_data_is_written_as_json():
    items = [{"name": "acme", "port": 8443, "default": True, "dns": None, "users": [{"username": "a"}]}]
    assert json.loads(to_json(items, "resellers")) == items


def test_what_json_cannot_write_is_encoded_as_a_module_argument_would_be(vault_secret):
    ciphertext = VaultLib([("default", vault_secret)]).encrypt("s3cret-hash").decode()
    items = [{"since": datetime.date(2026, 1, 2), "password_hash": EncryptedString(ciphertext=ciphertext)}]
    assert json.loads(to_json(items, "resellers")) == [{"since": "2026-01-02", "password_hash": "s3cret-hash"}]


def test_something_that_is_not_data_is_a_clear_error_naming_the_input():
    with pytest.raises(AnsibleActionFail, match="cannot hand the resellers over to the module"):
        to_json([{"name": object()}], "resellers")


def test_a_task_that_sets_a_handed_over_option_is_refused_naming_it():
    with pytest.raises(AnsibleActionFail, match="^resellers_file: filled by panel_resellers itself$"):
        refuse_handover_options("panel_resellers", {"resellers_file": "/tmp/x", "db": {}}, ("resellers_file",))
    refuse_handover_options("panel_resellers", {"db": {}}, ("resellers_file",))


class FakeShell:
    def __init__(self):
        self.tmpdir = None

    @staticmethod
    def join_path(*parts):
        return "/".join(parts)


class FakeAction:
    """Records what execute_with_files asks of an action plugin."""

    def __init__(self, fail=False):
        self._connection = type("Connection", (), {})()
        self._connection._shell = FakeShell()
        self.calls = []
        self.fail = fail

    def _make_tmp_path(self):
        self._connection._shell.tmpdir = "/remote/tmp"
        self.calls.append(("mkdir",))
        return "/remote/tmp"

    def _transfer_data(self, path, data):
        self.calls.append(("put", path, json.loads(data)))

    def _fixup_perms2(self, paths, execute):
        self.calls.append(("perms", tuple(paths), execute))

    def _execute_module(self, module_name, module_args, task_vars):
        self.calls.append(("run", module_name, dict(module_args)))
        if self.fail:
            raise RuntimeError("connection lost")
        return {"changed": False}

    def _remove_tmp_path(self, path):
        self.calls.append(("rm", path))


def test_the_files_are_put_before_one_module_run_and_the_directory_is_removed():
    action = FakeAction()
    result = execute_with_files(action, "panelops.reseller.panel_resellers", {"db": {}},
                                [("resellers_file", "r.json", [{"name": "acme"}], "resellers")], {})
    assert result == {"changed": False}
    assert action.calls == [
        ("mkdir",),
        ("put", "/remote/tmp/r.json", [{"name": "acme"}]),
        ("perms", ("/remote/tmp", "/remote/tmp/r.json"), False),
        ("run", "panelops.reseller.panel_resellers", {"db": {}, "resellers_file": "/remote/tmp/r.json"}),
        ("rm", "/remote/tmp"),
    ]


def test_the_directory_is_removed_when_the_module_run_fails():
    action = FakeAction(fail=True)
    with pytest.raises(RuntimeError):
        execute_with_files(action, "panelops.reseller.panel_resellers", {},
                           [("resellers_file", "r.json", [], "resellers")], {})
    assert action.calls[-1] == ("rm", "/remote/tmp")


def test_a_non_empty_list_travels_as_its_file_option():
    action = FakeAction()
    execute_with_list(action, "panelops.reseller.tls_certificates", {"store": "/s", "resellers": [{"name": "a"}]},
                      "resellers", {})
    assert action.calls[1] == ("put", "/remote/tmp/tls_certificates_resellers.json", [{"name": "a"}])
    assert action.calls[3] == ("run", "panelops.reseller.tls_certificates",
                               {"store": "/s", "resellers_file": "/remote/tmp/tls_certificates_resellers.json"})


@pytest.mark.parametrize("module_args", [{"store": "/s"}, {"store": "/s", "resellers": []},
                                         {"store": "/s", "resellers": None}])
def test_without_a_list_the_arguments_go_as_they_are(module_args):
    action = FakeAction()
    execute_with_list(action, "panelops.reseller.tls_certificates", dict(module_args), "resellers", {})
    assert action.calls == [("run", "panelops.reseller.tls_certificates", module_args)]
