# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vhost templates rendered with plain Jinja2: byte-identical to what Ansible's templating engine renders from the
same role templates (files written by an earlier release stay unchanged), and clear errors naming the site."""
from __future__ import annotations

import os

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.panelops.reseller.plugins.action.nginx_sites import VHOST_DEFAULTS
from ansible_collections.panelops.reseller.plugins.module_utils._nginx import marker
from ansible_collections.panelops.reseller.plugins.plugin_utils._vhost_templates import (
    VhostTemplateError,
    render_set_file,
    render_sites,
)

ROLES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles")
SET_TEMPLATE = os.path.abspath(os.path.join(ROLES, "reseller_frontends", "templates", "reseller_set.conf.j2"))
TEMPLATES = [os.path.abspath(os.path.join(ROLES, "reseller_frontends", "templates", "reseller.conf.j2")),
             os.path.abspath(os.path.join(ROLES, "provider_frontend", "templates", "provider.conf.j2"))]
SITES = [
    {"name": "acme", "reseller": "acme", "state": "present", "fqdn": "cloud.acme.test"},
    {"name": "muller", "reseller": "muller", "state": "suspended", "fqdn": "xn--mller-kva.test"},
]


def vhost(**overrides):
    settings = dict(VHOST_DEFAULTS, upstream_servers=["10.0.0.1:8000", "10.0.0.2:8000"], upstream_name="panelops_x",
                    tls_dir="/etc/nginx/tls", listen_address="127.0.0.1", https_port=8443,
                    staff_allow=["10.0.0.0/8"], ocsp_stapling=True)
    settings.update(overrides)
    return settings


def with_ansible(source, sites, settings, head, tls_dir):
    """The same sites through Ansible's templating engine, the way the vhosts used to be rendered."""
    separator = "\x00sep\x00"
    for site in sites:
        site.update(certificate=os.path.join(tls_dir, site["fqdn"] + ".crt"),
                    key=os.path.join(tls_dir, site["fqdn"] + ".key"))
    driver = ("{%% for site in nginx_sites_all %%}%s{{ site.name }}\n{%% set site_certificate = site.certificate %%}"
              "{%% set site_key = site.key %%}{%% include nginx_sites_template %%}\n{%% endfor %%}" % separator)
    templar = Templar(loader=DataLoader(), variables=dict(
        vhost=settings, nginx_sites_marker=head, nginx_sites_all=sites, nginx_sites_template=os.path.basename(source)))
    templar = templar.copy_with_new_env(searchpath=[os.path.dirname(source)])
    text = templar.template(trust_as_template(driver), escape_backslashes=False)
    for site in sites:
        del site["certificate"], site["key"]
    return [dict(zip(("name", "content"), chunk.split("\n", 1))) for chunk in text.split(separator)[1:]]


@pytest.mark.parametrize("source", TEMPLATES, ids=["reseller", "provider"])
@pytest.mark.parametrize("settings", [vhost(), vhost(listen_address="", https_port=443, ocsp_stapling=False,
                                                     staff_allow=[])], ids=["custom", "defaults"])
def test_output_is_byte_identical_to_ansibles_templating(source, settings):
    head = marker("resellers")
    ours = render_sites(source, [dict(s) for s in SITES], settings, head, "/etc/nginx/tls")
    assert ours == with_ansible(source, [dict(s) for s in SITES], settings, head, "/etc/nginx/tls")
    assert [r["name"] for r in ours] == ["acme", "muller"]
    assert "server_name cloud.acme.test;" in ours[0]["content"]
    # The provider's first vhost defines its set's upstream; the resellers' is in their shared file.
    assert ("upstream panelops_x" in ours[0]["content"]) is source.endswith("provider.conf.j2")
    assert "upstream panelops_x" not in ours[1]["content"]


def test_the_shared_file_holds_the_upstream_maps_and_every_name_once():
    head = marker("resellers")
    shared = render_set_file(SET_TEMPLATE, [dict(s) for s in SITES], vhost(), head, "_resellers")
    assert shared["name"] == "_resellers" and shared["content"].startswith(head + "\n")
    for once in ("upstream panelops_x", "map $upstream_http_content_security_policy", "listen 127.0.0.1:80;",
                 "        cloud.acme.test\n", "        xn--mller-kva.test\n"):
        assert shared["content"].count(once) == 1, once
    assert "return 301 https://$host:8443$request_uri;" in shared["content"]
    assert render_set_file(SET_TEMPLATE, [], vhost(), head, "_resellers") is None


def test_an_unknown_name_in_a_template_names_the_template_and_the_site(tmp_path):
    source = tmp_path / "broken.conf.j2"
    source.write_text("server_name {{ site.fqdn }};\n{{ panel_undefined_setting }}\n")
    with pytest.raises(VhostTemplateError) as error:
        render_sites(str(source), [dict(SITES[0])], vhost(), "# m", None)
    assert "broken.conf.j2" in str(error.value) and "cloud.acme.test" in str(error.value)
    assert "panel_undefined_setting" in str(error.value)


def test_a_missing_template_is_an_error_naming_it(tmp_path):
    with pytest.raises(VhostTemplateError, match="nothere.j2"):
        render_sites(str(tmp_path / "nothere.j2"), [dict(SITES[0])], vhost(), "# m", None)
