"""The OpenAPI 3 schema of the API, served at <dashboard path>api/v1/openapi.json (no token needed: it holds
no data). drf-spectacular builds it from the views and api.serializers; the dashboard's path is a setting, so
the paths are made for the path this request came in on, once per path and process."""
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

_BUILT = {}


def closed_request_bodies(result, generator, request, public):
    """drf-spectacular hook: request bodies say they take no other keys (the API refuses unknown keys)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


def build(dashboard_path, api_patterns, request):
    if dashboard_path not in _BUILT:
        patterns = [path(dashboard_path.lstrip("/") + "api/v1/", include((list(api_patterns), "api")))]
        _BUILT[dashboard_path] = SchemaGenerator(patterns=patterns).get_schema(request=request, public=True)
    return _BUILT[dashboard_path]


class OpenApiView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()
    schema = None
    api_patterns = ()

    def get(self, request):
        return Response(build(request.panel_site.dashboard_path, self.api_patterns, request))
