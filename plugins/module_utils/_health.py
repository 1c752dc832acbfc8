# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Health checks of a frontend over TLS: one HTTPS request per virtual host, sent to the frontend's own address.

The connection goes to `address:port` while the TLS handshake names the virtual host (SNI) and the certificate
is verified for it against `ca_file` (or the system's trust store): a frontend passes only when it serves that
host's certificate, it chains to a trusted root and the request through nginx to the panel answers 200.
With two hosts or more, one request more asks for the second host over the first one's connection: it must be
refused as misdirected (421), which takes nginx and the panel together (nginx marks it, the panel answers).
"""

from __future__ import annotations

import http.client
import math
import socket
import ssl

USER_AGENT = "panelops.reseller frontend health check"

# The arguments of the frontend_health action (its module file documents them).
ARGUMENT_SPEC = dict(
    address=dict(type="str", required=True),
    port=dict(type="int", default=443),
    hosts=dict(type="list", elements="str", required=True),
    path=dict(type="str", default="/healthz"),
    ca_file=dict(type="path"),
    timeout=dict(type="float", default=10.0),
    attempts=dict(type="int", default=3),
    interval=dict(type="float", default=1.0),
)


def argument_problem(params):
    """The first argument the types of ARGUMENT_SPEC let through but the check cannot use, named; else None."""
    if not params["hosts"]:
        return "hosts: at least one virtual host to check"
    if not params["interval"] > 0:
        return "interval: must be more than 0 seconds, got %s" % params["interval"]
    return None


def run_checks(params):
    """(checks, failure message or None) of check_frontend with the validated arguments."""
    checks = check_frontend(params["address"], params["port"], params["hosts"], params["path"], params["ca_file"],
                            params["timeout"], params["attempts"], interval=params["interval"])
    bad = ["%s (%s)" % (fqdn, check["detail"]) for fqdn, check in checks.items() if not check["ok"]]
    if not bad:
        return checks, None
    return checks, "health check of %s:%d failed: %s" % (params["address"], params["port"], "; ".join(bad))


def check_host(address, port, fqdn, path="/healthz", ca_file=None, timeout=10.0, connection_name=None,
               expect=200):
    """(ok, detail) of one GET https://fqdn:port/path sent to address:port, on a TLS connection opened for
    `connection_name` (default fqdn itself); ok when the answer is `expect`."""
    connection_name = connection_name or fqdn
    try:
        context = ssl.create_default_context(cafile=ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        return False, "cannot read the trust anchors %s: %s" % (ca_file, exc)
    host = fqdn if int(port) == 443 else "%s:%d" % (fqdn, int(port))
    request = ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\nConnection: close\r\n\r\n"
               % (path, host, USER_AGENT)).encode("ascii")
    try:
        with socket.create_connection((address, int(port)), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=connection_name) as sock:
                sock.sendall(request)
                response = http.client.HTTPResponse(sock)
                response.begin()
                response.read(65536)
                status = response.status
    except ssl.SSLCertVerificationError as exc:
        reason = exc.verify_message or exc
        return False, "the certificate served for %s does not verify: %s" % (connection_name, reason)
    except (OSError, ssl.SSLError, http.client.HTTPException) as exc:
        return False, "%s: %s" % (type(exc).__name__, exc)
    if status != expect:
        return False, "HTTP %d for %s" % (status, path)
    return True, "HTTP %d" % status


def tries(attempts, interval):
    """How many times a host is tried: every `interval` seconds for the `attempts` - 1 seconds it may take."""
    return max(1, math.ceil((attempts - 1) / interval - 1e-9) + 1)


def check_frontend(address, port, fqdns, path="/healthz", ca_file=None, timeout=10.0, attempts=3, pause=None,
                   interval=1.0):
    """{fqdn: {"ok": bool, "detail": str}} for every FQDN; each may take `attempts` - 1 seconds to answer, tried
    every `interval` seconds (a reload replaces nginx's workers gracefully, and the new configuration serves only
    once nginx has loaded all of it: the first requests may meet the old one)."""
    import time

    results = {}
    count = tries(attempts, interval)
    for fqdn in fqdns:
        for attempt in range(count):
            ok, detail = check_host(address, port, fqdn, path, ca_file, timeout)
            if ok:
                break
            if attempt + 1 < count:
                (pause or time.sleep)(interval)
        results[fqdn] = {"ok": ok, "detail": detail}
    if len(fqdns) > 1 and all(result["ok"] for result in results.values()):
        results.update(check_misdirected(address, port, fqdns[0], fqdns[1], path, ca_file, timeout))
    return results


def check_misdirected(address, port, connection_name, fqdn, path="/healthz", ca_file=None, timeout=10.0):
    """{key: result} of one request for `fqdn` over a connection opened for `connection_name`: only 421 passes.
    Anything else means one connection would serve two tenants, typically a panel older than its frontends'
    configuration (nginx marks the request, and only the panel answers the mark)."""
    ok, detail = check_host(address, port, fqdn, path, ca_file, timeout, connection_name=connection_name,
                            expect=421)
    if not ok:
        detail += " where 421 is due: a Host other than the connection's name must be refused (nginx marks the " \
                  "request X-Panelops-Misdirected and the panel answers 421; is the panel older than this release?)"
    return {"%s on %s's connection" % (fqdn, connection_name): {"ok": ok, "detail": detail}}
