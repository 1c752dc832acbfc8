"""Column types shared with the provisioner.

JSON and decimal values are stored as canonical text on every engine, so the panel and the provisioner's
raw SQL (SQLite, PostgreSQL, MariaDB alike) read and compare the very same bytes, and a price is never
turned into a binary float by the database (SQLite's NUMERIC affinity would do that).
"""
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models

from .numbers import bounded_decimal


def canonical_json(value):
    """The one JSON spelling both sides write: sorted keys, no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_decimal(value):
    """'0.0100' -> '0.01', 100 -> '100'; never an exponent."""
    d = Decimal(str(value))
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


class JSONTextField(models.TextField):
    description = "JSON stored as canonical text"

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise ValidationError("not valid JSON")
        return value

    def get_prep_value(self, value):
        # JSON null is the text "null": the column itself is never NULL.
        return canonical_json(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))


class BinaryKeyField(models.CharField):
    """Text compared byte for byte on every engine: MariaDB's default collation would also equate "e" and "é"
    (and ignore trailing spaces), which SQLite and PostgreSQL do not; the keys carry their own folding."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "mysql":
            params["collation"] = "utf8mb4_bin"
        return params


class DecimalTextField(models.CharField):
    description = "exact decimal stored as canonical text"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(value)

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValidationError("not a decimal number")

    def get_prep_value(self, value):
        if value is None:
            return None
        # Validation bounds every number before it gets here; this refuses, rather than writes out, one that
        # slipped past (an exponent of a million would become a million characters).
        return canonical_decimal(bounded_decimal(value, negative=True))
