"""Every end-user page on a host shows that host's brand and no other's; the stylesheet and the logo too."""
import re

import pytest
from django.test import Client as Browser

from reseller_panel.core.brand import text_color_on
from reseller_panel.core.models import Brand
from world import PROVIDER_HOST

HOSTS = {"provider": PROVIDER_HOST, "a": "cloud.a.test", "b": "cloud.b.test"}
PAGES = ["/signup/", "/login/", "/password-reset/", "/password-reset/sent/", "/reset/MQ/bad-token/",
         "/reset/done/"]


def others(brands, key):
    return [brand for other, brand in brands.items() if other != key]


def assert_only_brand(html, brands, key):
    brand = brands[key]
    assert "<title>" in html and re.search(r"<title>[^<]* · %s</title>" % re.escape(brand.name), html), html[:300]
    assert 'id="brand-name">%s<' % brand.name in html
    assert 'src="/brand/logo/%s"' % brand.logo_sha256 in html
    assert brand.support_email in html and brand.terms_url in html and brand.privacy_url in html
    for other in others(brands, key):
        for value in (other.name, other.support_email, other.logo_sha256, other.terms_url):
            assert value not in html, (key, value)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["provider", "a", "b"])
@pytest.mark.parametrize("page", PAGES)
def test_anonymous_pages_show_the_hosts_brand_only(brands, key, page):
    response = Browser().get(page, HTTP_HOST=HOSTS[key])
    assert response.status_code == 200, (page, response.status_code)
    assert_only_brand(response.content.decode(), brands, key)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["a", "b"])
def test_the_signed_in_home_page_shows_the_hosts_brand_only(world, brands, key):
    browser = Browser()
    browser.force_login(world[key]["end_user"])
    response = browser.get("/", HTTP_HOST=HOSTS[key])
    assert response.status_code == 200
    assert_only_brand(response.content.decode(), brands, key)


@pytest.mark.django_db
def test_a_suspended_resellers_closed_page_shows_its_brand_and_its_assets_load(brands):
    browser = Browser()
    for path in ("/signup/", "/login/", "/"):
        response = browser.get(path, HTTP_HOST="cloud.s.test")
        assert response.status_code == 403 and b"Sign-up closed" in response.content
        assert_only_brand(response.content.decode(), brands, "s")
    assert browser.get("/brand.css", HTTP_HOST="cloud.s.test").status_code == 200
    assert browser.get("/brand/logo/%s" % brands["s"].logo_sha256, HTTP_HOST="cloud.s.test").status_code == 200


@pytest.mark.django_db
def test_the_stylesheet_carries_the_hosts_colour(brands):
    css = Browser().get("/brand.css", HTTP_HOST="cloud.a.test")
    assert css["Content-Type"] == "text/css; charset=utf-8"
    text = css.content.decode()
    assert "--bs-primary:#c2410c" in text and "--bs-primary-rgb:194,65,12" in text
    assert "#15803d" not in text and "#1f4e79" not in text
    page = Browser().get("/login/", HTTP_HOST="cloud.a.test").content.decode()
    # The link changes with the colour, so a changed brand is fetched anew.
    before = re.search(r'href="(/brand\.css\?v=\w+)"', page).group(1)
    Brand.objects.filter(pk=brands["a"].pk).update(primary_color="#000000")
    after = re.search(r'href="(/brand\.css\?v=\w+)"', Browser().get("/login/", HTTP_HOST="cloud.a.test")
                      .content.decode()).group(1)
    assert before != after


@pytest.mark.django_db
def test_a_logo_is_served_only_on_its_own_host(brands):
    logo = Browser().get("/brand/logo/%s" % brands["a"].logo_sha256, HTTP_HOST="cloud.a.test")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert bytes(logo.content) == bytes(Brand.objects.get(pk=brands["a"].pk).logo)
    assert "immutable" in logo["Cache-Control"]
    for host, digest in (("cloud.b.test", brands["a"].logo_sha256), (PROVIDER_HOST, brands["b"].logo_sha256),
                         ("cloud.a.test", "0" * 64)):
        assert Browser().get("/brand/logo/%s" % digest, HTTP_HOST=host).status_code == 404


@pytest.mark.django_db
def test_without_a_brand_a_reseller_shows_its_company_and_the_provider_a_neutral_name(world):
    page = Browser().get("/signup/", HTTP_HOST="cloud.a.test").content.decode()
    assert 'id="brand-name">reseller-a-account<' in page and "a@resellers.test" in page
    assert "brand/logo" not in page
    page = Browser().get("/signup/", HTTP_HOST=PROVIDER_HOST).content.decode()
    assert 'id="brand-name">Cloud panel<' in page and "reseller-a-account" not in page


def test_button_text_contrasts_with_any_brand_colour():
    assert text_color_on("#ffffff") == "#000000"
    assert text_color_on("#ffd400") == "#000000"
    assert text_color_on("#1f4e79") == "#ffffff"
    assert text_color_on("#c2410c") == "#ffffff"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["provider", "a", "b"])
def test_pages_need_no_inline_script_or_style(brands, key):
    for page in PAGES:
        html = Browser().get(page, HTTP_HOST=HOSTS[key]).content.decode()
        assert "<script>" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html), page
        assert "<style" not in html and " style=" not in html and not re.search(r"\son\w+=", html), page
