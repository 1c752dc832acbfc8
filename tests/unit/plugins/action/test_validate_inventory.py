# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The validate_inventory action in a real playbook run: every seeding problem listed, nothing touched."""
from __future__ import annotations

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Validate
      panelops.reseller.validate_inventory:
"""


def run_validation(tmp_path, model):
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    (tmp_path / "vars.json").write_text(json.dumps(model))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".collections"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
         "-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "@%s" % (tmp_path / "vars.json"),
         str(tmp_path / "play.yml")],
        capture_output=True, text=True, env=env, cwd=REPO, check=False)
    return proc.returncode, proc.stdout + proc.stderr


BASE = {
    "panel_db": {"engine": "sqlite", "path": "/nonexistent/panel.sqlite3"},
    "panel_provider_url": "https://panel.provider.test/",
    "panel_plans": [{"name": "wholesale", "currency": "EUR", "rules": []}],
    "panel_resellers": [{"name": "acme", "company": "ACME", "email": "ops@acme.test", "currency": "EUR",
                         "plan": "wholesale", "enduser_panel_url": "https://cloud.acme.test/",
                         "users": [{"username": "acme-admin", "email": "admin@acme.test",
                                    "password": "canary-password-42"}]}],
}


def test_valid_model_passes(tmp_path):
    code, out = run_validation(tmp_path, BASE)
    assert code == 0, out
    assert "canary-password-42" not in out


def test_every_problem_listed_before_anything_runs(tmp_path):
    model = json.loads(json.dumps(BASE))
    model["panel_resellers"][0].update(plan="gold", enduser_panel_url="https://panel.provider.test/")
    model["panel_resellers"].append(dict(model["panel_resellers"][0], name="Bad Name", users=[]))
    code, out = run_validation(tmp_path, model)
    assert code != 0
    assert "nothing was changed" in out
    assert "reseller 'acme': plan: 'gold' is not a provider plan" in out
    assert "reseller 'acme': enduser_panel_url: host panel.provider.test is the provider's own host" in out
    assert "reseller 'Bad Name': name: must be a slug" in out
    assert "canary-password-42" not in out
