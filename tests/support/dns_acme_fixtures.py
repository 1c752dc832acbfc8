# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest fixtures: one bind9 and one pebble per test session, on loopback (see dns_acme_servers.py).

Zones served: `provider.test` and `elsewhere.test` (updatable with the TSIG key), `static.test` (no updates
allowed, to provoke REFUSED). Tests that change records use names of their own, so they do not interfere.
"""
from __future__ import annotations

import pytest

from tests.support import dns_acme_servers

ZONES = ("provider.test", "elsewhere.test")
READONLY_ZONES = ("static.test",)
RECORDS = [
    ("ok.provider.test", "A", "127.0.0.1"),
    ("dual.provider.test", "A", "127.0.0.1"),
    ("dual.provider.test", "AAAA", "::1"),
    ("wrong.provider.test", "A", "198.51.100.7"),
    ("alias.provider.test", "CNAME", "ok.provider.test."),
    ("alias-out.provider.test", "CNAME", "www.elsewhere.test."),
    ("www.elsewhere.test", "A", "127.0.0.1"),
    ("textonly.provider.test", "TXT", '"no address here"'),
    ("fixed.static.test", "A", "127.0.0.1"),
]


@pytest.fixture(scope="session")
def dns_acme(tmp_path_factory):
    """{"dns": {server, port, zones, tsig: {name, secret, algorithm}}, "acme": {directory, trust_anchor, ...}}"""
    reason = dns_acme_servers.missing()
    if reason:
        pytest.skip(reason)
    base = str(tmp_path_factory.mktemp("dns-acme"))
    state = dns_acme_servers.start(base, zones=ZONES, records=RECORDS, readonly_zones=READONLY_ZONES)
    yield state
    dns_acme_servers.stop(base)
