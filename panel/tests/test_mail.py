"""E-mail through a real SMTP server on loopback (aiosmtpd): welcome, password reset, set-password links;
From the host's brand, text and HTML in that brand, through the reseller's own server when it has one."""
import io
import json
import re
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as Browser

from reseller_panel.core.models import User
from smtp import start, tls_files
from world import PASSWORD, PROVIDER_HOST

NEW_PASSWORD = "Lantern-Harbour-Quiet-58"


@pytest.fixture
def provider_smtp(settings):
    server, controller = start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    controller.stop()


@pytest.fixture
def reseller_smtp(world, tmp_path, monkeypatch):
    """Reseller A's own SMTP server: STARTTLS with a certificate from a test CA, and A's credentials."""
    ca, cert, key = tls_files(tmp_path)
    # Django verifies the server's certificate against the default trust store, which this variable sets.
    monkeypatch.setenv("SSL_CERT_FILE", ca)
    server, controller = start(credentials=("alpha-mailer", "alpha-smtp-secret"), tls=(cert, key))
    reseller = world["a"]["reseller"]
    reseller.smtp = {"host": "127.0.0.1", "port": server.port, "username": "alpha-mailer",
                     "password": "alpha-smtp-secret", "security": "starttls"}
    reseller.save()
    yield server
    controller.stop()


def only_message(server):
    assert len(server.received) == 1, [m.message["Subject"] for m in server.received]
    return server.received[0]


def assert_branded(received, brand, others):
    message = received.message
    assert message["From"] == "%s <%s>" % (brand.name, brand.support_email)
    text, html = received.part("text/plain"), received.part("text/html")
    for part in (text, html):
        assert brand.name in part and brand.support_email in part
        for other in others:
            assert other.name not in part and other.support_email not in part
    assert brand.primary_color in html
    return text, html


@pytest.mark.django_db
def test_a_sign_up_is_welcomed_in_the_hosts_brand(brands, provider_smtp):
    response = Browser().post("/signup/", {"username": "walter", "email": "walter@example.test",
                                           "password": PASSWORD}, HTTP_HOST="cloud.a.test")
    assert response.status_code == 302
    received = only_message(provider_smtp)
    assert received.rcpt_tos == ["walter@example.test"]
    assert received.message["Subject"] == "Welcome to Alpha Hosting"
    text, html = assert_branded(received, brands["a"], [brands["b"], brands["provider"]])
    assert "https://cloud.a.test/login/" in text and 'href="https://cloud.a.test/login/"' in html
    assert "https://cloud.a.test/brand/logo/%s" % brands["a"].logo_sha256 in html


def reset_link(text):
    return re.search(r"(https?)://([^/\s]+)(/reset/\S+/\S+/)", text).groups()


@pytest.mark.django_db
def test_password_reset_is_mailed_from_the_resellers_brand_and_works_on_its_host_only(world, brands,
                                                                                      provider_smtp):
    user = world["a"]["end_user"]
    response = Browser().post("/password-reset/", {"email": user.email}, HTTP_HOST="cloud.a.test",
                              secure=True)
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    received = only_message(provider_smtp)
    assert received.rcpt_tos == [user.email]
    assert received.message["Subject"] == "Reset your Alpha Hosting password"
    text, html = assert_branded(received, brands["a"], [brands["b"], brands["provider"]])
    scheme, domain, path = reset_link(text)
    # Built from the reseller's recorded URL, not from whatever Host the request carried.
    assert (scheme, domain) == ("https", "cloud.a.test") and path in html

    for host in ("cloud.b.test", PROVIDER_HOST):
        page = Browser().get(path, HTTP_HOST=host, follow=True)
        assert b'id="invalid-link"' in page.content, host
    browser = Browser()
    form = browser.get(path, HTTP_HOST="cloud.a.test", follow=True)
    assert b"Choose a new password" in form.content and b"Alpha Hosting" in form.content
    done = browser.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                        HTTP_HOST="cloud.a.test")
    assert done.status_code == 302 and done["Location"] == "/reset/done/"
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    # Used once: the same link no longer works.
    assert b'id="invalid-link"' in Browser().get(path, HTTP_HOST="cloud.a.test", follow=True).content


@pytest.mark.django_db
def test_a_reset_on_another_host_or_for_an_unknown_address_sends_nothing_and_says_the_same(world, brands,
                                                                                           provider_smtp):
    pages = []
    for email, host in ((world["a"]["end_user"].email, "cloud.b.test"), ("nobody@example.test", "cloud.a.test"),
                        (world["a"]["end_user"].email, PROVIDER_HOST)):
        response = Browser().post("/password-reset/", {"email": email}, HTTP_HOST=host)
        pages.append(response["Location"])
    assert pages == ["/password-reset/sent/"] * 3
    assert provider_smtp.received == []


@pytest.mark.django_db
def test_a_resellers_own_server_carries_its_mail_with_its_credentials(world, brands, provider_smtp,
                                                                      reseller_smtp):
    Browser().post("/password-reset/", {"email": world["a"]["end_user"].email}, HTTP_HOST="cloud.a.test")
    Browser().post("/password-reset/", {"email": world["b"]["end_user"].email}, HTTP_HOST="cloud.b.test")
    alpha = only_message(reseller_smtp)
    assert alpha.login == "alpha-mailer" and alpha.tls is True
    assert_branded(alpha, brands["a"], [brands["b"]])
    beta = only_message(provider_smtp)
    assert_branded(beta, brands["b"], [brands["a"]])


@pytest.mark.django_db
def test_a_mail_failure_does_not_undo_a_sign_up(brands, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = Browser().post("/signup/", {"username": "walter", "email": "walter@example.test",
                                           "password": PASSWORD}, HTTP_HOST="cloud.a.test")
    assert response.status_code == 302 and User.objects.filter(username="walter").exists()


@pytest.mark.django_db
def test_set_password_links_are_mailed_in_the_providers_brand(brands, provider_smtp, monkeypatch):
    links = [{"username": "globex-admin", "email": "admin@globex.test",
              "link": "https://panel.provider.test:8443/set-password/tok3n/"}]
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(links)))
    out = io.StringIO()
    call_command("mail_set_password_links", stdout=out)
    assert json.loads(out.getvalue()) == {"sent": ["globex-admin"]}
    received = only_message(provider_smtp)
    assert received.message["Subject"] == "Set your Provider Cloud password"
    text, html = assert_branded(received, brands["provider"], [brands["a"], brands["b"]])
    assert links[0]["link"] in text and 'href="%s"' % links[0]["link"] in html


@pytest.mark.django_db
def test_the_mailer_fails_naming_the_user_when_the_server_is_down(brands, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps([{"username": "u1", "email": "u1@x.test",
                                                               "link": "https://p.test/set-password/t/"}])))
    with pytest.raises(CommandError, match="the set-password link of u1 could not be sent to u1@x.test"):
        call_command("mail_set_password_links", stdout=io.StringIO())
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"not": "a list"}'))
    with pytest.raises(CommandError, match="expected a list"):
        call_command("mail_set_password_links", stdout=io.StringIO())
