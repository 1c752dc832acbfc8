# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/support/interrupt.py: a SIGTERM in the middle of a test still runs the fixtures' teardown."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

KILLED_MID_TEST = '''
import os
import signal

import pytest


@pytest.fixture
def server():
    yield
    with open(os.environ["TORN_DOWN"], "w") as handle:
        handle.write("stopped")


def test_killed(server):
    os.kill(os.getpid(), signal.SIGTERM)
'''


@pytest.mark.parametrize("plugin, torn_down", [(["-p", "tests.support.interrupt"], True), ([], False)])
def test_a_sigterm_runs_the_fixtures_teardown(tmp_path, plugin, torn_down):
    test_file = tmp_path / "test_killed.py"
    test_file.write_text(KILLED_MID_TEST)
    marker = tmp_path / "torn-down"
    env = dict(os.environ, PYTHONPATH=REPO, TORN_DOWN=str(marker))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull,
                           "--rootdir", str(tmp_path)] + plugin + [str(test_file)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    # Without the plugin Python dies of the signal and nothing is stopped: the control that this can fail.
    assert marker.exists() is torn_down, proc.stdout + proc.stderr
    assert proc.returncode != 0
