# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory model: the inventory read once into named records, with every structural problem listed.

    Site      an end-user panel the frontends serve or retire: its FQDN, canonical URL, owner (a reseller's
              name, None for the provider), state, and the owner's TLS and DNS choices
    Reseller  one entry of panel_resellers: name, state, the message label naming it, its Site (None when it
              declares no usable URL) and the declared mapping the seeding step reads
    Inventory the provider's Site, the resellers, the problems found while reading them, and the derived views
              every step takes what it needs from: served sites (TLS, nginx), retired FQDNs (TLS, nginx),
              wanted DNS records (reseller_dns)

Reading checks what makes a record: the reseller's name (a slug, declared once), its state, its end-user panel
URL (an https URL with an FQDN host, used by nobody else, not the provider's host) and that its `tls`/`dns`
choices are mappings. What a record's other fields must hold (company, plan, users, plans, ...) is checked by
_seed_validation; what TLS and DNS choices must hold by _tls_acme and _dns.

An absent (offboarded) reseller needs only its name; when it still declares its URL, that FQDN is retired
(vhost and certificate moved to retired/, DNS records in provider zones removed), unless another record now
serves it.

Depends only on the leaves _names and _vocabulary.
"""

from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils import _names
from ansible_collections.panelops.reseller.plugins.module_utils._vocabulary import RESELLER_STATES, SERVED_STATES

PROVIDER_WHERE = "panel_provider_url"
# https_port value for callers that serve whatever port a URL names (nginx and TLS take the port from the
# frontend settings, not from the URL).
ANY_PORT = object()


class Site(object):
    """One end-user panel: where it is served, for whom, and with which TLS and DNS choices."""

    __slots__ = ("fqdn", "url", "owner", "state", "where", "tls", "dns")

    def __init__(self, fqdn, url, owner, state, where, tls=None, dns=None):
        self.fqdn = fqdn
        self.url = url
        self.owner = owner
        self.state = state
        self.where = where
        self.tls = tls or {}
        self.dns = dns or {}

    @property
    def served(self):
        return self.state in SERVED_STATES

    def vhost(self):
        """The record a vhost template reads as `site`."""
        return {"name": self.fqdn, "fqdn": self.fqdn, "reseller": self.owner, "state": self.state}


class Reseller(object):
    """One declared reseller, as read from the inventory."""

    __slots__ = ("name", "state", "label", "site", "declared")

    def __init__(self, name, state, label, site, declared):
        self.name = name
        self.state = state
        self.label = label
        self.site = site
        self.declared = declared

    def get(self, key, default=None):
        return self.declared.get(key, default)


def reseller_label(reseller, index):
    """How every message names a reseller: by its name, or by its position when it has none."""
    name = reseller.get("name") if isinstance(reseller, dict) else None
    return "reseller %r" % (name if isinstance(name, str) and name.strip() else "#%d" % index)


def provider_site(provider_url, where=PROVIDER_WHERE):
    """(Site or None, problems) of the provider's end-user panel URL."""
    problems = ["%s: %s" % (where, p) for p in _names.check_https_url(provider_url, require_root_path=True)]
    if problems:
        return None, problems
    url = _names.canonical_url(provider_url)
    return Site(_names.url_host(provider_url), url, None, "present", where), []


class Inventory(object):
    """The provider's site and the resellers, read once, with what is wrong with each."""

    def __init__(self, provider=None, resellers=None, reseller_problems=None, provider_problems=None):
        self.provider = provider
        self.resellers = resellers or []
        self.reseller_problems = reseller_problems or []
        self.provider_problems = provider_problems or []

    @property
    def problems(self):
        """Every problem found: the provider URL's, then the resellers'."""
        return self.provider_problems + self.reseller_problems

    def reseller_sites(self):
        """The sites the frontends serve for resellers (present and suspended), in inventory order."""
        return [r.site for r in self.resellers if r.site is not None and r.site.served]

    def served_sites(self):
        """Every site served: the provider's first (when read), then the resellers'."""
        return ([self.provider] if self.provider is not None else []) + self.reseller_sites()

    def retired_fqdns(self):
        """FQDNs of absent resellers that no served site uses any more."""
        served = set(site.fqdn for site in self.served_sites())
        return [r.site.fqdn for r in self.resellers
                if r.site is not None and not r.site.served and r.site.fqdn not in served]

    def dns_records(self):
        """The wanted DNS records of the reseller domains: present for served sites (with the reseller's own
        `cname` or `addresses` when it declares them), absent for retired FQDNs."""
        records = []
        for site in self.reseller_sites():
            record = {"fqdn": site.fqdn, "state": "present"}
            record.update((key, site.dns[key]) for key in ("cname", "addresses") if key in site.dns)
            records.append(record)
        records.extend({"fqdn": fqdn, "state": "absent"} for fqdn in self.retired_fqdns())
        return records


def _mapping_choice(reseller, key, label, problems):
    value = reseller.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append("%s: %s: must be a mapping" % (label, key))
        return {}
    return value


def _port_problem(url, https_port):
    port = _names.url_port(url)
    if https_port is ANY_PORT or port is None or port == https_port:
        return []
    return ["%r must not name a port%s" % (
        url, "" if https_port is None else " other than panel_frontend_https_port (%s)" % https_port)]


class _Reader(object):
    """Reads panel_resellers one entry at a time, remembering names and hosts already taken."""

    def __init__(self, provider, https_port):
        self.provider_host = provider.fqdn if provider is not None else None
        self.https_port = https_port
        self.names = set()
        self.hosts = {}  # served FQDN -> label of the reseller serving it
        self.problems = []

    def read(self, reseller, index):
        if not isinstance(reseller, dict):
            self.problems.append("panel_resellers[%d]: must be a mapping" % index)
            return None
        label = reseller_label(reseller, index)
        name = reseller.get("name")
        self._check_name(name, label)
        state = reseller.get("state", "present")
        if state not in RESELLER_STATES:
            self.problems.append("%s: state: must be one of %s, got %r" % (label, ", ".join(RESELLER_STATES), state))
        tls = _mapping_choice(reseller, "tls", label, self.problems)
        dns = _mapping_choice(reseller, "dns", label, self.problems)
        site = None
        if state in RESELLER_STATES:
            site = self._site(reseller, name, state, label, tls, dns)
        return Reseller(name, state, label, site, reseller)

    def _check_name(self, name, label):
        for problem in _names.check_slug(name):
            self.problems.append("%s: name: %s" % (label, problem))
        if _names.is_slug(name):
            if name in self.names:
                self.problems.append("%s: name: duplicate reseller name" % label)
            self.names.add(name)

    def _site(self, reseller, name, state, label, tls, dns):
        url = reseller.get("enduser_panel_url")
        served = state in SERVED_STATES
        if url is None and not served:
            return None  # offboarding needs only the name
        url_problems = _names.check_https_url(url, require_root_path=True)
        if not url_problems and served:
            url_problems = _port_problem(url, self.https_port)
        if url_problems:
            self.problems.extend("%s: enduser_panel_url: %s" % (label, p) for p in url_problems)
            return None
        fqdn = _names.url_host(url)
        if served and not self._claim(fqdn, label):
            return None
        return Site(fqdn, _names.canonical_url(url), name, state, label, tls, dns)

    def _claim(self, fqdn, label):
        if fqdn == self.provider_host:
            self.problems.append("%s: enduser_panel_url: host %s is the provider's own host" % (label, fqdn))
            return False
        if fqdn in self.hosts:
            self.problems.append("%s: enduser_panel_url: host %s is already used by %s"
                                 % (label, fqdn, self.hosts[fqdn]))
            return False
        self.hosts[fqdn] = label
        return True


def read_resellers(resellers, provider=None, https_port=ANY_PORT):
    """Read panel_resellers into an Inventory (with `provider`, a Site or None, whose host no reseller may use).

    https_port: the only port an end-user panel URL may name (None: none; ANY_PORT: not checked here).
    """
    if resellers is None:
        return Inventory(provider)
    if not isinstance(resellers, list):
        return Inventory(provider, reseller_problems=["panel_resellers: must be a list of resellers"])
    reader = _Reader(provider, https_port)
    records = [reader.read(reseller, index) for index, reseller in enumerate(resellers)]
    return Inventory(provider, [r for r in records if r is not None], reader.problems)


def read(resellers=None, provider_url=None, https_port=ANY_PORT, provider_required=False):
    """The Inventory of a provider URL (read when given, or when required) and a reseller list."""
    provider, problems = None, []
    if provider_url is not None or provider_required:
        provider, problems = provider_site(provider_url)
    inventory = read_resellers(resellers, provider, https_port)
    inventory.provider_problems = problems
    return inventory


def read_variables(variables):
    """The Inventory of the inventory's variables (panel_provider_url, panel_resellers,
    panel_frontend_https_port): what the first play validates."""
    https_port = variables.get("panel_frontend_https_port")
    if not is_port(https_port):
        https_port = None  # reported by the validation of panel_frontend_https_port
    return read(variables.get("panel_resellers"), variables.get("panel_provider_url"), https_port,
                provider_required=True)


def is_port(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536
