"""Request handling in front of the views: proxy trust, host routing, secure cookies, CSRF origins."""
import ipaddress
import os

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.middleware.csrf import CsrfViewMiddleware, RejectRequest
from django.shortcuts import render
from django.utils.http import urlsplit

from . import routing
from .models import Reseller
from .urlconfs import provider_urlconf

EXEMPT_PATHS = ("/healthz", "/healthz/")
BRAND_ASSET_PATHS = ("/brand.css", "/brand/logo/")


class PolicyHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy (settings.CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY) on
    every response, the panel's error pages and static files included. The frontends pass them on and give
    their own responses (redirects, 421, 404 on reseller hosts) a stricter policy of their own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {"Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
                        "Permissions-Policy": settings.PERMISSIONS_POLICY}

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value and name not in response:
                response[name] = value
        return response


UNIX_PEERS = "unix"


def trusted_proxies():
    """PANEL_TRUSTED_PROXIES: comma-separated addresses or networks, and `unix` for peers on the Unix socket
    the panel listens on (whoever the socket's permissions let in); default the loopback addresses."""
    raw = os.environ.get("PANEL_TRUSTED_PROXIES", "127.0.0.1,::1")
    networks = []
    for item in raw.split(","):
        item = item.strip()
        if item == UNIX_PEERS:
            networks.append(UNIX_PEERS)
        elif item:
            networks.append(ipaddress.ip_network(item, strict=False))
    return networks


class ProxyMiddleware:
    """Trust X-Forwarded-Proto / X-Forwarded-For only from a trusted proxy; drop them from anyone else.

    settings.SECURE_PROXY_SSL_HEADER names X-Forwarded-Proto, so after this middleware Django believes the
    header exactly when the peer is one of PANEL_TRUSTED_PROXIES.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = trusted_proxies()

    def _trusted(self, address):
        if not address:
            # A peer on a Unix socket has no address (gunicorn passes an empty one).
            return UNIX_PEERS in self.networks
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return False
        return any(ip in network for network in self.networks if network != UNIX_PEERS)

    def __call__(self, request):
        meta = request.META
        if self._trusted(meta.get("REMOTE_ADDR")):
            forwarded = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
            if forwarded:
                meta["REMOTE_ADDR"] = forwarded
        else:
            if meta.pop("HTTP_X_FORWARDED_PROTO", None) is not None:
                # gunicorn may have read the header itself (it believes every peer on a Unix socket); it never
                # terminates TLS here, so the request came in as plain HTTP.
                meta["wsgi.url_scheme"] = "http"
            meta.pop("HTTP_X_FORWARDED_FOR", None)
        response = self.get_response(request)
        if request.is_secure():
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["secure"] = True
        return response


class MisdirectedRequestMiddleware:
    """421 Misdirected Request when the frontend marks the request so (X-Panelops-Misdirected): its Host is not
    the name the TLS connection was opened for, and one connection never serves two tenants. A browser that
    reused a connection for another name opens a new one and asks again.

    nginx compares the two names (it alone knows the TLS one) and always sets or drops the header itself, so a
    client can neither forge nor hide it; a request straight to the panel, without the header, is not refused.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("HTTP_X_PANELOPS_MISDIRECTED"):
            return HttpResponse("Misdirected request: this connection was opened for another name.\n", status=421,
                                content_type="text/plain")
        return self.get_response(request)


class HostRoutingMiddleware:
    """Decide provider / reseller / nobody from the Host (port ignored) and pick the URLconf.

    Unknown host: 400. Archived reseller: 404. Suspended reseller: the "sign-up closed" page (no log-in).
    /healthz answers on any host so that local health checks need no Host header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.panel_site = None
        if request.path_info in EXEMPT_PATHS:
            return self.get_response(request)
        host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        site = routing.resolve(host)
        if site is None:
            return HttpResponseBadRequest("Unknown host.\n", content_type="text/plain")
        request.panel_site = site
        if site.kind == routing.RESELLER:
            status = site.reseller.status
            if status == Reseller.ARCHIVED:
                return HttpResponseNotFound("Not found.\n", content_type="text/plain")
            # A suspended reseller's domain still shows its brand on the "sign-up closed" page.
            if status != Reseller.ACTIVE and not request.path_info.startswith(BRAND_ASSET_PATHS):
                return render(request, "panel/closed.html", {"reseller": site.reseller}, status=403)
        else:
            request.urlconf = provider_urlconf(site.dashboard_path, site.reseller_feature)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.belongs_to(site.reseller):
            # A session made on another tenant's host is worth nothing here.
            request.user = AnonymousUser()
        return self.get_response(request)


class PanelCsrfMiddleware(CsrfViewMiddleware):
    """CSRF checks whose trusted origins are the provider's and the current reseller's https origins.

    Behind the frontends the Host header carries no port while the browser's Origin does (:8443 in the demo),
    so the origins recorded in the database (with their ports) are trusted as well as Django's own check.
    """

    def _origin_verified(self, request):
        site = getattr(request, "panel_site", None)
        origin = request.META.get("HTTP_ORIGIN")
        if site is not None and origin in site.trusted_origins and request.is_secure():
            return True
        return super()._origin_verified(request)

    def _check_referer(self, request):
        try:
            return super()._check_referer(request)
        except RejectRequest:
            site = getattr(request, "panel_site", None)
            referer = urlsplit(request.META.get("HTTP_REFERER") or "")
            origin = "%s://%s" % (referer.scheme, referer.netloc)
            if site is not None and origin in site.trusted_origins:
                return None
            raise
