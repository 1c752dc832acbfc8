# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The naming rules, each defined once: reseller slugs, fully qualified domain names, https URLs, IP addresses
and what makes two usernames the same name.

Everything that names a reseller, a host or a URL (the inventory model, validation, DNS, TLS, nginx, the
database modules) checks and spells it with these functions, so a name one step accepts is a name every step
accepts, spelled the same way (IDNA-encoded, lowercase, no trailing dot).

A leaf: it imports nothing from this collection.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

# A reseller's name: a DNS-label-like slug, because it ends up in host names, file names and URLs.
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
SLUG_RULE = "a-z, 0-9, '-', 1-63 characters, not starting or ending with '-'"
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Characters that never belong in a URL the inventory hands to nginx, a template or a database row.
_UNSAFE_URL_CHARACTERS = "\"'<>\\`{};"
# Whitespace (\s is str.isspace's set), control characters or one of those, found in one scan.
_BAD_URL_CHARACTER = re.compile(r"[\s\x00-\x1f%s]" % re.escape(_UNSAFE_URL_CHARACTERS))


def is_slug(name):
    """Whether `name` is a valid reseller slug."""
    return isinstance(name, str) and _SLUG.match(name) is not None


def check_slug(name):
    """Problems with a reseller slug (empty when valid)."""
    return [] if is_slug(name) else ["must be a slug (%s)" % SLUG_RULE]


def normalize_fqdn(name):
    """IDNA-encode and lowercase a host name; returns (ascii_name, problems)."""
    if not isinstance(name, str) or not name:
        return None, ["must be a non-empty host name"]
    if name.endswith("."):
        name = name[:-1]
    if name.isascii():
        # Checked by check_fqdn's own rules: the idna codec's messages differ between Python versions.
        ascii_name = name.lower()
    else:
        try:
            ascii_name = name.encode("idna").decode("ascii").lower()
        except UnicodeError as exc:
            return None, ["%r is not a valid internationalized domain name (%s)" % (name, exc)]
    return ascii_name, check_fqdn(ascii_name)


def find_zone(fqdn, zones):
    """The longest zone of `zones` that contains `fqdn` (or is it), or None."""
    best = None
    for zone in zones:
        zone = zone.rstrip(".").lower()
        if fqdn == zone or fqdn.endswith("." + zone):
            if best is None or len(zone) > len(best):
                best = zone
    return best


def check_fqdn(name):
    """Problems with an (ASCII) fully qualified domain name."""
    try:
        ipaddress.ip_address(name.strip("[]"))
        return ["%r is an IP address; a domain name is required" % name]
    except ValueError:
        pass
    problems = []
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


def check_site_name(name):
    """A site's name becomes a file name: it must be a valid FQDN already in its normalized form."""
    ascii_name, problems = normalize_fqdn(name)
    if problems:
        return problems
    if ascii_name != name:
        return ["%r is not in normalized form (expected %r)" % (name, ascii_name)]
    return []


def check_https_url(url, require_root_path=True, allow_port=True):
    """Problems with an absolute https URL whose host is a valid FQDN. Returns a list of messages."""
    if not isinstance(url, str) or not url:
        return ["must be an absolute https:// URL"]
    if _BAD_URL_CHARACTER.search(url):
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
    if not host:
        return ["%r has no host" % url[:80]]
    if host.startswith("[") or ":" in host:
        return ["%r uses an IP literal; a domain name is required" % url[:80]]
    problems = list(normalize_fqdn(host)[1])
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


def url_port(url):
    """The port a URL names, or None (assumes check_https_url passed)."""
    return urlsplit(url).port


def url_origin(url):
    """scheme://host[:port] of a URL, the host IDNA-encoded."""
    parts = urlsplit(url)
    origin = "%s://%s" % (parts.scheme, url_host(url))
    if parts.port:
        origin += ":%d" % parts.port
    return origin


def split_addresses(addresses):
    """(ipv4 list, ipv6 list, problems) of a list of IP addresses, normalized and sorted."""
    v4, v6, problems = set(), set(), []
    for value in addresses or []:
        try:
            address = ipaddress.ip_address(str(value).strip())
        except ValueError:
            problems.append("%r is not an IP address" % (value,))
            continue
        (v4 if address.version == 4 else v6).add(str(address))
    return sorted(v4, key=ipaddress.ip_address), sorted(v6, key=ipaddress.ip_address), problems


def canonical_url(url):
    """https://<idna host>[:port]/ - the one spelling of an end-user panel URL (stored in the panel database)."""
    port = url_port(url)
    return "https://%s%s/" % (url_host(url), "" if port is None else ":%d" % port)


def username_key(username):
    """What makes two usernames the same name (panel_user.username_key, unique within a name space): NFKC and
    case folding, so "Bob" and the fullwidth "Ｂob" are "bob". The panel's core.usernames.key, pinned by a test."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())
