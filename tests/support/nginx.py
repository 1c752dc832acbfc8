# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real nginx in a scratch prefix for tests, an upstream that echoes the request it received, and the roles'
vhost templates rendered the way Ansible renders them (trim_blocks, the role's templates/ as search path)."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import jinja2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# Workers run as the master's user when it is not root; as root they would drop to nobody, who cannot enter
# pytest's private temporary directories (the ACME webroot lives there).
MAIN_CONF = """\
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    server_names_hash_bucket_size 128;
    include {prefix}/sites/*.conf;
}}
"""


def run_command(args, handle_exceptions=True):
    """What AnsibleModule.run_command returns, for calling module_utils directly: (rc, stdout, stderr)."""
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx(object):
    """An nginx whose main configuration includes <prefix>/sites/*.conf."""

    def __init__(self, prefix):
        self.prefix = str(prefix)
        self.sites_dir = os.path.join(self.prefix, "sites")
        self.tls_dir = os.path.join(self.prefix, "tls")
        os.makedirs(os.path.join(self.prefix, "tmp"), exist_ok=True)
        os.makedirs(self.sites_dir, exist_ok=True)
        with open(os.path.join(self.prefix, "nginx.conf"), "w") as handle:
            handle.write(MAIN_CONF.format(prefix=self.prefix, user="user root;\n" if os.geteuid() == 0 else ""))
        self.base = [NGINX, "-p", self.prefix, "-c", os.path.join(self.prefix, "nginx.conf"),
                     "-e", os.path.join(self.prefix, "error.log")]
        self.running = False

    @property
    def test_command(self):
        return self.base + ["-t", "-q"]

    def start(self):
        subprocess.run(self.base, check=True)
        self.running = True

    def reload(self):
        """Reload and wait until the new workers answer (the old ones may still serve for a moment)."""
        pid_before = self._worker_pids()
        subprocess.run(self.base + ["-s", "reload"], check=True)
        for _attempt in range(100):
            pids = self._worker_pids()
            if pids and not (pids & pid_before):
                return
            time.sleep(0.05)

    def _worker_pids(self):
        try:
            with open(os.path.join(self.prefix, "nginx.pid")) as handle:
                master = handle.read().strip()
        except FileNotFoundError:
            return set()
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", master], stdout=subprocess.PIPE, check=False)
        return set(out.stdout.split())

    def stop(self):
        if not self.running:
            return
        pid_file = os.path.join(self.prefix, "nginx.pid")
        try:
            with open(pid_file) as handle:
                pid = int(handle.read().strip())
        except (FileNotFoundError, ValueError):
            return
        os.kill(pid, signal.SIGQUIT)
        for _attempt in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self.running = False


class _EchoHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the stdlib's naming
        body = json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if "policy=own" in self.path:
            # As the panel does: its own policies, which the frontend must pass on unchanged and alone.
            self.send_header("Content-Security-Policy", "default-src 'self'")
            self.send_header("Permissions-Policy", "camera=()")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 - the stdlib's naming
        # Read the whole body before refusing: a reply sent while nginx is still sending it resets the
        # connection, and nginx answers 502 instead of passing the 501 on.
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_error(501, "the echo upstream answers GET only")

    def log_message(self, *args):
        pass


class EchoUpstream(object):
    """An HTTP upstream on a free loopback port answering every GET with the path and headers it received."""

    def __init__(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
        self.address = "127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def render(role, template, marker, site, vhost, tls_dir, sites=None):
    """Render a role's vhost template with the variables the nginx_sites action plugin provides (`sites`: all
    sites of the set, in order; the first one's file carries the set's upstream unless the set has a shared
    file). `site` None renders a set's shared file."""
    templates = os.path.join(ROOT, "roles", role, "templates")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), trim_blocks=True,
                             undefined=jinja2.StrictUndefined)
    vhost = dict(vhost)
    vhost.setdefault("upstream_servers", [vhost["upstream"]])
    vhost.setdefault("upstream_name", "panelops_" + marker.rsplit("=", 1)[-1])
    paths = dict(site_certificate=None, site_key=None)
    if site is not None:
        paths = dict(site_certificate=os.path.join(tls_dir, site["fqdn"] + ".crt"),
                     site_key=os.path.join(tls_dir, site["fqdn"] + ".key"))
    return env.get_template(template).render(
        nginx_sites_marker=marker, site=site, vhost=vhost, nginx_sites_all=sites or [site], **paths)


def main():  # pragma: no cover - command line helper
    """`python -m tests.support.nginx echo PORT`: run the echo upstream in the foreground (manual checks)."""
    import sys
    if len(sys.argv) != 3 or sys.argv[1] != "echo":
        sys.exit("usage: python -m tests.support.nginx echo PORT")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), _EchoHandler)
    server.serve_forever()


if __name__ == "__main__":
    main()
