"""The API's JSON shapes: what a body must look like (types, required keys, no unknown keys) and what answers
look like, described for the OpenAPI schema by drf-spectacular.

These check the shape only. Whether a value is acceptable (a currency, a name, tiers from 0 in ascending
order, bounded numbers, a logo's bytes) is decided by the dashboard's forms, through api.records, so one rule
has one definition wherever a record comes from.
"""
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reseller_panel.core import terms
from reseller_panel.core.models import Brand as BrandRow


class Text(serializers.CharField):
    """A JSON string, as sent (the forms trim and check it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Flag(serializers.BooleanField):
    """true or false, nothing else (no "yes", no 1)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class Integer(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, Decimal) and data.is_finite() and data == data.to_integral_value():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "number"}],
                      "description": "An exact decimal, best as a string (\"0.004\"); answers carry strings."})
class Number(serializers.Field):
    default_error_messages = {"invalid": "must be a number or a decimal string"}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, Decimal, int)):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field({"nullable": True, "description": "A number, string, boolean or null; a list for in and ni.",
                      "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"},
                                {"type": "array", "items": {}}]})
class ConditionValue(serializers.Field):
    default_error_messages = {"invalid": "must be a number, string, boolean, null or a list"}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class Closed(serializers.Serializer):
    """Refuses keys it does not declare, naming them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields or self.fields[key].read_only)
            if unknown:
                raise serializers.ValidationError({key: ["unknown field"] for key in unknown})
        return super().to_internal_value(data)


def closed(name, fields, doc=None):
    """A Closed serializer class from a {field name: field} mapping (so a field may be called "from")."""
    return type(name, (Closed,), dict(fields, __doc__=doc or name, __module__=__name__))


TIME_UNIT = serializers.ChoiceField(choices=list(terms.TIME_UNITS), required=False, default=terms.DEFAULT_TIME_UNIT)

Tier = closed("Tier", {"from": Number(), "price": Number()},
              "Graduated tier: from this quantity on, this price per unit.")
Condition = closed("Condition", {"attribute": Text(), "op": serializers.ChoiceField(choices=list(terms.OPERATORS)),
                                 "value": ConditionValue(allow_null=True)})
Modifier = closed("Modifier", {
    "name": Text(), "price": Number(), "time_unit": TIME_UNIT, "is_percent": Flag(required=False, default=False),
    "when": Condition(many=True, required=False, default=list)})
Rule = closed("Rule", {
    "name": Text(), "resource": Text(), "attribute": Text(required=False, allow_null=True, default=None),
    "time_unit": TIME_UNIT, "priority": Integer(required=False, default=terms.DEFAULT_PRIORITY),
    "tiers": Tier(many=True), "conditions": Condition(many=True, required=False, default=list),
    "modifiers": Modifier(many=True, required=False, default=list)},
    "A pricing rule, in the inventory's shape (docs/pricing.md).")

ETAG = serializers.CharField(read_only=True, help_text="The record's ETag, as in the ETag header; send it back "
                                                       "in If-Match to change the record only if nobody else did.")
MANAGED = serializers.BooleanField(read_only=True, help_text="Owned by the provider's inventory: read-only here.")
NAME = Text(required=False, help_text="The record's name; in a body it must be the name in the URL.")

Plan = closed("Plan", {
    "name": NAME, "currency": Text(help_text="ISO 4217 code, e.g. EUR"),
    "is_default": Flag(required=False, default=False), "archived": Flag(required=False, default=False),
    "rules": Rule(many=True, required=False, default=list), "managed": MANAGED, "etag": ETAG},
    "A retail plan of the reseller.")


@extend_schema_field({"type": "object", "additionalProperties": {"type": "object"},
                      "description": "Sections (billing, signup, limits, notifications), each a mapping."})
class Options(serializers.Field):
    default_error_messages = {"invalid": "must be a JSON object of sections"}

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


Configuration = closed("Configuration", {
    "name": NAME, "description": Text(required=False, default=""),
    "is_default": Flag(required=False, default=False), "archived": Flag(required=False, default=False),
    "options": Options(required=False, default=dict), "managed": MANAGED, "etag": ETAG},
    "A billing and sign-up configuration of the reseller.")

Brand = closed("Brand", {
    "name": Text(help_text="Shown in page titles, headers and e-mails."),
    "primary_color": Text(required=False, default=BrandRow.DEFAULT_COLOR, help_text="A colour like #1a7f5a."),
    "support_email": Text(required=False, default=""), "support_url": Text(required=False, default=""),
    "terms_url": Text(required=False, default=""), "privacy_url": Text(required=False, default=""),
    "logo": Text(required=False, allow_null=True, write_only=True,
                 help_text="PNG, JPEG or WebP in base64 (at most 256 KiB decoded); null removes the logo; "
                           "leave it out to keep the current one."),
    "logo_content_type": serializers.CharField(read_only=True, allow_null=True),
    "logo_sha256": serializers.CharField(read_only=True, allow_null=True),
    "managed": MANAGED, "etag": ETAG},
    "The brand of the reseller's end-user panel.")

Client = closed("Client", {
    "id": serializers.IntegerField(read_only=True), "name": serializers.CharField(read_only=True),
    "email": serializers.CharField(read_only=True), "currency": serializers.CharField(read_only=True),
    "plan": serializers.CharField(read_only=True, allow_null=True),
    "configuration": serializers.CharField(read_only=True, allow_null=True),
    "created_at": serializers.DateTimeField(read_only=True)}, "An end-user client of the reseller.")

Usage = closed("Usage", {
    "plan": Text(help_text="The name of one of the reseller's live plans."),
    "items": serializers.ListField(child=serializers.DictField(), help_text="Usage items (docs/pricing.md).")})

_ModifierLine = closed("QuoteModifier", {"name": serializers.CharField(), "amount": serializers.CharField()})
_RuleLine = closed("QuoteRule", {"rule": serializers.CharField(), "quantity": serializers.CharField(),
                                 "amount": serializers.CharField(), "modifiers": _ModifierLine(many=True)})
_Item = closed("QuoteItem", {
    "index": serializers.IntegerField(), "resource": serializers.JSONField(), "amount": serializers.CharField(),
    "rules": _RuleLine(many=True), "wholesale_amount": serializers.CharField(),
    "below_cost": serializers.BooleanField()})
Quote = closed("Quote", {
    "plan": serializers.CharField(), "owner": serializers.CharField(), "currency": serializers.CharField(),
    "wholesale_plan": serializers.CharField(), "items": _Item(many=True), "total": serializers.CharField(),
    "wholesale_total": serializers.CharField(), "below_cost": serializers.BooleanField()},
    "A price breakdown (docs/pricing.md); nothing is stored.")

_TokenInfo = closed("TokenInfo", {"name": serializers.CharField(), "scope": serializers.CharField(),
                                  "expires_at": serializers.DateTimeField(allow_null=True)})
Account = closed("Account", {
    "reseller": serializers.CharField(), "status": serializers.CharField(),
    "wholesale_plan": serializers.CharField(), "currency": serializers.CharField(), "token": _TokenInfo()},
    "Who the token acts for.")

ErrorItem = closed("ErrorItem", {"field": serializers.CharField(allow_null=True), "message": serializers.CharField()})
Error = closed("Error", {"detail": serializers.CharField(), "errors": ErrorItem(many=True)},
               "Every error answer: a sentence, and the problems naming their fields.")
