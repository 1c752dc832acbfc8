# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""inventory/sample validates with its documented vault id and sample password file, and its one-file-per-
reseller layout hands every reseller to the validation (no host is contacted: validation runs on the controller).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
SAMPLE = os.path.join(REPO, "inventory", "sample")
VAULT_ID = "prod@" + os.path.join(SAMPLE, "vault-password.sample.txt")


def run(args, inventory=SAMPLE, vault=True):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    cmd = list(args[:1]) + ["-i", inventory] + list(args[1:])
    if vault:
        cmd += ["--vault-id", VAULT_ID]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, check=False)


def validate(**kwargs):
    return run([os.path.join(BIN, "ansible-playbook"), os.path.join(REPO, "playbooks", "validate.yml")], **kwargs)


def test_sample_inventory_validates_with_the_documented_vault_id():
    proc = validate()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok: [app1.provider.example -> localhost]" in proc.stdout
    assert "WARNING" not in proc.stdout + proc.stderr


def test_secrets_are_vaulted():
    proc = validate(vault=False)
    assert proc.returncode != 0
    assert "vault" in (proc.stdout + proc.stderr).lower()
    for name in (os.path.join("group_vars", "all", "vault.yml"), os.path.join("resellers", "acme.yml"),
                 os.path.join("resellers", "globex.yml")):
        with open(os.path.join(SAMPLE, name)) as handle:
            assert "$ANSIBLE_VAULT;1.2;AES256;prod" in handle.read()


def assembled(inventory=SAMPLE):
    proc = run([os.path.join(BIN, "ansible"), "app1.provider.example", "-m", "ansible.builtin.debug",
                "-a", "msg={{ panel_resellers | to_json }}", "-o"], inventory=inventory)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(json.loads(proc.stdout.split("=>", 1)[1])["msg"])


def test_every_reseller_file_is_in_the_assembled_list():
    resellers = assembled()
    files = sorted(f[:-4] for f in os.listdir(os.path.join(SAMPLE, "resellers")))
    assert [r["name"] for r in resellers] == files == ["acme", "globex", "initech"]
    acme = resellers[0]
    # The vaulted credential arrives decrypted (a Django hash) where the module needs it.
    assert acme["users"][0]["password_hash"].startswith("pbkdf2_sha256$")
    assert resellers[2] == {"name": "initech", "state": "absent", "offboard_to": "acme",
                            "enduser_panel_url": "https://initech.resellers.provider.example/"}


def test_a_new_reseller_file_is_validated_with_the_others(tmp_path):
    inventory = str(tmp_path / "sample")
    shutil.copytree(SAMPLE, inventory)
    with open(os.path.join(inventory, "resellers", "hooli.yml"), "w") as handle:
        handle.write("---\nname: hooli\ncompany: Hooli\nemail: ops@hooli.example\n"
                     "currency: EUR\nplan: no-such-plan\nenduser_panel_url: http://cloud.hooli.example/\n"
                     "offboard_to: acme\n")
    assert [r["name"] for r in assembled(inventory)] == ["acme", "globex", "hooli", "initech"]
    proc = validate(inventory=inventory)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "nothing was changed" in out
    problems = [line for line in out.splitlines() if "hooli" in line and line.lstrip().startswith("- ")]
    assert any("plan" in p and "no-such-plan" in p for p in problems), out
    assert any("enduser_panel_url" in p for p in problems), out
    # The other resellers are still checked: a broken offboard_to in another file is reported too.
    initech = os.path.join(inventory, "resellers", "initech.yml")
    with open(initech) as handle:
        text = handle.read()
    with open(initech, "w") as handle:
        handle.write(text.replace("offboard_to: acme", "offboard_to: nobody"))
    out = validate(inventory=inventory).stdout
    assert any("initech" in line and "nobody" in line for line in out.splitlines()), out
