# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sign up on a reseller's domain in headless Chromium, as a person would, and save a screenshot.

    python browser_signup.py URL CA_CERT USERNAME SCREENSHOT_DIR
Every host name resolves to 127.0.0.1; the demo CA is the browser's only extra root (_trusting_chromium). Prints
a JSON result.
"""
import json
import os
import sys

from playwright.sync_api import sync_playwright

from _trusting_chromium import launch


def main(url, ca_path, username, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with sync_playwright() as play, launch(play, ca_path) as browser:
        page = browser.new_page(viewport={"width": 1024, "height": 700})
        page.goto(url + "signup/")
        page.screenshot(path=os.path.join(out_dir, "signup-form.png"))
        page.fill("#id_username", username)
        page.fill("#id_email", username + "@example.test")
        page.fill("#id_password", "Quiet-Harbour-Lantern-42")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        shot = os.path.join(out_dir, "signed-up.png")
        page.screenshot(path=shot)
        result = dict(url=page.url, title=page.title(), body=page.inner_text("body")[:2000], screenshot=shot,
                      reseller=page.inner_text("#reseller"))
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:5])
