# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reseller API on a demo-like deployment (site.yml: nginx frontends with TLS, gunicorn, SQLite), as the
reseller-automation work is accepted: a token made with `create_api_token acme-admin --scope write` lists acme's
plans, creates and updates a plan, and is refused with 404 on anything of globex, which stays as it was; the
same changes made by running playbooks/reseller-catalog.yml twice report changed, then unchanged; schemathesis
finds nothing against the schema the deployment serves."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings as examples
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool

from tests.reliability.site import REPO
from tests.reliability.test_reseller_modules import SAMPLE, VAULT_ID, recap

PROVIDER = "panel.demo.test"
API = "/reseller/api/v1/"
# As in the panel suite (panel/tests/test_api_schema.py): every check of a response against the schema, and
# invalid requests must be refused. Not positive_data_acceptance: a schema-valid request may still be refused
# by design (an unknown currency code: 400; a stale If-Match: 412). Not ignored_auth either: it sends its
# requests in a session of its own, which cannot reach the socket; the panel suite runs it in-process.
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance, schemathesis.checks.response_headers_conformance,
          schemathesis.checks.response_schema_conformance, schemathesis.checks.negative_data_rejection]


def manage(site, *args):
    env = dict(os.environ, PANEL_DB_ENGINE="sqlite", PANEL_DB_PATH=site.db_spec["path"], PANEL_STATE_DIR=site.state)
    proc = subprocess.run([sys.executable, os.path.join(REPO, "panel", "manage.py")] + list(args), env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout.strip()


def call(site, token, method, path, body=None, headers=None, fqdn=PROVIDER):
    """A request through frontend `one` over TLS, as a reseller's CI would make it; (status, JSON body)."""
    hdrs = {"Authorization": "Bearer " + token, "Accept": "application/json"}
    if body is not None:
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    resp, data = site.https_get("one", fqdn, API + path, headers=hdrs, method=method,
                                body=json.dumps(body) if body is not None else None)
    try:
        return resp.status, json.loads(data)
    except ValueError:
        return resp.status, data.decode("utf-8", "replace")


PLAN = {"currency": "EUR", "rules": [{"name": "vCPU", "resource": "instance", "attribute": "vcpus",
                                      "tiers": [{"from": 0, "price": "0.009"}]}]}


def test_a_create_api_token_token_manages_acmes_plans_and_nothing_of_globex(fault_site):
    site = fault_site
    token = manage(site, "create_api_token", "acme-admin", "--scope", "write")
    globex = manage(site, "create_api_token", "globex-admin", "--scope", "write")
    assert call(site, globex, "PUT", "plans/globex-special", PLAN)[0] == 201
    globex_before = site.query("SELECT p.name, p.currency, p.archived FROM panel_plan p JOIN panel_reseller r "
                               "ON r.id = p.owner_reseller_id WHERE r.name = 'globex' ORDER BY p.name")

    status, listed = call(site, token, "GET", "plans/")
    assert status == 200 and [p["name"] for p in listed["results"]] == ["acme-retail"]
    assert listed["results"][0]["managed"] is True
    status, made = call(site, token, "PUT", "plans/acme-api", PLAN)
    assert status == 201 and made["rules"][0]["tiers"] == [{"from": "0", "price": "0.009"}]
    updated = dict(PLAN, is_default=False, rules=[dict(PLAN["rules"][0], tiers=[{"from": 0, "price": "0.0095"}])])
    status, after = call(site, token, "PUT", "plans/acme-api", updated, {"If-Match": made["etag"]})
    assert status == 200 and after["rules"][0]["tiers"][0]["price"] == "0.0095"

    for method, path, body, headers, expected in (
            ("GET", "plans/globex-special", None, {}, 404), ("DELETE", "plans/globex-special", None, {}, 404),
            ("PUT", "plans/globex-special", PLAN, {"If-Match": "*"}, 412),
            ("POST", "quote", {"plan": "globex-special", "items": []}, {}, 404)):
        assert call(site, token, method, path, body, headers)[0] == expected, (method, path)
    assert site.query("SELECT p.name, p.currency, p.archived FROM panel_plan p JOIN panel_reseller r "
                      "ON r.id = p.owner_reseller_id WHERE r.name = 'globex' ORDER BY p.name") == globex_before
    # The API is not there on a reseller's domain, through its frontend.
    assert call(site, token, "GET", "plans/", fqdn="cloud.acme.test")[0] == 404


def test_the_catalogue_playbook_reports_changed_then_unchanged(fault_site):
    site = fault_site
    token = manage(site, "create_api_token", "acme-admin", "--scope", "write", "--expires-days", "1")
    extra = json.dumps({"reseller_api_url": "http://%s%s" % (PROVIDER, API), "vault_reseller_api_token": token,
                        "reseller_api_unix_socket": socket_of(site)})
    changed = []
    for _run in (1, 2):
        proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", SAMPLE,
                               "--vault-id", VAULT_ID, os.path.join(REPO, "playbooks", "reseller-catalog.yml"),
                               "-e", extra], cwd=REPO, env=site.env(), capture_output=True, text=True, timeout=300,
                              check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        changed.append(recap(proc.stdout)["changed"])
    assert changed == [2, 0]
    names = {row["name"] for row in site.query(
        "SELECT p.name FROM panel_plan p JOIN panel_reseller r ON r.id = p.owner_reseller_id WHERE r.name = 'acme'")}
    assert {"acme-compute", "acme-storage"} <= names


def socket_of(site):
    """The deployment's gunicorn socket (as in the demo: unix:<state>/gunicorn.sock)."""
    return os.path.join(site.state, "gunicorn.sock")


class UnixSocketConnection(HTTPConnection):
    def __init__(self, path, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = path

    def _new_conn(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(30)
        sock.connect(self.path)
        return sock


class UnixSocketPool(HTTPConnectionPool):
    def __init__(self, path, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = path

    def _new_conn(self):
        return UnixSocketConnection(self.path, host=self.host, port=self.port, timeout=30)


class UnixSocketAdapter(HTTPAdapter):
    """requests to http://<provider host>/... sent to gunicorn's Unix socket (the host is the Host header)."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        return UnixSocketPool(self.path, PROVIDER, 80)


def test_schemathesis_finds_nothing_against_the_served_schema(fault_site):
    token = manage(fault_site, "create_api_token", "acme-admin", "--scope", "write")
    session = requests.Session()
    session.mount("http://", UnixSocketAdapter(socket_of(fault_site)))
    served = session.get("http://%s%sopenapi.json" % (PROVIDER, API), timeout=30)
    assert served.status_code == 200
    schema = schemathesis.openapi.from_dict(served.json())
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @examples(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(base_url="http://%s" % PROVIDER, session=session, checks=CHECKS,
                                   headers={"Authorization": "Bearer " + token})
        check()
        checked.append(operation.label)
    assert len(checked) == 14
