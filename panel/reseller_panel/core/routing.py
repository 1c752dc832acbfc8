"""Who a request talks to, decided by its host: the provider, a reseller, or nobody (400).

Everything is read from the database on every request (two small queries), so a reseller added or suspended by
the provisioner takes effect at once, with no restart and no cache to expire.
"""
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from django.http.request import split_domain_port

from .brand import provider_brand, reseller_brand
from .models import Reseller, Setting

PROVIDER, RESELLER = "provider", "reseller"
DEFAULT_DASHBOARD_PATH = "/reseller/"


def normalize_host(host):
    """Lowercase IDNA form of a host name, without port; '' when it is not a valid host."""
    domain, _port = split_domain_port(host or "")
    if not domain:
        return ""
    domain = domain.rstrip(".")
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""


def origin_of(url):
    """'https://host[:port]' of an https URL (IDNA host), or None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    host = normalize_host(parts.hostname)
    return "https://%s%s" % (host, ":%d" % parts.port if parts.port and parts.port != 443 else "")


@dataclass
class Site:
    """The routing decision for one request."""

    kind: str  # PROVIDER or RESELLER
    settings: dict
    reseller: Reseller = None
    trusted_origins: set = field(default_factory=set)

    @property
    def is_provider(self):
        return self.kind == PROVIDER

    @property
    def dashboard_path(self):
        path = self.settings.get("reseller.dashboard_path") or DEFAULT_DASHBOARD_PATH
        path = "/" + path.strip("/") + "/"
        return path if path != "//" else DEFAULT_DASHBOARD_PATH

    @property
    def force_registration(self):
        return bool(self.settings.get("reseller.force_registration"))

    @property
    def reseller_feature(self):
        return bool(self.settings.get("reseller.enabled"))

    @cached_property
    def brand(self):
        """This host's brand (core.brand.ShownBrand): the reseller's on its host, the provider's on the provider's."""
        if self.reseller is not None:
            return reseller_brand(self.reseller)
        return provider_brand(self.settings.get("provider.frontend_url"))

    @property
    def signup_owner(self):
        """The reseller new sign-ups on this site belong to (None: the provider). Only the host decides."""
        if self.reseller is not None and self.force_registration:
            return self.reseller
        return None


def resolve(host):
    """The Site for `host` (a Host header value), or None for a host the panel does not serve."""
    name = normalize_host(host)
    if not name:
        return None
    values = Setting.objects.as_dict()
    provider_url = values.get("provider.frontend_url")
    provider_origin = origin_of(provider_url)
    trusted = {provider_origin} if provider_origin else set()
    if provider_url and normalize_host(urlsplit(provider_url).hostname or "") == name:
        return Site(PROVIDER, values, trusted_origins=trusted)
    reseller = Reseller.objects.for_host(name)
    if reseller is None:
        return None
    own = origin_of(reseller.enduser_panel_url)
    return Site(RESELLER, values, reseller=reseller, trusted_origins=trusted | ({own} if own else set()))
