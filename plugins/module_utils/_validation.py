# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory validation: every problem found in one pass, each naming the record and the field.

Used by the `validate_inventory` action (the first play of site.yml, on the controller, before any host is
touched) and by the modules themselves, so a module called on its own refuses the same bad input.
"""

from __future__ import annotations

import ipaddress
import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported
    urlsplit = None

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_fqdn(name):
    """IDNA-encode and lowercase a host name; returns (ascii_name, problems)."""
    if not isinstance(name, str) or not name:
        return None, ["must be a non-empty host name"]
    if name.endswith("."):
        name = name[:-1]
    try:
        ascii_name = name.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        return None, ["%r is not a valid internationalized domain name (%s)" % (name, exc)]
    return ascii_name, check_fqdn(ascii_name)


def check_fqdn(name):
    """Problems with an (ASCII) fully qualified domain name."""
    problems = []
    try:
        ipaddress.ip_address(name.strip("[]"))
        return ["%r is an IP address; a domain name is required" % name]
    except ValueError:
        pass
    if len(name) > 253:
        problems.append("%r is longer than 253 characters" % (name[:40] + "..."))
    labels = name.split(".")
    if len(labels) < 2:
        problems.append("%r is not fully qualified (needs at least one dot)" % name)
    for label in labels:
        if not _LABEL.match(label):
            if len(label) > 63:
                problems.append("label %r... is longer than 63 characters" % label[:20])
            else:
                problems.append("label %r is not a valid DNS label (a-z, 0-9, '-', not at either end)" % label)
            break
    if labels and labels[-1].isdigit():
        problems.append("%r has a numeric top-level label" % name)
    return problems


def check_https_url(url, require_root_path=True, allow_port=True):
    """Problems with an absolute https URL whose host is a valid FQDN. Returns a list of messages."""
    if not isinstance(url, str) or not url:
        return ["must be an absolute https:// URL"]
    if any(c.isspace() or ord(c) < 32 for c in url) or any(c in url for c in "\"'<>\\`{};"):
        return ["%r contains whitespace, control or quoting characters" % url[:80]]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return ["%r is not a valid URL (%s)" % (url[:80], exc)]
    if parts.scheme != "https":
        return ["%r must use https://" % url[:80]]
    if parts.username or parts.password:
        return ["%r must not carry credentials" % url[:80]]
    host = parts.hostname or ""
    problems = []
    if not host:
        return ["%r has no host" % url[:80]]
    if host.startswith("[") or ":" in host:
        return ["%r uses an IP literal; a domain name is required" % url[:80]]
    ascii_host, host_problems = normalize_fqdn(host)
    problems.extend(host_problems)
    if port is not None and not allow_port:
        problems.append("%r must not name a port" % url[:80])
    if require_root_path and parts.path not in ("", "/"):
        problems.append("%r must have the path / (got %r)" % (url[:80], parts.path))
    if parts.query or parts.fragment:
        problems.append("%r must not have a query or fragment" % url[:80])
    return problems


def url_host(url):
    """The IDNA-encoded, lowercase host of a URL (assumes check_https_url passed)."""
    host = urlsplit(url).hostname or ""
    return host.encode("idna").decode("ascii").lower()


def url_origin(url):
    """scheme://host[:port] of a URL, the host IDNA-encoded."""
    parts = urlsplit(url)
    origin = "%s://%s" % (parts.scheme, url_host(url))
    if parts.port:
        origin += ":%d" % parts.port
    return origin


def _check_bool(problems, where, value):
    if not isinstance(value, bool):
        problems.append("%s: must be a boolean (true/false), got %r" % (where, value))


def validate_inventory(inventory):
    """Validate the whole provisioning model; returns a list of problems (empty when valid).

    `inventory` maps variable names (panel_db, panel_provider_url, panel_reseller_feature, ...) to values.
    """
    # Imported here: _panel_db pulls in optional drivers only when used, and the action plugin imports us.
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import validate_spec

    problems = []
    problems.extend(validate_spec(inventory.get("panel_db")))

    provider_url = inventory.get("panel_provider_url")
    for problem in check_https_url(provider_url, require_root_path=True):
        problems.append("panel_provider_url: %s" % problem)

    for name in ("panel_reseller_feature", "panel_force_reseller_registration"):
        if name in inventory:
            _check_bool(problems, name, inventory[name])

    dashboard_path = inventory.get("panel_reseller_dashboard_path", "/reseller/")
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_settings import validate_settings
    problems.extend("panel_reseller_dashboard_path (%s)" % p
                    for p in validate_settings({"reseller.dashboard_path": dashboard_path}))

    if "panel_tls" in inventory:
        from ansible_collections.panelops.reseller.plugins.module_utils._tls_acme import validate_panel_tls
        problems.extend(validate_panel_tls(inventory["panel_tls"]))
    if "panel_dns" in inventory:
        from ansible_collections.panelops.reseller.plugins.module_utils._dns import validate_panel_dns
        problems.extend(validate_panel_dns(inventory["panel_dns"]))
    return problems
