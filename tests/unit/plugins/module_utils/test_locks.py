# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _locks

HOLD = "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); " \
       "print('held', flush=True); time.sleep(60)"


def test_lock_held_by_another_process_times_out_then_is_released_when_it_is_killed(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    with holder, contextlib.closing(holder.stdout):
        _time_out_while_held(holder, tmp_path)
    # SIGKILL released it; no file was left in the directory.
    with _locks.directory_lock(str(tmp_path), timeout=1):
        assert os.listdir(str(tmp_path)) == []


def _time_out_while_held(holder, tmp_path):
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(_locks.LockTimeout, match=r"is locked by another run \(waited 1 s\)"):
            with _locks.directory_lock(str(tmp_path), timeout=1):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_one_lock_timeout_for_directories_and_the_panel_database():
    from ansible_collections.panelops.reseller.plugins.module_utils import _panel_db

    # The panel database's lock and the directory locks (frontends, certificate store) raise the same error.
    assert _panel_db.LockTimeout is _locks.LockTimeout
