"""The reseller API, v1 (docs/api.md). Mounted under the dashboard's path on the provider host only.

Every query starts from request.reseller (the token's reseller, set by api.auth), so a name, id or body that
belongs to another reseller finds nothing: 404, exactly as for a record that does not exist.
"""
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from reseller_panel.core.models import Brand
from reseller_panel.core.pricing import QuoteError, quote_plan

from . import records, serializers as shapes
from .errors import Invalid, PreconditionFailed

ERROR = OpenApiResponse(shapes.Error, description="The error, naming the field where there is one.")
COMMON = {401: ERROR, 429: ERROR}


def responses(base, extra):
    return {**base, **extra}


READ_ERRORS = responses(COMMON, {404: ERROR})
WRITE_ERRORS = responses(COMMON, {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 412: ERROR, 415: ERROR})
DRY_RUN = OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Check and answer as if written; store nothing.")
IF_MATCH = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
                            description="Change only if the record's ETag is still this one (or * : it exists).")
IF_NONE_MATCH = OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                 description="* : create only, refuse (412) if the record exists.")
NAME = OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, description="The record's name.")
ETAG = OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201],
                        description="The record's ETag (send it back in If-Match).")
# Longer names, or names with a NUL character, are never stored (the forms refuse them): not found.
MAX_NAME = 100


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


def usable_name(name):
    return len(name) <= MAX_NAME and "\x00" not in name and not any(0xD800 <= ord(c) <= 0xDFFF for c in name)


def flag(request, name):
    value = request.query_params.get(name)
    if value is None:
        return False
    if value not in ("true", "false"):
        raise ValidationError({name: ["must be true or false"]})
    return value == "true"


def check_preconditions(request, current, what):
    """If-Match / If-None-Match against the record's current ETag (None: it does not exist)."""
    if_match = request.headers.get("If-Match")
    if if_match is not None:
        tags = [tag.strip() for tag in if_match.split(",")]
        if current is None:
            raise PreconditionFailed("%s does not exist (If-Match was given)" % what)
        if "*" not in tags and current not in tags:
            raise PreconditionFailed("%s was changed since it was read: its ETag is now %s; read it again"
                                     % (what, current))
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None and current is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        if "*" in tags or current in tags:
            raise PreconditionFailed("%s already exists (If-None-Match was given)" % what)


def answer(data, created=False):
    data = records.with_etag(data)
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
                    headers={"ETag": data["etag"]})


def body_of(request, shape):
    serializer = shape(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class Account(APIView):
    @extend_schema(summary="Who the token acts for", tags=["account"],
                   responses=responses(COMMON, {200: shapes.Account}))
    def get(self, request):
        reseller, token = request.reseller, request.auth
        return Response({"reseller": reseller.name, "status": reseller.status, "wholesale_plan": reseller.plan.name,
                         "currency": reseller.client.currency,
                         "token": {"name": token.name, "scope": token.scope, "expires_at": token.expires_at}})


class RecordList(ListAPIView):
    pagination_class = Pages
    represent = None
    # Records that can be written carry their ETag in lists too, for If-Match.
    etags = True

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        shown = [self.represent(row) for row in page]
        return self.get_paginated_response([records.with_etag(data) for data in shown] if self.etags else shown)


ARCHIVED = OpenApiParameter("archived", OpenApiTypes.BOOL, description="Only archived (true) or live (false) ones.")


class OwnedList(RecordList):
    manager = None

    def get_queryset(self):
        rows = getattr(self.request.reseller, self.manager).order_by("name", "id")
        if "archived" in self.request.query_params:
            rows = rows.filter(archived=flag(self.request, "archived"))
        return rows


class OwnedRecord(APIView):
    """GET, PUT (create or replace, idempotent) and DELETE (archive) of one of the reseller's own plans or
    configurations, by name."""

    manager = kind = None
    write = represent = None

    def record(self, name):
        if not usable_name(name):
            return None
        return getattr(self.request.reseller, self.manager).filter(name=name).first()

    def what(self, name):
        return "%s %r of reseller %s" % (self.kind, name, self.request.reseller.name)

    def found(self, name):
        row = self.record(name)
        if row is None:
            raise NotFound("no %s" % self.what(name))
        return row

    def get(self, request, name):
        return answer(self.represent(self.found(name)))

    def put(self, request, name):
        body = body_of(request, self.shape)
        if "name" in body and body["name"] != name:
            raise Invalid([("name", "must be the name in the URL (%r); records are not renamed" % name)],
                          self.what(name))
        row = self.record(name)
        before = self.represent(row) if row is not None else None
        check_preconditions(request, records.etag_of(before) if before else None, self.what(name))
        after = records.applied(lambda: self.represent(self.write(request.reseller, name, body, row)), before,
                                flag(request, "dry_run"))
        return answer(after, created=row is None)

    def delete(self, request, name):
        row = self.found(name)
        before = self.represent(row)
        check_preconditions(request, records.etag_of(before), self.what(name))
        records.refuse_managed(row, self.what(name))

        def archive():
            row.archived = True
            row.save(update_fields=["archived"])
            return self.represent(row)
        return answer(records.applied(archive, before, flag(request, "dry_run")))


def record_schema(kind, shape):
    """The OpenAPI description of an OwnedRecord subclass's methods."""
    plural = kind + "s"
    return extend_schema_view(
        get=extend_schema(summary="One %s" % kind, parameters=[NAME, ETAG], tags=[plural],
                          responses=responses(READ_ERRORS, {200: OpenApiResponse(shape)})),
        put=extend_schema(
            summary="Create or replace a %s (idempotent)" % kind, tags=[plural], request=shape,
            parameters=[NAME, DRY_RUN, IF_MATCH, IF_NONE_MATCH, ETAG],
            responses=responses(WRITE_ERRORS, {
                200: OpenApiResponse(shape, description="Replaced, or unchanged"),
                201: OpenApiResponse(shape, description="Created")})),
        delete=extend_schema(
            summary="Archive a %s" % kind, tags=[plural], parameters=[NAME, DRY_RUN, IF_MATCH, ETAG],
            description="The record is archived (kept, no longer offered), not deleted; archiving an archived "
                        "record changes nothing.",
            responses=responses(WRITE_ERRORS, {200: OpenApiResponse(shape, description="Archived")})),
    )


def list_schema(kind, shape):
    return extend_schema_view(get=extend_schema(
        summary="The reseller's %ss" % kind, tags=[kind + "s"], parameters=[ARCHIVED],
        responses=responses(READ_ERRORS, {200: shape(many=True)})))


@list_schema("plan", shapes.Plan)
class PlanList(OwnedList):
    manager, represent = "plans", staticmethod(records.plan_data)


@record_schema("plan", shapes.Plan)
class PlanRecord(OwnedRecord):
    manager, kind, shape = "plans", "plan", shapes.Plan
    represent, write = staticmethod(records.plan_data), staticmethod(records.write_plan)


@list_schema("configuration", shapes.Configuration)
class ConfigurationList(OwnedList):
    manager, represent = "configurations", staticmethod(records.configuration_data)


@record_schema("configuration", shapes.Configuration)
class ConfigurationRecord(OwnedRecord):
    manager, kind, shape = "configurations", "configuration", shapes.Configuration
    represent, write = staticmethod(records.configuration_data), staticmethod(records.write_configuration)


class BrandRecord(APIView):
    def what(self):
        return "the brand of reseller %s" % self.request.reseller.name

    def row(self):
        return Brand.objects.filter(reseller=self.request.reseller).first()

    @extend_schema(summary="The reseller's brand", tags=["brand"], parameters=[ETAG],
                   responses=responses(READ_ERRORS, {200: shapes.Brand}))
    def get(self, request):
        row = self.row()
        if row is None:
            raise NotFound("reseller %s has no brand of its own yet: its pages show the defaults"
                           % request.reseller.name)
        return answer(records.brand_data(row))

    @extend_schema(summary="Set the reseller's brand (idempotent)", tags=["brand"], request=shapes.Brand,
                   parameters=[DRY_RUN, IF_MATCH, IF_NONE_MATCH, ETAG],
                   responses=responses(WRITE_ERRORS, {200: shapes.Brand, 201: shapes.Brand}))
    def put(self, request):
        body = body_of(request, shapes.Brand)
        row = self.row()
        before = records.brand_data(row) if row is not None else None
        check_preconditions(request, records.etag_of(before) if before else None, self.what())
        after = records.applied(lambda: records.brand_data(records.write_brand(request.reseller, body, row)),
                                before, flag(request, "dry_run"))
        return answer(after, created=row is None)


SEARCH = OpenApiParameter("search", OpenApiTypes.STR, description="Part of the client's name or e-mail.")


class ClientList(RecordList):
    represent, etags = staticmethod(records.client_data), False

    def get_queryset(self):
        rows = self.request.reseller.end_clients.select_related("plan", "configuration").order_by("id")
        search = self.request.query_params.get("search", "")[:100].replace("\x00", "")
        if search:
            rows = rows.filter(Q(name__icontains=search) | Q(email__icontains=search))
        return rows

    @extend_schema(summary="The reseller's clients", tags=["clients"], parameters=[SEARCH],
                   responses=responses(READ_ERRORS, {200: shapes.Client(many=True)}))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ClientRecord(APIView):
    @extend_schema(summary="One client", tags=["clients"], responses=responses(READ_ERRORS, {200: shapes.Client}))
    def get(self, request, pk):
        client = request.reseller.end_clients.select_related("plan", "configuration").filter(pk=pk).first()
        if client is None:
            raise NotFound("no client %d of reseller %s" % (pk, request.reseller.name))
        return Response(records.client_data(client))


class QuoteView(APIView):
    # Quoting stores nothing: read tokens may quote.
    read_only_post = True

    @extend_schema(summary="Price usage on one of the reseller's plans", tags=["quote"], request=shapes.Usage,
                   responses=responses(READ_ERRORS, {200: shapes.Quote, 400: ERROR, 415: ERROR}))
    def post(self, request):
        body = body_of(request, shapes.Usage)
        name = body["plan"]
        plan = request.reseller.plans.live().filter(name=name).first() if usable_name(name) else None
        if plan is None:
            raise NotFound("no live plan %r of reseller %s" % (name, request.reseller.name))
        try:
            return Response(quote_plan(plan, body["items"]))
        except QuoteError as error:
            raise Invalid([("items", str(error))], "the quote") from None


class NotFoundView(APIView):
    """Anything else under api/v1/: a JSON 404 (the dashboard's HTML 404 page is for browsers)."""

    authentication_classes = permission_classes = throttle_classes = ()

    @extend_schema(exclude=True)
    def get(self, request, rest=""):
        raise NotFound("no such API path: see openapi.json")

    post = put = delete = patch = get
