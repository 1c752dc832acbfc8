# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench's world: a state directory per N with a migrated SQLite panel database, the demo's kind of
frontend (user-space nginx on loopback, internal CA), and the inventory that points at it."""
from __future__ import annotations

import glob
import os
import platform
import shutil
import signal
import sqlite3
import subprocess

from bench import generate
from tests.support import servers

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SITE = os.path.join(REPO, "playbooks", "site.yml")
NAIVE = os.path.join(HERE, "naive", "site.yml")
HTTP_PORT, HTTPS_PORT = 38080, 38443


def _template_db(work):
    """A migrated, empty panel database made once per bench run and copied for every repetition."""
    path = os.path.join(work, "template", "panel.sqlite3")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        servers.migrate(dict(engine="sqlite", path=path), state_dir=os.path.dirname(path))
    return path


def fresh_state(work, count, naive=False):
    state = os.path.join(work, "%s-%d" % ("naive" if naive else "ours", count))
    stop_nginx(state)
    shutil.rmtree(state, ignore_errors=True)
    os.makedirs(state)
    shutil.copyfile(_template_db(work), os.path.join(state, "panel.sqlite3"))
    if naive:
        _naive_nginx_conf(state)
    return state


def base_vars(state):
    """The demo's variables, pointed at this state directory and the bench's ports."""
    return {
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "panel_demo_dir": state,
        "bench_state_dir": state,
        "panel_db": {"engine": "sqlite", "path": os.path.join(state, "panel.sqlite3")},
        "panel_provider_url": "https://panel.bench.test:%d/" % HTTPS_PORT,
        "panel_reseller_feature": True,
        "panel_force_reseller_registration": True,
        "panel_frontend_https_port": HTTPS_PORT,
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
    for pid_file in glob.glob(os.path.join(state, "**", "nginx.pid"), recursive=True):
        try:
            with open(pid_file) as handle:
                os.kill(int(handle.read().strip()), signal.SIGQUIT)
        except (OSError, ValueError):
            pass


def stop_all(work):
    for state in glob.glob(os.path.join(work, "*")):
        stop_nginx(state)
    # The panel's server, when site.yml started one for a state directory.
    for pid_file in glob.glob(os.path.join(work, "*", "**", "*.pid"), recursive=True):
        if pid_file.endswith("nginx.pid"):
            continue
        try:
            with open(pid_file) as handle:
                os.kill(int(handle.read().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(l.split(":", 1)[1].strip() for l in handle if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ansible = subprocess.run([os.path.join(os.path.dirname(__import__("sys").executable), "ansible"),
                              "--version"], capture_output=True, text=True, check=False).stdout.splitlines()
    return dict(cpu=cpu, cores=os.cpu_count(), python=platform.python_version(),
                ansible=ansible[0] if ansible else "", kernel=platform.release())
