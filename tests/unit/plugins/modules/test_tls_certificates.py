# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tls_certificates module end to end: argument spec, store, check mode, diff without keys."""
from __future__ import annotations

import json

from ansible_collections.panelops.reseller.plugins.modules import tls_certificates
from tests.support.seeding import run

RESELLERS = [
    {"name": "acme", "state": "present", "enduser_panel_url": "https://cloud.acme.test:8443/"},
    {"name": "globex", "state": "present", "enduser_panel_url": "https://panel.globex.test:8443/"},
]


def run_module(args, capsys, check_mode=False, diff=False):
    return run(tls_certificates, args, capsys, check_mode=check_mode, diff=diff)


def test_check_mode_then_apply_then_unchanged(tmp_path, capsys):
    args = dict(store=str(tmp_path / "pki"), resellers=RESELLERS, provider_url="https://panel.demo.test:8443/")
    dry = run_module(args, capsys, check_mode=True, diff=True)
    assert dry["changed"] is True and dry["created"] == ["cloud.acme.test", "panel.demo.test", "panel.globex.test"]
    assert not (tmp_path / "pki").exists()

    applied = run_module(args, capsys, diff=True)
    assert applied["changed"] is True and applied["ca_certificate"] == str(tmp_path / "pki" / "ca" / "ca.crt")
    assert "san: panel.globex.test" in applied["diff"]["after"]
    assert "PRIVATE KEY" not in json.dumps(applied)

    again = run_module(args, capsys, diff=True)
    assert again["changed"] is False and "diff" not in again
    assert again["unchanged"] == applied["created"]


def test_problems_fail_the_task_listing_all(tmp_path, capsys):
    result = run_module(dict(store=str(tmp_path), resellers=[
        {"name": "acme", "enduser_panel_url": "https://cloud.acme.test/", "tls": {"mode": "provided"}},
        {"name": "globex", "enduser_panel_url": "ftp://panel.globex.test/"},
    ]), capsys)
    assert result["failed"] is True
    assert "reseller 'acme' (cloud.acme.test): tls.cert_file: required in mode provided" in result["problems"]
    assert "reseller 'globex': enduser_panel_url: 'ftp://panel.globex.test/' must use https://" in result["problems"]
    assert list(tmp_path.iterdir()) == []


def test_acme_mode_problems_are_listed_before_anything_is_written(tmp_path, capsys):
    result = run_module(dict(store=str(tmp_path), resellers=[
        {"name": "acme", "enduser_panel_url": "https://cloud.acme.test/", "tls": {"challenge": "dns-01"}},
        {"name": "globex", "enduser_panel_url": "https://panel.globex.test/"},
    ], tls={"mode": "acme"}), capsys)
    assert result["failed"] is True
    assert "panel_tls.acme_directory: required in mode acme (the CA's directory URL)" in result["problems"]
    assert "reseller 'acme' (cloud.acme.test): tls.challenge: dns-01 needs panel_dns with zones and tsig " \
           "(RFC 2136 updates)" in result["problems"]
    assert "reseller 'globex' (panel.globex.test): tls.challenge: http-01 needs the frontends' ACME webroot " \
           "(acme_webroots is empty)" in result["problems"]
    assert list(tmp_path.iterdir()) == []


def test_acme_check_mode_reports_the_orders_and_places_none(tmp_path, capsys):
    secret = "c2VjcmV0LXRzaWcta2V5LW5ldmVyLXNob3du"
    args = dict(store=str(tmp_path / "pki"), resellers=[
        {"name": "acme", "enduser_panel_url": "https://cloud.acme.test/"},
        {"name": "globex", "enduser_panel_url": "https://panel.globex.provider.test/", "tls": {"challenge": "dns-01"}},
        {"name": "later", "enduser_panel_url": "https://later.provider.test/", "tls": {"challenge": "dns-01"}},
    ], tls={"mode": "acme", "acme_directory": "https://127.0.0.1:9/dir"}, acme_webroots=[str(tmp_path / "www")],
        dns_update={"zones": ["provider.test"], "server": "127.0.0.1", "port": 9,
                    "tsig": {"name": "panel-update", "secret": secret}},
        dns_ready=["cloud.acme.test", "panel.globex.provider.test"])
    result = run_module(args, capsys, check_mode=True, diff=True)
    assert result["changed"] is True and result["failed_fqdns"] == []
    assert result["ordered"] == ["cloud.acme.test", "panel.globex.provider.test"]
    assert result["created"] == ["cloud.acme.test", "panel.globex.provider.test"]
    assert result["skipped_fqdns"] == ["later.provider.test"]
    assert "would be ordered" in result["diff"]["after"]
    assert secret not in json.dumps(result)
    assert list(tmp_path.iterdir()) == []


def test_the_list_handed_over_as_a_file_is_the_argument(tmp_path, capsys):
    handed_over = tmp_path / "resellers.json"
    handed_over.write_text(json.dumps(RESELLERS))
    args = dict(store=str(tmp_path / "pki"), resellers_file=str(handed_over),
                provider_url="https://panel.demo.test:8443/")
    applied = run_module(args, capsys)
    assert applied["created"] == ["cloud.acme.test", "panel.demo.test", "panel.globex.test"]
    assert not handed_over.exists()
    handed_over.write_text(json.dumps({"name": "acme"}))
    refused = run_module(args, capsys)
    assert refused["failed"] is True and "a list of resellers expected" in refused["msg"] and not handed_over.exists()
