# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench's world: a state directory per N with a migrated SQLite panel database, the demo's kind of
frontend (user-space nginx on loopback, internal CA), and the inventory that points at it."""
from __future__ import annotations

import glob
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

from bench import generate
from tests.support import servers

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SITE = os.path.join(REPO, "playbooks", "site.yml")
RENEW = os.path.join(REPO, "playbooks", "renew.yml")
NAIVE = os.path.join(HERE, "naive", "site.yml")
HTTP_PORT = 38080
HTTPS_PORT = 38443
PANEL_UPSTREAM = "127.0.0.1:38000"
PANELCTL = os.path.join(REPO, "roles", "panel", "files", "panelctl.py")


def _template_db(work):
    """A migrated, empty panel database made once per bench run and copied for every repetition."""
    path = os.path.join(work, "template", "panel.sqlite3")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        servers.migrate(dict(engine="sqlite", path=path), state_dir=os.path.dirname(path))
    return path


def state_dir(work, count, naive=False):
    return os.path.join(work, "%s-%d" % ("naive" if naive else "ours", count))


def fresh_state(work, count, naive=False):
    # Every state directory's servers share the bench's ports: stop them all before a fresh start.
    stop_all(work)
    state = state_dir(work, count, naive)
    shutil.rmtree(state, ignore_errors=True)
    os.makedirs(state)
    shutil.copyfile(_template_db(work), os.path.join(state, "panel.sqlite3"))
    if naive:
        _naive_nginx_conf(state)
    return state


def base_vars(state):
    """The demo's variables (inventory/demo), pointed at this state directory and the bench's ports."""
    nginx = os.path.join(state, "nginx")
    return {
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "panel_demo_dir": state,
        "panel_db": {"engine": "sqlite", "path": os.path.join(state, "panel.sqlite3")},
        "panel_provider_url": "https://panel.bench.test:%d/" % HTTPS_PORT,
        "panel_reseller_feature": True,
        "panel_force_reseller_registration": True,
        # The panel runs from the checkout's .venv with its state in the state directory.
        "panel_install_mode": "checkout",
        "panel_state_dir": state,
        "panel_upstream": PANEL_UPSTREAM,
        "panel_frontend_https_port": HTTPS_PORT,
        "panel_set_password_links_file": os.path.join(state, "set-password-links"),
        "panel_tls": {"mode": "internal_ca", "renew_days": 30},
        "panel_tls_store": os.path.join(state, "pki"),
        # A user-space nginx on the bench's ports, started by the provider_frontend role.
        "panel_nginx_user_space": True,
        # Certificates read at the handshake: a reload does not load one per reseller (docs/performance.md,
        # sixth round, measures both settings and the handshake's cost).
        "panel_nginx_certificate_loading": "handshake",
        "panel_nginx_prefix": nginx,
        "panel_nginx_sites_dir": os.path.join(nginx, "sites"),
        "panel_nginx_tls_dir": os.path.join(nginx, "tls"),
        "panel_nginx_acme_webroot": os.path.join(nginx, "acme"),
        "panel_nginx_listen_address": "127.0.0.1",
        "panel_nginx_http_port": HTTP_PORT,
        "panel_nginx_https_port": HTTPS_PORT,
        # The naive baseline's own variables.
        "bench_state_dir": state,
        "bench_http_port": HTTP_PORT,
        "bench_https_port": HTTPS_PORT,
        "bench_nginx_prefix": os.path.join(state, "naive-nginx"),
        "bench_nginx_conf": os.path.join(state, "naive-nginx", "nginx.conf"),
    }


def inventory(state, count):
    directory = os.path.join(state, "inventory")
    shutil.rmtree(directory, ignore_errors=True)
    generate.write_inventory(count, directory, base_vars(state), https_port=HTTPS_PORT)
    return directory


def _naive_nginx_conf(state):
    prefix = os.path.join(state, "naive-nginx")
    os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
    with open(os.path.join(prefix, "nginx.conf"), "w") as handle:
        handle.write(
            "pid %s/nginx.pid;\nerror_log %s/logs/error.log;\nevents {}\nhttp {\n"
            "  access_log off;\n  client_body_temp_path %s/tmp;\n"
            "  server_names_hash_bucket_size 128;\n  include %s/naive-sites/*.conf;\n}\n"
            % (prefix, prefix, prefix, state))


def make_drift(state):
    """Change a managed row and a managed vhost behind the provisioner's back."""
    db = sqlite3.connect(os.path.join(state, "panel.sqlite3"))
    db.execute("UPDATE panel_reseller SET status = 'suspended' WHERE name = 'r00000'")
    db.commit()
    db.close()
    vhosts = sorted(glob.glob(os.path.join(state, "**", "*r00000*.conf"), recursive=True))
    if vhosts:
        with open(vhosts[0], "a") as handle:
            handle.write("# edited by hand\n")


def stop_nginx(state):
    """Stop the nginx of this state directory (pid file), waiting until it has released its ports."""
    for pid_file in glob.glob(os.path.join(state, "**", "nginx.pid"), recursive=True):
        try:
            with open(pid_file) as handle:
                pid = int(handle.read().strip())
            with open("/proc/%d/cmdline" % pid, "rb") as handle:
                if b"nginx" not in handle.read():
                    continue  # a stale pid file: that pid is someone else's now
            os.kill(pid, signal.SIGQUIT)
        except (OSError, ValueError):
            continue
        for _attempt in range(100):
            if not os.path.exists("/proc/%d" % pid):
                break
            time.sleep(0.05)


def stop_panel(state):
    """Stop the panel server site.yml started for this state directory (panelctl.py, by its pid file)."""
    if not os.path.exists(os.path.join(state, "gunicorn.pid")):
        return
    subprocess.run([sys.executable, PANELCTL, "stop"], input=json.dumps({"state_dir": state}), text=True,
                   capture_output=True, check=False)


def stop_all(work):
    for state in glob.glob(os.path.join(work, "*")):
        stop_nginx(state)
        stop_panel(state)


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(l.split(":", 1)[1].strip() for l in handle if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ansible = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible"),
                              "--version"], capture_output=True, text=True, check=False).stdout.splitlines()
    return dict(cpu=cpu, cores=os.cpu_count(), python=platform.python_version(),
                ansible=ansible[0] if ansible else "", kernel=platform.release())
