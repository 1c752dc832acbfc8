# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An exclusive lock on a directory (flock of the directory itself), waited for a bounded time.

Runs that change the same frontend or the same certificate store serialize on it. No lock file is created or
left behind, and the kernel releases the lock when the holder dies, even by SIGKILL.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import time

DEFAULT_TIMEOUT = 300


class LockTimeout(Exception):
    """The lock stayed taken for longer than the timeout."""


@contextlib.contextmanager
def directory_lock(path, timeout=DEFAULT_TIMEOUT):
    """Hold the lock of directory `path` (which must exist); LockTimeout after `timeout` seconds of waiting."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout("%s is locked by another run (waited %d s)" % (path, timeout))
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)
