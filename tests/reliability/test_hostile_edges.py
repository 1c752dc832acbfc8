# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile input at the edges, through the real frontends (nginx) and panel (gunicorn on its Unix socket) of a
scratch deployment: no 5xx and nothing stored from a corpus of hostile values, ordinary large bodies served,
parallel sign-ups differing in case make one user, look-alikes refused, Host/SNI mismatches misdirected,
unknown names refused, a Content-Security-Policy on every answer, and the validation play refusing a price
of 1e999999 naming the plan, the rule and the field."""
from __future__ import annotations

import copy
import http.client
import json
import os
import re
import socket
import ssl
import stat
import subprocess
import threading

import pytest

from tests.reliability.conftest import converge
from tests.reliability.site import ACME_PASSWORD, Site
from tests.reliability.test_tenancy import Browser

PROVIDER, ACME, GLOBEX = "panel.demo.test", "cloud.acme.test", "panel.globex.test"
STRICT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
TEN_KB = "x" * 10240
HOSTILE = ["1e999999", "-1e999999", "1e-999999", "NaN", "Infinity", "1e30", "", "\x00", TEN_KB, "9" * 10240,
           "[" * 100000, '[{"name": "r", "resource": "i", "priority": "abc", "tiers": [{"from": 0, "price": 1}]}]',
           '[{"name": "r", "resource": "i", "tiers": [{"from": 0, "price": 1e999999}]}]',
           '[{"name": "r", "resource": "i", "tiers": [{"from": 0, "price": 1}], '
           '"modifiers": [{"name": "m", "price": "1e999999"}]}]',
           '[{"resource": "instance", "attributes": {"vcpus": 1e30}, "hours": 1}]',
           '{"billing": {"credit_limit": 1e999999}}', '{"billing": NaN}', "[NaN]", "[Infinity]"]


@pytest.fixture(scope="module")
def site(scratch):
    """A deployment of its own, with three gunicorn workers so that sign-ups can really run in parallel."""
    deployment = Site(os.path.join(scratch, "hostile"), extra_vars={"panel_gunicorn_workers": 3})
    try:
        converge(deployment)
        yield deployment
    finally:
        deployment.stop()


def stored(site):
    """Every panel table, but the look-alike skeletons the panel fills in for users the provisioner wrote (a
    sign-up check may fill them; they are derived from the names, nothing a request brought)."""
    return re.sub(r'"username_skeleton":"[^"]*"', "", site.dump())


def users_named(site, key):
    return site.query("SELECT username, client_id FROM panel_user WHERE username_key = ?", (key,))


CONNECT = "import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])"


def test_the_panel_listens_on_a_private_unix_socket(site):
    path = os.path.join(site.state, "gunicorn.sock")
    info = os.stat(path)
    assert stat.S_ISSOCK(info.st_mode) and info.st_mode & 0o777 == 0o770 and info.st_uid == os.geteuid()
    # Another local user cannot reach the panel around the frontends (the socket's owner can).
    other = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3",
                            "-c", CONNECT, path], capture_output=True, text=True, check=False)
    assert other.returncode != 0 and "PermissionError" in other.stderr
    assert subprocess.run(["/usr/bin/python3", "-c", CONNECT, path], check=False).returncode == 0


def test_the_hostile_corpus_gets_no_5xx_and_stores_nothing(site):
    dashboard = Browser(site, PROVIDER)
    status, _body, _headers = dashboard.post("/reseller/login/", {"username": "acme-ops", "password": ACME_PASSWORD})
    assert status == 302
    before = stored(site)
    answers = []
    for value in HOSTILE:
        forms = [(Browser(site, ACME), "/signup/", {"username": value, "email": value, "password": value}),
                 (Browser(site, ACME), "/login/", {"username": value, "password": value}),
                 (dashboard, "/reseller/plans/new/", {"name": "hostile", "currency": "EUR", "rules": value}),
                 (dashboard, "/reseller/plans/new/", {"name": value, "currency": value, "rules": "[]"}),
                 (dashboard, "/reseller/configurations/new/", {"name": "hostile", "options": value}),
                 (dashboard, "/reseller/quote/", {"plan": value, "items": value})]
        for browser, path, form in forms:
            status, _body, headers = browser.post(path, form)
            answers.append((path, value[:30], status))
            assert headers["Content-Security-Policy"]
    for path in ("/signup/", "/reseller/plans/new/"):
        status, _body, headers = dashboard.post(path, {"username": "big", "rules": "x" * (1024 * 1024)})
        answers.append((path, "1 MB", status))
    assert [a for a in answers if a[2] >= 500] == []
    assert ("/reseller/plans/new/", "1 MB", 413) in answers
    assert stored(site) == before


def test_large_ordinary_bodies_get_a_normal_answer(site):
    # Past nginx's in-memory body buffer (8 KiB): the body goes through the frontend's temporary files.
    for size in (12 * 1024, 200 * 1024):
        status, body, _headers = Browser(site, ACME).post("/signup/", {
            "username": "big-%d" % size, "email": "big%d@example.test" % size, "password": "B1g-Body-Pa55!",
            "padding": "p" * size})
        assert status == 302, body[:2000]
        assert len(users_named(site, "big-%d" % size)) == 1


def test_parallel_sign_ups_differing_only_in_case_make_one_user(site):
    for round_number in range(4):
        names = ["Racer%d" % round_number, "racer%d" % round_number, "RACER%d" % round_number]
        browsers = [Browser(site, ACME) for _name in names]
        for browser in browsers:
            browser.get("/signup/")  # the CSRF cookie, before the race
        barrier, results = threading.Barrier(len(names)), {}

        def sign_up(browser, name):
            barrier.wait()
            results[name] = browser.post("/signup/", {"username": name, "email": "%s@example.test" % name.lower(),
                                                      "password": "Race-Pa55word!"})[:2]
        threads = [threading.Thread(target=sign_up, args=pair) for pair in zip(browsers, names)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(status for status, _body in results.values())
        assert statuses == [200, 200, 302], results
        assert all("This username is taken." in body for status, body in results.values() if status == 200)
        assert len(users_named(site, "racer%d" % round_number)) == 1


@pytest.mark.parametrize("name,answer", [("ｇlobex-admin", "This username is taken."),
                                         ("glоbex-admin", "looks like one that is taken"),
                                         ("GLOBEX-ADMIN", "This username is taken.")])
def test_look_alikes_of_the_resellers_users_are_refused_on_its_domain(site, name, answer):
    before = stored(site)
    status, body, _headers = Browser(site, GLOBEX).post("/signup/", {
        "username": name, "email": "imitator@example.test", "password": "Imitat0r-Pa55!"})
    assert status == 200 and answer in body.replace("&#x27;", "'")
    assert stored(site) == before


def test_another_resellers_users_are_not_revealed(site):
    # On acme's domain, globex's user name is simply free: acme's end users have their own name space.
    status, body, _headers = Browser(site, ACME).post("/signup/", {
        "username": "globex-admin", "email": "someone@example.test", "password": "S0meone-Pa55!"})
    assert status == 302, body[:2000]
    owners = {r["name"] for r in site.query(
        "SELECT COALESCE(r.name, 'provider') AS name FROM panel_user u LEFT JOIN panel_client c ON c.id = u.client_id "
        "LEFT JOIN panel_reseller r ON r.id = c.reseller_id OR r.client_id = c.id WHERE u.username_key = ?",
        ("globex-admin",))}
    assert owners == {"acme", "globex"}


def test_a_host_that_is_not_the_connections_name_is_misdirected(site):
    port = site.ports["one"]["https"]
    # Another tenant's or the provider's Host: nginx marks the request, the panel answers 421 (under its own
    # policy). A Host nobody serves: nginx's default server answers 421 (under the strict one).
    for host, path in ((GLOBEX, "/signup/"), (PROVIDER, "/staff/login/"), ("evil.test", "/")):
        resp, data = site.https_get("one", ACME, path, headers={"Host": "%s:%d" % (host, port)})
        assert resp.status == 421, (host, resp.status)
        if host == "evil.test":
            assert resp.headers["Content-Security-Policy"] == STRICT_CSP
        else:
            assert b"opened for another name" in data
            assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    # The same requests on their own connections are served.
    assert site.https_get("one", GLOBEX, "/signup/")[0].status == 200
    assert site.https_get("one", PROVIDER, "/staff/login/")[0].status == 200


def tls_error(site, sni):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    try:
        with context.wrap_socket(socket.create_connection(("127.0.0.1", site.ports["one"]["https"]), timeout=10),
                                 server_hostname=sni):
            return None
    except ssl.SSLError as error:
        return error


def test_unknown_names_are_refused_on_both_sockets(site):
    for sni in ("unknown.test", "cloud.acme.test.evil.test", None):
        assert "UNRECOGNIZED_NAME" in str(tls_error(site, sni)).upper(), sni
    assert tls_error(site, ACME) is None
    conn = http.client.HTTPConnection("127.0.0.1", site.ports["one"]["http"], timeout=10)
    conn.request("GET", "/x", headers={"Host": "evil.test"})
    with pytest.raises(http.client.RemoteDisconnected):
        conn.getresponse()
    # The redirect of a known name names that vhost, never the Host as sent.
    conn = http.client.HTTPConnection("127.0.0.1", site.ports["one"]["http"], timeout=10)
    conn.request("GET", "/x", headers={"Host": "CLOUD.ACME.TEST:1"})
    response = conn.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == "https://cloud.acme.test:%d/x" % site.ports["one"]["https"]


def test_every_answer_carries_a_content_security_policy(site):
    answers = []
    for fqdn, method, path in ((ACME, "GET", "/signup/"), (ACME, "GET", "/"), (ACME, "GET", "/staff/"),
                               (ACME, "GET", "/static/panel/panel.css"), (ACME, "GET", "/nope"),
                               (ACME, "POST", "/logout/"), (GLOBEX, "GET", "/login/"), (PROVIDER, "GET", "/reseller/"),
                               (PROVIDER, "GET", "/staff/login/"), (PROVIDER, "GET", "/healthz"),
                               (PROVIDER, "GET", "/set-password/unknown/")):
        resp, _data = site.https_get("one", fqdn, path, method=method)
        answers.append((fqdn, path, resp.status, resp.headers.get_all("Content-Security-Policy"),
                        resp.headers.get_all("Permissions-Policy")))
    resp, _data = site.https_get("one", ACME, "/signup/", method="POST", body=b"x" * (1024 * 1024))
    answers.append((ACME, "1 MB", resp.status, resp.headers.get_all("Content-Security-Policy"),
                    resp.headers.get_all("Permissions-Policy")))
    assert {a[2] for a in answers} >= {200, 302, 403, 404, 413}
    assert [a for a in answers if not (a[3] and len(a[3]) == 1 and a[4] and len(a[4]) == 1)] == []
    # The panel's own policy on its pages, which need no inline script or style.
    page = next(a for a in answers if a[1] == "/signup/")
    assert page[3] == ["default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                       "form-action 'self'; frame-ancestors 'none'"]
    assert next(a for a in answers if a[1] == "/staff/")[3] == [STRICT_CSP]


def test_the_validation_play_refuses_an_amplifying_price(site):
    saved = copy.deepcopy(site.vars)
    site.vars["panel_plans"][0]["rules"][0]["tiers"][0]["price"] = "1e999999"
    site.vars["panel_plans"][0]["rules"][0]["modifiers"][0]["price"] = "1e999999"
    site.write_inventory()
    try:
        proc = site.run(playbook="validate.yml")
    finally:
        site.vars = saved
        site.write_inventory()
    assert proc.returncode != 0
    for field in ("tiers[0].price", "modifiers[0].price"):
        assert ("plan 'reseller-wholesale' rule 'vCPU': %s: 1e999999 has more than 12 digits before the point"
                % field) in proc.output, proc.output[-3000:]
    assert json.dumps("1e999999")  # the refused value is named, never expanded
    assert "0" * 1000 not in proc.output
