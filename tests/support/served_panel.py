# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The panel under a real gunicorn on a free loopback port (started by the panel role's panelctl.py, SQLite in a
scratch directory), seeded with a provider and two resellers, acme and globex, for tests of the reseller API
and of the reseller modules and playbook. `stop()` stops gunicorn by its pid (panelctl stop)."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PANEL = os.path.join(REPO, "panel")
PANELCTL = os.path.join(REPO, "roles", "panel", "files", "panelctl.py")
PROVIDER_HOST = "panel.api.test"

SEED = """
from reseller_panel.core.models import Client, Configuration, Plan, PricingRule, Reseller, Setting, User
Setting.objects.update_or_create(key="provider.frontend_url", defaults={"value": "https://%(host)s/"})
Setting.objects.update_or_create(key="reseller.enabled", defaults={"value": True})
wholesale = Plan.objects.create(name="reseller-wholesale", currency="EUR", managed=True)
PricingRule.objects.create(plan=wholesale, name="vCPU", resource="instance", attribute="vcpus",
                           tiers=[{"from": "0", "price": "0.004"}])
for name in ("acme", "globex"):
    account = Client.objects.create(name=name, email="ops@%%s.test" %% name, currency="EUR")
    reseller = Reseller.objects.create(name=name, client=account, plan=wholesale, managed=True,
                                       enduser_panel_url="https://cloud.%%s.test/" %% name, host="cloud.%%s.test" %% name)
    Plan.objects.create(owner_reseller=reseller, name="%%s-retail" %% name, currency="EUR", is_default=True,
                        managed=True)
    Plan.objects.create(owner_reseller=reseller, name="%%s-own" %% name, currency="EUR")
    Configuration.objects.create(owner_reseller=reseller, name="default", is_default=True, managed=True)
    User.objects.create_user("%%s-admin" %% name, "admin@%%s.test" %% name, "Unused-Passw0rd!", client=account,
                             is_reseller=True)
""" % {"host": PROVIDER_HOST}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServedPanel(object):
    def __init__(self, root):
        self.root = str(root)
        self.db = os.path.join(self.root, "panel.sqlite3")
        # As in the demo: gunicorn on a Unix socket (the port stays for tests that want TCP).
        self.socket = os.path.join(self.root, "gunicorn.sock")
        self.port = free_port()
        self.config = {"state_dir": os.path.join(self.root, "state"), "panel_dir": PANEL, "workers": 2,
                       "bind": "unix:" + self.socket, "service_manager": "process",
                       "env": {"PANEL_DB_ENGINE": "sqlite", "PANEL_DB_PATH": self.db}}
        self.api_url = "http://%s/reseller/api/v1/" % PROVIDER_HOST

    def panelctl(self, command):
        proc = subprocess.run([sys.executable, PANELCTL, command], input=json.dumps(self.config), text=True,
                              capture_output=True, timeout=180, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return json.loads(proc.stdout)

    def env(self):
        return dict(os.environ, PANEL_DB_ENGINE="sqlite", PANEL_DB_PATH=self.db,
                    PANEL_STATE_DIR=self.config["state_dir"])

    def manage(self, *args, stdin=None):
        proc = subprocess.run([sys.executable, os.path.join(PANEL, "manage.py")] + list(args), env=self.env(),
                              input=stdin, capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    def start(self):
        self.panelctl("ensure")
        self.manage("shell", "-c", SEED)
        return self

    def token(self, username, scope="write"):
        return self.manage("create_api_token", username, "--scope", scope).strip()

    def stop(self):
        self.panelctl("stop")

    def rows(self, sql, params=()):
        with contextlib.closing(sqlite3.connect(self.db)) as conn:
            return conn.execute(sql, params).fetchall()

    def dump(self):
        """Every row of the catalogue tables (tokens and caches aside)."""
        tables = ("panel_plan", "panel_pricing_rule", "panel_pricing_condition", "panel_pricing_modifier",
                  "panel_configuration", "panel_brand", "panel_reseller", "panel_client", "panel_user")
        return dict((table, sorted(map(repr, self.rows("SELECT * FROM %s" % table)))) for table in tables)
