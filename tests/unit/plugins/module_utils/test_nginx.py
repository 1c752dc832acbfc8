# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_nginx: the vhost model, and the writer against a real nginx (nginx -t, rollback, purge, check mode), plus
the role templates served by a real nginx in front of an upstream that echoes what it received."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import ssl
import stat

import pytest
from cryptography.hazmat.primitives import serialization

from ansible_collections.panelops.reseller.plugins.module_utils import _nginx, _tls
from tests.support.nginx import EchoUpstream, Nginx, free_port, render, run_command
from tests.support.files import read_bytes, read_text

RESELLERS = [
    {"name": "acme", "state": "present", "enduser_panel_url": "https://cloud.acme.test:8443/"},
    {"name": "globex", "state": "suspended", "enduser_panel_url": "https://Panel.Globex.test/"},
    {"name": "initech", "state": "absent", "enduser_panel_url": "https://initech.test/"},
]
VHOST = {
    "upstream": "127.0.0.1:8000", "listen_address": "127.0.0.1", "http_port": 8080, "https_port": 8443,
    "dashboard_path": "/reseller/", "acme_webroot": "/srv/acme", "hsts_max_age": 31536000, "staff_allow": [],
    "tls_dir": "/srv/tls", "access_log": "/var/log/nginx/access.log", "access_log_format": "combined",
    "certificate_loading": "reload", "user_space": False,
}


# ------------------------------------------------------------------------------------------------ the model

def test_reseller_sites_serves_present_and_suspended_and_retires_absent():
    sites, retired, problems = _nginx.reseller_sites(RESELLERS)
    assert problems == []
    assert [(s["fqdn"], s["reseller"], s["state"]) for s in sites] == [
        ("cloud.acme.test", "acme", "present"), ("panel.globex.test", "globex", "suspended")]
    assert retired == ["initech.test"]


def test_reseller_sites_lists_every_problem_naming_reseller_and_field():
    _sites, _retired, problems = _nginx.reseller_sites([
        {"name": "acme", "enduser_panel_url": "http://cloud.acme.test/"},
        {"name": "evil", "enduser_panel_url": "https://x.test/;include /etc/passwd"},
        {"name": "dup", "enduser_panel_url": "https://CLOUD.acme.test/"},
        {"name": "dup", "enduser_panel_url": "https://dup.test/"},
        {"name": "Bad Name", "state": "gone", "enduser_panel_url": "https://b.test/"},
    ])
    assert "reseller 'acme': enduser_panel_url: 'http://cloud.acme.test/' must use https://" in problems
    assert any(p.startswith("reseller 'evil': enduser_panel_url:") and "quoting characters" in p for p in problems)
    # The model's words, the same as the inventory validation's: one slug rule (no '_') for every step.
    assert "reseller 'dup': name: duplicate reseller name" in problems
    assert "reseller 'Bad Name': name: must be a slug (a-z, 0-9, '-', 1-63 characters, not starting or ending " \
           "with '-')" in problems
    assert any(p.startswith("reseller 'Bad Name': state: must be one of") for p in problems)
    assert len(problems) == 5


def test_idn_host_becomes_its_ascii_form():
    sites, _retired, problems = _nginx.reseller_sites(
        [{"name": "muller", "enduser_panel_url": "https://müller.test/"}])
    assert problems == []
    assert sites[0]["fqdn"] == "xn--mller-kva.test"


@pytest.mark.parametrize("key, value, message", [
    ("upstream", "127.0.0.1:8000; include /etc/shadow", "upstream: '127.0.0.1:8000; include /etc/shadow' has no"),
    ("upstream", "127.0.0.1;evil:8000", "upstream: must be host:port"),
    ("upstream", "127.0.0.1", "upstream: must be host:port"),
    ("upstream", "unix:/run/panel sock", "upstream: unix socket path"),
    ("listen_address", "0.0.0.0; evil", "listen_address: must be an IP address"),
    ("http_port", 0, "http_port: must be a port number"),
    ("https_port", "443", "https_port: must be a port number"),
    ("dashboard_path", "/reseller/ { return 200; }", "dashboard_path: must be a path like /reseller/"),
    ("dashboard_path", "/staff/", "dashboard_path: /staff/ is reserved"),
    ("acme_webroot", "/srv/acme; root /", "acme_webroot: must be an absolute path"),
    ("access_log", "/var/log/a.log if=$x", "access_log: must be an absolute path"),
    ("access_log", "logs/a.log", "access_log: must be an absolute path"),
    ("access_log_format", "combined if=$x", "access_log_format: must be the name of an nginx log_format"),
    ("access_log_format", "", "access_log_format: must be the name of an nginx log_format"),
    ("certificate_loading", "lazy", "certificate_loading: must be one of reload, handshake, got 'lazy'"),
    ("certificate_loading", "handshake", "certificate_loading: handshake needs the user-space nginx"),
    ("hsts_max_age", -1, "hsts_max_age: must be a non-negative integer"),
    ("staff_allow", ["10.0.0.0/8", "all; allow 0.0.0.0/0"], "staff_allow: 'all; allow 0.0.0.0/0' is not an IP"),
])
def test_vhost_settings_refuse_anything_that_could_inject_a_directive(key, value, message):
    settings = dict(VHOST, **{key: value})
    problems = _nginx.validate_vhost_settings(settings)
    assert any(p.startswith(message) for p in problems), problems


def test_valid_vhost_settings_have_no_problem():
    assert _nginx.validate_vhost_settings(dict(VHOST, staff_allow=["10.0.0.0/8", "::1"])) == []
    assert _nginx.validate_vhost_settings(dict(VHOST, upstream="unix:/run/panel.sock")) == []
    assert _nginx.validate_vhost_settings(dict(VHOST, upstream="[::1]:8000")) == []
    assert _nginx.validate_vhost_settings(dict(VHOST, certificate_loading="handshake", user_space=True)) == []


# ------------------------------------------------------------------------------------------------ the writer

@pytest.fixture()
def nginx(tmp_path):
    server = Nginx(tmp_path / "nginx")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A certificate store with certificates for the test FQDNs (internal CA)."""
    store = str(tmp_path_factory.mktemp("pki"))
    resellers = [{"name": n.split(".", maxsplit=1)[0].replace("-", ""), "enduser_panel_url": "https://%s/" % n}
                 for n in ("cloud.acme.test", "panel.globex.test", "third.test")]
    _tls.ensure_certificates(store, resellers, provider_url="https://panel.demo.test/")
    return store


def certificate(pki, fqdn):
    base = os.path.join(pki, "certs", fqdn)
    with open(os.path.join(base, "fullchain.pem")) as full, open(os.path.join(base, "privkey.pem")) as key:
        return {"fqdn": fqdn, "fullchain": full.read(), "key": key.read()}


def site(fqdn, set_name="resellers", body=None):
    head = _nginx.marker(set_name)
    body = body or "server {\n    listen 127.0.0.1:%d;\n    server_name %s;\n    return 204;\n}\n" % (
        free_port(), fqdn)
    return {"name": fqdn, "content": head + "\n" + body}


def apply(nginx, sites, certificates=None, check_mode=False, set_name="resellers"):
    return _nginx.apply_site_set(nginx.sites_dir, set_name, sites, tls_dir=nginx.tls_dir,
                                 certificates=certificates or [], test_command=nginx.test_command, run_command=run_command,
                                 check_mode=check_mode)


def listing(directory):
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


def vhost_files(nginx):
    return {name: read_text(os.path.join(nginx.sites_dir, name)) for name in listing(nginx.sites_dir)
            if name.endswith(".conf")}


def test_first_run_creates_then_second_run_is_unchanged(nginx, pki):
    sites = [site("cloud.acme.test"), site("panel.globex.test")]
    certs = [certificate(pki, "cloud.acme.test"), certificate(pki, "panel.globex.test")]
    first = apply(nginx, sites, certs)
    assert first["changed"] is True and first["tested"] is True
    assert first["created"] == ["cloud.acme.test", "panel.globex.test"]
    assert first["certificates"] == {"cloud.acme.test": "created", "panel.globex.test": "created"}
    assert listing(nginx.sites_dir) == ["cloud.acme.test.conf", "panel.globex.test.conf"]
    assert stat.S_IMODE(os.stat(os.path.join(nginx.tls_dir, "cloud.acme.test.key")).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.join(nginx.tls_dir, "cloud.acme.test.crt")).st_mode) == 0o644
    # Keys never reach the diff; vhost text does.
    text = _nginx.unified_diff(first["diff"])
    assert "server_name cloud.acme.test;" in text and "PRIVATE KEY" not in text

    os.unlink(os.path.join(nginx.tls_dir, _nginx.RELOAD_PENDING))  # the reload handler's part
    second = apply(nginx, sites, certs)
    assert second["changed"] is False and second["tested"] is False
    assert second["unchanged"] == ["cloud.acme.test", "panel.globex.test"]
    assert second["diff"] == []


def test_without_diff_the_same_files_and_results_and_no_diff(nginx, pki):
    """The module asks for a diff only in diff mode: the rest of the result and every file are the same."""
    certs = [certificate(pki, "cloud.acme.test")]
    sites = [site("cloud.acme.test", body="server {\n    listen 127.0.0.1:%d;\n    server_name cloud.acme.test;\n"
                  "    return 204;\n}" % free_port())]  # no final newline: the writer adds it either way
    with_diff = apply(nginx, sites, certs)
    written = {path: read_bytes(path) for path in _tree(nginx)}
    shutil.rmtree(nginx.sites_dir)
    shutil.rmtree(nginx.tls_dir)
    without = _nginx.apply_site_set(nginx.sites_dir, "resellers", sites, tls_dir=nginx.tls_dir, certificates=certs,
                                    test_command=nginx.test_command, run_command=run_command, with_diff=False)
    assert without["diff"] == [] and with_diff["diff"]
    assert {key: value for key, value in without.items() if key != "diff"} == \
        {key: value for key, value in with_diff.items() if key != "diff"}
    assert {path: read_bytes(path) for path in _tree(nginx)} == written
    assert written[os.path.join(nginx.sites_dir, "cloud.acme.test.conf")].endswith(b"}\n")


def _tree(nginx):
    return sorted(os.path.join(root, name) for base in (nginx.sites_dir, nginx.tls_dir)
                  for root, _dirs, names in os.walk(base) for name in names)


def test_check_mode_reports_and_writes_nothing(nginx, pki):
    result = apply(nginx, [site("cloud.acme.test")], [certificate(pki, "cloud.acme.test")], check_mode=True)
    assert result["changed"] is True and result["created"] == ["cloud.acme.test"]
    assert listing(nginx.sites_dir) == [] and listing(nginx.tls_dir) == []


def test_stale_managed_files_are_retired_and_others_left_alone(nginx, pki):
    apply(nginx, [site("cloud.acme.test"), site("panel.globex.test")],
          [certificate(pki, "cloud.acme.test"), certificate(pki, "panel.globex.test")])
    other_set = os.path.join(nginx.sites_dir, "panel.demo.test.conf")
    with open(other_set, "w") as handle:
        handle.write(site("panel.demo.test", set_name="provider")["content"])
    unmanaged = os.path.join(nginx.sites_dir, "hand-made.conf")
    with open(unmanaged, "w") as handle:
        handle.write("# written by hand\n")

    result = apply(nginx, [site("cloud.acme.test")], [certificate(pki, "cloud.acme.test")])
    assert result["removed"] == ["panel.globex.test"]
    assert result["certificates"] == {"cloud.acme.test": "unchanged", "panel.globex.test": "removed"}
    assert listing(nginx.sites_dir) == ["cloud.acme.test.conf", "hand-made.conf", "panel.demo.test.conf", "retired"]
    assert listing(os.path.join(nginx.sites_dir, "retired")) == ["panel.globex.test.conf"]
    assert "panel.globex.test.key" in listing(os.path.join(nginx.tls_dir, "retired"))
    assert "panel.globex.test.key" not in listing(nginx.tls_dir)


def test_refuses_to_overwrite_an_unmanaged_file(nginx):
    path = os.path.join(nginx.sites_dir, "cloud.acme.test.conf")
    with open(path, "w") as handle:
        handle.write("# the operator's own vhost\n")
    with pytest.raises(_nginx.NginxSitesError, match="not managed by nginx_sites; refusing to overwrite"):
        apply(nginx, [site("cloud.acme.test")])
    with open(path) as handle:
        assert handle.read() == "# the operator's own vhost\n"


def test_failed_nginx_test_restores_every_file_and_shows_nginx_error(nginx, pki):
    good = [site("cloud.acme.test"), site("panel.globex.test")]
    certs = [certificate(pki, "cloud.acme.test")]
    apply(nginx, good, certs)
    before = vhost_files(nginx)

    # A deliberately broken vhost in the new set: nginx -t must fail over the whole configuration.
    broken = site("cloud.acme.test", body="server {\n    listen 127.0.0.1:%d;\n    bogus_directive on;\n}\n"
                  % free_port())
    with pytest.raises(_nginx.NginxSitesError) as err:
        apply(nginx, [broken, site("third.test")], [certificate(pki, "third.test")])
    assert 'unknown directive "bogus_directive"' in str(err.value)
    assert "previous files were restored" in str(err.value)
    assert vhost_files(nginx) == before
    assert "third.test.crt" not in listing(nginx.tls_dir)
    # panel.globex.test was retired during the attempt and is back in place.
    assert listing(os.path.join(nginx.sites_dir, "retired")) == []


def test_broken_file_outside_the_set_fails_the_test_and_nothing_is_kept(nginx):
    with open(os.path.join(nginx.sites_dir, "zz-broken.conf"), "w") as handle:
        handle.write("server { listen 127.0.0.1:%d; oops; }\n" % free_port())
    with pytest.raises(_nginx.NginxSitesError, match='unknown directive "oops"'):
        apply(nginx, [site("cloud.acme.test")])
    assert listing(nginx.sites_dir) == ["zz-broken.conf"]


def test_invalid_set_lists_every_problem(nginx):
    with pytest.raises(_nginx.NginxSitesError) as err:
        _nginx.apply_site_set(nginx.sites_dir, "Bad Set", [
            {"name": "../etc/passwd", "content": "x"}, {"name": "ok.test", "content": "no marker"}])
    problems = err.value.problems
    assert problems[0].startswith("set_name:")
    assert any(p.startswith("site '../etc/passwd': name:") for p in problems)
    assert any(p.startswith("site 'ok.test': content must start with the marker line") for p in problems)


# ------------------------------------------------------------------------------------------------ the templates

def https_get(port, host, path, cafile, headers=None, method="GET", body=None, sni=None):
    """One request over TLS to loopback; SNI and certificate check name `sni` (default: `host`)."""
    context = ssl.create_default_context(cafile=cafile)
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    conn.sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                                    server_hostname=sni or host)
    try:
        conn.request(method, path, body=body, headers=dict({"Host": "%s:%d" % (host, port)}, **(headers or {})))
        return _answer(conn.getresponse())
    finally:
        conn.close()


def http_get(port, host, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        return _answer(conn.getresponse())
    finally:
        conn.close()


def _answer(response):
    return response.status, dict((k.lower(), v) for k, v in response.getheaders()), response.read()


def serve_role_templates(nginx, pki, tmp_path, upstream, **settings):
    """Both roles' vhost sets (resellers first, as a frontend without the provider set yet would have them)
    rendered and served by `nginx`; returns (http_port, https_port, CA file)."""
    webroot = tmp_path / "acme"
    (webroot / ".well-known" / "acme-challenge").mkdir(parents=True)
    (webroot / ".well-known" / "acme-challenge" / "token123").write_text("token123.thumbprint")
    os.chmod(tmp_path, 0o755)
    http_port, https_port = free_port(), free_port()
    vhost = dict(VHOST, upstream=upstream.address, http_port=http_port, https_port=https_port,
                 acme_webroot=str(webroot), tls_dir=nginx.tls_dir, access_log=os.path.join(nginx.prefix, "vhosts.log"),
                 **settings)
    sites, _retired, problems = _nginx.reseller_sites(RESELLERS)
    provider, provider_problems = _nginx.provider_site("https://panel.demo.test/")
    assert problems == [] and provider_problems == []
    reseller_vhosts = [
        {"name": s["name"], "content": render("reseller_frontends", "reseller.conf.j2", _nginx.marker("resellers"),
                                              s, vhost, nginx.tls_dir, sites)} for s in sites]
    reseller_vhosts.append({"name": _nginx.set_file_name("resellers"), "content": render(
        "reseller_frontends", "reseller_set.conf.j2", _nginx.marker("resellers"), None, vhost, nginx.tls_dir, sites)})
    provider_vhosts = [
        {"name": s["name"], "content": render("provider_frontend", "provider.conf.j2", _nginx.marker("provider"),
                                              s, vhost, nginx.tls_dir)} for s in provider]
    apply(nginx, reseller_vhosts, [certificate(pki, "cloud.acme.test"), certificate(pki, "panel.globex.test")])
    apply(nginx, provider_vhosts, [certificate(pki, "panel.demo.test")], set_name="provider")
    nginx.start()
    return http_port, https_port, os.path.join(pki, "ca", "ca.crt")


def test_role_templates_through_a_real_nginx(nginx, pki, tmp_path):
    with EchoUpstream() as upstream:
        http_port, https_port, ca = serve_role_templates(nginx, pki, tmp_path, upstream, staff_allow=["192.0.2.0/24"])

        status, headers, body = https_get(https_port, "cloud.acme.test", "/signup/?next=/", ca)
        assert status == 200
        echoed = json.loads(body)
        assert echoed["path"] == "/signup/?next=/"
        assert echoed["headers"]["host"] == "cloud.acme.test:%d" % https_port
        assert echoed["headers"]["x-forwarded-proto"] == "https"
        assert echoed["headers"]["x-forwarded-for"] == "127.0.0.1"
        assert headers["strict-transport-security"] == "max-age=31536000"

        # Staff and the dashboard are not served on reseller domains, but are on the provider's.
        for path in ("/staff/", "/staff", "/reseller/", "/reseller/clients/", "/reseller", "/staff/login/?next=/"):
            assert https_get(https_port, "panel.globex.test", path, ca)[0] == 404, path
        # Only those paths: names that merely begin the same way reach the panel.
        for path in ("/staffing/", "/resellers/", "/x/staff/"):
            assert https_get(https_port, "panel.globex.test", path, ca)[0] == 200, path
        status, _headers, body = https_get(https_port, "panel.demo.test", "/reseller/", ca)
        assert status == 200 and json.loads(body)["headers"]["host"] == "panel.demo.test:%d" % https_port
        # /staff/ on the provider host is restricted to the allow-list (loopback is not in it).
        assert https_get(https_port, "panel.demo.test", "/staff/", ca)[0] == 403

        # Plain HTTP redirects to HTTPS, except ACME challenges which are served from the webroot.
        status, headers, _body = http_get(http_port, "cloud.acme.test", "/signup/")
        assert status == 301 and headers["location"] == "https://cloud.acme.test:%d/signup/" % https_port
        status, _headers, body = http_get(http_port, "cloud.acme.test", "/.well-known/acme-challenge/token123")
        assert status == 200 and body == b"token123.thumbprint"

        # One-time links reach the panel, but their secrets never reach the access log.
        for path in ("/set-password/Secret-Token-1/", "/reset/MQ/Secret-Token-2/"):
            status, _headers, body = https_get(https_port, "panel.demo.test", path, ca)
            assert status == 200 and json.loads(body)["path"] == path
        # Also on reseller domains, and spelled so that only the normalized path names the location.
        for path in ("/set-password/Secret-Token-3/", "/%73et-password/Secret-Token-4/", "//reset/MQ/Secret-Token-5/"):
            status, _headers, body = https_get(https_port, "cloud.acme.test", path, ca)
            assert status == 200, (path, body[:200])
        # Over plain HTTP too (a link typed without https:// is redirected, not logged).
        status, _headers, _body = http_get(http_port, "cloud.acme.test", "/set-password/Secret-Token-6/")
        assert status == 301
        # Every server logs to the vhosts' own access_log (vhost.access_log), none to the main configuration's.
        with open(os.path.join(nginx.prefix, "vhosts.log")) as log:
            logged = log.read()
        assert "/signup/?next=/" in logged and '"GET /signup/ HTTP/1.1" 301' in logged
        assert "Secret-Token" not in logged
        assert not os.path.exists(os.path.join(nginx.prefix, "access.log")) or \
            read_text(os.path.join(nginx.prefix, "access.log")) == ""


def served_certificate(port, sni):
    """The DER of the certificate nginx presents for `sni` (no verification: the caller compares it)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port)) as raw, context.wrap_socket(raw, server_hostname=sni) as tls:
        return tls.getpeercert(binary_form=True)


def leaf_der(fullchain):
    return _tls.load_certs(fullchain.encode())[0].public_bytes(serialization.Encoding.DER)


def test_certificates_read_at_handshake_serve_each_site_and_a_renewal_at_once(nginx, pki, tmp_path):
    with EchoUpstream() as upstream:
        _http, https_port, ca = serve_role_templates(nginx, pki, tmp_path, upstream,
                                                     certificate_loading="handshake", user_space=True)
        text = read_text(os.path.join(nginx.sites_dir, "cloud.acme.test.conf"))
        assert "    ssl_certificate %s/cloud.acme.test.crt$panelops_tls_at_handshake;\n" % nginx.tls_dir in text
        assert "map $ssl_server_name $panelops_tls_at_handshake {" in read_text(
            os.path.join(nginx.sites_dir, _nginx.set_file_name("resellers") + ".conf"))
        for fqdn in ("cloud.acme.test", "panel.globex.test", "panel.demo.test"):
            assert served_certificate(https_port, fqdn) == leaf_der(certificate(pki, fqdn)["fullchain"]), fqdn
        assert https_get(https_port, "cloud.acme.test", "/signup/", ca)[0] == 200

        # A renewed certificate (another CA here, so that it surely differs), put in place as the writer does
        # (each file replaced whole), is served at the next handshake with no reload.
        renewed = str(tmp_path / "renewed")
        _tls.ensure_certificates(renewed, [{"name": "acme", "enduser_panel_url": "https://cloud.acme.test/"}])
        new = certificate(renewed, "cloud.acme.test")
        for suffix, pem in ((".key", new["key"]), (".crt", new["fullchain"])):
            _tls.atomic_write(os.path.join(nginx.tls_dir, "cloud.acme.test" + suffix), pem.encode(), 0o600)
        assert served_certificate(https_port, "cloud.acme.test") == leaf_der(
            certificate(renewed, "cloud.acme.test")["fullchain"])
        assert served_certificate(https_port, "panel.globex.test") == leaf_der(
            certificate(pki, "panel.globex.test")["fullchain"])


def test_a_dashboard_path_with_a_dot_is_refused_on_reseller_domains_as_written(nginx, pki, tmp_path):
    with EchoUpstream() as upstream:
        _http_port, https_port, ca = serve_role_templates(nginx, pki, tmp_path, upstream,
                                                          dashboard_path="/panel.admin/")
        for path in ("/panel.admin/", "/panel.admin", "/panel.admin/clients/"):
            assert https_get(https_port, "cloud.acme.test", path, ca)[0] == 404, path
        # The dot is literal: another character in its place is not the dashboard.
        assert https_get(https_port, "cloud.acme.test", "/panelXadmin/", ca)[0] == 200
        status, _headers, body = https_get(https_port, "panel.demo.test", "/panel.admin/", ca)
        assert status == 200 and json.loads(body)["path"] == "/panel.admin/"


STRICT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def raw_tls(port, sni, version=None):
    """Open a TLS connection with `sni` (None: no SNI at all), only TLS `version` when given, and no certificate
    check; the error, if any."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    if version is not None:
        context.minimum_version = context.maximum_version = version
    try:
        with context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10),
                                 server_hostname=sni):
            return None
    except ssl.SSLError as error:
        return error


def test_unknown_names_misdirected_hosts_redirects_policies_and_body_size(nginx, pki, tmp_path):
    with EchoUpstream() as upstream:
        http_port, https_port, ca = serve_role_templates(nginx, pki, tmp_path, upstream)
        # A name no vhost serves gets no certificate at all: the TLS handshake is refused (with and without SNI).
        for sni in ("unknown.test", "cloud.acme.test.evil.test", None):
            error = raw_tls(https_port, sni)
            assert error is not None and "UNRECOGNIZED_NAME" in str(error).upper(), (sni, error)
        # Known names negotiate TLS 1.3 and 1.2 alike (the default server must not narrow the handshake).
        for version in (ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2):
            assert raw_tls(https_port, "cloud.acme.test", version) is None, version
            assert raw_tls(https_port, "panel.demo.test", version) is None, version
        # One TLS connection never serves another name: a Host other than its SNI name is misdirected. A Host
        # nobody serves gets 421 from the default server; another tenant's or the provider's (staff pages) is
        # passed to the panel marked so (the panel answers 421, panel/tests/test_routing.py), whatever the client
        # sent in that header.
        status, headers, body = https_get(https_port, "unknown.test", "/", ca, sni="cloud.acme.test")
        assert status == 421 and headers["content-security-policy"] == STRICT_CSP, (status, body[:200])
        for host, path, sni in (("panel.globex.test", "/signup/", "cloud.acme.test"),
                                ("panel.demo.test", "/staff/login/", "cloud.acme.test"),
                                ("cloud.acme.test", "/x", "panel.demo.test")):
            for sent in ({}, {"X-Panelops-Misdirected": ""}):
                status, _headers, body = https_get(https_port, host, path, ca, sni=sni, headers=sent)
                assert status == 200, (host, status, body[:200])
                assert json.loads(body)["headers"]["x-panelops-misdirected"] == "1", (host, sent)
        # On its own connection a request is not marked, and a client cannot mark it itself.
        for host in ("cloud.acme.test", "panel.globex.test", "panel.demo.test"):
            status, _headers, body = https_get(https_port, host, "/x", ca, headers={"X-Panelops-Misdirected": "1"})
            assert status == 200 and "x-panelops-misdirected" not in json.loads(body)["headers"], host
        # Plain HTTP for an unknown name: the connection is closed unanswered, except ACME challenges.
        with pytest.raises(http.client.RemoteDisconnected):
            http_get(http_port, "evil.test", "/x")
        status, _headers, body = http_get(http_port, "evil.test", "/.well-known/acme-challenge/token123")
        assert status == 200 and body == b"token123.thumbprint"
        # Redirects name the vhost, never the request's Host spelling or port.
        status, headers, _body = http_get(http_port, "CLOUD.ACME.TEST:1", "/x?y=1")
        assert status == 301 and headers["location"] == "https://cloud.acme.test:%d/x?y=1" % https_port
        # A request line naming a host decides both the server and the redirect; a Host header cannot steer it.
        status, headers, _body = http_get(http_port, "evil.test", "http://panel.globex.test/x")
        assert status == 301 and headers["location"] == "https://panel.globex.test:%d/x" % https_port
        with pytest.raises(http.client.RemoteDisconnected):
            http_get(http_port, "cloud.acme.test", "http://evil.test/x")
        assert headers["content-security-policy"] == STRICT_CSP
        assert "permissions-policy" in headers and headers["x-content-type-options"] == "nosniff"
        # The policy maps are defined once per set (the resellers' shared file, the provider's file), and serve
        # every vhost of it.
        defined = [name for name in os.listdir(nginx.sites_dir)
                   if "map $upstream_http_content_security_policy" in read_text(os.path.join(nginx.sites_dir, name))]
        assert len(defined) == 2, defined
        # One plain-HTTP server serves every reseller domain (the redirects above), in the resellers' shared
        # file; the provider's file holds its own and the default server; the reseller vhosts none.
        plain = {name: read_text(os.path.join(nginx.sites_dir, name)).count("listen 127.0.0.1:%d" % http_port)
                 for name in os.listdir(nginx.sites_dir)}
        assert plain == {"_resellers.conf": 1, "panel.demo.test.conf": 2, "cloud.acme.test.conf": 0,
                         "panel.globex.test.conf": 0}, plain
        for fqdn in ("cloud.acme.test", "panel.globex.test", "panel.demo.test"):
            status, headers, _body = http_get(http_port, fqdn, "/x")
            assert status == 301 and headers["content-security-policy"] == STRICT_CSP, fqdn
            assert headers["permissions-policy"].startswith("accelerometer=()"), fqdn
        # nginx's own answers carry the strict policies; the panel's own are passed on unchanged and alone.
        status, headers, _body = https_get(https_port, "cloud.acme.test", "/staff/", ca)
        assert status == 404 and headers["content-security-policy"] == STRICT_CSP
        status, headers, _body = https_get(https_port, "cloud.acme.test", "/x?policy=own", ca)
        assert status == 200 and headers["content-security-policy"] == "default-src 'self'"
        assert headers["permissions-policy"] == "camera=()"
        conn_headers = https_get(https_port, "panel.demo.test", "/x?policy=own", ca)[1]
        assert conn_headers["content-security-policy"] == "default-src 'self'"
        # Bodies: 12 KB reach the panel (the echo upstream answers GET only: 501), 300 KB are refused here.
        status, headers, _body = https_get(https_port, "cloud.acme.test", "/signup/", ca, method="POST",
                                           body=b"x" * 12 * 1024)
        assert status == 501
        status, headers, _body = https_get(https_port, "cloud.acme.test", "/signup/", ca, method="POST",
                                           body=b"x" * 300 * 1024)
        assert status == 413 and headers["content-security-policy"] == STRICT_CSP


def test_the_templates_the_two_roles_share_are_the_same():
    base = os.path.join(os.path.dirname(_nginx.__file__), "..", "..", "roles")
    for name in ("proxy.j2", "proxy_settings.j2", "tls_intermediate.j2", "headers.j2", "policy_maps.j2",
                 "vhost_common.j2", "access_log.j2"):
        with open(os.path.join(base, "provider_frontend", "templates", name)) as one, \
                open(os.path.join(base, "reseller_frontends", "templates", name)) as two:
            assert one.read() == two.read(), name


def test_a_run_waits_for_the_frontend_lock_and_fails_clearly_after_the_timeout(nginx, pki):
    import fcntl
    holder = os.open(nginx.sites_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(_nginx.NginxSitesError, match="another run is configuring this frontend: .* is locked by another run "
                                                         r"\(waited 1 s\)"):
            _nginx.apply_site_set(nginx.sites_dir, "resellers", [site("cloud.acme.test")], tls_dir=nginx.tls_dir,
                                  certificates=[certificate(pki, "cloud.acme.test")],
                                  test_command=nginx.test_command, run_command=run_command, lock_timeout=1)
        assert listing(nginx.sites_dir) == [] and listing(nginx.tls_dir) == []
        # Check mode only reads: it does not wait for the lock.
        assert apply(nginx, [site("cloud.acme.test")], check_mode=True)["created"] == ["cloud.acme.test"]
    finally:
        os.close(holder)
    # Released (as on the holder's exit, SIGKILL included): the next run applies.
    assert apply(nginx, [site("cloud.acme.test")], [certificate(pki, "cloud.acme.test")])["created"] == \
        ["cloud.acme.test"]


def test_a_change_leaves_a_reload_marker_until_the_reload_and_a_later_run_reports_it(nginx, pki):
    sites, certs = [site("cloud.acme.test")], [certificate(pki, "cloud.acme.test")]
    marker = os.path.join(nginx.tls_dir, _nginx.RELOAD_PENDING)
    assert apply(nginx, sites, certs)["reload_pending"] is False
    assert os.path.exists(marker)
    # The run died before its reload handler: the next run has nothing to write but must still reload.
    again = apply(nginx, sites, certs)
    assert again["changed"] is True and again["reload_pending"] is True and again["unchanged"] == ["cloud.acme.test"]
    # Nothing was written for it: the health check's restore leaves this set alone.
    assert again["files_changed"] is False
    assert apply(nginx, sites, certs, check_mode=True)["changed"] is True
    os.unlink(marker)  # what the role's handler does after a successful reload
    assert apply(nginx, sites, certs)["changed"] is False


def apply_and_reload(nginx, sites, certificates, reload_command, reload=False, check_mode=False):
    return _nginx.apply_site_set(nginx.sites_dir, "resellers", sites, tls_dir=nginx.tls_dir,
                                 certificates=certificates, test_command=nginx.test_command, run_command=run_command,
                                 check_mode=check_mode, reload_command=reload_command, reload=reload)


def test_a_reload_command_reloads_after_a_change_or_when_asked_and_clears_the_marker(nginx, pki, tmp_path):
    sites, certs = [site("cloud.acme.test")], [certificate(pki, "cloud.acme.test")]
    marker = os.path.join(nginx.tls_dir, _nginx.RELOAD_PENDING)
    log = tmp_path / "reloads"
    # The reload records that it ran and whether the marker was still there: it must run before its removal.
    command = ["/bin/sh", "-c", 'test -e "$1" && echo marker >> "$2" || echo none >> "$2"', "reload", marker,
               str(log)]
    assert apply_and_reload(nginx, sites, certs, command, check_mode=True)["reloaded"] is False
    assert not log.exists()
    first = apply_and_reload(nginx, sites, certs, command)
    assert first["changed"] is True and first["files_changed"] is True and first["reloaded"] is True
    assert not os.path.exists(marker)
    assert log.read_text() == "marker\n"
    # Nothing changed and nothing pending: no reload, unless another part of this frontend changed.
    assert apply_and_reload(nginx, sites, certs, command)["reloaded"] is False
    forced = apply_and_reload(nginx, sites, certs, command, reload=True)
    assert forced["changed"] is False and forced["reloaded"] is True and log.read_text() == "marker\nnone\n"
    # Without a reload command nothing is reloaded here (the role's handler does it).
    assert apply(nginx, sites, certs)["reloaded"] is False


def test_a_failed_reload_keeps_the_tested_files_and_the_marker_for_the_next_run(nginx, pki):
    sites, certs = [site("cloud.acme.test")], [certificate(pki, "cloud.acme.test")]
    marker = os.path.join(nginx.tls_dir, _nginx.RELOAD_PENDING)
    with pytest.raises(_nginx.NginxSitesError, match=r"passed the configuration test, but the reload /bin/sh -c "
                                                     r"echo no master >&2; exit 1 failed \(no master\); they stay"):
        apply_and_reload(nginx, sites, certs, ["/bin/sh", "-c", "echo no master >&2; exit 1"])
    assert listing(nginx.sites_dir) == ["cloud.acme.test.conf"] and os.path.exists(marker)
    again = apply_and_reload(nginx, sites, certs, ["/bin/true"])
    assert again["reload_pending"] is True and again["reloaded"] is True and not os.path.exists(marker)


def test_a_rejected_change_leaves_no_reload_marker(nginx, pki):
    broken = site("cloud.acme.test", body="server {\n    bogus_directive on;\n}\n")
    with pytest.raises(_nginx.NginxSitesError):
        apply(nginx, [broken], [certificate(pki, "cloud.acme.test")])
    assert not os.path.exists(os.path.join(nginx.tls_dir, _nginx.RELOAD_PENDING))


def test_the_last_change_of_a_set_can_be_restored_and_an_unchanged_run_writes_nothing(tmp_path):
    sites_dir, tls_dir = str(tmp_path / "sites"), str(tmp_path / "tls")
    head = _nginx.marker("resellers")
    first = [{"name": "a.test", "content": head + "\nserver { # a v1\n}\n"}]
    _nginx.apply_site_set(sites_dir, "resellers", first, tls_dir=tls_dir)
    assert _nginx.restore_previous(sites_dir, tls_dir, "resellers") is True
    # The first change created the file: undoing it removes the file again.
    assert os.listdir(sites_dir) == [] or os.listdir(sites_dir) == [".nginx_sites.lock"]
    _nginx.apply_site_set(sites_dir, "resellers", first, tls_dir=tls_dir)
    second = [{"name": "a.test", "content": head + "\nserver { # a v2\n}\n"},
              {"name": "b.test", "content": head + "\nserver { # b\n}\n"}]
    _nginx.apply_site_set(sites_dir, "resellers", second, tls_dir=tls_dir)
    assert _nginx.restore_previous(sites_dir, tls_dir, "resellers", check_mode=True) is True
    assert _nginx.restore_previous(sites_dir, tls_dir, "resellers") is True
    with open(os.path.join(sites_dir, "a.test.conf")) as handle:
        assert "# a v1" in handle.read()
    assert not os.path.exists(os.path.join(sites_dir, "b.test.conf"))
    assert _nginx.restore_previous(sites_dir, tls_dir, "resellers") is False
    # A run that changes nothing writes nothing, its record of the last change included (site.yml restores
    # only the sets its run changed).
    _nginx.apply_site_set(sites_dir, "resellers", second, tls_dir=tls_dir)
    record = os.path.join(tls_dir, ".nginx_sites-resellers.previous.json")
    with open(record, "rb") as handle:
        before = handle.read()
    os.unlink(os.path.join(tls_dir, _nginx.RELOAD_PENDING))  # the reload handler's part
    unchanged = _nginx.apply_site_set(sites_dir, "resellers", second, tls_dir=tls_dir)
    assert unchanged["changed"] is False
    with open(record, "rb") as handle:
        assert handle.read() == before
