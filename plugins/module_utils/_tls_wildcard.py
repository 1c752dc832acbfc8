# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One wildcard certificate for the reseller subdomains of a zone (`panel_tls.wildcard_zones`).

A CA counts certificates per registered domain (Let's Encrypt: 50 a week), so 200 resellers on subdomains of
the provider's domain cannot be certified one by one; and one certificate is renewed once for all of them. A
reseller whose FQDN is a direct child of a listed zone (`shop.resellers.provider.test` of
`resellers.provider.test`, not `a.shop.resellers.provider.test`: a wildcard covers one label) and whose mode is
`internal_ca` is served the zone's `*.<zone>` certificate, kept in the store as `certs/_wildcard.<zone>/`. A
reseller that moves to its own domain gets its own certificate again. Mode `acme` keeps one certificate per FQDN
(a wildcard needs DNS-01 ordering, not built yet).

Pure Python; the store layout is shared with _tls and the nginx_sites action.
"""

from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils._names import normalize_fqdn

STORE_PREFIX = "_wildcard."
WILDCARD_MODES = ("internal_ca",)


def zones_problems(zones, where="panel_tls.wildcard_zones"):
    """Problems of a wildcard_zones list, each naming the entry."""
    if zones is None:
        return []
    if not isinstance(zones, list):
        return ["%s: must be a list of zone names" % where]
    problems = []
    for index, zone in enumerate(zones):
        name, name_problems = normalize_fqdn(zone) if isinstance(zone, str) else (None, ["must be a zone name"])
        if name_problems:
            problems.append("%s[%d]: %r: %s" % (where, index, zone, "; ".join(name_problems)))
    return problems


def zone_of(fqdn, zones):
    """The listed zone fqdn is a direct child of, or None."""
    parent = fqdn.split(".", 1)[1] if "." in fqdn else ""
    for zone in zones or []:
        if parent == zone.lower().rstrip("."):
            return parent
    return None


def store_name(zone):
    """The store directory name of a zone's wildcard certificate (no `*` in a path)."""
    return STORE_PREFIX + zone


def wildcard_for(fqdn):
    """The store name of the wildcard certificate that would cover fqdn (its parent zone)."""
    return store_name(fqdn.split(".", 1)[1]) if "." in fqdn else None
