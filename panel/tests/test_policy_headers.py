"""Every response of the panel carries a Content-Security-Policy and a Permissions-Policy, and no page needs an
inline script or style to work (its CSS is a static file the policy allows)."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as Browser

from world import PROVIDER_HOST

# Page templates. E-mail HTML (templates/mail/) is not a page: no policy applies to it in a mail client, and
# mail clients render only inline styles.
TEMPLATES = sorted(path for path in (Path(__file__).resolve().parents[1] / "reseller_panel").rglob(
    "templates/**/*.html") if path.parent.name != "mail")


@pytest.mark.parametrize("method,path,host", [
    ("get", "/signup/", "cloud.a.test"), ("get", "/login/", PROVIDER_HOST), ("get", "/reseller/", PROVIDER_HOST),
    ("get", "/staff/login/", PROVIDER_HOST), ("get", "/healthz", "anything.test"),
    ("get", "/signup/", "unknown.test"), ("get", "/nope/", "cloud.a.test"), ("get", "/signup/", "cloud.s.test"),
    ("get", "/signup/", "cloud.x.test"), ("post", "/logout/", "cloud.a.test"), ("get", "/logout/", "cloud.a.test"),
    ("get", "/static/panel/panel.css", "cloud.a.test"), ("get", "/set-password/unknown/", PROVIDER_HOST),
])
def test_every_response_carries_both_policies(world, method, path, host):
    response = getattr(Browser(), method)(path, HTTP_HOST=host)
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_stylesheet_is_served_and_linked(world):
    page = Browser().get("/signup/", HTTP_HOST="cloud.a.test").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)">', page).group(1)
    css = Browser().get(href, HTTP_HOST="cloud.a.test")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert b"font-family" in b"".join(css.streaming_content)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: "/".join(p.parts[-2:]))
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text()
    assert not re.search(r"<style\b", text, re.I)
    assert not re.search(r"\sstyle\s*=", text, re.I)
    assert not re.search(r"\son[a-z]+\s*=", text, re.I)
    assert not re.search(r"javascript:", text, re.I)
    for tag in re.findall(r"<script\b[^>]*>", text, re.I):
        assert re.search(r"\ssrc\s*=", tag), tag
