# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""dns_check and dns_records end to end (argument spec to a real bind9)."""
from __future__ import annotations

import json

import dns.message
import dns.query
import pytest
from ansible.module_utils import _internal
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.panelops.reseller.plugins.modules import dns_check, dns_records


def run(module, args, capsys, check_mode=False, diff=False):
    if check_mode:
        args = dict(args, _ansible_check_mode=True)
    if diff:
        args = dict(args, _ansible_diff=True)
    # Warnings are collected process-wide; start each run with none, as a real module process does.
    module_warnings._global_warnings.clear()
    # A module runs in a process of its own, never in the controller: once another test has imported controller
    # code, ansible-core would send module warnings to the controller's display instead of the result.
    saved, _internal.is_controller = _internal.is_controller, False
    try:
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                module.main()
    finally:
        _internal.is_controller = saved
    return json.loads(capsys.readouterr().out)


def check_args(dns_acme, fqdns, **kwargs):
    return dict(dict(fqdns=fqdns, addresses=["127.0.0.1", "::1"], servers=["127.0.0.1"],
                     port=dns_acme["dns"]["port"], timeout=1.0, retries=0), **kwargs)


def records_args(dns_acme, records, **kwargs):
    server = dns_acme["dns"]
    return dict(dict(records=records, zones=["provider.test"], server="127.0.0.1", port=server["port"],
                     tsig=dict(server["tsig"]), addresses=["127.0.0.1"]), **kwargs)


def a_records(dns_acme, name):
    reply = dns.query.tcp(dns.message.make_query(name, "A"), "127.0.0.1", port=dns_acme["dns"]["port"], timeout=5)
    return sorted(r.to_text() for rrset in reply.answer for r in rrset)


def test_dns_check_fail_lists_every_problem(dns_acme, capsys):
    result = run(dns_check, check_args(dns_acme, ["ok.provider.test", "wrong.provider.test",
                                                  "missing.provider.test"]), capsys)
    assert result["failed"] is True
    assert "2 of 3" in result["msg"]
    assert "wrong.provider.test" in result["msg"] and "missing.provider.test" in result["msg"]
    assert result["ok"] == ["ok.provider.test"]
    assert result["mismatch"] == ["wrong.provider.test"]
    assert result["nxdomain"] == ["missing.provider.test"]


def test_dns_check_warn_and_skip(dns_acme, capsys):
    warned = run(dns_check, check_args(dns_acme, ["ok.provider.test", "wrong.provider.test"],
                                       on_mismatch="warn"), capsys)
    assert not warned.get("failed")
    assert "wrong.provider.test resolves to 198.51.100.7" in json.dumps(warned["warnings"])
    skipped = run(dns_check, check_args(dns_acme, ["wrong.provider.test", "x.provider.test"], on_mismatch="skip",
                                        exclude_zones=["x.provider.test"]), capsys)
    assert not skipped.get("failed") and not skipped.get("warnings")
    assert skipped["mismatch"] == ["wrong.provider.test"]
    assert skipped["excluded"] == ["x.provider.test"]
    assert skipped["problems"] and skipped["changed"] is False


def test_dns_records_check_mode_diff_apply_and_offboard(dns_acme, capsys):
    records = [{"fqdn": "mod-a.provider.test"}, {"fqdn": "mod-b.provider.test", "addresses": ["192.0.2.5"]}]
    dry = run(dns_records, records_args(dns_acme, records), capsys, check_mode=True, diff=True)
    assert dry["changed"] is True and dry["created"] == ["mod-a.provider.test", "mod-b.provider.test"]
    assert "mod-b.provider.test 300 IN A 192.0.2.5" in dry["diff"]["after"]
    assert a_records(dns_acme, "mod-a.provider.test") == []

    done = run(dns_records, records_args(dns_acme, records), capsys, diff=True)
    assert done["created"] == dry["created"]
    assert dns_acme["dns"]["tsig"]["secret"] not in json.dumps(done)
    assert a_records(dns_acme, "mod-b.provider.test") == ["192.0.2.5"]

    again = run(dns_records, records_args(dns_acme, records), capsys)
    assert again["changed"] is False and "diff" not in again

    offboarded = [records[0], dict(records[1], state="absent")]
    gone = run(dns_records, records_args(dns_acme, offboarded), capsys)
    assert gone["removed"] == ["mod-b.provider.test"] and gone["unchanged"] == ["mod-a.provider.test"]
    assert a_records(dns_acme, "mod-b.provider.test") == []


def test_dns_records_wrong_key_fails_naming_zone_without_secret(dns_acme, capsys):
    args = records_args(dns_acme, [{"fqdn": "mod-bad.provider.test"}])
    args["tsig"]["secret"] = "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZw=="
    result = run(dns_records, args, capsys)
    assert result["failed"] is True
    assert "provider.test" in result["msg"] and "BADSIG" in result["msg"]
    assert args["tsig"]["secret"] not in json.dumps(result)
    assert result["failed_zones"] and result["failed"] is True


def test_dns_records_zone_not_found(dns_acme, capsys):
    result = run(dns_records, records_args(dns_acme, [{"fqdn": "www.notserved.test"}], zones=["notserved.test"]),
                 capsys)
    assert result["failed"] is True
    assert "zone notserved.test not found on server 127.0.0.1:" in result["msg"]
