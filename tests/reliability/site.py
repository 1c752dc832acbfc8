# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A demo-like deployment in a scratch directory for the reliability suite.

The demo inventory's variables (plans, resellers acme and globex, internal CA, user-space nginx, SQLite or a
real server), with two frontends (hosts `one` and `two`, each a user-space nginx on its own free loopback
ports) and the panel served by gunicorn on a Unix socket. Everything lives under `Site.root`; `Site.stop()`
stops every process the runs started there.
"""
from __future__ import annotations

import copy
import json
import os
import re
import socket
import ssl
import stat
import subprocess
import sys
import http.client

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
HOSTS = ("one", "two")

# Secrets the suite plants in the inventory and then looks for in every output and log.
USER_PASSWORD = "Gl0bex-ops-Pa55word!"
ACME_PASSWORD = "Acme-0ps-Pa55word?"
DB_PASSWORD_MARK = "panel_db password"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_vars():
    with open(os.path.join(REPO, "inventory", "demo", "group_vars", "all.yml")) as handle:
        return yaml.safe_load(handle)


class Site(object):
    """Inventory, state and processes of one scratch deployment."""

    def __init__(self, root, panel_db=None, extra_vars=None):
        self.root = str(root)
        self.state = os.path.join(self.root, "state")
        self.inventory = os.path.join(self.root, "inventory")
        os.makedirs(self.state, exist_ok=True)
        self.ports = {host: dict(http=free_port(), https=free_port()) for host in HOSTS}
        self.db_spec = panel_db or dict(engine="sqlite", path=os.path.join(self.state, "panel.sqlite3"))
        self.vars = demo_vars()
        https = self.ports["one"]["https"]
        self.vars.update({
            "panel_demo_dir": self.state,
            "panel_db": self.db_spec,
            "panel_provider_url": "https://panel.demo.test:%d/" % https,
            # As in the demo: gunicorn on a Unix socket in the state directory.
            "panel_upstream": "unix:%s/gunicorn.sock" % self.state,
            "panel_frontend_https_port": https,
            # The demo's reseller URLs name its HTTPS port through this variable.
            "panel_demo_https_port": https,
            "panel_gunicorn_workers": 1,
            # The inventory is written elsewhere: the demo's brand logos stay in the checkout.
            "panel_demo_files": os.path.join(REPO, "inventory", "demo", "files"),
        })
        # One user with a clear-text password next to acme's password_hash user.
        self.vars["panel_resellers"][1]["users"].append(
            dict(username="globex-ops", email="ops-team@globex.test", password=USER_PASSWORD))
        self.vars["panel_resellers"][0]["users"].append(
            dict(username="acme-ops", email="ops-team@acme.test", password=ACME_PASSWORD))
        if extra_vars:
            self.vars.update(copy.deepcopy(extra_vars))
        self.write_inventory()

    # -- inventory -----------------------------------------------------------------------------------------
    def prefix(self, host):
        return os.path.join(self.state, "nginx-" + host)

    def write_inventory(self):
        os.makedirs(os.path.join(self.inventory, "group_vars"), exist_ok=True)
        os.makedirs(os.path.join(self.inventory, "host_vars"), exist_ok=True)
        hosts = {"all": {"children": {"panel_app": {"hosts": {"one": None}},
                                      "panel_frontends": {"hosts": {h: None for h in HOSTS}}}}}
        self._dump("hosts.yml", hosts)
        self._dump("group_vars/all.yml", self.vars)
        for host in HOSTS:
            prefix = self.prefix(host)
            self._dump("host_vars/%s.yml" % host, {
                "panel_nginx_prefix": prefix,
                "panel_nginx_sites_dir": prefix + "/sites",
                "panel_nginx_tls_dir": prefix + "/tls",
                "panel_nginx_acme_webroot": prefix + "/acme",
                "panel_nginx_http_port": self.ports[host]["http"],
                "panel_nginx_https_port": self.ports[host]["https"],
            })

    def _dump(self, name, data):
        with open(os.path.join(self.inventory, name), "w") as handle:
            yaml.safe_dump(data, handle, default_flow_style=False, sort_keys=False, allow_unicode=True)

    def reseller(self, name):
        return next(r for r in self.vars["panel_resellers"] if r["name"] == name)

    # -- runs ----------------------------------------------------------------------------------------------
    def env(self, **extra):
        env = dict(os.environ)
        env.update(ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_HOME=os.path.join(REPO, ".ansible-home"),
                   PATH=BIN + os.pathsep + os.environ.get("PATH", ""), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_FORCE_COLOR="0", ANSIBLE_RETRY_FILES_ENABLED="0")
        env.update(extra)
        return env

    def command(self, *args, playbook="site.yml"):
        return [os.path.join(BIN, "ansible-playbook"), "-i", self.inventory,
                os.path.join(REPO, "playbooks", playbook)] + list(args)

    def run(self, *args, env=None, timeout=900, playbook="site.yml"):
        proc = subprocess.run(self.command(*args, playbook=playbook), capture_output=True, text=True,
                              env=env or self.env(), cwd=REPO, timeout=timeout, check=False)
        proc.output = proc.stdout + proc.stderr
        return proc

    def popen(self, *args, env=None, playbook="site.yml", **kwargs):
        return subprocess.Popen(self.command(*args, playbook=playbook), env=env or self.env(), cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, **kwargs)

    # -- state ---------------------------------------------------------------------------------------------
    def dump(self):
        from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect
        db = connect(self.db_spec)
        try:
            return db.dump()
        finally:
            db.close()

    def trees(self):
        """Every file of the frontends (nginx.conf, sites, tls) and of the TLS store: path -> (mode, bytes)."""
        roots = [os.path.join(self.state, "pki")]
        for host in HOSTS:
            roots += [os.path.join(self.prefix(host), d) for d in ("sites", "tls")]
            roots.append(os.path.join(self.prefix(host), "nginx.conf"))
        return snapshot(roots)

    def nginx_test(self, host):
        prefix = self.prefix(host)
        return subprocess.run(["nginx", "-p", prefix, "-c", prefix + "/nginx.conf", "-e", prefix + "/error.log",
                               "-t"], capture_output=True, text=True, check=False)

    def nginx_master(self, host):
        try:
            with open(os.path.join(self.prefix(host), "nginx.pid")) as handle:
                return int(handle.read().strip())
        except (FileNotFoundError, ValueError):
            return None

    def https_get(self, host, fqdn, path="/", headers=None, method="GET", body=None):
        """One HTTPS request to frontend `host` for virtual host `fqdn`, trusting the deployment's CA."""
        context = ssl.create_default_context(cafile=os.path.join(self.state, "pki", "ca", "ca.crt"))
        conn = http.client.HTTPSConnection("127.0.0.1", self.ports[host]["https"], context=context, timeout=30)
        # SNI and certificate check against the virtual host's name, while connecting to loopback.
        conn.sock = context.wrap_socket(socket.create_connection(("127.0.0.1", self.ports[host]["https"]),
                                                                 timeout=30), server_hostname=fqdn)
        hdrs = {"Host": "%s:%d" % (fqdn, self.ports[host]["https"])}
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp, data

    def query(self, sql, params=()):
        from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect
        db = connect(self.db_spec)
        try:
            return db.query(sql, params)
        finally:
            db.close()

    def stop(self):
        for host in HOSTS:
            pid = self.nginx_master(host)
            if pid:
                subprocess.run(["nginx", "-p", self.prefix(host), "-c", self.prefix(host) + "/nginx.conf",
                                "-s", "quit"], capture_output=True, check=False)
        subprocess.run([sys.executable, os.path.join(REPO, "roles", "panel", "files", "panelctl.py"), "stop"],
                       input=json.dumps({"state_dir": self.state}), capture_output=True, text=True, check=False)


def snapshot(roots):
    found = {}
    for root in roots:
        if os.path.isfile(root):
            found[root] = _entry(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            found[dirpath + "/"] = (stat.S_IMODE(os.stat(dirpath).st_mode), b"")
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                found[path] = _entry(path)
    return found


def _entry(path):
    with open(path, "rb") as handle:
        return stat.S_IMODE(os.stat(path).st_mode), handle.read()


def recap(output):
    """PLAY RECAP counters per host: {'one': {'ok': 3, 'changed': 0, ...}}."""
    result = {}
    for line in output.split("PLAY RECAP", 1)[-1].splitlines():
        match = re.match(r"^(\S+)\s+:\s+(.*)$", line.strip())
        if match:
            result[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return result
