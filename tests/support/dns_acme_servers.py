# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start bind9 (authoritative, RFC 2136 with a TSIG key) and pebble (ACME test CA) on loopback, for tests.

Both come from Debian's packages and run in a scratch directory, bound to 127.0.0.1 only, stopped by PID.
pebble resolves every name through the bind9 started next to it, so what the zone says decides where pebble
validates HTTP-01 challenges and which TXT records it sees for DNS-01.

Used by the pytest fixtures and, as a command, by molecule scenarios:
    python tests/support/dns_acme_servers.py start DIR [--zone NAME ...] [--dns-port N] [--acme-port N]
        [--management-port N] [--http-port N] [--record "NAME TYPE VALUE" ...] [--no-pebble]
        -> prints the servers' description as JSON (also saved as DIR/servers.json)
    python tests/support/dns_acme_servers.py stop DIR
"""
from __future__ import annotations

import argparse
import base64
import datetime
import functools
import http.server
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

TSIG_NAME = "panel-update."
TSIG_ALGORITHM = "hmac-sha256"


class Webroot:
    """Serves a directory on pebble's HTTP-01 port, as nginx serves panel_nginx_acme_webroot."""

    def __init__(self, directory, port):
        os.makedirs(str(directory), exist_ok=True)
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def free_port(kind=socket.SOCK_STREAM):
    """A port free for both TCP and UDP on 127.0.0.1 (DNS listens on both)."""
    for _attempt in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port on 127.0.0.1")


def missing():
    """Why the servers cannot be started here, or None."""
    for binary in ("named", "pebble", "openssl"):
        if not (shutil.which(binary) or os.path.exists("/usr/sbin/" + binary)):
            return "%s not found: apt-get install bind9 pebble openssl" % binary
    return None


def _named():
    return shutil.which("named") or "/usr/sbin/named"


def _wait_tcp(port, timeout=30, proc=None, log=None, address="127.0.0.1"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited with %s before listening on %d: %s"
                               % (proc.returncode, port, _tail(log)))
        with socket.socket() as sock:
            if sock.connect_ex((address, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server on %s:%d did not come up in %d s: %s" % (address, port, timeout, _tail(log)))


def _tail(path, size=2000):
    if not path or not os.path.exists(path):
        return ""
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - size))
        return handle.read().decode("utf-8", "replace")


def _zone_text(zone, records):
    lines = [
        "$TTL 60",
        "@ IN SOA ns1.%s. hostmaster.%s. 1 3600 600 86400 60" % (zone, zone),
        "@ IN NS ns1.%s." % zone,
        "ns1 IN A 127.0.0.1",
    ]
    for name, rtype, value in records:
        lines.append("%s IN %s %s" % (name, rtype, value))
    return "\n".join(lines) + "\n"


def _records_for(zone, records):
    """Records (name, type, value) given as absolute names that belong to `zone`, made relative."""
    out = []
    for name, rtype, value in records:
        name = name.rstrip(".")
        if name == zone:
            out.append(("@", rtype, value))
        elif name.endswith("." + zone):
            out.append((name[: -len(zone) - 1], rtype, value))
    return out


def start_bind(base, port, zones, records=(), keyname=TSIG_NAME, secret=None, readonly_zones=(),
               address="127.0.0.1"):
    """Start named authoritative for `zones` (updatable with a TSIG key) and `readonly_zones` (no updates),
    listening on `address` (a loopback address) only."""
    base = os.path.abspath(base)
    os.makedirs(base, exist_ok=True)
    secret = secret or base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    key_clause = 'key "%s" { algorithm %s; secret "%s"; };\n' % (keyname.rstrip("."), TSIG_ALGORITHM, secret)
    conf = [
        key_clause,
        'options {\n  directory "%s";\n  pid-file "%s/named.pid";\n  listen-on port %d { %s; };\n'
        '  listen-on-v6 { none; };\n  recursion no;\n  notify no;\n  dnssec-validation no;\n'
        '  allow-transfer { none; };\n};\n' % (base, base, port, address),
        "controls { };\n",
        'logging { channel default_log { file "%s/named.log"; severity info; print-time yes; };\n'
        '  category default { default_log; }; category update { default_log; }; };\n' % base,
    ]
    for zone in list(zones) + list(readonly_zones):
        path = os.path.join(base, "db.%s" % zone)
        with open(path, "w") as handle:
            handle.write(_zone_text(zone, _records_for(zone, records)))
        jnl = path + ".jnl"
        if os.path.exists(jnl):
            os.unlink(jnl)
        update = "none;" if zone in readonly_zones else 'key "%s";' % keyname.rstrip(".")
        conf.append('zone "%s" { type master; file "%s"; allow-update { %s }; };\n' % (zone, path, update))
    with open(os.path.join(base, "named.conf"), "w") as handle:
        handle.write("".join(conf))
    log = os.path.join(base, "named.stderr")
    with open(log, "ab") as out:
        proc = subprocess.Popen([_named(), "-f", "-4", "-p", str(port), "-c", os.path.join(base, "named.conf")],
                                stdout=out, stderr=out, start_new_session=True)
    _wait_tcp(port, proc=proc, log=log, address=address)
    _wait_zones(port, list(zones) + list(readonly_zones), proc, log, address=address)
    return dict(pid=proc.pid, server=address, port=port, zones=list(zones),
                readonly_zones=list(readonly_zones),
                tsig=dict(name=keyname.rstrip("."), secret=secret, algorithm=TSIG_ALGORITHM))


def _wait_zones(port, zones, proc, log, timeout=30, address="127.0.0.1"):
    """named listens before it has loaded its zones: wait until each answers its SOA."""
    import dns.exception
    import dns.message
    import dns.query
    import dns.rcode

    deadline = time.monotonic() + timeout
    pending = list(zones)
    while pending and time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("named exited with %s: %s" % (proc.returncode, _tail(log)))
        try:
            reply = dns.query.tcp(dns.message.make_query(pending[0], "SOA"), address, port=port, timeout=2)
            if reply.rcode() == dns.rcode.NOERROR and reply.answer:
                pending.pop(0)
                continue
        except (OSError, EOFError, dns.exception.DNSException):
            pass
        time.sleep(0.1)
    if pending:
        raise RuntimeError("named did not load zone(s) %s: %s" % (", ".join(pending), _tail(log)))


def make_tls(base, address="127.0.0.1"):
    """A CA and a server certificate for localhost and `address` (pebble's own API), made with cryptography."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "panelops test ACME server CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address(address))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            # Python 3.13 verifies strictly (VERIFY_X509_STRICT): a CA-issued certificate needs its AKI.
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = dict(ca=os.path.join(base, "pebble-ca.pem"), cert=os.path.join(base, "pebble-cert.pem"),
                 key=os.path.join(base, "pebble-key.pem"))
    with open(paths["ca"], "wb") as handle:
        handle.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths["cert"], "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(paths["key"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return paths


def start_pebble(base, port, management_port, http_port, tls_port, dns_port, address="127.0.0.1",
                 dns_address="127.0.0.1"):
    """Start pebble validating for real (no PEBBLE_VA_ALWAYS_VALID), listening on `address`, resolving through
    dns_address:dns_port."""
    base = os.path.abspath(base)
    os.makedirs(base, exist_ok=True)
    tls = make_tls(base, address)
    config = os.path.join(base, "pebble-config.json")
    with open(config, "w") as handle:
        json.dump(dict(pebble=dict(
            listenAddress="%s:%d" % (address, port), managementListenAddress="%s:%d" % (address, management_port),
            certificate=tls["cert"], privateKey=tls["key"], httpPort=http_port, tlsPort=tls_port,
            ocspResponderURL="", externalAccountBindingRequired=False)), handle)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEBBLE_")}
    env.update(PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0", PEBBLE_AUTHZREUSE="0")
    log = os.path.join(base, "pebble.log")
    with open(log, "ab") as out:
        proc = subprocess.Popen(["pebble", "-config", config, "-dnsserver", "%s:%d" % (dns_address, dns_port)],
                                stdout=out, stderr=out, env=env, cwd=base, start_new_session=True)
    _wait_tcp(port, proc=proc, log=log, address=address)
    _wait_tcp(management_port, proc=proc, log=log, address=address)
    return dict(pid=proc.pid, directory="https://%s:%d/dir" % (address, port), trust_anchor=tls["ca"],
                management="https://%s:%d" % (address, management_port), http_port=http_port, tls_port=tls_port)


def pebble_roots(acme):
    """PEM of pebble's current issuing root (it changes on every start), read from its management API."""
    context = ssl.create_default_context(cafile=acme["trust_anchor"])
    with urllib.request.urlopen(acme["management"] + "/roots/0", context=context, timeout=10) as reply:
        return reply.read().decode("ascii")


def start(base, zones=("provider.test",), records=(), dns_port=None, acme_port=None, management_port=None,
          http_port=None, tls_port=None, pebble=True, readonly_zones=()):
    """Start bind9 (and pebble unless pebble=False); returns {"dns": {...}, "acme": {...}|None}."""
    base = os.path.abspath(base)
    os.makedirs(base, exist_ok=True)
    state = dict(dns=None, acme=None)
    try:
        state["dns"] = start_bind(os.path.join(base, "bind"), dns_port or free_port(), zones, records,
                                  readonly_zones=readonly_zones)
        if pebble:
            state["acme"] = start_pebble(os.path.join(base, "pebble"), acme_port or free_port(),
                                         management_port or free_port(), http_port or free_port(),
                                         tls_port or free_port(), state["dns"]["port"])
    except Exception:
        _save(base, state)
        stop(base)
        raise
    _save(base, state)
    return state


def _save(base, state):
    with open(os.path.join(base, "servers.json"), "w") as handle:
        json.dump(state, handle, indent=2)


def _gone(pid):
    """True once `pid` has exited (reaping it when it is our own child, so it does not linger as a zombie)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(pid) for pid in pids):
        time.sleep(0.05)
    for pid in pids:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)


def stop(base):
    """Stop what start() started in `base` (by the PIDs it recorded)."""
    path = os.path.join(os.path.abspath(base), "servers.json")
    if not os.path.exists(path):
        return
    with open(path) as handle:
        state = json.load(handle)
    _kill([state[part]["pid"] for part in ("acme", "dns") if state.get(part) and state[part].get("pid")])
    os.unlink(path)


class ChallengeServer:
    """A tiny HTTP server on 127.0.0.1 answering HTTP-01 challenges: an `http01` responder for `_acme`.

    Use as `with ChallengeServer(port) as http01: ...`; `place(token, content)` / `remove(token)`.
    """

    def __init__(self, port):
        import http.server
        import threading

        self.tokens = {}
        self.requests = []
        tokens, seen = self.tokens, self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                prefix = "/.well-known/acme-challenge/"
                token = self.path[len(prefix):] if self.path.startswith(prefix) else None
                seen.append(self.path)
                body = tokens.get(token)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = body.encode("ascii")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def place(self, token, content):
        self.tokens[token] = content

    def remove(self, token):
        self.tokens.pop(token, None)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start")
    p_start.add_argument("dir")
    p_start.add_argument("--zone", action="append", dest="zones")
    p_start.add_argument("--record", action="append", default=[],
                         help='"NAME TYPE VALUE", NAME absolute, e.g. "cloud.demo.test A 127.0.0.1"')
    for name in ("dns-port", "acme-port", "management-port", "http-port", "tls-port"):
        p_start.add_argument("--" + name, type=int)
    p_start.add_argument("--no-pebble", action="store_true")
    p_stop = sub.add_parser("stop")
    p_stop.add_argument("dir")
    args = parser.parse_args(argv)
    if args.command == "stop":
        stop(args.dir)
        return 0
    records = [tuple(r.split(None, 2)) for r in args.record]
    state = start(args.dir, zones=args.zones or ["provider.test"], records=records, dns_port=args.dns_port,
                  acme_port=args.acme_port, management_port=args.management_port, http_port=args.http_port,
                  tls_port=args.tls_port, pebble=not args.no_pebble)
    print(json.dumps(state))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
