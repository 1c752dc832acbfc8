# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reseller_dns role's filters: wanted records read through the inventory model, and the ready domains."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.panelops.reseller.plugins.filter.reseller_dns_ready import reseller_dns_ready
from ansible_collections.panelops.reseller.plugins.filter.reseller_dns_records import reseller_dns_records

RESELLERS = [
    {"name": "acme", "enduser_panel_url": "https://Cloud.ACME.test:8443/", "dns": {"cname": "edge.provider.test"},
     "users": [{"username": "acme-admin", "password": "never-read"}]},
    {"name": "globex", "state": "suspended", "enduser_panel_url": "https://müller.test/",
     "dns": {"addresses": ["192.0.2.7"]}},
    {"name": "initech", "state": "absent", "enduser_panel_url": "https://initech.test/"},
    {"name": "hooli", "state": "absent"},
]


def test_records_of_served_and_retired_domains():
    assert reseller_dns_records(RESELLERS) == [
        {"fqdn": "cloud.acme.test", "state": "present", "cname": "edge.provider.test"},
        {"fqdn": "xn--mller-kva.test", "state": "present", "addresses": ["192.0.2.7"]},
        {"fqdn": "initech.test", "state": "absent"},
    ]
    assert reseller_dns_records([]) == []


def test_problems_fail_the_filter_naming_reseller_and_field():
    with pytest.raises(AnsibleFilterError) as caught:
        reseller_dns_records([{"name": "a", "enduser_panel_url": "https://x.test/"},
                              {"name": "b", "enduser_panel_url": "https://X.test/"},
                              {"name": "c", "dns": "edge"}])
    text = str(caught.value)
    assert "3 problem(s)" in text
    assert "reseller 'c': enduser_panel_url: must be an absolute https:// URL" in text
    assert "reseller 'b': enduser_panel_url: host x.test is already used by reseller 'a'" in text
    assert "reseller 'c': dns: must be a mapping" in text


def test_ready_domains_are_present_ones_that_resolved_or_have_their_record():
    records = reseller_dns_records(RESELLERS)
    check = {"ok": ["cloud.acme.test", "stray.test"], "mismatch": ["xn--mller-kva.test"]}
    update = {"created": [], "updated": [], "unchanged": ["xn--mller-kva.test"], "removed": ["initech.test"]}
    assert reseller_dns_ready(records, check, update) == ["cloud.acme.test", "xn--mller-kva.test"]
    assert reseller_dns_ready(records, check, {"skipped": True}) == ["cloud.acme.test"]
    assert reseller_dns_ready(records, {"skipped": True, "changed": False}, None) == []
    assert reseller_dns_ready([], check, update) == []
