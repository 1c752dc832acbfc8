# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tenant isolation over real HTTPS through nginx and gunicorn: one reseller's dashboard session cannot read or
change another reseller's clients, plans, configurations or quotes; sign-ups land under the domain's reseller
whatever the form says; staff and dashboard paths do not exist on reseller hosts."""
from __future__ import annotations

import http.cookies
import json
import re
import urllib.parse

import pytest

from tests.reliability.site import ACME_PASSWORD, USER_PASSWORD

PROVIDER = "panel.demo.test"
ACME_HOST, GLOBEX_HOST = "cloud.acme.test", "panel.globex.test"


class Browser(object):
    """A cookie- and CSRF-aware client for one virtual host, through frontend `one`."""

    def __init__(self, site, fqdn):
        self.site, self.fqdn, self.cookies = site, fqdn, {}

    def request(self, method, path, form=None):
        if form is not None and "csrftoken" not in self.cookies:
            self.request("GET", path)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % item for item in self.cookies.items())
        body = None
        if form is not None:
            form = dict(form, csrfmiddlewaretoken=self.cookies.get("csrftoken", ""))
            body = urllib.parse.urlencode(form, doseq=True)
            origin = "https://%s:%d" % (self.fqdn, self.site.ports["one"]["https"])
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                            "Referer": origin + path})
        resp, data = self.site.https_get("one", self.fqdn, path, headers=headers, method=method, body=body)
        for value in resp.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(value)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return resp.status, data.decode("utf-8", "replace"), resp.headers

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)


def dashboard_login(site, username, password):
    browser = Browser(site, PROVIDER)
    status, body, headers = browser.post("/reseller/login/", {"username": username, "password": password})
    assert status == 302 and headers["Location"].rstrip("/").endswith("/reseller"), (status, re.sub(r"<[^>]+>", " ", body)[:3000])
    return browser


def reseller_id(site, name):
    return site.query("SELECT id FROM panel_reseller WHERE name = ?", (name,))[0]["id"]


@pytest.fixture(scope="module")
def tenants(converged):
    """acme's and globex's dashboard sessions, with an unmanaged plan and configuration made by globex."""
    site, _runs = converged
    acme = dashboard_login(site, "acme-ops", ACME_PASSWORD)
    globex = dashboard_login(site, "globex-ops", USER_PASSWORD)
    # One rule of one tier, as the dashboard's plan editor posts it.
    plan = {"name": "globex-secret-plan", "currency": "EUR", "save": "1", "rules-TOTAL_FORMS": "1",
            "rules-0-name": "vCPU", "rules-0-resource": "instance", "rules-0-attribute": "vcpus",
            "rules-0-time_unit": "h", "rules-0-priority": "0", "rules-0-tiers-TOTAL_FORMS": "1",
            "rules-0-tiers-0-start": "0", "rules-0-tiers-0-price": "0.009", "rules-0-conditions-TOTAL_FORMS": "0",
            "rules-0-modifiers-TOTAL_FORMS": "0"}
    for prefix in ("rules", "rules-0-tiers", "rules-0-conditions", "rules-0-modifiers"):
        plan[prefix + "-INITIAL_FORMS"] = "0"
    status, body, _headers = globex.post("/reseller/plans/new/", plan)
    assert status == 302, body[:2000]
    status, body, _headers = globex.post("/reseller/configurations/new/", {
        "name": "globex-secret-conf", "description": "globex only", "options": '{"billing": {"credit_limit": 7}}'})
    assert status == 302, body[:2000]
    # A client of globex, signed up on globex's own domain.
    status, body, _headers = Browser(site, GLOBEX_HOST).post("/signup/", {
        "username": "globex-customer", "email": "customer@example.test", "password": "Cust0mer-Pa55!"})
    assert status == 302, body[:2000]
    globex_id = reseller_id(site, "globex")
    plan = site.query("SELECT id FROM panel_plan WHERE name = 'globex-secret-plan' AND owner_reseller_id = ?",
                      (globex_id,))[0]["id"]
    conf = site.query("SELECT id FROM panel_configuration WHERE name = 'globex-secret-conf' "
                      "AND owner_reseller_id = ?", (globex_id,))[0]["id"]
    return dict(site=site, acme=acme, globex=globex, plan=plan, conf=conf)


def test_a_reseller_sees_only_its_own_records(tenants):
    acme, globex = tenants["acme"], tenants["globex"]
    for path, foreign in (("/reseller/clients/", "globex-customer"), ("/reseller/plans/", "globex-secret-plan"),
                          ("/reseller/configurations/", "globex-secret-conf")):
        status, body, _headers = acme.get(path)
        assert status == 200 and foreign not in body, path
        # The same page as globex does list it: the check above can fail.
        status, body, _headers = globex.get(path)
        assert status == 200 and foreign in body, path


def test_another_resellers_records_are_not_found_by_id(tenants):
    acme, plan, conf = tenants["acme"], tenants["plan"], tenants["conf"]
    assert acme.get("/reseller/plans/%d/" % plan)[0] == 404
    assert acme.get("/reseller/plans/%d/edit/" % plan)[0] == 404
    assert acme.get("/reseller/configurations/%d/edit/" % conf)[0] == 404
    # Changing or deleting by form post: not found, and the records are untouched.
    site = tenants["site"]
    before = site.dump()
    assert acme.post("/reseller/plans/%d/edit/" % plan, {"name": "stolen", "currency": "EUR", "rules": "[]"})[0] == 404
    assert acme.post("/reseller/plans/%d/delete/" % plan, {})[0] == 404
    assert acme.post("/reseller/configurations/%d/edit/" % conf, {"name": "stolen", "options": "{}"})[0] == 404
    assert acme.post("/reseller/configurations/%d/delete/" % conf, {})[0] == 404
    assert site.dump() == before
    # globex itself may open them.
    assert tenants["globex"].get("/reseller/plans/%d/" % plan)[0] == 200


def test_a_quote_on_another_resellers_plan_is_refused(tenants):
    acme, globex, plan = tenants["acme"], tenants["globex"], tenants["plan"]
    items = json.dumps([{"resource": "instance", "attributes": {"vcpus": 2}, "hours": 10}])
    status, body, _headers = acme.post("/reseller/quote/", {"plan": str(plan), "items": items})
    assert status == 200
    assert "Select a valid choice" in body
    assert "0.18" not in body  # 2 vCPU x 10 h x 0.009: globex's price never shown to acme
    status, body, _headers = globex.post("/reseller/quote/", {"plan": str(plan), "items": items})
    assert status == 200 and "0.18" in body


def test_a_forged_reseller_id_in_a_sign_up_is_ignored(tenants):
    site = tenants["site"]
    globex_id, acme_id = reseller_id(site, "globex"), reseller_id(site, "acme")
    status, body, _headers = Browser(site, ACME_HOST).post("/signup/", {
        "username": "forger", "email": "forger@example.test", "password": "F0rger-Pa55!",
        "reseller": str(globex_id), "reseller_id": str(globex_id), "owner_reseller": str(globex_id)})
    assert status == 302, body[:2000]
    row = site.query("SELECT c.reseller_id FROM panel_client c JOIN panel_user u ON u.client_id = c.id "
                     "WHERE u.username = 'forger'")
    assert row == [{"reseller_id": acme_id}]
    # A forged X-Forwarded-Host naming globex's domain: nginx sets that header itself, the sign-up stays acme's.
    browser = Browser(site, ACME_HOST)
    status, body, _headers = browser_post_with(browser, "/signup/", {
        "username": "forger2", "email": "forger2@example.test", "password": "F0rger-Pa55!"},
        {"X-Forwarded-Host": "%s:%d" % (GLOBEX_HOST, site.ports["one"]["https"])})
    assert status == 302, body[:2000]
    row = site.query("SELECT c.reseller_id FROM panel_client c JOIN panel_user u ON u.client_id = c.id "
                     "WHERE u.username = 'forger2'")
    assert row == [{"reseller_id": acme_id}]


def browser_post_with(browser, path, form, extra_headers):
    """A form post carrying extra request headers."""
    original = browser.site.https_get

    def with_headers(host, fqdn, path, headers=None, **kwargs):
        return original(host, fqdn, path, headers=dict(headers or {}, **extra_headers), **kwargs)
    browser.site.https_get = with_headers
    try:
        return browser.post(path, form)
    finally:
        browser.site.https_get = original


@pytest.mark.parametrize("fqdn", [ACME_HOST, GLOBEX_HOST])
@pytest.mark.parametrize("path", ["/staff/", "/staff/login/", "/reseller/", "/reseller/login/", "/reseller/plans/",
                                  "/set-password/x/"])
def test_provider_paths_do_not_exist_on_reseller_hosts(converged, fqdn, path):
    site, _runs = converged
    status, _body, _headers = Browser(site, fqdn).get(path)
    assert status == 404
    # The same path on the provider host exists (so the 404 above is the reseller host's doing).
    if re.match(r"^/(staff|reseller)/(login/)?$", path):
        assert Browser(site, PROVIDER).get(path)[0] in (200, 302)
