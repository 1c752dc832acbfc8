# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo as a person uses it, in headless Chromium through nginx and TLS: brands, a plan made and quoted
through the dashboard's forms, a lock-out after ten wrong passwords, a password reset by e-mail.

    python browser_demo.py SPEC.json
SPEC: {"https_port", "ca", "artefacts", "mail_dir", "links_file", "provider": {"url", "brand"},
       "reseller_urls": [...], "reseller_brands": [...]}
(acme first, globex second, as in the demo inventory). Every host name resolves to 127.0.0.1; the demo CA is the
browser's only extra root (_trusting_chromium). Prints one JSON document of what was seen; the playbook asserts
on it. Screenshots (1280 and 390 pixels wide) go to the artefacts directory.
"""
import email
import email.policy
import glob
import json
import os
import re
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from _trusting_chromium import launch

PASSWORD = "Quiet-Harbour-Lantern-42"
VISITOR = "demo-visitor"
NEW_PASSWORD = "Amber-Meadow-Violin-17"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


class Demo:
    def __init__(self, spec, browser):
        self.spec, self.browser = spec, browser
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})

    def url(self, host, path):
        return "https://%s:%d%s" % (host, self.spec["https_port"], path)

    def shoot(self, name):
        for width, (w, h) in WIDTHS.items():
            self.page.set_viewport_size({"width": w, "height": h})
            self.page.screenshot(path=os.path.join(self.spec["artefacts"], "%s-%s.png" % (name, width)),
                                 full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def brand_seen(self, host):
        """What one host's sign-up page shows of brands: its name, header colour, logo, and every brand name."""
        page = self.page
        page.goto(self.url(host, "/signup/"))
        self.shoot("signup-%s" % host.split(".")[1] if host.count(".") > 1 else host)
        html = page.content()
        names = [b["name"] for b in [self.spec["provider"]["brand"]] + [r["brand"] for r in self.spec["resellers"]]]
        return {"title": page.title(), "brand_name": page.inner_text("#brand-name"),
                "header": page.evaluate("getComputedStyle(document.querySelector('header.brand-header'))"
                                        ".backgroundColor"),
                "logo_loaded": page.evaluate("document.querySelector('header img.brand-logo').naturalWidth > 0"),
                "names_shown": sorted(n for n in names if n in html)}

    def sign_up(self, host, username):
        page = self.page
        page.goto(self.url(host, "/signup/"))
        page.fill("#id_username", username)
        page.fill("#id_email", username + "@example.test")
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(self.url(host, "/"))
        page.click("header form button[type=submit]")  # log out
        page.wait_for_url(self.url(host, "/login/"))

    def set_password(self, link):
        page = self.page
        page.goto(link)
        page.fill("#id_new_password1", PASSWORD)
        page.fill("#id_new_password2", PASSWORD)
        page.click("main form button[type=submit]")
        return page.inner_text("main")

    def log_in(self, host, path, username, password):
        page = self.page
        page.goto(self.url(host, path))
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation() as navigation:
            page.click("main form button[type=submit]")
        response = navigation.value
        return response.status if response else None

    def make_plan(self, host):
        """A plan of two rules, with tiers, a condition and a modifier, typed into the dashboard's forms."""
        page = self.page
        page.goto(self.url(host, "/reseller/plans/new/"))
        page.fill("#id_name", "globex-business")
        page.fill("#id_currency", "EUR")
        page.fill("#id_rules-0-name", "vCPU")
        page.fill("#id_rules-0-resource", "instance")
        page.fill("#id_rules-0-attribute", "vcpus")
        page.fill("#id_rules-0-tiers-0-price", "0.006")
        page.click('[data-add-row="rules-0-tiers"]')
        page.fill("#id_rules-0-tiers-1-start", "16")
        page.fill("#id_rules-0-tiers-1-price", "0.005")
        page.click('[data-add-row="rules-0-conditions"]')
        page.fill("#id_rules-0-conditions-0-attribute", "region")
        page.fill("#id_rules-0-conditions-0-value", "RegionOne")
        page.click('[data-add-row="rules-0-modifiers"]')
        page.fill("#id_rules-0-modifiers-0-name", "Windows licence")
        page.fill("#id_rules-0-modifiers-0-price", "0.012")
        page.click('[data-add-row="rules-0-modifiers-0-when"]')
        page.fill("#id_rules-0-modifiers-0-when-0-attribute", "os_type")
        page.fill("#id_rules-0-modifiers-0-when-0-value", "windows")
        page.click('[data-add-row="rules"]')
        page.fill("#id_rules-1-name", "RAM")
        page.fill("#id_rules-1-resource", "instance")
        page.fill("#id_rules-1-attribute", "memory_gb")
        page.fill("#id_rules-1-tiers-0-price", "0.0025")
        page.click("text=Save plan >> nth=0")
        page.wait_for_selector("#quote-preview")
        for name, value in (("vcpus", "4"), ("memory_gb", "8"), ("region", "RegionOne"), ("os_type", "windows")):
            page.fill('[name="attr:%s"]' % name, value)
        page.click("#quote-preview button[type=submit]")
        page.wait_for_selector("#quote-total")
        self.shoot("dashboard-plan-quote")
        total = page.inner_text("#quote-total")
        # The rule editor marks a wrong tier at its field.
        page.click("text=Edit plan")
        page.fill("#id_rules-0-tiers-0-start", "5")
        page.click("text=Save plan >> nth=0")
        page.wait_for_selector("#editor-errors")
        error = page.inner_text("#id_rules-0-tiers-0-start_error")
        self.shoot("dashboard-rule-editor-error")
        return {"url": page.url, "total": total, "editor_error": error}

    def lock_out(self, host, username):
        statuses = [self.log_in(host, "/login/", username, "wrong-%d" % n) for n in range(10)]
        statuses.append(self.log_in(host, "/login/", username, NEW_PASSWORD))
        text = self.page.inner_text("main")
        self.shoot("locked-out")
        return {"statuses": statuses, "page": text[:400]}

    def reset_password(self, host, other_host, address):
        page = self.page
        page.goto(self.url(host, "/password-reset/"))
        page.fill("#id_email", address)
        page.click("main form button[type=submit]")
        page.wait_for_url(self.url(host, "/password-reset/sent/"))
        message = newest_mail(self.spec["mail_dir"], "Reset your")
        text = message.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"https://\S+/reset/\S+/\S+/", text).group(0)
        path = link.split(str(self.spec["https_port"]), 1)[1]
        page.goto(self.url(other_host, path))
        elsewhere = page.inner_text("main")
        page.goto(link)
        here = page.inner_text("main")
        page.fill("#id_new_password1", NEW_PASSWORD)
        page.fill("#id_new_password2", NEW_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(self.url(host, "/reset/done/"))
        changed = page.inner_text("main")
        return {"changed": changed[:200], "from": message["From"], "to": message["To"],
                "subject": message["Subject"], "link": link,
                "html_has_brand": "ACME Cloud" in message.get_body(preferencelist=("html",)).get_content(),
                "on_its_host": here[:300], "on_another_host": elsewhere[:300]}


def newest_mail(directory, subject):
    """The newest message whose subject starts with `subject` among Django's file-backend files."""
    found = []
    for path in glob.glob(os.path.join(directory, "*.log")):
        with open(path, "rb") as handle:
            for raw in handle.read().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip():
                    message = email.message_from_bytes(raw.strip() + b"\n", policy=email.policy.default)
                    if (message["Subject"] or "").startswith(subject):
                        found.append((os.path.getmtime(path), message))
    if not found:
        raise SystemExit("no e-mail %r in %s" % (subject, directory))
    return max(found, key=lambda pair: pair[0])[1]


def main(spec_path):
    with open(spec_path) as handle:
        spec = json.load(handle)
    spec["provider"]["host"] = urlsplit(spec["provider"]["url"]).hostname
    spec["resellers"] = [{"host": urlsplit(url).hostname, "brand": brand}
                         for url, brand in zip(spec["reseller_urls"], spec["reseller_brands"])]
    os.makedirs(spec["artefacts"], exist_ok=True)
    result = {}
    with sync_playwright() as play, launch(play, spec["ca"]) as browser:
        demo = Demo(spec, browser)
        hosts = [spec["provider"]["host"]] + [r["host"] for r in spec["resellers"]]
        result["brands"] = {host: demo.brand_seen(host) for host in hosts}
        provider = spec["provider"]["host"]
        with open(spec["links_file"]) as handle:
            link = [line.split()[2] for line in handle if line.split()[1] == "globex-admin"][-1]
        result["password_set"] = demo.set_password(link)[:300]
        result["dashboard_login"] = demo.log_in(provider, "/reseller/login/", "globex-admin", PASSWORD)
        demo.shoot("dashboard-overview")
        result["plan"] = demo.make_plan(provider)
        acme = spec["resellers"][0]["host"]
        demo.sign_up(acme, VISITOR)
        result["reset"] = demo.reset_password(acme, spec["resellers"][1]["host"], VISITOR + "@example.test")
        result["lock_out"] = demo.lock_out(acme, VISITOR)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
