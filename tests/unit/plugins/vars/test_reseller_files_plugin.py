# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reseller_files vars plugin through ansible-playbook with the collection's ansible.cfg: resellers/ becomes
panel_resellers (vaulted values decrypted), the directory is not read as hosts, and a second list is an error."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.nginx import ROOT

PLAY = """
- name: Show the reseller list
  hosts: all
  gather_facts: false
  tasks:
    - name: Names and the vaulted password
      ansible.builtin.debug:
        msg: "RESULT {{ {'names': panel_resellers | map(attribute='name') | list,
                        'password': panel_resellers[0].users[0].password} | to_json }}"
"""


def run(root, *extra):
    """ansible-playbook on the inventory root/inv; (process, what the play printed or None)."""
    (root / "play.yml").write_text(PLAY)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"))
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(root / "inv"),
           str(root / "play.yml"), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    for line in proc.stdout.splitlines():
        if '"msg": "RESULT ' in line:
            return proc, json.loads(json.loads("{%s}" % line.strip().rstrip(","))["msg"][len("RESULT "):])
    return proc, None


def inventory(tmp_path):
    inv = tmp_path / "inv"
    (inv / "resellers" / "eu").mkdir(parents=True)
    (inv / "hosts.yml").write_text("all:\n  hosts:\n    panel1:\n      ansible_connection: local\n"
                                   "      ansible_python_interpreter: %s\n" % sys.executable)
    (inv / "group_vars").mkdir()
    (inv / "group_vars" / "all.yml").write_text("vault_acme_password: from-group-vars\n")
    (inv / "resellers" / "acme.yml").write_text(
        "name: acme\nusers:\n  - {username: a, password: '{{ vault_acme_password }}'}\n")
    (inv / "resellers" / "eu" / "globex.yml").write_text("- name: globex\n- name: initech\n")
    return inv


def test_resellers_directory_becomes_panel_resellers(tmp_path):
    inventory(tmp_path)
    proc, result = run(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result == {"names": ["acme", "globex", "initech"], "password": "from-group-vars"}
    # resellers/ is not an inventory source: no warning about files Ansible could not parse as hosts.
    assert "WARNING" not in proc.stdout + proc.stderr


def test_vaulted_value_in_a_reseller_file_is_decrypted(tmp_path):
    inv = inventory(tmp_path)
    password_file = tmp_path / "vault-pass"
    password_file.write_text("test-only-vault-password\n")
    encrypted = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-vault"), "encrypt_string", "--vault-password-file",
         str(password_file), "s3cret-value", "--name", "password"], capture_output=True, text=True, check=True,
        env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))).stdout
    (inv / "resellers" / "acme.yml").write_text("name: acme\nusers:\n  - username: a\n" + "".join(
        "    " + line + "\n" for line in encrypted.splitlines()))
    proc, result = run(tmp_path, "--vault-password-file", str(password_file))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result["password"] == "s3cret-value"


def test_a_second_list_in_group_vars_is_an_error_naming_both(tmp_path):
    inv = inventory(tmp_path)
    (inv / "group_vars" / "all.yml").write_text("panel_resellers:\n  - name: hidden\n")
    proc, result = run(tmp_path)
    assert proc.returncode != 0 and result is None
    assert "panel_resellers is defined twice" in proc.stdout + proc.stderr
    assert "all.yml" in proc.stdout + proc.stderr


def test_a_bad_reseller_file_is_an_error_naming_it(tmp_path):
    inv = inventory(tmp_path)
    (inv / "resellers" / "broken.yml").write_text("name: [unclosed\n")
    proc, _result = run(tmp_path)
    assert proc.returncode != 0
    assert "broken.yml" in proc.stdout + proc.stderr


def test_the_parsed_files_are_kept_in_the_cache_directory_and_read_back(tmp_path, monkeypatch):
    inventory(tmp_path)
    monkeypatch.setenv("PANELOPS_RESELLER_FILES_CACHE_DIR", str(tmp_path / "cache"))
    first = run(tmp_path)
    [cache_file] = os.listdir(tmp_path / "cache")
    kept = json.loads((tmp_path / "cache" / cache_file).read_text())["files"]
    assert sorted(len(value) if isinstance(value, list) else 1 for value in kept.values()) == [1, 2]
    second = run(tmp_path)
    assert second[0].returncode == 0 and second[1] == first[1] == {
        "names": ["acme", "globex", "initech"], "password": "from-group-vars"}


def test_an_empty_cache_directory_keeps_nothing(tmp_path, monkeypatch):
    inventory(tmp_path)
    monkeypatch.setenv("PANELOPS_RESELLER_FILES_CACHE_DIR", "")
    monkeypatch.setenv("ANSIBLE_HOME", str(tmp_path / "home"))
    proc, result = run(tmp_path)
    assert proc.returncode == 0 and result["names"] == ["acme", "globex", "initech"]
    assert not (tmp_path / "home" / "panelops_reseller").exists()


def test_without_the_option_the_cache_is_in_ansibles_home(tmp_path, monkeypatch):
    inventory(tmp_path)
    monkeypatch.delenv("PANELOPS_RESELLER_FILES_CACHE_DIR", raising=False)
    monkeypatch.setenv("ANSIBLE_HOME", str(tmp_path / "home"))
    proc, _result = run(tmp_path)
    assert proc.returncode == 0
    assert len(os.listdir(tmp_path / "home" / "panelops_reseller" / "reseller_files")) == 1
