# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""site.yml on the production fleet (tests/fleet/fleet.py): separate hosts over SSH, two app servers, two
frontends, ACME by HTTP-01 and DNS-01, RFC 2136 on ns1. The tests run in file order on one fleet."""
from __future__ import annotations

import http.client
import http.cookies
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import urllib.parse

import pytest

from tests.fleet.fleet import GATED, HOSTS, PROVIDER_FQDN, RESELLER_FQDNS, Fleet, exclusive, missing
from tests.support.files import read_json, read_text

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


@pytest.fixture(scope="module")
def fleet():
    reason = missing()
    if reason:
        pytest.skip(reason)
    with exclusive():
        yield from _fleet_under_lock()


def _fleet_under_lock():
    scratch = tempfile.mkdtemp(prefix="pf-", dir=os.environ.get("FLEET_TMP"))
    built = Fleet(scratch)
    # Taken after exclusive() took down what a killed run left, so that its leftovers are not counted as ours.
    before = _outside_state()
    # A SIGTERM (a CI timeout) ends the run through pytest's own teardown; a run killed outright is taken down
    # by the watcher, a process of its own session that waits for this one to end.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    watcher = subprocess.Popen([sys.executable, os.path.join(REPO, "tests", "fleet", "fleet.py"), "watch",
                                str(os.getpid()), scratch], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        built.up()
        yield built
    finally:
        built.down()
        watcher.terminate()
        watcher.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)
    for _attempt in range(50):  # nginx workers and PostgreSQL's children leave a moment after their parent
        after = _outside_state()
        if after == before:
            break
        subprocess.run(["sleep", "0.2"], check=True)
    assert after == before, "left behind outside the scratch directory: %s" % (
        {key: (before[key], after[key]) for key in before if before[key] != after[key]})


def _interrupt(signum, _frame):
    raise KeyboardInterrupt("signal %d" % signum)


def _outside_state():
    """What a fleet could leave outside its scratch directory: users, sudoers drop-ins, /run/sshd, lo addresses,
    processes started from a fleet's scratch directory."""
    with open("/etc/passwd") as handle:
        users = sorted(line.split(":")[0] for line in handle if line.startswith("pfleet-"))
    procs = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as handle:
                if b"/pf-" in handle.read() and int(pid) != os.getpid():
                    procs.append(pid)
        except OSError:
            continue
    lo = subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", "lo"], capture_output=True, text=True,
                        check=True).stdout
    return {"users": users, "sudoers": sorted(os.listdir("/etc/sudoers.d")), "run_sshd": os.path.isdir("/run/sshd"),
            "lo": sorted(re.findall(r"inet (\S+)", lo)), "processes": procs}


def env(fleet):
    home = os.path.join(fleet.controller, "ansible-home")
    return dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_HOME=home,
                ANSIBLE_LOCAL_TEMP=os.path.join(home, "tmp"), ANSIBLE_SSH_CONTROL_PATH_DIR=os.path.join(
                    fleet.controller, "cp"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                PATH=BIN + os.pathsep + os.environ.get("PATH", ""))


def playbook(fleet, *args, playbook_name="site.yml", check=True):
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", fleet.inventory_dir,
           os.path.join(REPO, "playbooks", playbook_name),
           "--vault-id", "prod@" + fleet.vault_password_file] + list(args)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env(fleet), timeout=900, check=False)
    output = proc.stdout + proc.stderr
    with open(os.path.join(fleet.controller, "runs.log"), "a") as handle:
        handle.write("$ %s\n%s\n" % (" ".join(cmd), output))
    if check:
        assert proc.returncode == 0, output[-6000:]
    return proc.returncode, output


def recap(output):
    result = {}
    for line in output.split("PLAY RECAP", 1)[-1].splitlines():
        match = re.match(r"^(\S+)\s+:\s+(.*)$", line.strip())
        if match:
            result[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return result


def https(fleet, frontend, fqdn, path="/", method="GET", body=None, headers=None):
    """One request through `frontend`'s own address for virtual host `fqdn`, trusting pebble's root only."""
    context = ssl.create_default_context(cafile=fleet.acme_root)
    port = fleet.ports["https"]
    conn = http.client.HTTPSConnection(HOSTS[frontend], port, context=context, timeout=30)
    conn.sock = context.wrap_socket(socket.create_connection((HOSTS[frontend], port), timeout=30), server_hostname=fqdn)
    hdrs = {"Host": "%s:%d" % (fqdn, port)}
    hdrs.update(headers or {})
    conn.request(method, path, body=body, headers=hdrs)
    resp = conn.getresponse()
    data = resp.read()
    cert = conn.sock.getpeercert()
    conn.close()
    return resp, data.decode("utf-8", "replace"), cert


class Browser(object):
    """Cookie- and CSRF-aware client of one virtual host through one frontend."""

    def __init__(self, fleet, frontend, fqdn):
        self.fleet, self.frontend, self.fqdn, self.cookies = fleet, frontend, fqdn, {}

    def request(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % item for item in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(dict(form, csrfmiddlewaretoken=self.cookies.get("csrftoken", "")))
            origin = "https://%s:%d" % (self.fqdn, self.fleet.ports["https"])
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                            "Referer": origin + path})
        resp, text, _cert = https(self.fleet, self.frontend, self.fqdn, path, method, body, headers)
        for value in resp.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return resp.status, text, resp.headers


def query(fleet, sql, params=()):
    import psycopg

    with psycopg.connect(host=HOSTS["db1"], port=fleet.ports["postgresql"], dbname="panel", user="panel",
                         password=fleet.secrets["vault_panel_db_password"]) as conn:
        return conn.execute(sql, params).fetchall()


SERVED = [PROVIDER_FQDN, RESELLER_FQDNS["acme"], RESELLER_FQDNS["globex"]]


@pytest.fixture(scope="module")
def converged(fleet):
    first = playbook(fleet)[1]
    return fleet, first


def test_every_host_is_reached_over_ssh_as_the_unprivileged_user_with_become(converged):
    fleet, _first = converged
    proc = subprocess.run([os.path.join(BIN, "ansible"), "-i", fleet.inventory_dir, "all", "-m",
                           "ansible.builtin.command", "-a", "id -un", "--vault-id", "prod@" + fleet.vault_password_file],
                          capture_output=True, text=True, env=env(fleet), check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(re.findall(r"^(\w+) \| CHANGED", proc.stdout, re.M)) == sorted(HOSTS), proc.stdout
    # Without become it is the unprivileged login user (raw: that user need not run the root's Python).
    plain = subprocess.run([os.path.join(BIN, "ansible"), "-i", fleet.inventory_dir, "all", "-m",
                            "ansible.builtin.raw", "-a", "id -un", "-e", "ansible_become=false", "--vault-id",
                            "prod@" + fleet.vault_password_file], capture_output=True, text=True, env=env(fleet),
                           check=False)
    assert proc.stdout.count(">>\nroot") == len(HOSTS), proc.stdout
    assert plain.stdout.count(">>\n%s" % fleet.user) == len(HOSTS), plain.stdout


def test_site_converges_and_a_second_run_changes_nothing(converged):
    fleet, first = converged
    assert set(recap(first)) == {"app1", "app2", "fe1", "fe2"}
    # The resellers' users got their set-password links through the provider's SMTP server, once.
    mailed = sorted(os.listdir(fleet.mail_dir()))
    assert mailed, "no set-password link was mailed"
    second = playbook(fleet)[1]
    assert all(counts["changed"] == 0 for counts in recap(second).values()), second[-4000:]
    assert sorted(os.listdir(fleet.mail_dir())) == mailed
    assert "[WARNING]" not in first + second


def test_a_dry_run_with_diff_on_the_converged_fleet_changes_nothing(converged):
    fleet, _first = converged
    output = playbook(fleet, "--check", "--diff")[1]
    assert all(counts["changed"] == 0 for counts in recap(output).values()), output[-4000:]


def test_both_frontends_answered_http01_and_acme_was_issued_by_dns01(converged):
    fleet, first = converged
    challenged = {}
    for frontend in ("fe1", "fe2"):
        with open(fleet.nginx_paths(frontend)["access_log"]) as handle:
            challenged[frontend] = set(re.findall(r'^\S+ (\S+) "GET /\.well-known/acme-challenge/\S+ HTTP/1\.1" 200',
                                                  handle.read(), re.M))
    # Names resolve round robin to both frontends: the CA's validations reached each of them.
    assert challenged["fe1"] and challenged["fe2"], challenged
    assert challenged["fe1"] | challenged["fe2"] >= {PROVIDER_FQDN, RESELLER_FQDNS["globex"]}
    assert re.search(r"Write the HTTP-01 challenge files into this frontend's webroot\] \*+\nchanged: \[fe[12]\]\n"
                     r"changed: \[fe[12]\]", first), "the challenge files were not written by a task on each frontend"
    # The acme reseller's name is in the provider zone: its certificate by DNS-01 in a run of its own.
    pki = os.path.join(fleet.controller, "pki", "certs", RESELLER_FQDNS["acme"])
    before = read_text(os.path.join(pki, "cert.pem"))
    reseller = os.path.join(fleet.inventory_dir, "resellers", "acme.yml")
    with open(reseller) as handle:
        text = handle.read()
    assert "\nplan: reseller-wholesale\n" in text
    with open(reseller, "w") as handle:
        handle.write(text.replace("\nplan: reseller-wholesale\n", "\nplan: reseller-wholesale\ntls: {challenge: dns-01}\n"))
    os.rename(pki, pki + ".http01")
    try:
        output = playbook(fleet)[1]
    finally:
        with open(reseller, "w") as handle:
            handle.write(text)
    assert re.search(r"Issue, renew or check one certificate.*\*+\nchanged: \[fe1 -> localhost\]", output)
    after = read_text(os.path.join(pki, "cert.pem"))
    assert after != before
    named_log = read_text(os.path.join(fleet.path("ns1", "var", "lib", "bind"), "named.log"))
    assert "_acme-challenge.%s" % RESELLER_FQDNS["acme"] in named_log, "no TXT record was added by RFC 2136"
    shutil.rmtree(pki + ".http01")


def test_every_name_is_served_through_each_frontend_with_a_certificate_from_pebble(converged):
    fleet, _first = converged
    for frontend in ("fe1", "fe2"):
        for fqdn in SERVED:
            resp, _text, cert = https(fleet, frontend, fqdn, "/healthz")
            assert resp.status == 200, (frontend, fqdn, resp.status)
            assert ("commonName", fqdn) in [pair for rdn in cert["subject"] for pair in rdn] or \
                ("DNS", fqdn) in cert["subjectAltName"]
            assert "Pebble" in dict(pair for rdn in cert["issuer"] for pair in rdn)["commonName"]


def test_the_upstream_lists_both_app_servers_with_passive_health_checks(converged):
    fleet, _first = converged
    sites = fleet.nginx_paths("fe1")["sites"]
    provider = read_text(os.path.join(sites, PROVIDER_FQDN + ".conf"))
    for app in ("app1", "app2"):
        assert "server %s:%d max_fails=1 fail_timeout=10s;" % (HOSTS[app], fleet.ports["app"][app]) in provider
    assert "proxy_next_upstream error timeout http_502 http_503 http_504;" in provider


def test_sessions_and_sign_ups_work_across_both_app_servers_and_with_app1_stopped(converged):
    fleet, _first = converged
    # A session made on one app server is valid on the other (one secret key, sessions in the database).
    browser = Browser(fleet, "fe1", RESELLER_FQDNS["acme"])
    browser.request("GET", "/signup/")
    status, body, _headers = browser.request("POST", "/signup/", {
        "username": "both-servers", "email": "both@example.test", "password": "Quartz-Lantern-917!"})
    assert status == 302, body[:2000]
    for _attempt in range(6):
        status, body, _headers = browser.request("GET", "/")
        assert status == 200 and "both-servers" in body, body[:2000]
    log = read_text(fleet.nginx_paths("fe1")["access_log"])
    assert {HOSTS["app1"], HOSTS["app2"]} <= set(re.findall(r"(127\.0\.0\.1[12]):\d+$", log, re.M))
    pid_file = fleet.path("app1", "var", "lib", "panelops-panel", "gunicorn.pid")
    os.kill(int(read_text(pid_file).strip()), 15)
    subprocess.run(["sleep", "2"], check=True)
    for frontend, name in (("fe1", "acme"), ("fe2", "globex"), ("fe2", "acme"), ("fe1", "globex")):
        browser = Browser(fleet, frontend, RESELLER_FQDNS[name])
        browser.request("GET", "/signup/")
        username = "down-%s-%s" % (frontend, name)
        status, body, _headers = browser.request("POST", "/signup/", {
            "username": username, "email": username + "@example.test", "password": "Quartz-Lantern-917!"})
        assert status == 302, (frontend, name, body[:2000])
        rows = query(fleet, "SELECT r.name FROM panel_client c JOIN panel_user u ON u.client_id = c.id "
                            "JOIN panel_reseller r ON r.id = c.reseller_id WHERE u.username = %s", (username,))
        assert rows == [(name,)], (username, rows)


def test_the_dns_gate_reports_a_reseller_pointing_elsewhere_and_orders_nothing_for_it(converged):
    fleet, _first = converged
    fleet.add_gated_reseller()
    code, output = playbook(fleet, "-e", "fleet_on_mismatch=warn")
    assert code == 0, output[-5000:]
    assert GATED[1] in output and "skipped" in output
    summary = read_json(os.path.join(fleet.controller, "reports", "run-summary.json"))
    row = [r for r in summary["resellers"] if r["reseller"] == GATED[0]][0]
    assert "mismatch" in json.dumps(row) and "skipped" in json.dumps(row), row
    assert not os.path.exists(os.path.join(fleet.controller, "pki", "certs", GATED[1]))
    assert not os.path.exists(os.path.join(fleet.nginx_paths("fe1")["sites"], GATED[1] + ".conf"))
    pebble_log = read_text(os.path.join(fleet.scratch, "hosts", "pebble", "pebble.log"))
    assert GATED[1] not in pebble_log, "an order was placed for a domain whose DNS is not ready"
    # app1 was started again by this run (it was stopped by the previous test).
    assert "started gunicorn" in output


def test_a_failing_health_check_stops_the_rollout_and_restores_the_frontend(converged):
    fleet, _first = converged
    snapshot = {host: _tree(fleet.nginx_paths(host)["sites"]) for host in ("fe1", "fe2")}
    # nginx -t accepts an upstream where nothing listens; the health check through fe1 then gets 502.
    code, output = playbook(fleet, "-e", "fleet_on_mismatch=warn", "-e",
                            json.dumps({"panel_upstream_servers": ["127.0.0.11:1"]}), check=False)
    assert code != 0
    assert "fe1 failed its health check after the reload" in output and "were restored and nginx reloaded" in output
    counts = recap(output)
    assert counts["fe1"]["failed"] == 1 and counts["fe1"]["rescued"] == 1
    assert counts.get("fe2", {}).get("changed", 0) == 0, "the rollout went on to fe2"
    assert {host: _tree(fleet.nginx_paths(host)["sites"]) for host in ("fe1", "fe2")} == snapshot
    resp, _text, _cert = https(fleet, "fe1", PROVIDER_FQDN, "/healthz")
    assert resp.status == 200


def _tree(directory):
    return {name: read_text(os.path.join(directory, name)) for name in sorted(os.listdir(directory))
            if name.endswith(".conf")}


def test_site_runs_through_ansible_runner_and_its_event_stream_reports_the_run(converged):
    fleet, _first = converged
    private = os.path.join(fleet.scratch, "runner")
    os.makedirs(os.path.join(private, "env"))
    with open(os.path.join(private, "env", "envvars"), "w") as handle:
        json.dump({k: v for k, v in env(fleet).items() if k.startswith("ANSIBLE_")}, handle)
    with open(os.path.join(private, "env", "cmdline"), "w") as handle:
        handle.write("--vault-id prod@%s -e fleet_on_mismatch=warn" % fleet.vault_password_file)
    proc = subprocess.run([os.path.join(BIN, "ansible-runner"), "run", private, "--project-dir",
                           os.path.join(REPO, "playbooks"), "--inventory", fleet.inventory_dir, "-p", "site.yml",
                           "--ident", "fleet", "--json"], capture_output=True, text=True, env=env(fleet), timeout=900,
                          check=False)
    artifacts = os.path.join(private, "artifacts", "fleet")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert read_text(os.path.join(artifacts, "status")).strip() == "successful"
    events = [read_json(os.path.join(artifacts, "job_events", name))
              for name in sorted(os.listdir(os.path.join(artifacts, "job_events")))]
    stats = [e for e in events if e.get("event") == "playbook_on_stats"][0]["event_data"]
    assert set(stats["ok"]) == {"app1", "app2", "fe1", "fe2"} and not stats["failures"] and not stats["dark"]
    assert not any(stats["changed"].values()), stats["changed"]
    hosts_ok = {e["event_data"].get("host") for e in events if e.get("event") == "runner_on_ok"}
    assert {"app1", "app2", "fe1", "fe2"} <= hosts_ok
