# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One wildcard certificate for the reseller subdomains of a zone (`panel_tls.wildcard_zones`).

A CA counts certificates per registered domain (Let's Encrypt: 50 a week), so 200 resellers on subdomains of
the provider's domain cannot be certified one by one; and one certificate is renewed once for all of them. A
reseller whose FQDN is a direct child of a listed zone (`shop.resellers.provider.test` of
`resellers.provider.test`, not `a.shop.resellers.provider.test`: a wildcard covers one label) and whose mode is
`internal_ca` or `acme` is served the zone's `*.<zone>` certificate, kept in the store as
`certs/_wildcard.<zone>/`. In mode `acme` it is one order by DNS-01 (a CA validates a wildcard by DNS only): the
TXT record `_acme-challenge.<zone>` is added by RFC 2136 into the provider zone of `panel_dns` that holds it. One
wildcard has one mode: the resellers under a zone must agree on it. A reseller that moves to its own domain (or
to mode `provided`) gets its own certificate again.

Pure Python, no DNS or ACME library: the inventory validation checks the same rules on the controller. The store
layout is shared with _tls and the nginx_sites action.
"""

from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils._names import find_zone, normalize_fqdn

STORE_PREFIX = "_wildcard."
WILDCARD_MODES = ("internal_ca", "acme")
ZONE_WHERE = "panel_tls.wildcard_zones (%s)"


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


def group_sites(sites, zones):
    """({zone: {"mode", "covers": [(fqdn, where), ...]}}, problems) of the reseller sites a zone's wildcard
    serves. `sites`: (fqdn, where, mode) of every served reseller site, in inventory order; a site whose mode is
    not a wildcard mode (`provided`) keeps its own certificate. A zone whose resellers use different wildcard
    modes is a problem naming the zone and the resellers of each mode."""
    groups, modes = {}, {}
    for fqdn, where, mode in sites:
        zone = zone_of(fqdn, zones) if isinstance(zones, list) else None
        if zone is None or mode not in WILDCARD_MODES:
            continue
        groups.setdefault(zone, {"mode": mode, "covers": []})["covers"].append((fqdn, where))
        modes.setdefault(zone, {}).setdefault(mode, []).append(where)
    problems = []
    for zone in sorted(zone for zone in modes if len(modes[zone]) > 1):
        used = "; ".join("%s (%s)" % (mode, ", ".join(wheres)) for mode, wheres in sorted(modes[zone].items()))
        problems.append("%s: one wildcard certificate has one mode, but the resellers under the zone use %s: give "
                        "them the same tls.mode, or take the zone out of panel_tls.wildcard_zones"
                        % (ZONE_WHERE % zone, used))
    return groups, problems


def dns01_problems(zone, dns_zones, has_tsig):
    """Problems of ordering `*.zone` by DNS-01: the TXT record `_acme-challenge.<zone>` must be inside a zone of
    `panel_dns.zones` and added with its TSIG key."""
    txt = "_acme-challenge." + zone
    problems = []
    if not has_tsig:
        problems.append("%s: mode acme orders *.%s by DNS-01 (the TXT record %s by RFC 2136): panel_dns.tsig is "
                        "required" % (ZONE_WHERE % zone, zone, txt))
    dns_zones = [z for z in dns_zones or [] if isinstance(z, str)]
    if find_zone(txt, dns_zones) is None:
        problems.append("%s: mode acme orders *.%s by DNS-01: the zone is not inside panel_dns.zones (%s), so the "
                        "TXT record %s cannot be added"
                        % (ZONE_WHERE % zone, zone, ", ".join(dns_zones) or "none", txt))
    return problems


def inventory_problems(panel_tls, panel_dns, model):
    """The wildcard problems of the inventory (for the validation before any host is touched): mixed modes under
    a zone, and what ordering an ACME wildcard by DNS-01 needs of panel_dns."""
    zones = panel_tls.get("wildcard_zones") if isinstance(panel_tls, dict) else None
    if not zones or not isinstance(zones, list):
        return []
    default_mode = panel_tls.get("mode", "internal_ca")
    sites = [(site.fqdn, site.where, site.tls.get("mode", default_mode) if isinstance(site.tls, dict)
              else default_mode) for site in model.reseller_sites()]
    groups, problems = group_sites(sites, zones)
    panel_dns = panel_dns if isinstance(panel_dns, dict) else {}
    for zone in sorted(groups):
        if groups[zone]["mode"] == "acme":
            problems.extend(dns01_problems(zone, panel_dns.get("zones") if isinstance(panel_dns.get("zones"), list)
                                           else [], bool(panel_dns.get("tsig"))))
    return problems
