# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's DNS settings validated: `panel_dns`, the resellers' own `dns` choices and TSIG keys.

Pure Python (no dnspython), so the inventory validation on the controller loads no DNS library; _dns, which
speaks DNS, checks its TSIG input with the same validate_tsig().
"""

from __future__ import annotations

import base64
import binascii
import ipaddress

from ansible_collections.panelops.reseller.plugins.module_utils._names import normalize_fqdn, split_addresses

TSIG_ALGORITHMS = ("hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha224", "hmac-sha1", "hmac-md5")
PANEL_DNS_KEYS = ("servers", "port", "frontend_addresses", "on_mismatch", "check_timeout", "check_retries",
                  "zones", "update_server", "update_port", "ttl", "tsig")


def validate_tsig(tsig):
    problems = []
    if not isinstance(tsig, dict):
        return ["tsig: must be a mapping with name, secret and algorithm"]
    if not tsig.get("name"):
        problems.append("tsig.name: the TSIG key name is required")
    if not tsig.get("secret"):
        problems.append("tsig.secret: the TSIG secret is required")
    else:
        try:
            base64.b64decode(tsig["secret"], validate=True)
        except (binascii.Error, ValueError):
            problems.append("tsig.secret: not valid base64")
    if (tsig.get("algorithm") or "hmac-sha256") not in TSIG_ALGORITHMS:
        problems.append("tsig.algorithm: %r is not one of %s" % (tsig.get("algorithm"), ", ".join(TSIG_ALGORITHMS)))
    return problems


def validate_panel_dns(panel_dns, resellers=None):
    """Problems of the inventory's `panel_dns` mapping and of the resellers' `dns` overrides (for the inventory
    validation, before any host is touched). Each message names the variable (and reseller) and the field."""
    problems = []
    if panel_dns in (None, {}):
        panel_dns = {}
    if not isinstance(panel_dns, dict):
        return ["panel_dns: must be a mapping"]
    known = set(PANEL_DNS_KEYS)
    for key in sorted(set(panel_dns) - known):
        problems.append("panel_dns.%s: unknown key (known: %s)" % (key, ", ".join(sorted(known))))
    for key in ("servers", "frontend_addresses", "zones"):
        if key in panel_dns and not isinstance(panel_dns[key], list):
            problems.append("panel_dns.%s: must be a list" % key)
    for server in panel_dns.get("servers") or []:
        try:
            ipaddress.ip_address(str(server))
        except ValueError:
            problems.append("panel_dns.servers: %r is not an IP address" % (server,))
    if panel_dns.get("update_server") is not None:
        try:
            ipaddress.ip_address(str(panel_dns["update_server"]))
        except ValueError:
            problems.append("panel_dns.update_server: %r is not an IP address" % (panel_dns["update_server"],))
    for key in ("port", "update_port"):
        value = panel_dns.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 65536):
            problems.append("panel_dns.%s: must be a port number, got %r" % (key, value))
    addresses = panel_dns.get("frontend_addresses") or []
    problems.extend("panel_dns.frontend_addresses: %s" % p for p in split_addresses(addresses)[2])
    if panel_dns.get("on_mismatch", "fail") not in ("fail", "warn", "skip"):
        problems.append("panel_dns.on_mismatch: must be fail, warn or skip, got %r" % (panel_dns["on_mismatch"],))
    zones = panel_dns.get("zones") or []
    for zone in zones if isinstance(zones, list) else []:
        problems.extend("panel_dns.zones: %s" % p for p in normalize_fqdn(zone)[1])
    if zones:
        if "tsig" not in panel_dns:
            problems.append("panel_dns.tsig: required when panel_dns.zones is set (records are updated with it)")
        else:
            problems.extend("panel_dns.%s" % p for p in validate_tsig(panel_dns["tsig"]))
        if not panel_dns.get("update_server") and not panel_dns.get("servers"):
            problems.append("panel_dns.update_server: required (or panel_dns.servers) when panel_dns.zones is set")
    return problems + _reseller_dns_problems(resellers or [])


def _reseller_dns_problems(resellers):
    """Problems of the resellers' own `dns` choices (inventory mappings or _model.Reseller records; a choice
    that is not a mapping is reported by the model)."""
    problems = []
    for reseller in resellers:
        own = reseller.get("dns") if hasattr(reseller, "get") else None
        if not isinstance(own, dict):
            continue
        name = reseller.get("name", "?")
        for key in sorted(set(own) - {"cname", "addresses"}):
            problems.append("reseller %s: dns.%s: unknown key (known: addresses, cname)" % (name, key))
        if own.get("cname") and own.get("addresses"):
            problems.append("reseller %s: dns: give either cname or addresses, not both" % name)
        if own.get("cname"):
            problems.extend("reseller %s: dns.cname: %s" % (name, p) for p in normalize_fqdn(own["cname"])[1])
        if "addresses" in own:
            problems.extend("reseller %s: dns.addresses: %s" % (name, p)
                            for p in split_addresses(own["addresses"] or [])[2])
    return problems
