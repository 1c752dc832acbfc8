# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nginx_sites module (the host half): argument spec, keys kept out of the output, nginx -t failure."""
from __future__ import annotations

import json
import os

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _nginx, _tls
from ansible_collections.panelops.reseller.plugins.modules import nginx_sites
from tests.support.nginx import Nginx, free_port
from tests.support.seeding import run
from tests.support.files import read_text


def run_module(args, capsys, check_mode=False, diff=False):
    return run(nginx_sites, args, capsys, check_mode=check_mode, diff=diff)


@pytest.fixture()
def setup(tmp_path):
    store = str(tmp_path / "pki")
    _tls.ensure_certificates(store, [{"name": "acme", "enduser_panel_url": "https://cloud.acme.test/"}])
    base = os.path.join(store, "certs", "cloud.acme.test")
    cert = {"fqdn": "cloud.acme.test", "fullchain": read_text(os.path.join(base, "fullchain.pem")),
            "key": read_text(os.path.join(base, "privkey.pem"))}
    nginx = Nginx(tmp_path / "nginx")
    vhost = "%s\nserver {\n    listen 127.0.0.1:%d ssl;\n    server_name cloud.acme.test;\n" \
            "    ssl_certificate %s/cloud.acme.test.crt;\n    ssl_certificate_key %s/cloud.acme.test.key;\n}\n" % (
                _nginx.marker("resellers"), free_port(), nginx.tls_dir, nginx.tls_dir)
    args = dict(set_name="resellers", sites_dir=nginx.sites_dir, tls_dir=nginx.tls_dir,
                rendered_sites=[{"name": "cloud.acme.test", "content": vhost}], certificates=[cert],
                test_command=nginx.test_command)
    return args, cert


def test_ships_the_set_and_never_returns_the_key(setup, capsys):
    args, cert = setup
    result = run_module(args, capsys, diff=True)
    assert result["changed"] is True and result["created"] == ["cloud.acme.test"] and result["tested"] is True
    assert "server_name cloud.acme.test;" in json.dumps(result["diff"])
    key_body = cert["key"].splitlines()[1]
    assert key_body not in json.dumps(result)
    os.unlink(os.path.join(args["tls_dir"], _nginx.RELOAD_PENDING))  # the role's reload handler's part
    assert run_module(args, capsys)["changed"] is False


def test_check_mode_writes_nothing(setup, capsys):
    args, _cert = setup
    result = run_module(args, capsys, check_mode=True)
    assert result["changed"] is True
    assert os.listdir(args["sites_dir"]) == []


def test_nginx_error_fails_the_task_and_restores(setup, capsys):
    args, _cert = setup
    run_module(args, capsys)
    broken = dict(args, rendered_sites=[{"name": "cloud.acme.test",
                                         "content": _nginx.marker("resellers") + "\nserver { nonsense; }\n"}])
    result = run_module(broken, capsys)
    assert result["failed"] is True
    assert 'unknown directive "nonsense"' in result["msg"] and 'unknown directive "nonsense"' in result["nginx_output"]
    with open(os.path.join(args["sites_dir"], "cloud.acme.test.conf")) as handle:
        assert handle.read() == args["rendered_sites"][0]["content"]


def test_vhosts_handed_over_as_a_file(setup, capsys, tmp_path):
    args, _cert = setup
    handed_over = tmp_path / "vhosts.json"
    handed_over.write_text(json.dumps(args["rendered_sites"]))
    result = run_module(dict(args, rendered_sites=None, sites_file=str(handed_over)), capsys)
    assert result["changed"] is True and result["created"] == ["cloud.acme.test"]
    assert not handed_over.exists()
    with open(os.path.join(args["sites_dir"], "cloud.acme.test.conf")) as handle:
        assert handle.read() == args["rendered_sites"][0]["content"]


def test_malformed_vhosts_file_fails_before_anything_is_written(setup, capsys, tmp_path):
    args, _cert = setup
    handed_over = tmp_path / "vhosts.json"
    handed_over.write_text(json.dumps([{"name": "cloud.acme.test"}]))
    result = run_module(dict(args, rendered_sites=None, sites_file=str(handed_over)), capsys)
    assert result["failed"] is True
    assert "cannot read the vhosts handed over by the action plugin" in result["msg"]
    assert "site 0 needs the strings name and content" in result["msg"]
    assert os.listdir(args["sites_dir"]) == []


def test_bare_module_call_is_refused(setup, capsys):
    args, _cert = setup
    result = run_module(dict(args, rendered_sites=None), capsys)
    assert result["failed"] is True and "renders its templates on the controller" in result["msg"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_missing_nginx_is_reported_as_missing_before_anything_is_written(setup, capsys, tmp_path, check_mode):
    args, _cert = setup
    absent = str(tmp_path / "no-such-dir" / "nginx")
    result = run_module(dict(args, test_command=[absent, "-t"]), capsys, check_mode=check_mode)
    assert result["failed"] is True
    assert "%s is not an executable file on this host" % absent in result["msg"]
    assert "panel_nginx_binary" in result["msg"] and "apt-get install nginx" in result["msg"]
    assert "rejected" not in result["msg"] and "nothing was changed" in result["msg"]
    assert os.listdir(args["sites_dir"]) == []


def test_a_test_command_that_cannot_start_restores_and_says_so(setup, capsys, tmp_path):
    args, _cert = setup
    # Executable by its mode but not runnable: the kernel refuses it (no interpreter line, not a binary).
    fake = tmp_path / "broken-nginx"
    fake.write_bytes(b"\x00\x01not a program")
    fake.chmod(0o755)
    result = run_module(dict(args, test_command=[str(fake), "-t"]), capsys)
    assert result["failed"] is True
    assert "could not run the nginx configuration test" in result["msg"] and "rejected" not in result["msg"]
    assert "restored" in result["msg"]
    assert "cloud.acme.test.conf" not in os.listdir(args["sites_dir"])
