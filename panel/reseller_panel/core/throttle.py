"""Log-in throttling with django-axes (settings: AXES_*): the username a failure counts against, the page a
locked-out log-in gets, and the failures axes cannot see by itself.

Axes counts a failure whenever Django's authenticate() fails. A log-in with the right password for an account
that may not use this host (another tenant's end user, or a non-reseller on the dashboard) is refused by the
panel after authenticate() succeeded; refuse() reports it to axes as the failure it is, so probing another
host's accounts is throttled like guessing passwords.
"""
import hashlib

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render

from . import usernames
from .auth import namespace_of


# axes keeps the username in a 255-character column; with the name space in front, keys up to this length fit.
MAX_KEY_LENGTH = 200


def username_of(request, credentials=None):
    """The account failures are counted against: the username as the panel compares it (core.usernames.key:
    case and width do not matter, so spelling a name differently earns no more attempts) within the name space
    of the host (usernames are per reseller: "bob" on one reseller's domain is not "bob" on another's)."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None and request is not None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(username, str) or not username.strip():
        return None
    key = usernames.key(username.strip())
    if len(key) > MAX_KEY_LENGTH:
        # No account has so long a name (Django's admin form lets one through): a digest fits axes' column.
        key = "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return "%s:%s" % (namespace_of(request), key)


def client_address(request):
    return request.META.get("REMOTE_ADDR")


def cool_down_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request, original_response=None, credentials=None):
    """The host's branded "too many failed log-ins" page (HTTP 429)."""
    return render(request, "panel/locked.html", {"cool_down_minutes": cool_down_minutes(),
                                                 "failure_limit": settings.AXES_FAILURE_LIMIT},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


def refuse(request, username):
    """Count a log-in the panel refused after the password was right (see the module's docstring)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
