"""E-mail through Django's e-mail framework, in the brand of the host it is about.

Every message has a text and an HTML part rendered from templates (templates/mail/), comes From the brand
(its support address, or the reseller's contact address, or DEFAULT_FROM_EMAIL) and goes out through the
reseller's own SMTP server when the inventory gave it one (panel_reseller.smtp), otherwise through the
provider's (settings.EMAIL_*; files in $PANEL_STATE_DIR/mail without a server).

Which brand: the welcome message and password reset are about an end-user panel, so they carry that host's
brand; the provisioner's set-password links lead to the provider's host (reseller users sign in to the
dashboard there), so they carry the provider's.
"""
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def connection_for(reseller):
    """The mail connection of a reseller's hosts (its own server, if any), or the provider's for None."""
    smtp = (reseller.smtp if reseller is not None else None) or {}
    if not smtp.get("host"):
        return get_connection()
    security = smtp.get("security") or "starttls"
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host=smtp["host"],
        port=smtp.get("port") or settings.SMTP_DEFAULT_PORTS[security], username=smtp.get("username") or "",
        password=smtp.get("password") or "", use_tls=security == "starttls", use_ssl=security == "tls",
        timeout=settings.EMAIL_TIMEOUT)


def render_message(brand, template, context, to):
    """An EmailMultiAlternatives from mail/<template>_subject.txt, .txt and .html, From `brand`."""
    context = dict(context, brand=brand)
    subject = " ".join(render_to_string("mail/%s_subject.txt" % template, context).split())
    message = EmailMultiAlternatives(subject, render_to_string("mail/%s.txt" % template, context),
                                     brand.from_email, [to])
    message.attach_alternative(render_to_string("mail/%s.html" % template, context), "text/html")
    return message


def send(brand, reseller, template, context, to):
    """Render and send one message through the connection of `reseller`'s hosts (None: the provider's)."""
    message = render_message(brand, template, context, to)
    message.connection = connection_for(reseller)
    message.send()


def send_welcome(site, user):
    """The welcome message after a sign-up on `site`. A mail failure is logged: the account exists."""
    try:
        send(site.brand, site.reseller, "welcome", {"user": user, "login_url": site.brand.base_url + "login/"},
             user.email)
    except Exception:  # SMTP and socket errors alike; the sign-up itself succeeded
        log.exception("welcome e-mail to user %s on %s could not be sent", user.username, site.brand.domain)
        return False
    return True
