"""Log-in by username within the name space of the host the request came to.

Usernames are unique per name space (core.models.User): on a reseller's host they name that reseller's end
users, on the provider's host the provider's users (its end users, reseller users, staff). Case and width do
not matter ("Bob" and "ｂob" are "bob").
"""
from django.contrib.auth.backends import ModelBackend

from . import usernames
from .models import PROVIDER_NAMESPACE, User


def namespace_of(request):
    site = getattr(request, "panel_site", None)
    reseller = site.reseller if site is not None else None
    return reseller.id if reseller is not None else PROVIDER_NAMESPACE


class NamespaceBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not isinstance(username, str) or not isinstance(password, str):
            return None
        user = User.objects.in_namespace(namespace_of(request)).filter(username_key=usernames.key(username)).first()
        if user is None:
            # Spend the time a password check takes, so that timing does not tell which names exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
