# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS for reseller domains, with dnspython: preflight resolution and RFC 2136 updates signed with TSIG.

- `check_fqdns` resolves A/AAAA of many FQDNs (following CNAMEs, hop by hop, so authoritative-only name servers
  work too) and compares what it finds with the frontends' public addresses.
- `plan_records` / `apply_records` bring A/AAAA (or CNAME) records of FQDNs inside provider zones to a wanted
  state: the current records are read from the zone's primary server, the differences of one zone go out as one
  UPDATE message (split into several past UPDATE_CHUNK changed names, to stay under the 64 KiB message limit).
- `Rfc2136Challenges` adds and removes the `_acme-challenge` TXT records of DNS-01 challenges (used by `_acme`).

The inventory's `panel_dns` is validated by _dns_settings, which needs no DNS library.

The TSIG secret is never put into a message, a diff or a result.
"""

from __future__ import annotations

import ipaddress
import socket
import traceback
from concurrent.futures import ThreadPoolExecutor

# dnspython is imported by load(), on first use: the TLS module holds this file for DNS-01 orders, and importing
# dnspython in every run of it (internal CA, HTTP-01) cost a tenth of a second.
dns = None
DNSPYTHON_IMPORT_ERROR = None


def load():
    """Import dnspython once; whether it is there (DNSPYTHON_IMPORT_ERROR holds why not)."""
    global dns, DNSPYTHON_IMPORT_ERROR
    if dns is None and DNSPYTHON_IMPORT_ERROR is None:
        try:
            import dns.exception  # noqa: F401  (the submodules this file uses, bound under the one name `dns`)
            import dns.flags  # noqa: F401
            import dns.message  # noqa: F401
            import dns.name  # noqa: F401
            import dns.query  # noqa: F401
            import dns.rcode  # noqa: F401
            import dns.rdatatype  # noqa: F401
            import dns.resolver  # noqa: F401
            import dns.tsig  # noqa: F401
            import dns.update  # noqa: F401
        except ImportError:  # pragma: no cover - exercised only without dnspython
            DNSPYTHON_IMPORT_ERROR = traceback.format_exc()
            return False
    return dns is not None


def _require():
    if not load():
        raise DNSError("dnspython is not installed: %s" % DNSPYTHON_IMPORT_ERROR.strip().splitlines()[-1])


from ansible_collections.panelops.reseller.plugins.module_utils._dns_settings import validate_tsig
from ansible_collections.panelops.reseller.plugins.module_utils._names import (
    find_zone,
    normalize_fqdn,
    split_addresses,
)

CHECK_STATUSES = ("ok", "mismatch", "nxdomain", "nodata", "timeout", "error")
MAX_CNAME_HOPS = 8
ADDRESS_TYPES = ("A", "AAAA")
# A DNS message is at most 64 KiB: the changes of a zone go out in UPDATEs of at most this many names each
# (one UPDATE for up to this many changed names; each UPDATE is applied atomically by the server).
UPDATE_CHUNK = 100


class DNSError(Exception):
    """A DNS operation failed; the message names the zone and the server, never the TSIG secret."""


# --------------------------------------------------------------------------------------------------- helpers
def _server_label(server, port):
    return "%s:%d" % (server, port) if ":" not in server else "[%s]:%d" % (server, port)


def exclude_zones(fqdns, zones):
    """(fqdns outside `zones`, sorted fqdns inside them); names are compared IDNA-encoded and lowercase."""
    zone_names = [normalize_fqdn(z)[0] or "" for z in zones or []]
    keep, excluded = [], []
    for fqdn in fqdns:
        name = normalize_fqdn(fqdn)[0]
        if name and find_zone(name, [z for z in zone_names if z]):
            excluded.append(name)
        else:
            keep.append(fqdn)
    return keep, sorted(set(excluded))


def make_key(tsig):
    """A dnspython TSIG key from {name, secret, algorithm}."""
    _require()
    return dns.tsig.Key(tsig["name"].rstrip(".") + ".", tsig["secret"],
                        dns.name.from_text(tsig.get("algorithm") or "hmac-sha256"))


# ------------------------------------------------------------------------------------------------ preflight
def make_resolver(servers=None, port=53, timeout=2.0, retries=2):
    """A resolver that asks `servers` (IP addresses; the system's when empty) with bounded time.

    Each query is tried at most `retries + 1` times per server (`timeout` seconds each), so one FQDN costs at
    most about (retries + 1) * timeout seconds however many name servers fail.
    """
    _require()
    resolver = dns.resolver.Resolver(configure=not servers)
    if servers:
        resolver.nameservers = list(servers)
    resolver.port = port
    resolver.timeout = float(timeout)
    resolver.lifetime = float(timeout) * (int(retries) + 1)
    resolver.retry_servfail = False
    resolver.cache = None
    return resolver


def _resolve_type(resolver, fqdn, rdtype):
    """Follow CNAMEs hop by hop; returns (addresses, chain). Raises dnspython's resolver exceptions."""
    name, chain = fqdn, []
    for _hop in range(MAX_CNAME_HOPS):
        answer = resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)
        canonical = answer.canonical_name.to_text(omit_final_dot=True).lower()
        if canonical != name:
            chain.append(canonical)
        if answer.rrset is not None:
            return sorted({r.address for r in answer.rrset}, key=ipaddress.ip_address), chain
        if canonical == name:
            return [], chain
        name = canonical  # the server stopped at a CNAME whose target it does not serve: ask for the target
    raise DNSError("more than %d CNAME hops" % MAX_CNAME_HOPS)


def check_one(resolver, fqdn, want_v4, want_v6):
    """Resolution of one FQDN compared with the wanted addresses: a dict with status, found, expected, ..."""
    result = dict(fqdn=fqdn, status="ok", addresses=[], cnames=[], expected=sorted(want_v4) + sorted(want_v6),
                  message="")
    found = []
    try:
        for rdtype in ADDRESS_TYPES:
            addresses, chain = _resolve_type(resolver, fqdn, rdtype)
            found.extend(addresses)
            for name in chain:
                if name not in result["cnames"]:
                    result["cnames"].append(name)
    except dns.resolver.NXDOMAIN:
        result.update(status="nxdomain", message="%s does not exist (NXDOMAIN)" % fqdn)
        return result
    except dns.exception.Timeout:
        result.update(status="timeout", message="no answer for %s within %.1f s" % (fqdn, resolver.lifetime))
        return result
    except dns.resolver.NoNameservers as exc:
        # Every server failed: refused connections behave like timeouts, SERVFAIL/REFUSED answers are errors.
        text = str(exc)
        if "REFUSED" in text or "SERVFAIL" in text or "NOTAUTH" in text:
            result.update(status="error", message="no name server answered %s usefully: %s" % (fqdn, text))
        else:
            result.update(status="timeout", message="no name server reachable for %s: %s" % (fqdn, text))
        return result
    except (dns.exception.DNSException, DNSError, OSError) as exc:
        result.update(status="error", message="resolving %s failed: %s" % (fqdn, exc))
        return result
    result["addresses"] = found
    expected = set(want_v4) | set(want_v6)
    if not found:
        result.update(status="nodata", message="%s has no A or AAAA record" % fqdn)
    elif not set(found) <= expected:
        stray = sorted(set(found) - expected, key=ipaddress.ip_address)
        result.update(status="mismatch",
                      message="%s resolves to %s; %s %s not among the frontend addresses %s"
                      % (fqdn, ", ".join(found), ", ".join(stray), "is" if len(stray) == 1 else "are",
                         ", ".join(sorted(expected)) or "(none)"))
    return result


def check_fqdns(fqdns, addresses, servers=None, port=53, timeout=2.0, retries=2, workers=16):
    """Resolve every FQDN (in parallel, bounded) and compare with `addresses`; returns (results, problems).

    `results` maps FQDN -> dict(status, addresses, cnames, expected, message); `problems` lists the input
    problems found before any query is sent (then `results` is empty).
    """
    problems = []
    want_v4, want_v6, address_problems = split_addresses(addresses)
    problems.extend("addresses: %s" % p for p in address_problems)
    if not want_v4 and not want_v6 and not address_problems:
        problems.append("addresses: at least one frontend address is required")
    for server in servers or []:
        try:
            ipaddress.ip_address(server)
        except ValueError:
            problems.append("servers: %r is not an IP address" % (server,))
    names = []
    for fqdn in fqdns:
        name, fqdn_problems = normalize_fqdn(fqdn)
        problems.extend("fqdns: %s" % p for p in fqdn_problems)
        if name and not fqdn_problems and name not in names:
            names.append(name)
    if problems:
        return {}, problems
    resolver = make_resolver(servers, port, timeout, retries)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(names) or 1))) as pool:
        checked = list(pool.map(lambda n: check_one(resolver, n, want_v4, want_v6), names))
    return {r["fqdn"]: r for r in checked}, []


# -------------------------------------------------------------------------------------------- RFC 2136 path
class ZoneServer:
    """The primary server of the provider zones, spoken to over TCP with TSIG-signed updates."""

    def __init__(self, server, port, tsig, timeout=10.0):
        self.server, self.port, self.timeout = server, int(port), float(timeout)
        self.tsig = tsig
        self.key = make_key(tsig)
        self.label = _server_label(server, self.port)

    def _tcp(self, message, zone, sock=None):
        try:
            return dns.query.tcp(message, self.server, timeout=self.timeout, port=self.port, sock=sock)
        except dns.exception.Timeout:
            raise DNSError("zone %s: server %s did not answer within %.0f s" % (zone, self.label, self.timeout))
        except dns.tsig.PeerBadKey:
            raise DNSError("zone %s: server %s does not know the TSIG key %r (BADKEY)"
                           % (zone, self.label, self.tsig["name"]))
        except dns.tsig.PeerBadSignature:
            raise DNSError("zone %s: server %s rejected the TSIG signature of key %r (BADSIG): wrong secret or "
                           "algorithm" % (zone, self.label, self.tsig["name"]))
        except dns.tsig.PeerBadTime:
            raise DNSError("zone %s: server %s rejected the TSIG time (BADTIME): check the clocks"
                           % (zone, self.label))
        except (dns.tsig.PeerError, dns.tsig.BadSignature) as exc:
            raise DNSError("zone %s: TSIG failure with server %s: %s" % (zone, self.label, type(exc).__name__))
        except (OSError, EOFError) as exc:
            raise DNSError("zone %s: cannot talk to server %s: %s" % (zone, self.label, exc))
        except dns.exception.DNSException as exc:
            raise DNSError("zone %s: bad answer from server %s: %s" % (zone, self.label, exc))

    def _connect(self, zone):
        family = socket.AF_INET6 if ":" in self.server else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect((self.server, self.port))
            return sock
        except OSError as exc:
            # A refused or timed-out connection still holds a descriptor: a run over many zones must not pile them up.
            sock.close()
            raise DNSError("zone %s: cannot connect to server %s: %s" % (zone, self.label, exc))

    def read(self, zone, names):
        """Current {name: {"A": (ttl, [..]), "AAAA": ..., "CNAME": ...}} of `names` in `zone`, from the server.

        Fails with a clear error when the server is not authoritative for the zone.
        """
        current = {}
        sock = self._connect(zone)
        try:
            soa = self._tcp(dns.message.make_query(zone + ".", "SOA"), zone, sock)
            rcode = soa.rcode()
            if rcode != dns.rcode.NOERROR or not soa.answer or not (soa.flags & dns.flags.AA):
                raise DNSError("zone %s not found on server %s (%s): the server is not authoritative for it"
                               % (zone, self.label, dns.rcode.to_text(rcode)))
            for name in names:
                records = {}
                for rdtype in ("A", "AAAA", "CNAME"):
                    reply = self._tcp(dns.message.make_query(name + ".", rdtype), zone, sock)
                    if reply.rcode() not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                        raise DNSError("zone %s: server %s answered %s for %s %s"
                                       % (zone, self.label, dns.rcode.to_text(reply.rcode()), name, rdtype))
                    for rrset in reply.answer:
                        owner = rrset.name.to_text(omit_final_dot=True).lower()
                        if owner == name and rrset.rdtype == dns.rdatatype.from_text(rdtype):
                            values = sorted(_rdata_text(r) for r in rrset)
                            records[rdtype] = (rrset.ttl, values)
                current[name] = records
        finally:
            sock.close()
        return current

    def update(self, zone, build):
        """Send one UPDATE for `zone`; `build(update_message)` adds the changes. Raises DNSError on failure."""
        message = dns.update.UpdateMessage(zone + ".", keyring=self.key, keyname=self.key.name,
                                           keyalgorithm=self.key.algorithm)
        build(message)
        reply = self._tcp(message, zone)
        rcode = reply.rcode()
        if rcode == dns.rcode.NOERROR:
            return
        hints = {
            dns.rcode.REFUSED: "the server refused the update (REFUSED): the key %r may not be allowed to update "
                               "this zone" % self.tsig["name"],
            dns.rcode.NOTAUTH: "the server is not authoritative for the zone or rejected the TSIG key "
                               "(NOTAUTH)",
            dns.rcode.NOTZONE: "a name is outside the zone (NOTZONE)",
            dns.rcode.SERVFAIL: "the server failed to apply the update (SERVFAIL)",
        }
        raise DNSError("zone %s on server %s: %s" % (zone, self.label,
                                                     hints.get(rcode, "update failed (%s)" % dns.rcode.to_text(rcode))))


def _rdata_text(rdata):
    text = rdata.to_text()
    if rdata.rdtype == dns.rdatatype.CNAME:
        text = text.rstrip(".").lower()
    elif rdata.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        text = str(ipaddress.ip_address(text))
    return text


def validate_records(records, zones, default_addresses, default_ttl, outside_zones="skip"):
    """Normalize wanted records; returns (by_zone, skipped, problems).

    by_zone: {zone: {fqdn: {"state": present|absent, "A": [...], "AAAA": [...], "CNAME": [..], "ttl": int}}}
    """
    problems, skipped, by_zone, seen = [], [], {}, {}
    zone_names = []
    for zone in zones or []:
        name, zone_problems = normalize_fqdn(zone)
        if zone_problems:
            problems.extend("zones: %s" % p for p in zone_problems)
        elif name:
            zone_names.append(name)
    if not zone_names:
        problems.append("zones: at least one provider zone is required")
    for index, item in enumerate(records or []):
        where = "records[%d]" % index
        if not isinstance(item, dict):
            problems.append("%s: must be a mapping with fqdn" % where)
            continue
        fqdn, fqdn_problems = normalize_fqdn(item.get("fqdn"))
        if fqdn_problems:
            problems.extend("%s.fqdn: %s" % (where, p) for p in fqdn_problems)
            continue
        where = "%s (%s)" % (where, fqdn)
        if fqdn in seen:
            problems.append("%s: declared twice (also records[%d])" % (where, seen[fqdn]))
            continue
        seen[fqdn] = index
        state = item.get("state") or "present"
        if state not in ("present", "absent"):
            problems.append("%s.state: must be present or absent, got %r" % (where, state))
            continue
        ttl = item.get("ttl") or default_ttl
        if not isinstance(ttl, int) or not 0 < ttl <= 604800:
            problems.append("%s.ttl: must be an integer between 1 and 604800, got %r" % (where, ttl))
        zone = find_zone(fqdn, zone_names)
        if zone is None:
            if outside_zones == "fail" and state == "present":
                problems.append("%s: not inside any provider zone (%s)" % (where, ", ".join(zone_names)))
            skipped.append(fqdn)
            continue
        want = {"state": state, "ttl": ttl, "A": [], "AAAA": [], "CNAME": []}
        if state == "present":
            cname = item.get("cname")
            addresses = item.get("addresses")
            if cname and addresses:
                problems.append("%s: give either addresses or cname, not both" % where)
                continue
            if cname:
                target, target_problems = normalize_fqdn(cname)
                problems.extend("%s.cname: %s" % (where, p) for p in target_problems)
                if fqdn == zone:
                    problems.append("%s.cname: a CNAME cannot be placed at the zone apex %s" % (where, zone))
                if target == fqdn:
                    problems.append("%s.cname: points at itself" % where)
                want["CNAME"] = [target] if target else []
            else:
                v4, v6, address_problems = split_addresses(addresses if addresses else default_addresses)
                problems.extend("%s.addresses: %s" % (where, p) for p in address_problems)
                if not v4 and not v6 and not address_problems:
                    problems.append("%s.addresses: no address given and no default frontend addresses" % where)
                want["A"], want["AAAA"] = v4, v6
        by_zone.setdefault(zone, {})[fqdn] = want
    return by_zone, skipped, problems


def _describe(name, records):
    lines = []
    for rdtype in ("A", "AAAA", "CNAME"):
        if rdtype in records:
            ttl, values = records[rdtype]
            lines.extend("%s %d IN %s %s" % (name, ttl, rdtype, v) for v in values)
    return lines


def plan_zone(wanted, current):
    """Per-FQDN changes of one zone: {fqdn: {"action": created|updated|removed|unchanged, "set": {...},
    "delete": [...]}}"""
    plan = {}
    for fqdn, want in wanted.items():
        have = current.get(fqdn, {})
        changes_set, changes_delete = {}, []
        for rdtype in ("A", "AAAA", "CNAME"):
            values = want[rdtype]
            if want["state"] == "present" and values:
                if rdtype not in have or have[rdtype] != (want["ttl"], values):
                    changes_set[rdtype] = (want["ttl"], values)
            elif rdtype in have:
                changes_delete.append(rdtype)
        if not changes_set and not changes_delete:
            action = "unchanged"
        elif want["state"] == "absent":
            action = "removed"
        elif not have:
            action = "created"
        else:
            action = "updated"
        after = {} if want["state"] == "absent" else {t: (want["ttl"], want[t]) for t in ("A", "AAAA", "CNAME")
                                                      if want[t]}
        plan[fqdn] = dict(action=action, set=changes_set, delete=changes_delete, before=have, after=after)
    return plan


def _build(plan):
    def build(message):
        for fqdn, change in sorted(plan.items()):
            name = fqdn + "."
            for rdtype in change["delete"]:
                message.delete(name, rdtype)
            for rdtype, (ttl, values) in sorted(change["set"].items()):
                message.replace(name, ttl, rdtype, *[v + "." if rdtype == "CNAME" else v for v in values])
    return build


def apply_records(records, zones, server, port, tsig, default_addresses=None, ttl=300, timeout=10.0,
                  outside_zones="skip", check_mode=False):
    """Make the records of `records` true on `server`; one UPDATE per zone. Returns the result dict.

    Raises DNSError (with `problems`) for invalid input before anything is sent.
    """
    by_zone, skipped, problems = validate_records(records, zones, default_addresses, ttl, outside_zones)
    problems.extend(validate_tsig(tsig))
    if problems:
        error = DNSError("invalid DNS records: " + "; ".join(problems))
        error.problems = problems
        raise error
    zs = ZoneServer(server, port, tsig, timeout)
    plans, errors = {}, []
    for zone in sorted(by_zone):
        try:
            plans[zone] = plan_zone(by_zone[zone], zs.read(zone, sorted(by_zone[zone])))
        except DNSError as exc:
            errors.append(str(exc))
    if errors:
        error = DNSError("; ".join(errors))
        error.problems = errors
        raise error

    result = dict(changed=False, created=[], updated=[], removed=[], unchanged=[], failed_fqdns=[],
                  outside=sorted(skipped), zones={}, failed_zones={})
    before_lines, after_lines = [], []
    for zone in sorted(plans):
        plan = plans[zone]
        pending = sorted(f for f, c in plan.items() if c["action"] != "unchanged")
        status, not_applied = "unchanged", set()
        if pending:
            status = "changed"
            chunks = [pending[i:i + UPDATE_CHUNK] for i in range(0, len(pending), UPDATE_CHUNK)]
            for index, chunk in enumerate(chunks):
                if check_mode:
                    break
                try:
                    zs.update(zone, _build({f: plan[f] for f in chunk}))
                except DNSError as exc:
                    result["failed_zones"][zone] = str(exc)
                    status = "failed"
                    not_applied = set(f for c in chunks[index:] for f in c)
                    break
        result["zones"][zone] = status
        for fqdn, change in sorted(plan.items()):
            if fqdn in not_applied:
                result["failed_fqdns"].append(fqdn)
                continue
            result[change["action"]].append(fqdn)
            if change["action"] != "unchanged":
                result["changed"] = True
                before_lines.extend(_describe(fqdn, change["before"]))
                after_lines.extend(_describe(fqdn, change["after"]))
    for key in ("created", "updated", "removed", "unchanged", "failed_fqdns"):
        result[key].sort()
    result["diff"] = dict(before="\n".join(before_lines) + ("\n" if before_lines else ""),
                          after="\n".join(after_lines) + ("\n" if after_lines else ""),
                          before_header="%s (TSIG key %s)" % (zs.label, tsig["name"]),
                          after_header="%s (TSIG key %s)" % (zs.label, tsig["name"]))
    return result


class Rfc2136Challenges:
    """DNS-01 challenge records (`_acme-challenge.<fqdn>` TXT) added and removed by RFC 2136 with TSIG."""

    def __init__(self, zones, server, port, keyname, secret, algorithm="hmac-sha256", ttl=60, timeout=10.0):
        self.zones = [z.rstrip(".").lower() for z in zones]
        self.ttl = ttl
        self.server = ZoneServer(server, port, dict(name=keyname, secret=secret, algorithm=algorithm), timeout)

    def covers(self, fqdn):
        return find_zone("_acme-challenge." + fqdn.rstrip(".").lower(), self.zones) is not None

    def _zone(self, name):
        zone = find_zone(name, self.zones)
        if zone is None:
            raise DNSError("%s is not inside any provider zone (%s): DNS-01 cannot be answered"
                           % (name, ", ".join(self.zones)))
        return zone

    def set_txt(self, fqdn, value):
        name = "_acme-challenge." + fqdn.rstrip(".").lower()
        self.server.update(self._zone(name), lambda m: m.add(name + ".", self.ttl, "TXT", '"%s"' % value))

    def remove_txt(self, fqdn, value):
        name = "_acme-challenge." + fqdn.rstrip(".").lower()
        self.server.update(self._zone(name), lambda m: m.delete(name + ".", "TXT", '"%s"' % value))
