# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""site.yml on the demo inventory: bad input stops the run in the validation play, before any write.

A valid run (converge, then nothing to change) is extensions/molecule/default.s job: it starts nginx and the panel.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.support import seeding, servers

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    state = tmp_path_factory.mktemp("demo-state")
    spec = dict(engine="sqlite", path=str(state / "panel.sqlite3"))
    servers.migrate(spec, state_dir=str(state))
    return spec


def run_site(db_path, *extra):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    args = [os.path.join(BIN, "ansible-playbook"), "-i", os.path.join(REPO, "inventory", "demo"),
            os.path.join(REPO, "playbooks", "site.yml"),
            # The run's whole state in the test's directory; the panel is migrated but not served (no port taken).
            "-e", json.dumps({"panel_demo_dir": os.path.dirname(db_path), "panel_serve": False})] + list(extra)
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO, check=False)


def dump(db_path):
    return seeding.dump(dict(engine="sqlite", path=db_path))


def test_every_problem_is_listed_and_nothing_is_written(migrated, tmp_path):
    db_path = str(tmp_path / "panel.sqlite3")
    shutil.copyfile(migrated["path"], db_path)
    before = dump(db_path)
    bad = {"panel_provider_url": "http://panel.demo.test/", "panel_reseller_feature": "maybe"}
    proc = run_site(db_path, "-e", json.dumps(bad))
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "the inventory has 2 problem(s); nothing was changed" in out
    assert "panel_provider_url: 'http://panel.demo.test/' must use https://" in out
    assert "panel_reseller_feature: must be a boolean" in out
    # The run stopped in the validation play: no role task ran.
    assert "TASK [panelops.reseller.reseller_feature" not in out
    assert dump(db_path) == before
