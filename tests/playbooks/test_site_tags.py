# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""site.yml's plays carry the tag of their step: `--tags tls` runs the certificate step and nothing else (no
database, no nginx, no panel), here on the demo inventory with its state in the test's directory."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
STEPS = ("validate", "panel", "feature", "plans", "resellers", "dns", "tls", "frontends", "registration")


def site(state, *extra):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    args = [os.path.join(BIN, "ansible-playbook"), "-i", os.path.join(REPO, "inventory", "demo"),
            os.path.join(REPO, "playbooks", "site.yml"),
            "-e", json.dumps({"panel_demo_dir": str(state), "panel_serve": False})] + list(extra)
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO, check=False)


def work_tasks(output):
    """The tasks that ran, without the roles' argument checks (Ansible tags those `always`)."""
    names = re.findall(r"^TASK \[(.+?)\]", output, re.M)
    return [name for name in names if "Validating arguments against arg spec" not in name]


def test_every_play_is_tagged_with_its_step(tmp_path):
    proc = site(tmp_path, "--list-tags")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    play_tags = re.findall(r"^\s+play #\d+ .*\tTAGS: \[(.*)\]$", proc.stdout, re.M)
    assert play_tags == list(STEPS)


def test_tags_tls_runs_only_the_certificate_step(tmp_path):
    proc = site(tmp_path, "--tags", "tls")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    tasks = work_tasks(out)
    # Only the certificate role's tasks (the ACME steps among them are skipped in mode internal_ca).
    assert tasks and all(name.startswith("panelops.reseller.reseller_tls : ") for name in tasks), tasks
    assert "panelops.reseller.reseller_tls : Issue, renew or check one certificate per FQDN, once, on the " \
           "controller (mode acme - open the orders)" in tasks
    # One certificate per FQDN of the demo, issued into the test's store; nothing else of the run exists.
    certs = sorted(os.listdir(tmp_path / "pki" / "certs"))
    assert "panel.demo.test" in certs and len(certs) >= 2
    assert sorted(os.listdir(tmp_path)) in (["pki"], ["pki", "reports"])
    assert not os.path.exists(tmp_path / "panel.sqlite3") and not os.path.exists(tmp_path / "nginx")


def test_steps_combine(tmp_path):
    proc = site(tmp_path, "--tags", "validate,frontends", "--list-tasks")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    listed = [line.strip() for line in proc.stdout.splitlines() if "TAGS: [" in line and "play #" not in line]
    work = [line for line in listed if "Validating arguments" not in line]
    assert work and all(re.search(r"TAGS: \[(validate|frontends)\]$", line) for line in work), work
    assert any(line.startswith("panelops.reseller.validate_inventory") or "Check the whole provisioning model" in line
               for line in work)
    assert any("reseller_frontends :" in line for line in work)
