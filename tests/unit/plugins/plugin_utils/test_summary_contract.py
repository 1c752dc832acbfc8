# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract between the batch tasks and the run summary: the summary block the action plugins attach is
what the run summary reads, field for field, and no credential crosses it."""
from __future__ import annotations

import json

from ansible_collections.panelops.reseller.plugins.plugin_utils import _run_summary, _summary_contract

SECRETS = ("s3cret-pass", "pbkdf2_sha256$1000000$salt$hash=", "-----BEGIN PRIVATE KEY-----")
ARGS = {
    "db": {"engine": "postgresql", "password": SECRETS[0]},
    "provider_url": "https://panel.provider.test/",
    "resellers": [
        {"name": "acme", "state": "present", "company": "ACME", "email": "ops@acme.test", "plan": "wholesale",
         "enduser_panel_url": "https://cloud.acme.test/", "tls": {"key_file": "/k", "mode": "provided"},
         "users": [{"username": "acme-admin", "email": "a@acme.test", "password": SECRETS[0]},
                   {"username": "acme-ops", "password_hash": SECRETS[1]}, {"email": "nameless@acme.test"}]},
        {"name": "initech", "state": "absent"},
        "not a mapping",
    ],
}


def test_the_block_keeps_the_contracts_fields_only():
    block = _summary_contract.summary_block(ARGS)
    assert block == {
        "provider_url": "https://panel.provider.test/",
        "resellers": [
            {"name": "acme", "state": "present", "plan": "wholesale", "enduser_panel_url": "https://cloud.acme.test/",
             "users": [{"username": "acme-admin"}, {"username": "acme-ops"}]},
            {"name": "initech", "state": "absent"},
        ],
    }
    assert all(set(r) <= set(_summary_contract.RESELLER_FIELDS) | {"users"} for r in block["resellers"])
    assert _summary_contract.summary_block({"resellers": []}) == {"resellers": []}


def test_attach_replaces_the_echo_and_declared_reads_it_back():
    result = _summary_contract.attach({"changed": True, "invocation": {"module_args": ARGS}}, ARGS)
    text = json.dumps(result)
    assert not any(secret in text for secret in SECRETS) and "ops@acme.test" not in text
    resellers, provider_url = _summary_contract.declared(result)
    assert provider_url == "https://panel.provider.test/"
    assert resellers == _summary_contract.summary_block(ARGS)["resellers"]


def test_declared_reads_even_a_full_echo_through_the_contract():
    resellers, provider_url = _summary_contract.declared({"invocation": {"module_args": ARGS}})
    assert "company" not in resellers[0] and "tls" not in resellers[0]
    assert resellers[0]["users"] == [{"username": "acme-admin"}, {"username": "acme-ops"}]
    for broken in ({}, {"invocation": None}, {"invocation": {"module_args": "x"}}, {"invocation": "x"}):
        assert _summary_contract.declared(broken) == ([], None)
        assert _summary_contract.declared_set_name(broken) is None


def test_the_set_name_travels_with_the_block():
    args = dict(ARGS, set_name="resellers", vhost={"upstream": "127.0.0.1:8000"})
    result = _summary_contract.attach({"changed": True}, args)
    assert _summary_contract.declared_set_name(result) == "resellers"
    assert "vhost" not in result["invocation"]["module_args"]
    assert _summary_contract.declared_set_name(_summary_contract.attach({}, ARGS)) is None


def test_the_run_summary_shows_what_the_block_declares():
    summary = _run_summary.RunSummary()
    result = _summary_contract.attach({"resellers": {"acme": "created", "initech": "archived"},
                                       "users": {"acme-admin": "created"}}, ARGS)
    summary.add("panelops.reseller.panel_resellers", "app", result)
    tls = _summary_contract.attach({"certificates": {}, "created": []}, ARGS)
    summary.add("panelops.reseller.tls_certificates", "app", tls)
    report = summary.report()
    rows = dict((row["reseller"], row) for row in report["resellers"])
    assert (rows["acme"]["state"], rows["acme"]["url"], rows["acme"]["plan"]) == (
        "present", "https://cloud.acme.test/", "wholesale")
    assert rows["acme"]["changes"] == ["reseller created", "user acme-admin created"]
    assert rows["initech"]["state"] == "absent"
    assert report["provider"]["url"] == "https://panel.provider.test/"
