# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What `panel_nginx_certificate_loading` costs and saves, on a state the bench converged (docs/performance.md).

The state's frontend is copied twice: as written (`handshake`: the certificates read at each TLS handshake) and
with the reseller certificates read with the configuration (`reload`: the always-empty variable taken out of
their paths, which is all that the setting changes in the files). For each copy: `nginx -t` (median wall time and
peak RSS of three runs), then a started nginx answering new TLS connections to every reseller name in turn: the
server CPU (its worker's user+sys from /proc) per full handshake and per resumed one. CPU, not wall time: the
client's share of the work is not the server's.

    python bench/handshake.py <state dir>     (its nginx stopped; uses the bench's HTTPS port)
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from bench import sampler, scenario  # noqa: E402  (path set just above)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VARIABLE = "$panelops_tls_at_handshake"
CONNECTIONS = 1000


def _copy(state, target, loading):
    """The state's nginx prefix under `target`, its paths moved there; `reload` drops the variable."""
    source = os.path.join(state, "nginx")
    shutil.copytree(source, target, symlinks=True)
    for path in [os.path.join(target, "nginx.conf")] + glob.glob(os.path.join(target, "sites", "*.conf")):
        with open(path) as handle:
            text = handle.read().replace(source, target)
        if loading == "reload":
            text = text.replace(VARIABLE + ";", ";")
        with open(path, "w") as handle:
            handle.write(text)
    return [NGINX, "-p", target, "-c", os.path.join(target, "nginx.conf"), "-e", os.path.join(target, "error.log")]


def _nginx_test(base):
    """(median wall seconds, largest peak RSS MB) of three `nginx -t` runs."""
    walls, peaks = [], []
    for _run in range(3):
        started = time.monotonic()
        process = subprocess.Popen(base + ["-t", "-q"])
        _pid, status, usage = os.wait4(process.pid, 0)
        walls.append(time.monotonic() - started)
        if status != 0:
            raise SystemExit("bench/handshake.py: nginx -t failed: %s" % " ".join(base))
        peaks.append(usage.ru_maxrss / 1024.0)
    return statistics.median(walls), max(peaks)


def _workers_cpu(master):
    """User+sys seconds of the master's worker processes."""
    ticks = sum(int(fields[11]) + int(fields[12]) for fields in sampler.all_stats().values()
                if fields[1] == str(master))
    return ticks / os.sysconf("SC_CLK_TCK")


def _handshakes(names, resume):
    """One TLS connection per name (each a new handshake, or a resumption of that name's first session)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    sessions, resumed = {}, 0
    for name in names:
        with socket.create_connection(("127.0.0.1", scenario.HTTPS_PORT)) as raw:
            with context.wrap_socket(raw, server_hostname=name, session=sessions.get(name)) as tls:
                # TLS 1.3 hands its session over after the handshake: one request's answer brings it. nginx
                # answers /staff/ on a reseller domain itself (404), so no upstream work is counted.
                tls.sendall(b"GET /staff/ HTTP/1.1\r\nHost: " + name.encode() + b"\r\nConnection: close\r\n\r\n")
                tls.recv(64)
                resumed += tls.session_reused
                if resume and name not in sessions:
                    sessions[name] = tls.session
    return resumed


def _serve(base, names):
    """Server CPU ms per full handshake and per resumed handshake, and how many were resumed."""
    subprocess.run(base, check=True)
    pid_file = os.path.join(base[2], "nginx.pid")
    with open(pid_file) as handle:
        master = int(handle.read())
    try:
        before = _workers_cpu(master)
        _handshakes(names, resume=False)
        full = _workers_cpu(master) - before
        few = names[:10]
        _handshakes(few, resume=True)  # the sessions to resume
        before = _workers_cpu(master)
        resumed = _handshakes(few * (len(names) // len(few)), resume=True)
        again = _workers_cpu(master) - before
    finally:
        scenario.stop_nginx(base[2])
    return dict(full_handshake_cpu_ms=1000.0 * full / len(names),
                resumed_handshake_cpu_ms=1000.0 * again / len(names), resumed=resumed)


def _reseller_names(state):
    """The names of the reseller vhosts (the files of the `resellers` set, its shared file aside)."""
    names = []
    for path in sorted(glob.glob(os.path.join(state, "nginx", "sites", "*.conf"))):
        with open(path) as handle:
            first = handle.readline()
        if "set=resellers" in first and not os.path.basename(path).startswith("_"):
            names.append(os.path.basename(path)[:-len(".conf")])
    return names


def measure(state):
    """{loading: {nginx_t_s, nginx_t_peak_rss_mb, full_handshake_cpu_ms, resumed_handshake_cpu_ms, resumed}}."""
    names = _reseller_names(state)
    if not names:
        raise SystemExit("bench/handshake.py: no reseller vhost under %s" % state)
    names = [names[i % len(names)] for i in range(CONNECTIONS)]
    results = {}
    scratch = tempfile.mkdtemp(prefix="handshake.", dir=os.path.dirname(state))
    try:
        for loading in ("reload", "handshake"):
            base = _copy(state, os.path.join(scratch, loading), loading)
            wall, peak = _nginx_test(base)
            results[loading] = dict(nginx_t_s=wall, nginx_t_peak_rss_mb=peak, **_serve(base, names))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def describe(results, count):
    lines = ["| certificates read | nginx -t s (N=%d) | nginx -t peak RSS MB | server CPU ms per full handshake "
             "| per resumed handshake |" % count, "|---|---|---|---|---|"]
    for loading in [name for name in ("reload", "handshake") if name in results]:
        m = results[loading]
        lines.append("| %s | %.2f | %.0f | %.2f | %.2f (%d resumed) |" % (
            loading, m["nginx_t_s"], m["nginx_t_peak_rss_mb"], m["full_handshake_cpu_ms"],
            m["resumed_handshake_cpu_ms"], m["resumed"]))
    return "\n".join(lines)


if __name__ == "__main__":
    state_dir = os.path.abspath(sys.argv[1])
    print(describe(measure(state_dir), len(_reseller_names(state_dir))))
