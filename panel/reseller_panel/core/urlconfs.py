"""URLconfs chosen per request by the host (core.middleware.HostRoutingMiddleware).

Reseller hosts use the end-user pages only (reseller_panel.urls, the ROOT_URLCONF). The provider host adds the
staff admin, the reseller dashboard at its configured path and set-password links.
"""
import types

from django.contrib import admin
from django.urls import include, path

from reseller_panel import urls as enduser

_PROVIDER_URLCONFS = {}


def provider_urlconf(dashboard_path, dashboard=True):
    """A URLconf for the provider host: end-user pages, staff admin and (with the reseller feature on) the
    dashboard at its path. One module per distinct path, so Django's resolver cache stays valid."""
    key = (dashboard_path, dashboard)
    if key not in _PROVIDER_URLCONFS:
        module = types.ModuleType("reseller_panel.provider_urls_%d" % len(_PROVIDER_URLCONFS))
        module.urlpatterns = [path("staff/", admin.site.urls)]
        if dashboard:
            module.urlpatterns.append(path(dashboard_path.lstrip("/"), include("reseller_panel.dashboard.urls")))
        module.urlpatterns += [path("", include("reseller_panel.core.provider_urls"))] + list(enduser.urlpatterns)
        _PROVIDER_URLCONFS[key] = module
    return _PROVIDER_URLCONFS[key]
