# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The panel_password_hash filter, used from a real ansible run (controller code stays out of this process)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from ansible_collections.panelops.reseller.plugins.module_utils import _passwords

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


def ansible_debug(expression):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".collections"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible"), "localhost", "-c", "local", "-i", "localhost,",
         "-e", "ansible_python_interpreter=%s" % sys.executable, "-m", "ansible.builtin.debug",
         "-a", "msg={{ %s }}" % expression],
        capture_output=True, text=True, env=env, cwd=REPO, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_filter_matches_the_module_code():
    code, out = ansible_debug("'pw' | panelops.reseller.panel_password_hash(salt='fixed', iterations=1000)")
    assert code == 0, out
    # Ad-hoc output: `localhost | SUCCESS => {...}`
    msg = json.loads(out[out.index("=>") + 2:])["msg"]
    assert msg == _passwords.make_hash("pw", salt="fixed", iterations=1000)


def test_filter_rejects_an_empty_password():
    code, out = ansible_debug("'' | panelops.reseller.panel_password_hash")
    assert code != 0 and "panel_password_hash: the password must be a non-empty string" in out
