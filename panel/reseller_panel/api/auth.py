"""Who an API request is, what it may do, and how often: bearer tokens, their scope, a rate limit per token.

A token (core.models.ApiToken) stands for its reseller user and so for that user's reseller; every query of the
API starts from that reseller (request.reseller), never from anything the request names.
"""
from django.core.cache import caches
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from reseller_panel.core.models import ApiToken

SCHEME = "Bearer"


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer pnl_...`. A missing header is anonymous (refused by TokenScope with 401)."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != SCHEME.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("the Authorization header must be: Bearer <token>")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("not an API token of this panel") from None
        token, reseller, problem = ApiToken.objects.authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(problem)
        # The view's starting point for every query.
        request._request.reseller = reseller
        token.reseller = reseller
        return token.user, token

    def authenticate_header(self, request):
        return '%s realm="reseller api"' % SCHEME


class TokenScope(permissions.BasePermission):
    """Read tokens may read (and quote); write tokens may also create, change and archive."""

    message = "this token is read-only: make a token with scope write to change records"

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "read_only_post", False):
            return True
        if request.query_params.get("dry_run") == "true":
            # A dry run stores nothing: a read token may plan changes (the modules' check mode).
            return True
        return token.can_write


class PerTokenThrottle(SimpleRateThrottle):
    """Requests per token (DRF's sliding window) counted in the database cache all app servers share."""

    scope = "api_token"
    cache = caches["api_throttle"]

    def get_rate(self):
        # Read when used, not when the class was defined (PANEL_API_RATE, and tests that change it).
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A reseller API token (pnl_...), made in the dashboard or with "
                               "`manage.py create_api_token`."}
