# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run summary built from recorded module results (shapes of the modules' RETURN docs and real runs)."""
from __future__ import annotations

import datetime
import json
import os

from ansible_collections.panelops.reseller.plugins.plugin_utils import _run_summary
from tests.support.files import read_text

NOW = datetime.datetime(2026, 11, 24, 12, 0, 0, tzinfo=datetime.timezone.utc)
SECRETS = ("s3cret-pass", "pbkdf2_sha256$1000000$salt$hash=", "c2VjcmV0LXRzaWc=", "-----BEGIN PRIVATE KEY-----")

RESELLERS_ARGS = [
    {"name": "acme", "state": "present", "plan": "reseller-wholesale", "enduser_panel_url": "https://cloud.acme.test/",
     "users": [{"username": "acme-admin", "email": "a@acme.test", "password": SECRETS[0]}]},
    {"name": "globex", "state": "suspended", "plan": "reseller-wholesale",
     "enduser_panel_url": "https://panel.globex.test/",
     "users": [{"username": "globex-admin", "email": "a@globex.test", "password_hash": SECRETS[1]}]},
    {"name": "initech", "state": "absent", "offboard_to": "acme", "enduser_panel_url": "https://cloud.initech.test/"},
]

PANEL_RESELLERS = {
    "changed": True,
    "invocation": {"module_args": {"db": {"engine": "sqlite", "path": "/x", "password": SECRETS[0]},
                                   "resellers": RESELLERS_ARGS}},
    "resellers": {"acme": "unchanged", "globex": "updated", "initech": "archived"},
    "users": {"acme-admin": "created", "globex-admin": "unchanged"},
    "plans": {"acme/acme-retail": "updated"},
    "configurations": {"acme/default": "unchanged"},
    "offboarded": {"initech": {"clients_moved": 3, "moved_to": "acme"}},
}

TLS = {
    "changed": True,
    "invocation": {"module_args": {"provider_url": "https://panel.provider.test/", "resellers": RESELLERS_ARGS,
                                   "tls": {"mode": "acme", "acme_directory": "https://acme.test/dir"}}},
    "certificates": {
        "cloud.acme.test": {"mode": "acme", "issuer": "C=US,O=Let's Encrypt,CN=R11",
                            "not_after": "2027-02-22T21:00:00Z", "private_key": SECRETS[3]},
        "panel.globex.test": {"mode": "acme", "issuer": "CN=R11", "not_after": "2027-01-01T00:00:00Z"},
        "panel.provider.test": {"mode": "internal_ca", "issuer": "CN=panelops.reseller internal CA",
                                "not_after": "2027-03-01T00:00:00Z"},
    },
    "created": [], "renewed": ["cloud.acme.test"], "unchanged": ["panel.globex.test", "panel.provider.test"],
    "removed": ["cloud.initech.test"], "failed_fqdns": [],
}

DNS_CHECK = {"changed": False, "domains": {"panel.globex.test": {"status": "mismatch", "addresses": ["198.51.100.7"]}},
             "ok": [], "mismatch": ["panel.globex.test"], "excluded": ["cloud.acme.test"]}
DNS_RECORDS = {"changed": True, "created": [], "updated": [], "unchanged": ["cloud.acme.test"],
               "removed": ["cloud.initech.test"], "outside": [], "failed_fqdns": [],
               "invocation": {"module_args": {"tsig": {"name": "k", "secret": SECRETS[2]}}}}


def nginx(sites, certificates):
    return {"changed": True, "sites": sites, "certificates": certificates}


def build(check_mode=False):
    summary = _run_summary.RunSummary()
    assert not summary.has_data()
    summary.add("ansible.builtin.set_fact", "fe1", {"ansible_facts": {"x": SECRETS[0]}})
    assert not summary.has_data()
    summary.add("panelops.reseller.panel_resellers", "app", PANEL_RESELLERS, check_mode=check_mode)
    summary.add("panelops.reseller.dns_check", "app", DNS_CHECK, check_mode=check_mode)
    summary.add("panelops.reseller.dns_records", "app", DNS_RECORDS, check_mode=check_mode)
    summary.add("panelops.reseller.tls_certificates", "app", TLS, check_mode=check_mode)
    for host in ("fe1", "fe2"):
        summary.add("panelops.reseller.nginx_sites", host,
                    nginx({"panel.provider.test": "unchanged"}, {"panel.provider.test": "unchanged"}),
                    check_mode=check_mode)
        summary.add("panelops.reseller.nginx_sites", host,
                    nginx({"cloud.acme.test": "unchanged", "panel.globex.test": "unchanged",
                           "cloud.initech.test": "removed"},
                          {"cloud.acme.test": "updated", "panel.globex.test": "unchanged"}),
                    check_mode=check_mode)
    return summary


def rows_by_name(report):
    return dict((row["reseller"], row) for row in report["resellers"])


def test_one_row_per_reseller_with_state_url_plan_certificate_dns_and_changes():
    report = build().report(now=NOW)
    rows = rows_by_name(report)
    assert sorted(rows) == ["acme", "globex", "initech"]

    acme = rows["acme"]
    assert (acme["state"], acme["url"], acme["plan"]) == ("present", "https://cloud.acme.test/", "reseller-wholesale")
    assert (acme["issuer"], acme["expires"]) == ("R11", "2027-02-22T21:00:00Z")
    assert acme["dns"] == "managed"
    assert acme["changes"] == ["user acme-admin created", "plan acme-retail updated", "certificate renewed",
                               "certificate installed on fe1, fe2"]

    globex = rows["globex"]
    assert globex["state"] == "suspended"
    assert globex["dns"] == "mismatch"
    assert globex["changes"] == ["reseller updated"]

    initech = rows["initech"]
    assert initech["state"] == "absent"
    assert initech["changes"] == ["reseller archived", "3 client(s) moved to acme", "certificate removed",
                                  "DNS record removed", "vhost removed on fe1, fe2"]

    provider = report["provider"]
    assert provider["fqdn"] == "panel.provider.test"
    assert provider["issuer"] == "panelops.reseller internal CA"
    assert provider["changes"] == []
    assert report["totals"] == {"resellers": 3, "changed": 3, "unchanged": 0,
                                "by_state": {"absent": 1, "present": 1, "suspended": 1}}
    assert report["generated"] == "2026-11-24T12:00:00Z"
    assert report["check_mode"] is False


def test_unchanged_run_and_check_mode_wording():
    summary = _run_summary.RunSummary()
    summary.add("panelops.reseller.panel_resellers", "app", {
        "invocation": {"module_args": {"resellers": RESELLERS_ARGS[:1]}}, "resellers": {"acme": "unchanged"},
        "users": {"acme-admin": "unchanged"}})
    report = summary.report(now=NOW)
    assert report["resellers"][0]["summary"] == "unchanged"
    assert report["resellers"][0]["dns"] == "not checked"
    assert report["provider"] is None

    checked = build(check_mode=True).report(now=NOW)
    assert checked["check_mode"] is True
    assert rows_by_name(checked)["globex"]["summary"] == "would: reseller updated"
    assert "check mode (nothing was changed)" in _run_summary.to_text(checked)


def test_failures_are_listed():
    summary = build()
    failed_result = dict(TLS, failed=True, failed_fqdns=["panel.globex.test"], msg="could not issue a certificate for: x")
    summary.add("panelops.reseller.tls_certificates", "app", failed_result, failed=True)
    report = summary.report(now=NOW)
    assert "certificate failed" in rows_by_name(report)["globex"]["changes"]
    assert report["failures"] == ["tls_certificates on app: could not issue a certificate for: x"]
    text = _run_summary.to_text(report)
    assert "FAILED: tls_certificates on app" in text
    assert "1 task(s) FAILED" in text.splitlines()[0]
    assert "## Failures" in _run_summary.to_markdown(report)


def test_skipped_tasks_are_ignored():
    summary = _run_summary.RunSummary()
    summary.add("panelops.reseller.dns_records", "app", {"skipped": True, "changed": False})
    assert not summary.has_data()


def test_text_markdown_and_json_never_carry_secrets(tmp_path):
    report = build().report(now=NOW)
    paths = _run_summary.write_report(report, str(tmp_path / "reports"))
    assert [os.path.basename(p) for p in paths] == ["run-summary.md", "run-summary.json"]
    outputs = [_run_summary.to_text(report)] + [read_text(p) for p in paths]
    for text in outputs:
        for secret in SECRETS:
            assert secret not in text
    assert json.loads(outputs[2]) == json.loads(json.dumps(report))
    # No temporary file is left behind by the atomic writes.
    assert sorted(os.listdir(str(tmp_path / "reports"))) == ["run-summary.json", "run-summary.md"]


def test_markdown_table_shape():
    markdown = _run_summary.to_markdown(build().report(now=NOW))
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    assert lines[0] == ("| reseller | state | end-user URL | plan | certificate issuer | expires | DNS | changes |")
    assert lines[1] == "|---|---|---|---|---|---|---|---|"
    # header, separator, three resellers and the provider
    assert len(lines) == 6
    assert all(line.count(" | ") == 7 for line in lines[2:])
    assert "| initech | absent | https://cloud.initech.test/ | - |" in markdown


def test_deferred_certificate_and_unpublished_vhost_are_listed_with_the_reason():
    summary = _run_summary.RunSummary()
    tls = dict(TLS, renewed=[], unchanged=["panel.provider.test", "panel.globex.test"], removed=[],
               deferred_fqdns=["cloud.acme.test"])
    tls["certificates"] = dict(TLS["certificates"])
    tls["certificates"]["cloud.acme.test"] = {"mode": "acme", "deferred": "order budget of this run used "
                                                                          "(orders_per_run 5)"}
    summary.add("panelops.reseller.tls_certificates", "app", tls)
    summary.add("panelops.reseller.nginx_sites", "fe1",
                dict(nginx({"panel.globex.test": "unchanged"}, {}),
                     unpublished={"cloud.acme.test": "no certificate yet (deferred: ...)"}))
    acme = rows_by_name(summary.report(now=NOW))["acme"]
    assert acme["changes"] == ["certificate deferred (order budget of this run used (orders_per_run 5))",
                               "vhost not published (no certificate yet) on fe1"]
    assert acme["expires"] is None


def test_resellers_served_by_a_wildcard_show_what_happened_to_it():
    summary = _run_summary.RunSummary()
    wildcard = {"mode": "acme", "issuer": "CN=R11", "not_after": "2027-02-22T21:00:00Z", "san": ["*.acme.test"]}
    tls = dict(TLS, created=["_wildcard.acme.test"], renewed=[], removed=["cloud.acme.test"],
               unchanged=["panel.globex.test", "panel.provider.test"])
    tls["certificates"] = dict(TLS["certificates"], **{
        "_wildcard.acme.test": wildcard,
        "cloud.acme.test": dict(wildcard, where="reseller 'acme'", wildcard="*.acme.test")})
    summary.add("panelops.reseller.tls_certificates", "app", tls)
    rows = rows_by_name(summary.report(now=NOW))
    assert rows["acme"]["changes"] == ["certificate created (the wildcard *.acme.test); own certificate retired"]
    assert rows["acme"]["expires"] == "2027-02-22T21:00:00Z"
    assert rows["globex"]["changes"] == []


def test_a_set_rolled_back_after_a_failed_health_check_is_shown_as_such():
    summary = _run_summary.RunSummary()
    summary.add("panelops.reseller.panel_resellers", "app", PANEL_RESELLERS)
    for host in ("fe1", "fe2"):
        summary.add("panelops.reseller.nginx_sites", host, dict(
            nginx({"cloud.acme.test": "created"}, {"cloud.acme.test": "created"}),
            invocation={"module_args": {"set_name": "resellers", "resellers": RESELLERS_ARGS}}))
        summary.add("panelops.reseller.nginx_sites", host, dict(
            nginx({"panel.provider.test": "updated"}, {"panel.provider.test": "updated"}),
            invocation={"module_args": {"set_name": "provider", "provider_url": "https://panel.provider.test/"}}))
    # fe2 fails its check: only its reseller set changed in this run, and only that set is put back.
    summary.add("panelops.reseller.frontend_health", "fe2", {
        "failed": True, "msg": "health check of 127.0.0.2:443 failed: cloud.acme.test (HTTP 502)"}, failed=True)
    summary.add("panelops.reseller.nginx_sites_restore", "fe2", {"changed": True, "restored": ["resellers"]})
    report = summary.report(now=NOW)
    assert rows_by_name(report)["acme"]["changes"][-2:] == [
        "vhost created on fe1", "vhost created on fe2, then rolled back (health check failed)"]
    assert report["provider"]["changes"] == ["vhost updated on fe1, fe2"]
    assert report["failures"] == ["frontend_health on fe2: health check of 127.0.0.2:443 failed: cloud.acme.test "
                                  "(HTTP 502)"]
    assert "1 task(s) FAILED" in _run_summary.to_text(report).splitlines()[0]


def test_a_restore_that_put_nothing_back_changes_no_row():
    summary = build()
    before = summary.report(now=NOW)
    summary.add("panelops.reseller.nginx_sites_restore", "fe1", {"changed": False, "restored": []})
    summary.add("panelops.reseller.frontend_health", "fe1", {"changed": False, "hosts": {}})
    assert summary.report(now=NOW) == before
