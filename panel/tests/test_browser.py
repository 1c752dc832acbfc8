"""The pages in a real browser (Playwright driving Debian's Chromium) against the panel on a live server, with
the brands of the demo inventory (inventory/demo): every host shows its own brand and no other, a reseller
builds and quotes a plan through the forms (with and without JavaScript), and the rule editor shows its
errors at their fields. Screenshots at desktop and phone widths are kept in tests/artifacts/ (git-ignored;
PANEL_ARTIFACTS sets another directory) to be looked at.
"""
import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

PANEL_DIR = Path(__file__).resolve().parents[1]
DEMO = PANEL_DIR.parent / "inventory" / "demo"
ARTIFACTS = Path(os.environ.get("PANEL_ARTIFACTS", PANEL_DIR / "tests" / "artifacts"))
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Quiet-Harbour-Lantern-42"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")


def demo_brands():
    """{key: (host, brand mapping)} of the demo inventory: the provider, acme and globex."""
    text = (DEMO / "group_vars" / "all.yml").read_text()
    # The two variables the URLs use, filled in as Ansible would.
    ports = yaml.safe_load(text)
    for name in ("panel_demo_https_port", "panel_demo_http_port"):
        text = text.replace("{{ %s }}" % name, str(ports[name]))
    data = yaml.safe_load(text)
    found = {"provider": (re.match(r"https://([^:/]+)", data["panel_provider_url"]).group(1), data["panel_brand"])}
    for reseller in data["panel_resellers"]:
        host = re.match(r"https://([^:/]+)", reseller["enduser_panel_url"]).group(1)
        found[reseller["name"]] = (host, reseller["brand"])
    return data, found


def logo_bytes(brand):
    return (DEMO / "files" / brand["logo"].split("}}/", 1)[1]).read_bytes()


@pytest.fixture
def demo(transactional_db):
    """The demo inventory's provider, resellers and brands in the live server's database."""
    from reseller_panel.core.models import Brand, Client, Plan, PricingRule, Reseller, Setting, User

    data, brands = demo_brands()
    for key, value in (("provider.frontend_url", data["panel_provider_url"]), ("reseller.enabled", True),
                       ("reseller.force_registration", True)):
        Setting.objects.update_or_create(key=key, defaults={"value": value})
    wholesale = Plan.objects.create(name="reseller-wholesale", currency="EUR", managed=True)
    PricingRule.objects.create(plan=wholesale, name="vCPU", resource="instance", attribute="vcpus",
                               tiers=[{"from": "0", "price": "0.004"}])

    def brand_row(reseller, brand):
        logo = logo_bytes(brand)
        fields = dict((k, brand[k]) for k in ("name", "primary_color", "support_email", "support_url",
                                              "terms_url", "privacy_url"))
        Brand.objects.create(reseller=reseller, logo=logo, logo_content_type="image/png",
                             logo_sha256=hashlib.sha256(logo).hexdigest(), managed=True, **fields)

    brand_row(None, brands["provider"][1])
    for reseller in data["panel_resellers"]:
        client = Client.objects.create(name=reseller["company"], email=reseller["email"], currency="EUR")
        row = Reseller.objects.create(name=reseller["name"], client=client, plan=wholesale, managed=True,
                                      enduser_panel_url=reseller["enduser_panel_url"],
                                      host=brands[reseller["name"]][0])
        brand_row(row, reseller["brand"])
        Plan.objects.create(owner_reseller=row, name="%s-retail" % reseller["name"], currency="EUR",
                            is_default=True)
        User.objects.create_user("%s-admin" % reseller["name"], "admin@%s.test" % reseller["name"], PASSWORD,
                                 client=client, is_reseller=True)
    return brands


@pytest.fixture
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * 127.0.0.1"]
    with sync_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield chromium
        finally:
            chromium.close()


def in_thread(function):
    """Run a database query outside Playwright's event loop (Django refuses ORM calls inside one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function).result()


def rules_of(name):
    from django.db import connection

    from reseller_panel.core.models import Plan

    try:
        return Plan.objects.get(name=name).rules_as_inventory()
    finally:
        connection.close()


def add_clients(reseller, count):
    from django.db import connection

    from reseller_panel.core.models import Client, Reseller

    try:
        owner = Reseller.objects.get(name=reseller)
        Client.objects.bulk_create(Client(name="client-%03d" % i, email="client-%03d@example.test" % i,
                                          currency="EUR", reseller=owner) for i in range(count))
    finally:
        connection.close()


def release_brand(reseller):
    from django.db import connection

    from reseller_panel.core.models import Brand

    try:
        Brand.objects.filter(reseller__name=reseller).update(managed=False)
    finally:
        connection.close()


def shoot(page, name):
    """A full-page screenshot at both widths (the page is reloaded only if it came from a GET)."""
    for width, (w, h) in WIDTHS.items():
        page.set_viewport_size({"width": w, "height": h})
        page.screenshot(path=str(ARTIFACTS / ("%s-%s.png" % (name, width))), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"][0], "height": WIDTHS["desktop"][1]})


def url(live_server, host, path):
    return "http://%s:%s%s" % (host, live_server.url.rsplit(":", 1)[1], path)


def hex_to_rgb(color):
    return "rgb(%d, %d, %d)" % tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def assert_shows_only(page, brands, key):
    host, brand = brands[key]
    assert page.title().endswith(" · " + brand["name"]), page.title()
    assert page.inner_text("#brand-name") == brand["name"]
    # The logo is this brand's file and it loaded.
    logo = page.locator("header img.brand-logo")
    assert logo.get_attribute("src").endswith(hashlib.sha256(logo_bytes(brand)).hexdigest())
    assert page.evaluate("document.querySelector('header img.brand-logo').naturalWidth") > 0
    header = page.evaluate("getComputedStyle(document.querySelector('header.brand-header')).backgroundColor")
    assert header == hex_to_rgb(brand["primary_color"])
    footer = page.inner_text("#brand-footer")
    assert brand["support_email"] in footer and "Terms of service" in footer and "Privacy policy" in footer
    html = page.content()
    for other, (other_host, other_brand) in brands.items():
        if other != key:
            for value in (other_brand["name"], other_brand["support_email"], other_brand["primary_color"]):
                assert value not in html, (key, value)


def test_each_host_shows_its_own_brand_and_no_other(live_server, demo, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for key in ("provider", "acme", "globex"):
        host = demo[key][0]
        for path in ("/signup/", "/login/", "/password-reset/"):
            page.goto(url(live_server, host, path))
            assert_shows_only(page, demo, key)
        page.goto(url(live_server, host, "/signup/"))
        shoot(page, "signup-%s" % key)
    # Signed in on a reseller's host, the home page is that reseller's too.
    host = demo["acme"][0]
    page.goto(url(live_server, host, "/signup/"))
    page.fill("#id_username", "browser-signup")
    page.fill("#id_email", "browser-signup@example.test")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(url(live_server, host, "/"))
    assert "Welcome, browser-signup" in page.inner_text("main")
    assert_shows_only(page, demo, "acme")
    shoot(page, "home-acme")


def fill_rule(page, index, name, attribute, tiers):
    prefix = "#id_rules-%d-" % index
    page.fill(prefix + "name", name)
    page.fill(prefix + "resource", "instance")
    page.fill(prefix + "attribute", attribute)
    for t, (start, price) in enumerate(tiers):
        if t > 0:
            page.click('[data-add-row="rules-%d-tiers"]' % index)
        page.fill("%stiers-%d-start" % (prefix, t), start)
        page.fill("%stiers-%d-price" % (prefix, t), price)


def log_in_to_dashboard(page, live_server, host):
    page.goto(url(live_server, host, "/reseller/login/"))
    page.fill("#id_username", "acme-admin")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(url(live_server, host, "/reseller/"))


def test_a_reseller_builds_and_quotes_a_plan_through_the_forms(live_server, demo, browser):
    host = demo["provider"][0]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in_to_dashboard(page, live_server, host)
    assert page.inner_text("#reseller-brand-name") == "ACME Cloud"
    assert_shows_only(page, {"provider": demo["provider"], "globex": demo["globex"]}, "provider")
    shoot(page, "dashboard-overview")

    page.goto(url(live_server, host, "/reseller/plans/new/"))
    page.fill("#id_name", "acme-business")
    page.fill("#id_currency", "EUR")
    fill_rule(page, 0, "vCPU", "vcpus", [("0", "0.006"), ("16", "0.005")])
    page.click('[data-add-row="rules-0-conditions"]')
    page.fill("#id_rules-0-conditions-0-attribute", "region")
    page.select_option("#id_rules-0-conditions-0-op", "eq")
    page.fill("#id_rules-0-conditions-0-value", "RegionOne")
    page.click('[data-add-row="rules-0-modifiers"]')
    page.fill("#id_rules-0-modifiers-0-name", "Windows licence")
    page.fill("#id_rules-0-modifiers-0-price", "0.012")
    page.click('[data-add-row="rules-0-modifiers-0-when"]')
    page.fill("#id_rules-0-modifiers-0-when-0-attribute", "os_type")
    page.fill("#id_rules-0-modifiers-0-when-0-value", "windows")
    page.click('[data-add-row="rules"]')
    fill_rule(page, 1, "RAM", "memory_gb", [("0", "0.0025")])
    shoot(page, "rule-editor-filled")
    page.click("text=Save plan >> nth=0")
    page.wait_for_selector("#quote-preview")

    for name, value in (("vcpus", "4"), ("memory_gb", "8"), ("region", "RegionOne"), ("os_type", "windows")):
        page.fill('[name="attr:%s"]' % name, value)
    page.click("#quote-preview button[type=submit]")
    page.wait_for_selector("#quote-total")
    expected = (4 * Decimal("0.006") + Decimal("0.012") + 8 * Decimal("0.0025")) * 730
    assert page.inner_text("#quote-total") == "%s EUR" % expected.quantize(Decimal("0.0001"))
    shoot(page, "plan-quote")

    # The rule editor marks a wrong tier at its field.
    page.click("text=Edit plan")
    page.fill("#id_rules-0-tiers-0-start", "5")
    page.click("text=Save plan >> nth=0")
    page.wait_for_selector("#editor-errors")
    field = page.locator("#id_rules-0-tiers-0-start")
    assert "is-invalid" in field.get_attribute("class")
    assert page.inner_text("#id_rules-0-tiers-0-start_error") == "the first tier must start at 0"
    shoot(page, "rule-editor-error")
    in_thread(lambda: add_clients("acme", 60))
    page.goto(url(live_server, host, "/reseller/clients/?q=client-0"))
    assert page.inner_text("#client-count") == "1\u201325 of 60 clients matching \u201cclient-0\u201d"
    shoot(page, "dashboard-clients")
    page.click("text=Next")
    assert page.inner_text("#client-count").startswith("26\u201350 of 60")
    page.goto(url(live_server, host, "/reseller/brand/"))
    assert page.locator("#brand-managed").count() == 1
    shoot(page, "dashboard-brand-managed")
    # Released by the inventory, the brand is the reseller's to edit.
    in_thread(lambda: release_brand("acme"))
    page.goto(url(live_server, host, "/reseller/brand/"))
    page.fill("#id_name", "ACME Cloud Services")
    page.fill("#id_support_url", "not a url")
    page.set_input_files("#id_logo", str(DEMO / "files" / "brands" / "globex.png"))
    page.click("text=Save brand")
    assert page.inner_text("#id_support_url_error") == "must be an https:// address, without spaces or quotes"
    shoot(page, "dashboard-brand-error")
    page.fill("#id_support_url", "https://support.acme.test/")
    page.set_input_files("#id_logo", str(DEMO / "files" / "brands" / "globex.png"))
    page.click("text=Save brand")
    page.wait_for_selector(".alert-success")
    assert page.inner_text(".brand-preview .brand-name") == "ACME Cloud Services"
    page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url(live_server, demo["acme"][0], "/login/"))
    assert page.inner_text("#brand-name") == "ACME Cloud Services"
    assert page.locator('footer a[href="https://support.acme.test/"]').count() == 1
    page.close()

    rules = in_thread(lambda: rules_of("acme-business"))
    assert [r["name"] for r in rules] == ["vCPU", "RAM"]
    assert rules[0]["tiers"] == [{"from": "0", "price": "0.006"}, {"from": "16", "price": "0.005"}]
    assert rules[0]["conditions"] == [{"attribute": "region", "op": "eq", "value": "RegionOne"}]
    assert rules[0]["modifiers"][0]["when"] == [{"attribute": "os_type", "op": "eq", "value": "windows"}]


def test_the_plan_editor_works_without_javascript(live_server, demo, browser):
    host = demo["provider"][0]
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in_to_dashboard(page, live_server, host)
    page.goto(url(live_server, host, "/reseller/plans/new/"))
    page.fill("#id_name", "acme-nojs")
    page.fill("#id_rules-0-name", "Storage")
    page.fill("#id_rules-0-resource", "volume")
    page.fill("#id_rules-0-attribute", "size_gb")
    page.fill("#id_rules-0-tiers-0-price", "0.1")
    # Without JavaScript "Add a tier" posts the form and the page comes back with one more row.
    page.click('[data-add-row="rules-0-tiers"]')
    page.wait_for_selector("#id_rules-0-tiers-1-start")
    assert page.input_value("#id_rules-0-name") == "Storage"
    page.fill("#id_rules-0-tiers-1-start", "1000")
    page.fill("#id_rules-0-tiers-1-price", "0.08")
    page.click('[data-add-row="rules"]')
    page.wait_for_selector("#id_rules-1-name")
    page.fill("#id_rules-1-name", "Backups")
    page.fill("#id_rules-1-resource", "volume")
    page.fill("#id_rules-1-tiers-0-price", "0.02")
    # A row marked removed is gone on the next round trip.
    page.click('[data-add-row="rules-1-conditions"]')
    page.fill("#id_rules-1-conditions-0-attribute", "tier")
    page.check("#id_rules-1-conditions-0-DELETE", force=True)
    page.click('[data-add-row="rules-0-conditions"]')
    assert page.locator("#id_rules-1-conditions-0-attribute").count() == 0
    page.click("text=Save plan >> nth=0")
    page.wait_for_selector("#quote-preview")
    context.close()

    rules = in_thread(lambda: rules_of("acme-nojs"))
    assert [(r["name"], r["tiers"], r["conditions"]) for r in rules] == [
        ("Storage", [{"from": "0", "price": "0.1"}, {"from": "1000", "price": "0.08"}], []),
        ("Backups", [{"from": "0", "price": "0.02"}], [])]
