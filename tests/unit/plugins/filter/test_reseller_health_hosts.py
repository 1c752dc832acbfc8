# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The first served reseller hosts for the health check: offboarded, URL-less and skipped resellers passed over."""
from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.filter.reseller_health_hosts import reseller_health_hosts

RESELLERS = [
    {"name": "gone", "state": "absent", "enduser_panel_url": "https://gone.test/"},
    {"name": "nourl", "state": "present"},
    {"name": "waiting", "state": "present", "enduser_panel_url": "https://waiting.test/"},
    {"name": "acme", "enduser_panel_url": "https://cloud.acme.test:8443/"},
    {"name": "globex", "state": "suspended", "enduser_panel_url": "https://globex.test/"},
]


def test_first_served_host_passes_over_absent_urlless_and_skipped():
    assert reseller_health_hosts(RESELLERS, ["waiting.test"]) == ["cloud.acme.test"]
    assert reseller_health_hosts(RESELLERS) == ["waiting.test"]


def test_count_and_empty_lists():
    assert reseller_health_hosts(RESELLERS, ["waiting.test"], count=5) == ["cloud.acme.test", "globex.test"]
    assert reseller_health_hosts([]) == [] and reseller_health_hosts(None) == []


class CountingList(list):
    """Records how far the filter reads (it must stop once it has what it needs)."""

    def __init__(self, items):
        super().__init__(items)
        self.read = 0

    def __iter__(self):
        for item in super().__iter__():
            self.read += 1
            yield item


def test_stops_at_the_first_it_needs():
    big = CountingList([{"name": "r%d" % i, "enduser_panel_url": "https://r%d.test/" % i} for i in range(10000)])
    assert reseller_health_hosts(big) == ["r0.test"]
    assert big.read == 1
