"""The brand's stylesheet and logo, served on every host for that host's brand only."""
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from .brand import LOGO_CACHE_SECONDS, brand_css
from .models import Brand


@require_safe
def stylesheet(request):
    response = HttpResponse(brand_css(request.panel_site.brand), content_type="text/css; charset=utf-8")
    # The page links it with ?v=<colour and logo digest>: a changed brand is a new URL.
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def logo(request, digest):
    """The logo of this host's brand, named by its SHA-256. Another brand's digest is not found here."""
    site = request.panel_site
    if not digest or digest != site.brand.logo_sha256:
        raise Http404("no such logo on this host")
    owner = {"reseller": site.reseller} if site.reseller is not None else {"reseller__isnull": True}
    row = Brand.objects.filter(logo_sha256=digest, **owner).only("logo", "logo_content_type").first()
    if row is None or row.logo is None:
        raise Http404("no such logo on this host")
    response = HttpResponse(bytes(row.logo), content_type=row.logo_content_type)
    response["Cache-Control"] = "public, max-age=%d, immutable" % LOGO_CACHE_SECONDS
    return response


def context(request):
    """Template context processor: `brand` on every page (the provider's when no host was resolved)."""
    site = getattr(request, "panel_site", None)
    if site is None:
        return {}
    # shown_brand: in the dashboard, the signed-in reseller's own brand (the page itself is the provider's).
    return {"brand": site.brand, "panel_site": site, "shown_brand": getattr(request, "shown_brand", None)}
