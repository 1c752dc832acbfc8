# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A SIGTERM ends a test run the way Ctrl-C does: through pytest's own teardown.

Python's default for SIGTERM is to die on the spot, so a CI job's timeout (or a `kill`) would leave behind every
server the fixtures started on loopback (PostgreSQL, MariaDB, bind9, pebble, nginx, gunicorn) and their scratch
directories. Raised as KeyboardInterrupt instead, the run stops and every active fixture's finaliser runs.
Loaded by pytest.ini (`-p tests.support.interrupt`) and by the panel's conftest.
"""
from __future__ import annotations

import signal


def _interrupt(signum, _frame):
    raise KeyboardInterrupt("signal %d" % signum)


def install():
    signal.signal(signal.SIGTERM, _interrupt)


def pytest_configure(config):
    install()
