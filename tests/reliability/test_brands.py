# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo's brands through real nginx, TLS and gunicorn, in Chromium (the script the default molecule scenario's
verify runs too, extensions/molecule/default/files/browser_demo.py): each host shows its own brand and no
other; a reseller user sets its password from its link and makes and quotes a plan through the dashboard's
forms; a password reset mails a link From the reseller's brand that works on its domain only; ten wrong
passwords lock the account out. Screenshots go to tests/output/reliability-screenshots (git-ignored)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.reliability.site import REPO, Site

SCRIPT = os.path.join(REPO, "extensions", "molecule", "default", "files", "browser_demo.py")
ARTEFACTS = os.path.join(REPO, "tests", "output", "reliability-screenshots")

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def branded(scratch):
    # A deployment of its own: visiting a set-password link leaves its token in gunicorn's access log, which
    # test_secrets.py searches on the shared deployment.
    site = Site(os.path.join(scratch, "brands"))
    try:
        proc = site.run()
        assert proc.returncode == 0, proc.output[-6000:]
        yield site
    finally:
        site.stop()


def test_the_demo_in_a_browser(branded):
    site = branded
    spec = {"https_port": site.ports["one"]["https"], "ca": os.path.join(site.state, "pki", "ca", "ca.crt"),
            "artefacts": ARTEFACTS, "mail_dir": os.path.join(site.state, "mail"),
            "links_file": os.path.join(site.state, "set-password-links"),
            "provider": {"url": site.vars["panel_provider_url"], "brand": site.vars["panel_brand"]},
            "reseller_urls": [r["enduser_panel_url"] for r in site.vars["panel_resellers"]],
            "reseller_brands": [r["brand"] for r in site.vars["panel_resellers"]]}
    for brand in [spec["provider"]["brand"]] + spec["reseller_brands"]:
        brand["logo"] = brand["logo"].replace("{{ panel_demo_files }}", site.vars["panel_demo_files"])
    proc = subprocess.run([sys.executable, SCRIPT, "/dev/stdin"], input=json.dumps(spec), capture_output=True,
                          text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    seen = json.loads(proc.stdout)
    brands = [spec["provider"]["brand"]] + spec["reseller_brands"]
    hosts = ["panel.demo.test", "cloud.acme.test", "panel.globex.test"]
    for host, brand in zip(hosts, brands):
        assert seen["brands"][host]["brand_name"] == brand["name"]
        assert seen["brands"][host]["names_shown"] == [brand["name"]], host
        assert seen["brands"][host]["title"].endswith(" · " + brand["name"])
        assert seen["brands"][host]["logo_loaded"] is True
    assert "Password set" in seen["password_set"] and seen["dashboard_login"] == 200
    assert seen["plan"]["total"] == "40.8800 EUR"
    assert seen["plan"]["editor_error"] == "the first tier must start at 0"
    acme = brands[1]
    reset = seen["reset"]
    assert reset["from"] == "%s <%s>" % (acme["name"], acme["support_email"])
    assert reset["subject"] == "Reset your %s password" % acme["name"] and reset["to"] == "demo-visitor@example.test"
    assert reset["link"].startswith("https://cloud.acme.test:%d/reset/" % site.ports["one"]["https"])
    assert "Choose a new password" in reset["on_its_host"] and "This link does not work" in reset["on_another_host"]
    assert "Password changed" in reset["changed"] and reset["html_has_brand"]
    assert seen["lock_out"]["statuses"] == [403] * 9 + [429, 429]
    assert "locked for 15 minutes" in seen["lock_out"]["page"]
