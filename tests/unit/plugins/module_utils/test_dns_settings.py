# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's DNS settings: panel_dns, the resellers' dns choices and TSIG keys (no DNS library needed)."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _dns_settings


def test_validate_panel_dns_lists_every_problem():
    assert _dns_settings.validate_panel_dns({}) == []
    assert _dns_settings.validate_panel_dns({"servers": ["192.0.2.53"], "frontend_addresses": ["203.0.113.1"],
                                             "zones": ["provider.test"],
                                             "tsig": {"name": "k", "secret": "c2VjcmV0", "algorithm": "hmac-sha256"}},
                                            [{"name": "acme", "dns": {"cname": "edge.provider.test"}}]) == []
    problems = _dns_settings.validate_panel_dns(
        {"servers": ["ns1.provider.test"], "port": 70000, "frontend_addresses": ["203.0.113.999"],
         "on_mismatch": "ignore", "zones": ["provider.test"], "tsig": {"name": "k", "secret": "!!"}, "zoens": []},
        [{"name": "acme", "dns": {"cname": "edge.provider.test", "addresses": ["192.0.2.1"]}},
         {"name": "beta", "dns": {"addresses": ["nope"]}}])
    text = "\n".join(problems)
    for expected in ("panel_dns.servers: 'ns1.provider.test'", "panel_dns.port", "203.0.113.999",
                     "panel_dns.on_mismatch", "panel_dns.tsig.secret", "panel_dns.zoens: unknown key",
                     "reseller acme: dns: give either", "reseller beta: dns.addresses: 'nope'"):
        assert expected in text, expected
    assert "!!" not in text
    assert _dns_settings.validate_panel_dns({"zones": ["provider.test"]}) == [
        "panel_dns.tsig: required when panel_dns.zones is set (records are updated with it)",
        "panel_dns.update_server: required (or panel_dns.servers) when panel_dns.zones is set"]


@pytest.mark.parametrize("tsig, problem", [
    ("k", "tsig: must be a mapping with name, secret and algorithm"),
    ({"secret": "c2VjcmV0"}, "tsig.name: the TSIG key name is required"),
    ({"name": "k"}, "tsig.secret: the TSIG secret is required"),
    ({"name": "k", "secret": "not base64!"}, "tsig.secret: not valid base64"),
    ({"name": "k", "secret": "c2VjcmV0", "algorithm": "hmac-sha3"}, "tsig.algorithm: 'hmac-sha3' is not one of"),
])
def test_tsig_keys_are_checked_without_echoing_the_secret(tsig, problem):
    problems = _dns_settings.validate_tsig(tsig)
    assert len(problems) == 1 and problems[0].startswith(problem)
    assert "not base64!" not in problems[0]
    assert _dns_settings.validate_tsig({"name": "k", "secret": "c2VjcmV0"}) == []


def test_a_reseller_dns_choice_that_is_not_a_mapping_is_left_to_the_model():
    assert _dns_settings.validate_panel_dns({}, [{"name": "acme", "dns": "edge"}, "not a reseller"]) == []
