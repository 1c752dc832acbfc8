# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a role's vhost template once per site with plain Jinja2, on the controller.

The vhost templates are the collection's own and read only the site, the shared vhost settings, the set's marker,
the site's certificate paths and the whole set (`nginx_sites_all`: the first vhost of a set defines its
upstream unless the set has a shared file, rendered once from its own template with `site` none). Ansible's
templating engine tags and tracks every value it renders: 1000 sites through it cost over a second, 10 000 over
ten. Plain Jinja2 with the same whitespace settings as Ansible's
(`trim_blocks`, no trailing newline kept) renders byte-identical files in a fraction of that. A name the template
uses that is not among those variables is an error naming the template and the site, never an empty string.
"""

from __future__ import annotations

import os

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError


class VhostTemplateError(Exception):
    """A vhost template that cannot be loaded or rendered for a site (the message names both)."""


def _environment(directory):
    # The settings Ansible renders its templates with, so that a file written before is byte-identical now.
    return Environment(loader=FileSystemLoader(directory), undefined=StrictUndefined, trim_blocks=True,
                       keep_trailing_newline=False, autoescape=False)


def _template(source):
    try:
        return _environment(os.path.dirname(source)).get_template(os.path.basename(source))
    except TemplateError as exc:
        raise VhostTemplateError("vhost template %s: %s" % (source, exc))


def render_set_file(source, sites, vhost, marker, name):
    """{"name", "content"} of the set's shared file rendered from the template file `source` (`site` is none,
    `nginx_sites_all` the set), or None when the set has no site (nothing to share)."""
    if not sites:
        return None
    try:
        content = _template(source).render(site=None, vhost=vhost, nginx_sites_marker=marker, nginx_sites_all=sites,
                                           site_certificate=None, site_key=None)
    except TemplateError as exc:
        raise VhostTemplateError("vhost template %s, the set's shared file: %s" % (source, exc))
    return {"name": name, "content": content}


def render_sites(source, sites, vhost, marker, tls_dir):
    """[{"name", "content"}] of `sites` (each a vhost mapping with `name` and `fqdn`) rendered through the template
    file `source`; the certificate of a site is `<tls_dir>/<fqdn>.crt` (and `.key`)."""
    template = _template(source)
    rendered = []
    for site in sites:
        paths = dict(site_certificate=None, site_key=None)
        if tls_dir:
            paths = dict(site_certificate=os.path.join(tls_dir, site["fqdn"] + ".crt"),
                         site_key=os.path.join(tls_dir, site["fqdn"] + ".key"))
        try:
            content = template.render(site=site, vhost=vhost, nginx_sites_marker=marker, nginx_sites_all=sites, **paths)
        except TemplateError as exc:
            raise VhostTemplateError("vhost template %s, site %s: %s" % (source, site.get("fqdn"), exc))
        rendered.append({"name": site["name"], "content": content})
    return rendered
