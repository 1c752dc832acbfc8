# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""frontend_health as a module: its arguments are checked before any request is sent."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.modules import frontend_health
from tests.support.seeding import run


@pytest.mark.parametrize("interval", [0, -0.5])
def test_an_interval_that_is_not_positive_is_refused_naming_it(capsys, interval):
    result = run(frontend_health, dict(address="127.0.0.1", port=1, hosts=["good.test"], interval=interval), capsys)
    assert result["failed"] is True and result["msg"] == "interval: must be more than 0 seconds, got %s" % float(
        interval)


def test_nothing_listening_fails_naming_the_host(capsys):
    result = run(frontend_health, dict(address="127.0.0.1", port=1, hosts=["good.test"], attempts=1, timeout=2),
                 capsys)
    assert result["failed"] is True and "good.test (ConnectionRefusedError" in result["msg"]
