"""A reseller's own brand in the dashboard: edited when the inventory does not manage it, read-only when it does;
its fields and logo checked by the collection's rules (_seed_validation.validate_brand, _brand_logo), pinned here."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as Browser
from PIL import Image

from collection import module_utils
from conftest import tiny_png
from editor import invalid_fields
from reseller_panel.core.models import Brand
from reseller_panel.dashboard.brand_forms import LOGO_MAX_BYTES, BrandForm, sniff_logo
from world import PROVIDER_HOST

validation = module_utils("_seed_validation")
vocabulary = module_utils("_vocabulary")
brand_logo = module_utils("_brand_logo")

GOOD = {"name": "Alpha Hosting", "primary_color": "#c2410c", "support_email": "help@alpha.test",
        "support_url": "https://help.alpha.test/", "terms_url": "https://alpha.test/legal/terms",
        "privacy_url": "https://alpha.test/privacy"}
FIELD_CASES = [
    {}, {"primary_color": "#ABC"}, {"support_url": "https://bücher.test/hilfe"}, {"name": "Ünïcode Cloud ☁"},
    {"name": ""}, {"name": "x" * 101}, {"name": "tab\there"}, {"primary_color": "red"}, {"primary_color": "#12345"},
    {"primary_color": "#1234567"}, {"support_email": "help"}, {"support_email": "help@alpha"},
    {"support_email": "a b@alpha.test"}, {"support_url": "http://help.alpha.test/"},
    {"support_url": "javascript:alert(1)"}, {"support_url": "https://help.alpha.test/?q=1"},
    {"support_url": "https://help.alpha.test/#top"}, {"support_url": "https://user:pw@help.alpha.test/"},
    {"support_url": "https://localhost/"}, {"support_url": "https://10.0.0.1/"}, {"terms_url": "https://a_b.test/"},
    {"privacy_url": 'https://alpha.test/"onmouseover="x'}, {"privacy_url": "https://alpha.test/<script>"},
    {"terms_url": "https://alpha.test:99999/"},
]


def image(kind, size=(4, 4)):
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, kind)
    return out.getvalue()


LOGOS = [("png", tiny_png((1, 2, 3))), ("jpeg", image("JPEG")), ("webp", image("WEBP")), ("gif", image("GIF")),
         ("svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
         ("html", b"<!doctype html><script>x()</script>"), ("garbage", b"\x00\x01\x02" * 10), ("empty", b""),
         ("oversized", tiny_png((1, 2, 3)) + b"\x00" * LOGO_MAX_BYTES)]


def test_a_brand_without_a_colour_gets_the_collections_default():
    assert Brand.DEFAULT_COLOR == vocabulary.DEFAULT_BRAND_COLOR
    assert Brand._meta.get_field("primary_color").default == vocabulary.DEFAULT_BRAND_COLOR


@pytest.mark.parametrize("changes", FIELD_CASES, ids=lambda c: repr(c)[:60])
def test_the_brand_form_accepts_what_the_collection_accepts(changes):
    data = dict(GOOD, **changes)
    form_ok = BrandForm(data).is_valid()
    collection_ok = validation.validate_brand({k: v for k, v in data.items() if v != ""}, "brand") == []
    assert form_ok is collection_ok, (changes, BrandForm(data).errors)


@pytest.mark.parametrize("kind,data", LOGOS, ids=[kind for kind, data in LOGOS])
def test_logos_are_judged_like_the_collection_judges_them(kind, data):
    ours, theirs = sniff_logo(data), brand_logo.sniff_logo(data)
    assert ours[0] == theirs[0], (kind, ours, theirs)
    assert (ours[1] is None) is (theirs[1] is None)
    assert LOGO_MAX_BYTES == brand_logo.LOGO_MAX_BYTES


@pytest.fixture
def dashboard(world):
    browser = Browser()
    browser.force_login(world["a"]["user"])
    return browser


@pytest.mark.django_db
def test_a_reseller_edits_its_own_brand_and_its_panel_shows_it(world, dashboard):
    page = dashboard.get("/reseller/brand/", HTTP_HOST=PROVIDER_HOST)
    # Without a brand, the form starts from the reseller's company and contact address.
    assert b'value="reseller-a-account"' in page.content and b'value="a@resellers.test"' in page.content
    logo = image("WEBP", (8, 8))
    response = dashboard.post("/reseller/brand/", dict(GOOD, logo=SimpleUploadedFile("logo.webp", logo)),
                              HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 302
    brand = Brand.objects.get(reseller=world["a"]["reseller"])
    assert (brand.name, brand.managed, bytes(brand.logo), brand.logo_content_type) == (
        "Alpha Hosting", False, logo, "image/webp")
    signup = Browser().get("/signup/", HTTP_HOST="cloud.a.test").content.decode()
    assert 'id="brand-name">Alpha Hosting<' in signup and brand.logo_sha256 in signup
    # Another reseller's pages do not change.
    assert "Alpha Hosting" not in Browser().get("/signup/", HTTP_HOST="cloud.b.test").content.decode()
    # Removing the logo.
    dashboard.post("/reseller/brand/", dict(GOOD, remove_logo="on"), HTTP_HOST=PROVIDER_HOST)
    brand.refresh_from_db()
    assert brand.logo is None and brand.logo_sha256 == ""


@pytest.mark.django_db
def test_a_bad_upload_is_refused_at_its_field_and_nothing_changes(world, dashboard):
    svg = SimpleUploadedFile("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/png")
    response = dashboard.post("/reseller/brand/", dict(GOOD, logo=svg, support_email="nope"),
                              HTTP_HOST=PROVIDER_HOST)
    errors = invalid_fields(response.content.decode())
    assert errors["logo"].startswith("SVG (or other markup) is refused")
    assert errors["support_email"] == "an e-mail address such as support@example.com"
    assert not Brand.objects.filter(reseller=world["a"]["reseller"]).exists()


@pytest.mark.django_db
def test_a_managed_brand_is_read_only(world, brands, dashboard):
    page = dashboard.get("/reseller/brand/", HTTP_HOST=PROVIDER_HOST)
    assert b'id="brand-managed"' in page.content and b"<form method=\"post\" enctype" not in page.content
    response = dashboard.post("/reseller/brand/", dict(GOOD, name="Hijacked"), HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 200
    assert Brand.objects.get(pk=brands["a"].pk).name == "Alpha Hosting"


@pytest.mark.django_db
def test_the_dashboard_serves_only_the_signed_in_resellers_logo(world, brands, dashboard):
    own = dashboard.get("/reseller/brand/logo/%s" % brands["a"].logo_sha256, HTTP_HOST=PROVIDER_HOST)
    assert own.status_code == 200 and own["Content-Type"] == "image/png"
    other = dashboard.get("/reseller/brand/logo/%s" % brands["b"].logo_sha256, HTTP_HOST=PROVIDER_HOST)
    assert other.status_code == 404
    css = dashboard.get("/reseller/brand/preview.css", HTTP_HOST=PROVIDER_HOST).content.decode()
    assert css.startswith(".brand-preview{") and "#c2410c" in css and "#15803d" not in css
