# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hosts an nginx_sites run created or changed: created first, then updated vhosts, then renewed certificates;
removed and unchanged sites never."""
from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.filter.changed_site_hosts import changed_site_hosts

RESULT = {
    "sites": {"a.test": "unchanged", "b.test": "updated", "c.test": "created", "d.test": "removed",
              "e.test": "unchanged"},
    "created": ["c.test"],
    "updated": ["b.test"],
    "unchanged": ["a.test", "e.test"],
    "removed": ["d.test"],
    "certificates": {"a.test": "unchanged", "c.test": "created", "e.test": "updated"},
}


def test_created_then_updated_then_renewed_certificate():
    assert changed_site_hosts(RESULT) == ["c.test"]
    assert changed_site_hosts(RESULT, count=5) == ["c.test", "b.test", "e.test"]


def test_a_renewed_certificate_alone_is_a_change():
    result = {"created": [], "updated": [], "certificates": {"a.test": "unchanged", "e.test": "updated"}}
    assert changed_site_hosts(result) == ["e.test"]


def test_nothing_changed_skipped_task_or_no_count_gives_none():
    unchanged = {"created": [], "updated": [], "unchanged": ["a.test"], "certificates": {"a.test": "unchanged"}}
    assert changed_site_hosts(unchanged) == []
    assert changed_site_hosts({"skipped": True, "changed": False}) == []
    assert changed_site_hosts({}) == [] and changed_site_hosts(None) == []
    assert changed_site_hosts(RESULT, count=0) == []
