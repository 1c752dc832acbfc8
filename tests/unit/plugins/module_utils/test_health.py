# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_health: a frontend passes only with the virtual host's own, trusted certificate and HTTP 200."""
from __future__ import annotations

import http.server
import ssl
import threading

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _health, _tls


@pytest.fixture()
def server(tmp_path):
    """An HTTPS server on 127.0.0.1 with a certificate for good.test and second.test from a CA of its own;
    answers 200 on /healthz and 502 elsewhere, and, as nginx and the panel do together, 421 when the Host is
    not the connection's name (SNI) unless `behaviour["misdirected"]` says otherwise."""
    store = str(tmp_path / "pki")
    ca_key, ca_cert, _created = _tls.load_or_create_ca(store, "health test CA")
    provider = _tls.InternalCAProvider(store, {"days": 5})
    issued = provider.issue([{"fqdn": "good.test", "names": ["good.test", "second.test"]}])["good.test"]
    (tmp_path / "cert.pem").write_bytes(issued["cert_pem"] + issued["chain_pem"])
    (tmp_path / "key.pem").write_bytes(issued["key_pem"])
    seen, behaviour = [], {"misdirected": 421}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            seen.append((self.path, self.headers.get("Host")))
            misdirected = self.headers.get("Host").split(":")[0] != self.connection.server_name_seen
            self.send_response(behaviour["misdirected"] if misdirected else 200 if self.path == "/healthz" else 502)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    context.sni_callback = lambda sock, name, _context: setattr(sock, "server_name_seen", name)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield dict(port=httpd.server_address[1], ca=store + "/ca/ca.crt", seen=seen, behaviour=behaviour)
    httpd.shutdown()
    httpd.server_close()


def test_a_trusted_certificate_and_200_pass_and_the_host_header_names_the_virtual_host(server):
    ok, detail = _health.check_host("127.0.0.1", server["port"], "good.test", ca_file=server["ca"], timeout=5)
    assert ok and detail == "HTTP 200"
    assert server["seen"] == [("/healthz", "good.test:%d" % server["port"])]


def test_another_status_fails_naming_it(server):
    ok, detail = _health.check_host("127.0.0.1", server["port"], "good.test", "/", ca_file=server["ca"])
    assert not ok and detail == "HTTP 502 for /"


def test_a_certificate_for_another_name_or_from_an_untrusted_ca_fails(server, tmp_path):
    ok, detail = _health.check_host("127.0.0.1", server["port"], "other.test", ca_file=server["ca"], timeout=5)
    assert not ok and "does not verify" in detail and "other.test" in detail
    other = str(tmp_path / "other")
    _tls.load_or_create_ca(other, "another CA")
    ok, detail = _health.check_host("127.0.0.1", server["port"], "good.test", ca_file=other + "/ca/ca.crt")
    assert not ok and "does not verify" in detail


def test_nothing_listening_fails_after_the_attempts_without_sleeping_for_real():
    pauses = []
    results = _health.check_frontend("127.0.0.1", 1, ["good.test"], attempts=3, pause=pauses.append, timeout=2)
    assert results["good.test"]["ok"] is False and "ConnectionRefusedError" in results["good.test"]["detail"]
    assert pauses == [1.0, 1.0]


def test_a_shorter_interval_tries_more_often_within_the_same_time():
    pauses = []
    results = _health.check_frontend("127.0.0.1", 1, ["good.test"], attempts=3, pause=pauses.append, timeout=2,
                                     interval=0.2)
    assert results["good.test"]["ok"] is False
    assert pauses == [0.2] * 10 and abs(sum(pauses) - 2.0) < 1e-9


@pytest.mark.parametrize("attempts, interval, expected", [
    (3, 1.0, 3), (3, 0.2, 11), (50, 0.2, 246), (1, 0.2, 1), (2, 0.3, 5), (0, 1.0, 1),
])
def test_tries_cover_the_time_a_host_may_take(attempts, interval, expected):
    assert _health.tries(attempts, interval) == expected


def test_an_unreadable_trust_anchor_is_named(tmp_path):
    ok, detail = _health.check_host("127.0.0.1", 1, "good.test", ca_file=str(tmp_path / "missing.pem"))
    assert not ok and "missing.pem" in detail


def test_with_two_hosts_the_second_asked_over_the_first_ones_connection_must_be_misdirected(server):
    results = _health.check_frontend("127.0.0.1", server["port"], ["good.test", "second.test"], ca_file=server["ca"])
    key = "second.test on good.test's connection"
    assert results == {"good.test": {"ok": True, "detail": "HTTP 200"},
                       "second.test": {"ok": True, "detail": "HTTP 200"},
                       key: {"ok": True, "detail": "HTTP 421"}}
    assert server["seen"][-1] == ("/healthz", "second.test:%d" % server["port"])


def test_a_misdirected_request_that_is_served_fails_the_frontend_and_says_why(server):
    server["behaviour"]["misdirected"] = 200
    results = _health.check_frontend("127.0.0.1", server["port"], ["good.test", "second.test"], ca_file=server["ca"])
    failed = results["second.test on good.test's connection"]
    assert failed["ok"] is False and failed["detail"].startswith("HTTP 200 for /healthz where 421 is due")
    assert "is the panel older than this release?" in failed["detail"]


def test_one_host_or_a_failed_host_sends_no_misdirected_request(server):
    assert list(_health.check_frontend("127.0.0.1", server["port"], ["good.test"], ca_file=server["ca"])) == \
        ["good.test"]
    results = _health.check_frontend("127.0.0.1", server["port"], ["good.test", "bad.test"], ca_file=server["ca"],
                                     attempts=1)
    assert list(results) == ["good.test", "bad.test"] and results["bad.test"]["ok"] is False


def _params(**given):
    params = dict((name, spec.get("default")) for name, spec in _health.ARGUMENT_SPEC.items())
    params.update(given)
    return params


@pytest.mark.parametrize("given, problem", [
    (dict(hosts=[]), "hosts: at least one virtual host to check"),
    (dict(hosts=["good.test"], interval=0.0), "interval: must be more than 0 seconds, got 0.0"),
    (dict(hosts=["good.test"], interval=-1.0), "interval: must be more than 0 seconds, got -1.0"),
    (dict(hosts=["good.test"]), None),
])
def test_argument_problem_names_the_argument(given, problem):
    assert _health.argument_problem(_params(address="127.0.0.1", **given)) == problem


def test_run_checks_passes_a_healthy_frontend_and_names_every_failed_host(server):
    params = _params(address="127.0.0.1", port=server["port"], hosts=["good.test", "second.test"],
                     ca_file=server["ca"], timeout=5, attempts=1)
    checks, failure = _health.run_checks(params)
    assert failure is None and all(check["ok"] for check in checks.values()) and len(checks) == 3
    params.update(hosts=["good.test", "other.test"])
    checks, failure = _health.run_checks(params)
    assert failure.startswith("health check of 127.0.0.1:%d failed: other.test (the certificate served for "
                              "other.test does not verify" % server["port"])
    assert "good.test (" not in failure and checks["good.test"]["ok"] is True
