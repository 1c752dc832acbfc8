"""Host routing, health, proxy trust and one-time set-password links."""
import hashlib
import json
from datetime import timedelta

import pytest
from django.test import Client as Browser
from django.utils import timezone

from reseller_panel.core.models import SCHEMA_VERSION, Reseller, Setting, UserToken
from reseller_panel.core.routing import normalize_host, origin_of

from world import PASSWORD, PROVIDER_HOST


def test_normalize_host_strips_port_lowercases_and_encodes_idna():
    assert normalize_host("Cloud.ACME.test:8443") == "cloud.acme.test"
    assert normalize_host("XN--BCHER-KVA.test") == "xn--bcher-kva.test"
    # Browsers send the IDNA form; raw non-ASCII is not a valid Host header.
    assert normalize_host("bücher.test") == ""
    assert normalize_host("[::1]:8000") == "[::1]"
    assert normalize_host("bad host") == ""
    assert origin_of("https://Cloud.Acme.test:8443/") == "https://cloud.acme.test:8443"
    assert origin_of("https://cloud.acme.test/") == "https://cloud.acme.test"
    assert origin_of("http://cloud.acme.test/") is None


@pytest.mark.django_db
def test_healthz_reports_schema_version_on_any_host():
    for host in ("127.0.0.1:8000", "unknown.test"):
        response = Browser().get("/healthz", HTTP_HOST=host)
        assert response.status_code == 200
        assert json.loads(response.content) == {"status": "ok", "schema_version": SCHEMA_VERSION}


def test_unknown_host_is_400(world):
    assert Browser().get("/", HTTP_HOST="evil.test").status_code == 400
    assert Browser().get("/signup/", HTTP_HOST="cloud.a.test.evil.test").status_code == 400


def test_a_request_the_frontend_marked_misdirected_is_421_before_anything_else(world):
    # nginx marks a request whose Host is not its TLS connection's name; the panel refuses it on every path and
    # host, the dashboard's log-in and a form post included, and serves the same requests unmarked.
    for host, path, method in ((PROVIDER_HOST, "/reseller/login/", "get"), (world["a"]["host"], "/signup/", "post"),
                               (PROVIDER_HOST, "/healthz", "get"), ("evil.test", "/", "get")):
        response = getattr(Browser(), method)(path, HTTP_HOST=host, HTTP_X_PANELOPS_MISDIRECTED="1")
        assert response.status_code == 421, (host, path)
        assert response["Content-Type"].startswith("text/plain") and b"another name" in response.content
        assert response["Content-Security-Policy"]
    assert Browser().get("/reseller/login/", HTTP_HOST=PROVIDER_HOST).status_code == 200
    assert Browser().get("/signup/", HTTP_HOST=world["a"]["host"]).status_code == 200


def test_provider_host_matches_without_port(world):
    for host in (PROVIDER_HOST, "panel.provider.test", "PANEL.provider.test:443"):
        assert Browser().get("/login/", HTTP_HOST=host).status_code == 200


def test_archived_reseller_host_is_404_and_suspended_shows_signup_closed(world):
    assert Browser().get("/signup/", HTTP_HOST=world["x"]["host"]).status_code == 404
    for path in ("/signup/", "/login/", "/"):
        response = Browser().get(path, HTTP_HOST=world["s"]["host"] + ":8443")
        assert response.status_code == 403
        assert b"Sign-up closed" in response.content


def test_suspended_reseller_users_cannot_log_in(world):
    response = Browser().post("/login/", {"username": "enduser-of-s", "password": PASSWORD},
                              HTTP_HOST=world["s"]["host"])
    assert response.status_code == 403 and b"Sign-up closed" in response.content
    response = Browser().post("/reseller/login/", {"username": "admin-of-s", "password": PASSWORD},
                              HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 403
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_new_reseller_is_served_at_once_and_a_status_change_takes_effect_at_once(world):
    browser = Browser()
    assert browser.get("/signup/", HTTP_HOST="cloud.new.test").status_code == 400
    a = world["a"]["reseller"]
    Reseller.objects.filter(pk=a.pk).update(host="cloud.new.test", enduser_panel_url="https://cloud.new.test/")
    assert browser.get("/signup/", HTTP_HOST="cloud.new.test").status_code == 200
    Reseller.objects.filter(pk=a.pk).update(status="suspended")
    assert browser.get("/signup/", HTTP_HOST="cloud.new.test").status_code == 403


def test_provider_url_change_moves_the_provider_host(world):
    Setting.objects.filter(key="provider.frontend_url").update(value="https://billing.provider.test/")
    assert Browser().get("/login/", HTTP_HOST=PROVIDER_HOST).status_code == 400
    assert Browser().get("/login/", HTTP_HOST="billing.provider.test").status_code == 200


def test_staff_admin_and_dashboard_are_not_on_reseller_hosts(world):
    browser = Browser()
    browser.force_login(world["staff"])
    assert browser.get("/staff/", HTTP_HOST=PROVIDER_HOST).status_code == 200
    assert browser.get("/staff/", HTTP_HOST=world["a"]["host"]).status_code == 404
    assert browser.get("/reseller/", HTTP_HOST=world["a"]["host"]).status_code == 404
    assert browser.get("/staff/login/", HTTP_HOST=world["a"]["host"]).status_code == 404


def test_dashboard_follows_the_dashboard_path_setting(world):
    Setting.objects.filter(key="reseller.dashboard_path").update(value="/partners/")
    browser = Browser()
    browser.force_login(world["a"]["user"])
    assert browser.get("/partners/", HTTP_HOST=PROVIDER_HOST).status_code == 200
    assert browser.get("/reseller/", HTTP_HOST=PROVIDER_HOST).status_code == 404


def test_forwarded_proto_is_trusted_only_from_a_trusted_proxy(world):
    browser = Browser()
    response = browser.get("/login/", HTTP_HOST=PROVIDER_HOST, HTTP_X_FORWARDED_PROTO="https",
                           REMOTE_ADDR="127.0.0.1")
    assert response.wsgi_request.is_secure()
    assert response.cookies["csrftoken"]["secure"] is True
    response = Browser().get("/login/", HTTP_HOST=PROVIDER_HOST, HTTP_X_FORWARDED_PROTO="https",
                             REMOTE_ADDR="203.0.113.9")
    assert not response.wsgi_request.is_secure()
    assert not response.cookies["csrftoken"]["secure"]


def _post_with_csrf(browser, path, data, host, **extra):
    browser.get(path, HTTP_HOST=host, **extra)
    data = dict(data, csrfmiddlewaretoken=browser.cookies["csrftoken"].value)
    return browser.post(path, data, HTTP_HOST=host, **extra)


def test_csrf_is_enforced_and_database_origins_with_ports_are_trusted(world):
    form = {"username": "newcomer", "email": "n@example.test", "password": PASSWORD}
    browser = Browser(enforce_csrf_checks=True)
    # No token: rejected.
    assert browser.post("/signup/", form, HTTP_HOST="cloud.a.test").status_code == 403
    # Behind the frontend: Host without port, browser Origin with the port of the URL in the database.
    proxied = dict(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https",
                   HTTP_ORIGIN="https://panel.provider.test:8443")
    response = _post_with_csrf(browser, "/signup/", form, "panel.provider.test", **proxied)
    assert response.status_code == 302
    # A foreign origin is refused even with a valid token.
    other = Browser(enforce_csrf_checks=True)
    foreign = dict(proxied)
    foreign["HTTP_ORIGIN"] = "https://evil.test"
    response = _post_with_csrf(other, "/signup/", dict(form, username="other"), "panel.provider.test", **foreign)
    assert response.status_code == 403


def _token(world, **kwargs):
    token = "tok-%d" % UserToken.objects.count()
    values = dict(user=world["a"]["user"], token_sha256=hashlib.sha256(token.encode()).hexdigest(),
                  purpose="set_password", expires_at=timezone.now() + timedelta(days=1))
    values.update(kwargs)
    UserToken.objects.create(**values)
    return token


def test_set_password_link_sets_the_password_once(world):
    token = _token(world)
    browser = Browser()
    assert browser.get("/set-password/%s/" % token, HTTP_HOST=PROVIDER_HOST).status_code == 200
    new = "Another-Long-Passphrase-42"
    response = browser.post("/set-password/%s/" % token, {"new_password1": new, "new_password2": new},
                            HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 200 and b"Password set" in response.content
    user = world["a"]["user"]
    user.refresh_from_db()
    assert user.check_password(new)
    assert UserToken.objects.get(user=user).used_at is not None
    # Used: gone.
    assert browser.get("/set-password/%s/" % token, HTTP_HOST=PROVIDER_HOST).status_code == 404


def test_set_password_validates_and_refuses_unknown_expired_and_foreign_host(world):
    token = _token(world)
    response = Browser().post("/set-password/%s/" % token, {"new_password1": "123", "new_password2": "123"},
                              HTTP_HOST=PROVIDER_HOST)
    assert response.status_code == 200 and b"too short" in response.content
    assert UserToken.objects.get().used_at is None
    expired = _token(world, expires_at=timezone.now() - timedelta(seconds=1))
    assert Browser().get("/set-password/%s/" % expired, HTTP_HOST=PROVIDER_HOST).status_code == 404
    assert Browser().get("/set-password/nope/", HTTP_HOST=PROVIDER_HOST).status_code == 404
    assert Browser().get("/set-password/%s/" % token, HTTP_HOST=world["a"]["host"]).status_code == 404


def test_dashboard_is_off_while_the_reseller_feature_is_off(world):
    browser = Browser()
    browser.force_login(world["a"]["user"])
    assert browser.get("/reseller/", HTTP_HOST=PROVIDER_HOST).status_code == 200
    Setting.objects.filter(key="reseller.enabled").update(value=False)
    assert browser.get("/reseller/", HTTP_HOST=PROVIDER_HOST).status_code == 404
