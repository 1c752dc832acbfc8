"""The panel under a real gunicorn on a free loopback port, brought up by the panel role's panelctl.py, and
driven with real HTTP requests carrying a reseller's Host (as nginx sends them)."""
import contextlib
import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reseller_panel.core.models import SCHEMA_VERSION

PANEL_DIR = Path(__file__).resolve().parents[1]
PANELCTL = PANEL_DIR.parent / "roles" / "panel" / "files" / "panelctl.py"
PASSWORD = "Served-Passphrase-731"

SEED = """
from reseller_panel.core.models import Client, Plan, Reseller, Setting
Setting.objects.update_or_create(key="provider.frontend_url", defaults={"value": "https://panel.served.test:8443/"})
Setting.objects.update_or_create(key="reseller.force_registration", defaults={"value": True})
wholesale = Plan.objects.create(name="wholesale", currency="EUR")
account = Client.objects.create(name="acme", email="ops@acme.test", currency="EUR")
acme = Reseller.objects.create(name="acme", client=account, plan=wholesale,
                               enduser_panel_url="https://cloud.acme.test:8443/", host="cloud.acme.test")
Plan.objects.create(owner_reseller=acme, name="acme-retail", currency="EUR", is_default=True)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def panelctl(command, config):
    proc = subprocess.run([sys.executable, str(PANELCTL), command], input=json.dumps(config), text=True,
                          capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture
def served(tmp_path):
    state = tmp_path / "state"
    db = tmp_path / "panel.sqlite3"
    config = {"state_dir": str(state), "panel_dir": str(PANEL_DIR), "bind": "127.0.0.1:%d" % free_port(),
              "workers": 1, "service_manager": "process",
              "env": {"PANEL_DB_ENGINE": "sqlite", "PANEL_DB_PATH": str(db)}}
    first = panelctl("ensure", config)
    try:
        env = dict(os.environ, PANEL_DB_ENGINE="sqlite", PANEL_DB_PATH=str(db), PANEL_STATE_DIR=str(state))
        subprocess.run([sys.executable, str(PANEL_DIR / "manage.py"), "shell", "-c", SEED], env=env, check=True,
                       capture_output=True)
        yield config, first, db
    finally:
        panelctl("stop", config)


def request(config, method, path, host, body=None, headers=None):
    connection = http.client.HTTPConnection(*config["bind"].split(":"), timeout=10)
    connection.request(method, path, body=body, headers=dict({"Host": host}, **(headers or {})))
    response = connection.getresponse()
    return response, response.read().decode()


def test_gunicorn_serves_reseller_signups_behind_a_proxy(served):
    config, first, db = served
    assert first["changed"] and any("started gunicorn" in a for a in first["actions"])
    assert first["health"] == {"status": "ok", "schema_version": SCHEMA_VERSION}
    # A second run changes nothing.
    again = panelctl("ensure", config)
    assert again["changed"] is False and again["actions"] == []

    response = request(config, "GET", "/signup/", "unknown.test")[0]
    assert response.status == 400
    # As nginx sends it: Host without port, X-Forwarded-Proto https, the browser's Origin with the port.
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    response, body = request(config, "GET", "/signup/", "cloud.acme.test", headers=proxy)
    assert response.status == 200
    cookie = re.search(r"csrftoken=([^;]+);", response.getheader("Set-Cookie")).group(1)
    assert "Secure" in response.getheader("Set-Cookie")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = "csrfmiddlewaretoken=%s&username=walter&email=walter%%40example.test&password=%s&reseller_id=999" % (
        token, PASSWORD)
    headers = dict(proxy, **{"Content-Type": "application/x-www-form-urlencoded", "Cookie": "csrftoken=" + cookie,
                             "Origin": "https://cloud.acme.test:8443", "X-Reseller-Id": "999"})
    response, body = request(config, "POST", "/signup/", "cloud.acme.test", form, headers)
    assert response.status == 302, body
    assert any("sessionid=" in h and "Secure" in h and "HttpOnly" in h
               for k, h in response.getheaders() if k.lower() == "set-cookie")
    with contextlib.closing(sqlite3.connect(db)) as conn:
        row = conn.execute(
            "SELECT c.reseller_id, r.name, p.name FROM panel_user u JOIN panel_client c ON c.id = u.client_id "
            "JOIN panel_reseller r ON r.id = c.reseller_id JOIN panel_plan p ON p.id = c.plan_id "
            "WHERE u.username = 'walter'").fetchone()
    assert row[1:] == ("acme", "acme-retail")

    # The same POST from an origin the database does not know is refused.
    headers["Origin"] = "https://evil.test"
    response = request(config, "POST", "/signup/", "cloud.acme.test", form.replace("walter", "mallory"),
                       headers)[0]
    assert response.status == 403


def test_a_code_or_configuration_change_restarts_gunicorn(served):
    config = served[0]
    config = dict(config, env=dict(config["env"], PANEL_TRUSTED_PROXIES="127.0.0.1"))
    changed = panelctl("ensure", config)
    assert changed["changed"] is True
    assert "wrote" in changed["actions"][0] and any("started gunicorn" in a for a in changed["actions"])
    check = panelctl("ensure", dict(config, check=True))
    assert check == {"changed": False, "actions": [], "health": None, "url": "http://%s/" % config["bind"]}


def test_check_mode_changes_nothing_and_serve_false_only_migrates(tmp_path):
    state = tmp_path / "state"
    db = tmp_path / "panel.sqlite3"
    config = {"state_dir": str(state), "panel_dir": str(PANEL_DIR), "bind": "127.0.0.1:%d" % free_port(),
              "service_manager": "process", "env": {"PANEL_DB_ENGINE": "sqlite", "PANEL_DB_PATH": str(db)}}
    dry = panelctl("ensure", dict(config, check=True))
    assert dry["changed"] is True
    assert [a.split(" ")[1] for a in dry["actions"]] == ["create", "write", "write", "apply", "start"]
    assert dry["actions"][2] == "would write %s" % (state / "manage")
    assert not state.exists() and not db.exists()
    done = panelctl("ensure", dict(config, serve=False))
    assert done["url"] is None and any(a.startswith("applied migrations") for a in done["actions"])
    assert (state / "panel.env").stat().st_mode & 0o777 == 0o600
    # The wrapper runs the panel's manage.py with the service's environment.
    assert (state / "manage").stat().st_mode & 0o777 == 0o700
    status = subprocess.run([str(state / "manage"), "status"], capture_output=True, text=True, check=True,
                            env={"PATH": os.environ["PATH"]})
    assert "panel database: %s (sqlite)" % db in status.stdout
    assert not (state / "gunicorn.pid").exists()
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT value FROM panel_setting WHERE key = 'schema.version'").fetchone() == (str(SCHEMA_VERSION),)
    assert panelctl("ensure", dict(config, serve=False))["changed"] is False


def test_a_port_taken_by_another_process_is_reported(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        config = {"state_dir": str(tmp_path / "state"), "panel_dir": str(PANEL_DIR),
                  "bind": "127.0.0.1:%d" % squatter.getsockname()[1], "service_manager": "process",
                  "env": {"PANEL_DB_ENGINE": "sqlite", "PANEL_DB_PATH": str(tmp_path / "panel.sqlite3")}}
        proc = subprocess.run([sys.executable, str(PANELCTL), "ensure"], input=json.dumps(config), text=True,
                              capture_output=True, timeout=120, check=False)
    assert proc.returncode == 1
    assert "already in use" in json.loads(proc.stdout)["msg"]
    assert not (tmp_path / "state" / "gunicorn.pid").exists()


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self.path)


def unix_get(path, host, headers):
    connection = UnixConnection(path)
    connection.request("GET", "/signup/", headers=dict({"Host": host}, **headers))
    response = connection.getresponse()
    response.read()
    return response


@pytest.mark.parametrize("proxies,secure", [("127.0.0.1,::1,unix", True), ("127.0.0.1,::1", False)])
def test_gunicorn_on_a_unix_socket_trusts_its_peers_only_when_told(tmp_path, proxies, secure):
    state = tmp_path / "state"
    db = tmp_path / "panel.sqlite3"
    sock = state / "run" / "panel.sock"
    config = {"state_dir": str(state), "panel_dir": str(PANEL_DIR), "bind": "unix:%s" % sock, "workers": 1,
              "service_manager": "process",
              "env": {"PANEL_DB_ENGINE": "sqlite", "PANEL_DB_PATH": str(db), "PANEL_TRUSTED_PROXIES": proxies}}
    first = panelctl("ensure", config)
    try:
        assert first["health"]["status"] == "ok" and first["url"] == "http+unix://%s" % sock
        # Read- and writable by the owner and group only; its directory made 0750.
        assert sock.stat().st_mode & 0o777 == 0o770 and sock.parent.stat().st_mode & 0o777 == 0o750
        env = dict(os.environ, PANEL_DB_ENGINE="sqlite", PANEL_DB_PATH=str(db), PANEL_STATE_DIR=str(state))
        subprocess.run([sys.executable, str(PANEL_DIR / "manage.py"), "shell", "-c", SEED], env=env, check=True,
                       capture_output=True)
        response = unix_get(str(sock), "cloud.acme.test", {"X-Forwarded-Proto": "https"})
        assert response.status == 200
        # The forwarded scheme is believed (Secure cookies) only when Unix-socket peers are trusted proxies.
        assert ("Secure" in response.getheader("Set-Cookie")) is secure
        assert panelctl("ensure", config)["changed"] is False
        # A second panel cannot take a socket that is in use.
        other = dict(config, state_dir=str(tmp_path / "other"))
        proc = subprocess.run([sys.executable, str(PANELCTL), "ensure"], input=json.dumps(other), text=True,
                              capture_output=True, timeout=120, check=False)
        assert proc.returncode == 1 and "already in use by another process" in proc.stdout
    finally:
        panelctl("stop", config)


def test_the_access_log_never_holds_a_set_password_token(served):
    config = served[0]
    proxy = {"X-Forwarded-Proto": "https"}
    response = request(config, "GET", "/set-password/Unused-Token-42/", "panel.served.test", headers=proxy)[0]
    assert response.status == 404  # no such link: still logged, without the token
    request(config, "GET", "/signup/", "cloud.acme.test", headers=proxy)
    log = Path(config["state_dir"]) / "gunicorn-access.log"
    # gunicorn writes a request's access line after the response has gone out: wait (bounded) for the last one.
    deadline = time.monotonic() + 10
    logged = log.read_text()
    while "/signup/" not in logged and time.monotonic() < deadline:
        time.sleep(0.1)
        logged = log.read_text()
    assert "/signup/" in logged and "/set-password/[redacted]/" in logged and "Unused-Token-42" not in logged
