"""The brand a request is shown in: its host's (a reseller's, or the provider's), never another's.

Every end-user page and e-mail reads the brand from here. A reseller without a brand row is shown under its
company name and contact address; the provider without one as "Cloud panel". Colours reach the pages as a
stylesheet (/brand.css) and the logo as an image URL carrying its digest: no inline style or script.
"""
import hashlib
from dataclasses import dataclass
from email.utils import formataddr
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from .models import Brand

PROVIDER_DEFAULT_NAME = "Cloud panel"
LOGO_CACHE_SECONDS = 365 * 24 * 3600


def _rgb(color):
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _luminance(rgb):
    """WCAG relative luminance of an sRGB colour."""
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_color_on(color):
    """Black or white, whichever contrasts more with `color` (#rrggbb), so any brand colour stays readable."""
    lum = _luminance(_rgb(color))
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


def shade(color, factor):
    """`color` darkened (factor < 1) or mixed towards white (factor > 1)."""
    rgb = _rgb(color)
    if factor <= 1:
        mixed = (round(v * factor) for v in rgb)
    else:
        mixed = (round(v + (255 - v) * (factor - 1)) for v in rgb)
    return "#%02x%02x%02x" % tuple(mixed)


@dataclass(frozen=True)
class ShownBrand:
    """What the templates, the stylesheet and the mailer need of a brand."""

    name: str
    primary_color: str
    support_email: str = ""
    support_url: str = ""
    terms_url: str = ""
    privacy_url: str = ""
    logo_sha256: str = ""
    logo_content_type: str = ""
    # The https URL of the host's end-user panel (links in e-mails are built from it, with its port).
    base_url: str = ""
    # The address e-mails of this host come from when the brand names no support address.
    fallback_from: str = ""

    @property
    def text_color(self):
        return text_color_on(self.primary_color)

    @property
    def version(self):
        """Changes whenever the stylesheet would: a cache-busting parameter for /brand.css."""
        return hashlib.sha256(("%s|%s" % (self.primary_color, self.logo_sha256)).encode()).hexdigest()[:12]

    @property
    def css_url(self):
        return "%s?v=%s" % (reverse("brand_css"), self.version)

    @property
    def logo_url(self):
        if not self.logo_sha256:
            return ""
        return reverse("brand_logo", args=[self.logo_sha256])

    @property
    def absolute_logo_url(self):
        return self.base_url.rstrip("/") + self.logo_url if self.logo_url and self.base_url else ""

    @property
    def from_email(self):
        """'Name <address>' for the From header of this host's e-mails."""
        return formataddr((self.name, self.support_email or self.fallback_from or settings.DEFAULT_FROM_EMAIL))

    @property
    def domain(self):
        """host[:port] of the end-user panel, as links in e-mails need it."""
        return urlsplit(self.base_url).netloc


def _shown(row, **defaults):
    if row is None:
        return ShownBrand(primary_color=Brand.DEFAULT_COLOR, **defaults)
    return ShownBrand(name=row.name, primary_color=row.primary_color or Brand.DEFAULT_COLOR,
                      support_email=row.support_email, support_url=row.support_url, terms_url=row.terms_url,
                      privacy_url=row.privacy_url, logo_sha256=row.logo_sha256,
                      logo_content_type=row.logo_content_type, base_url=defaults["base_url"],
                      fallback_from=defaults.get("fallback_from", ""))


def reseller_brand(reseller):
    """The brand of a reseller's end-user panel."""
    row = Brand.objects.defer("logo").filter(reseller=reseller).first()
    return _shown(row, name=reseller.client.name, support_email=reseller.client.email,
                  base_url=reseller.enduser_panel_url, fallback_from=reseller.client.email)


def provider_brand(provider_url):
    """The brand of the provider's host (its end-user panel and the reseller dashboard)."""
    row = Brand.objects.defer("logo").filter(reseller__isnull=True).order_by("id").first()
    return _shown(row, name=PROVIDER_DEFAULT_NAME, base_url=provider_url or "")


def brand_css(brand, scope=None):
    """The stylesheet that gives Bootstrap the brand's colours: the whole page's, or (with `scope`, a
    selector) only that part's, such as the dashboard's preview of a reseller's brand."""
    if scope is not None:
        text = brand.text_color
        return "%s{--panel-brand:%s;--panel-brand-text:%s;background:%s;color:%s}\n" % (
            scope, brand.primary_color, text, brand.primary_color, text)
    color, text = brand.primary_color, brand.text_color
    hover, active = shade(color, 0.85), shade(color, 0.75)
    rgb = ",".join(str(v) for v in _rgb(color))
    # Links need contrast with the (light) page: darken light brand colours for them.
    link = color if text == "#ffffff" else shade(color, 0.45)
    link_rgb = ",".join(str(v) for v in _rgb(link))
    return "\n".join([
        "/* %s */" % brand.name.replace("*/", "* /"),
        ":root{--panel-brand:%s;--panel-brand-text:%s;--bs-primary:%s;--bs-primary-rgb:%s;"
        "--bs-link-color:%s;--bs-link-color-rgb:%s;--bs-link-hover-color:%s;--bs-link-hover-color-rgb:%s;"
        "--bs-focus-ring-color:rgba(%s,.25)}" % (color, text, color, rgb, link, link_rgb, shade(link, 0.8),
                                                 link_rgb, rgb),
        ".btn-primary{--bs-btn-bg:%s;--bs-btn-border-color:%s;--bs-btn-color:%s;--bs-btn-hover-bg:%s;"
        "--bs-btn-hover-border-color:%s;--bs-btn-hover-color:%s;--bs-btn-active-bg:%s;"
        "--bs-btn-active-border-color:%s;--bs-btn-active-color:%s;--bs-btn-disabled-bg:%s;"
        "--bs-btn-disabled-border-color:%s;--bs-btn-disabled-color:%s;--bs-btn-focus-shadow-rgb:%s}"
        % (color, color, text, hover, hover, text, active, active, text, color, color, text, rgb),
        ".btn-outline-primary{--bs-btn-color:%s;--bs-btn-border-color:%s;--bs-btn-hover-bg:%s;"
        "--bs-btn-hover-border-color:%s;--bs-btn-hover-color:%s;--bs-btn-active-bg:%s;--bs-btn-active-color:%s}"
        % (link, color, color, color, text, active, text),
        ".form-control:focus,.form-select:focus,.form-check-input:focus{border-color:%s}" % shade(color, 1.5),
        ".form-check-input:checked{background-color:%s;border-color:%s}" % (color, color),
        ".nav-pills{--bs-nav-pills-link-active-bg:%s;--bs-nav-pills-link-active-color:%s}" % (color, text),
        ".pagination{--bs-pagination-active-bg:%s;--bs-pagination-active-border-color:%s;"
        "--bs-pagination-active-color:%s}" % (color, color, text),
        "",
    ])
