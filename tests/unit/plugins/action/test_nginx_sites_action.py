# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nginx_sites action plugin through ansible-playbook: the role template rendered for every site,
certificates read from the store, check mode, idempotence, and problems reported before anything is written."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _tls_budget
from tests.support.nginx import ROOT, Nginx, free_port

PLAYBOOK = """
- name: Certificates and reseller vhosts
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Certificates
      panelops.reseller.tls_certificates:
        store: "{{ store }}"
        resellers: "{{ resellers }}"
      when: not (skip_certificates | default(false))
    - name: Vhosts
      panelops.reseller.nginx_sites:
        set_name: resellers
        template: "{{ template }}"
        set_template: "{{ set_template }}"
        resellers: "{{ resellers }}"
        sites_dir: "{{ sites_dir }}"
        tls_dir: "{{ tls_dir }}"
        certificate_store: "{{ store }}"
        vhost: {upstream: "127.0.0.1:9", listen_address: 127.0.0.1, http_port: "{{ http_port }}",
                https_port: "{{ https_port }}", dashboard_path: /reseller/, acme_webroot: /srv/acme,
                hsts_max_age: 600}
        test_command: "{{ test_command }}"
      register: vhosts
    - name: Show the result
      ansible.builtin.debug:
        msg: "RESULT {{ vhosts | to_json }}"
"""


def run_playbook(tmp_path, extra, check=False, verbose=False):
    play = tmp_path / "play.yml"
    play.write_text(PLAYBOOK)
    variables = tmp_path / "vars.json"
    variables.write_text(json.dumps(extra))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="0")
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
           "-e", "ansible_python_interpreter=" + sys.executable, "-e", "@" + str(variables), str(play)]
    if check:
        cmd.append("--check")
    if verbose:
        cmd.append("-vvv")
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT, check=False)
    out = proc.stdout.decode()
    result = None
    for line in out.splitlines():
        if '"msg": "RESULT ' in line:
            result = json.loads(json.loads("{%s}" % line.strip().rstrip(","))["msg"][len("RESULT "):])
    return proc.returncode, out, result


@pytest.fixture()
def setup(tmp_path):
    if not os.path.isdir(os.path.join(ROOT, ".collections", "ansible_collections", "panelops", "reseller")):
        pytest.skip("the collection link is missing: run `make venv`")
    nginx = Nginx(tmp_path / "nginx")
    extra = {
        "store": str(tmp_path / "pki"), "sites_dir": nginx.sites_dir, "tls_dir": nginx.tls_dir,
        "template": os.path.join(ROOT, "roles", "reseller_frontends", "templates", "reseller.conf.j2"),
        "set_template": os.path.join(ROOT, "roles", "reseller_frontends", "templates", "reseller_set.conf.j2"),
        "http_port": free_port(), "https_port": free_port(), "test_command": nginx.test_command,
        "resellers": [
            {"name": "acme", "state": "present", "enduser_panel_url": "https://cloud.acme.test/"},
            {"name": "muller", "state": "suspended", "enduser_panel_url": "https://müller.test/"},
            {"name": "initech", "state": "absent", "enduser_panel_url": "https://initech.test/"},
        ],
    }
    return nginx, extra


def test_renders_ships_and_is_idempotent(tmp_path, setup):
    nginx, extra = setup
    rc, out, result = run_playbook(tmp_path, extra, check=True)
    assert rc == 0, out
    assert not os.path.exists(nginx.tls_dir) and os.listdir(nginx.sites_dir) == []
    # A dry run before any certificate exists: reported per FQDN, not as a warning.
    assert result["certificates_pending"] == ["cloud.acme.test", "xn--mller-kva.test"]
    assert "[WARNING]" not in out

    rc, out, result = run_playbook(tmp_path, extra)
    assert rc == 0, out
    assert result["changed"] is True and result["created"] == ["cloud.acme.test", "xn--mller-kva.test"]
    with open(os.path.join(nginx.sites_dir, "xn--mller-kva.test.conf")) as handle:
        text = handle.read()
    assert text.startswith("# Managed by panelops.reseller nginx_sites, set=resellers\n")
    assert "# Reseller muller (suspended)" in text
    assert "    server_name xn--mller-kva.test;\n" in text
    assert "    ssl_certificate %s/xn--mller-kva.test.crt;\n" % nginx.tls_dir in text
    assert 'add_header Strict-Transport-Security "max-age=600" always;' in text
    assert "listen 127.0.0.1:%d;" % extra["http_port"] not in text
    # The set's plain-HTTP server (in its shared file) redirects both names.
    with open(os.path.join(nginx.sites_dir, "_resellers.conf")) as handle:
        first = handle.read()
    assert "    server_name\n        cloud.acme.test\n        xn--mller-kva.test\n        ;\n" in first
    assert "return 301 https://$host:%d$request_uri;" % extra["https_port"] in first
    assert sorted(os.listdir(nginx.tls_dir)) == [
        ".nginx_sites-resellers.json", ".nginx_sites-resellers.previous.json", ".reload-pending",
        "cloud.acme.test.crt", "cloud.acme.test.key",
        "xn--mller-kva.test.crt", "xn--mller-kva.test.key"]
    assert "PRIVATE KEY" not in out

    os.unlink(os.path.join(nginx.tls_dir, ".reload-pending"))  # the role's reload handler's part
    rc, out, result = run_playbook(tmp_path, extra, verbose=True)
    assert rc == 0, out
    assert result["changed"] is False and result["unchanged"] == ["cloud.acme.test", "xn--mller-kva.test"]
    # The vhosts reach the module as a file put into the task's temporary directory, not as an argument.
    assert re.search(r"PUT \S+ TO \S+/nginx_sites_vhosts\.json", out), out


def test_bad_values_fail_before_anything_is_written(tmp_path, setup):
    nginx, extra = setup
    rc, out, _result = run_playbook(tmp_path, extra)
    assert rc == 0, out
    before = sorted(os.listdir(nginx.sites_dir))
    bad = dict(extra, resellers=extra["resellers"] + [
        {"name": "evil", "enduser_panel_url": "https://evil.test/;return 200"}], https_port=0,
        skip_certificates=True)
    rc, out, _result = run_playbook(tmp_path, bad)
    assert rc != 0
    # The action plugin lists every problem, naming the reseller or the setting.
    assert "nginx_sites: 2 problem(s); nothing was changed" in out
    assert "reseller 'evil': enduser_panel_url:" in out
    assert "vhost.https_port: must be a port number 1-65535, got 0" in out
    assert sorted(os.listdir(nginx.sites_dir)) == before


def test_a_waiting_site_without_a_certificate_is_left_out_and_others_are_installed(tmp_path, setup):
    nginx, extra = setup
    acme = [extra["resellers"][0]]
    rc, out, _result = run_playbook(tmp_path, dict(extra, resellers=acme))
    assert rc == 0, out
    later = {"name": "globex", "state": "present", "enduser_panel_url": "https://panel.globex.test/"}
    # globex has no certificate and the certificate step did not say it is waiting: the task refuses.
    rc, out, _result = run_playbook(tmp_path, dict(extra, resellers=acme + [later], skip_certificates=True))
    assert rc != 0 and "no certificate in" in out and "panel.globex.test" in out
    assert not os.path.exists(os.path.join(nginx.sites_dir, "panel.globex.test.conf"))
    # Listed as waiting by the certificate step (its DNS is not ready): no vhost in this run, reported, and the
    # other sites are still managed.
    _tls_budget.save_pending(extra["store"], {"panel.globex.test": "skipped: DNS not ready"})
    rc, out, result = run_playbook(tmp_path, dict(extra, resellers=acme + [later], skip_certificates=True))
    assert rc == 0, out
    assert result["unpublished"] == {"panel.globex.test": "no certificate yet (skipped: DNS not ready)"}
    assert result["created"] == [] and result["unchanged"] == ["cloud.acme.test"]
    assert not os.path.exists(os.path.join(nginx.sites_dir, "panel.globex.test.conf"))
    # Once its certificate is in the store the same task installs it, listed or not.
    rc, out, result = run_playbook(tmp_path, dict(extra, resellers=acme + [later]))
    assert rc == 0, out
    assert result["created"] == ["panel.globex.test"] and "unpublished" not in result
