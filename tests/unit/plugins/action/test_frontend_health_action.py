# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The frontend_health action in a real playbook run: its arguments are checked before any request is sent, and
it runs on the controller for a host it never connects to."""
from __future__ import annotations

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

# The host's connection is one that cannot work: the check must not use it.
INVENTORY = "frontend ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1\n"


def run_check(tmp_path, args):
    play = [{"hosts": "frontend", "gather_facts": False, "tasks": [
        {"name": "Check", "panelops.reseller.frontend_health": args, "register": "health"},
        {"name": "Show", "ansible.builtin.debug": {"msg": "CHECKS={{ health.checks | to_json }}"}}]}]
    (tmp_path / "play.yml").write_text(json.dumps(play))
    (tmp_path / "hosts").write_text(INVENTORY)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".collections"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(tmp_path / "hosts"),
         "-e", "ansible_python_interpreter=%s" % sys.executable, str(tmp_path / "play.yml")],
        capture_output=True, text=True, env=env, cwd=REPO, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_an_interval_that_is_not_positive_is_refused_naming_it(tmp_path):
    code, out = run_check(tmp_path, dict(address="127.0.0.1", port=1, hosts=["good.test"], interval=0))
    assert code == 2 and "interval: must be more than 0 seconds, got 0.0" in out, out


def test_a_missing_argument_is_refused_naming_it(tmp_path):
    code, out = run_check(tmp_path, dict(address="127.0.0.1", port=1))
    assert code == 2 and "missing required arguments: hosts" in out, out


def test_nothing_listening_fails_naming_the_host_without_connecting_to_it(tmp_path):
    code, out = run_check(tmp_path, dict(address="127.0.0.1", port=1, hosts=["good.test"], attempts=1, timeout=2))
    assert code == 2, out
    assert "health check of 127.0.0.1:1 failed: good.test (ConnectionRefusedError" in out
    # The task failed on its check, not as an unreachable host: no connection to it was tried.
    assert "UNREACHABLE" not in out and "unreachable=0" in out
