# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tls_certificates module end to end: argument spec, store, check mode, diff without keys."""
from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.panelops.reseller.plugins.modules import tls_certificates

RESELLERS = [
    {"name": "acme", "state": "present", "enduser_panel_url": "https://cloud.acme.test:8443/"},
    {"name": "globex", "state": "present", "enduser_panel_url": "https://panel.globex.test:8443/"},
]


def run_module(args, capsys, check_mode=False, diff=False):
    if check_mode:
        args = dict(args, _ansible_check_mode=True)
    if diff:
        args = dict(args, _ansible_diff=True)
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            tls_certificates.main()
    return json.loads(capsys.readouterr().out)


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


def test_acme_mode_is_reported_as_not_available(tmp_path, capsys):
    result = run_module(dict(store=str(tmp_path), resellers=RESELLERS, tls={"mode": "acme"}), capsys)
    assert result["failed"] is True and "TLS mode 'acme' is not available yet" in result["msg"]
