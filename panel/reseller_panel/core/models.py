"""The panel's schema: the contract the provisioner seeds (see docs/panel-schema.md).

Every table has an explicit db_table so the contract does not depend on Django's app label. Columns named in
the contract keep their names and meanings; new columns may be added, always with a database default, so the
provisioner's inserts keep working.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from .fields import DecimalTextField, JSONTextField

SCHEMA_VERSION = 3

TIME_UNITS = [("h", "hour"), ("d", "day"), ("month", "month (730 h)")]
OPERATORS = [(op, op) for op in ("lt", "le", "gt", "ge", "eq", "ne", "in", "ni")]


class Setting(models.Model):
    key = models.CharField(max_length=100, primary_key=True)
    value = JSONTextField()

    class Meta:
        db_table = "panel_setting"

    def __str__(self):
        return self.key


class Client(models.Model):
    name = models.CharField(max_length=255)
    email = models.EmailField(max_length=254)
    currency = models.CharField(max_length=3)
    # NULL: the client belongs to the provider.
    reseller = models.ForeignKey(
        "Reseller", null=True, blank=True, on_delete=models.PROTECT, related_name="end_clients"
    )
    configuration = models.ForeignKey(
        "Configuration", null=True, blank=True, on_delete=models.SET_NULL, related_name="clients"
    )
    plan = models.ForeignKey("Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="clients")
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "panel_client"

    def __str__(self):
        return self.name


class User(AbstractUser):
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    is_reseller = models.BooleanField(default=False, db_default=False)
    managed = models.BooleanField(default=False, db_default=False)

    class Meta:
        db_table = "panel_user"


class Reseller(models.Model):
    ACTIVE, SUSPENDED, ARCHIVED = "active", "suspended", "archived"
    STATUSES = [(ACTIVE, "active"), (SUSPENDED, "suspended"), (ARCHIVED, "archived")]

    name = models.SlugField(max_length=63, unique=True)
    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="reseller_account")
    # The provider's (wholesale) plan the reseller is billed on.
    plan = models.ForeignKey("Plan", on_delete=models.PROTECT, related_name="billed_resellers")
    enduser_panel_url = models.CharField(max_length=255, unique=True)
    host = models.CharField(max_length=253, unique=True)
    status = models.CharField(max_length=16, choices=STATUSES, default=ACTIVE, db_default=ACTIVE)
    managed = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())
    # The reseller's own mail transport ({host, port, username, password, security}); {}: the provider's.
    smtp = JSONTextField(default=dict, db_default="{}")

    class Meta:
        db_table = "panel_reseller"

    def __str__(self):
        return self.name


class Plan(models.Model):
    # NULL owner: a provider plan (wholesale plans are provider plans).
    owner_reseller = models.ForeignKey(
        Reseller, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3)
    is_default = models.BooleanField(default=False, db_default=False)
    managed = models.BooleanField(default=False, db_default=False)
    archived = models.BooleanField(default=False, db_default=False)

    class Meta:
        db_table = "panel_plan"
        constraints = [
            models.UniqueConstraint(fields=["owner_reseller", "name"], name="panel_plan_owner_name_uniq"),
            # NULLs are distinct in a plain unique index: provider plan names need their own rule. Engines
            # without partial indexes (MariaDB) rely on the provisioner's and the panel's own checks.
            models.UniqueConstraint(
                fields=["name"], condition=Q(owner_reseller__isnull=True), name="panel_plan_provider_name_uniq"
            ),
        ]

    def __str__(self):
        return self.name


class PricingRule(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(max_length=100)
    resource = models.CharField(max_length=100)
    attribute = models.CharField(max_length=100, null=True, blank=True)
    time_unit = models.CharField(max_length=8, choices=TIME_UNITS, default="h")
    priority = models.IntegerField(default=0, db_default=0)
    # [{"from": "0", "price": "0.004"}, ...] with decimal strings, ascending from 0.
    tiers = JSONTextField(default=list)

    class Meta:
        db_table = "panel_pricing_rule"
        ordering = ["priority", "id"]

    def __str__(self):
        return self.name


class PricingCondition(models.Model):
    rule = models.ForeignKey(PricingRule, on_delete=models.CASCADE, related_name="conditions")
    attribute = models.CharField(max_length=100)
    operator = models.CharField(max_length=2, choices=OPERATORS)
    value = JSONTextField()

    class Meta:
        db_table = "panel_pricing_condition"


class PricingModifier(models.Model):
    rule = models.ForeignKey(PricingRule, on_delete=models.CASCADE, related_name="modifiers")
    name = models.CharField(max_length=100)
    price = DecimalTextField()
    time_unit = models.CharField(max_length=8, choices=TIME_UNITS, default="h")
    is_percent = models.BooleanField(default=False, db_default=False)
    # [{"attribute": ..., "op": ..., "value": ...}], all of which must hold.
    conditions = JSONTextField(default=list)

    class Meta:
        db_table = "panel_pricing_modifier"


class Configuration(models.Model):
    owner_reseller = models.ForeignKey(
        Reseller, null=True, blank=True, on_delete=models.PROTECT, related_name="configurations"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="", db_default="")
    is_default = models.BooleanField(default=False, db_default=False)
    managed = models.BooleanField(default=False, db_default=False)
    archived = models.BooleanField(default=False, db_default=False)
    options = JSONTextField(default=dict)

    class Meta:
        db_table = "panel_configuration"
        constraints = [
            models.UniqueConstraint(fields=["owner_reseller", "name"], name="panel_configuration_owner_name_uniq"),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(owner_reseller__isnull=True),
                name="panel_configuration_provider_name_uniq",
            ),
        ]

    def __str__(self):
        return self.name


class Brand(models.Model):
    """How the end-user pages and e-mails of one host look: the provider's (reseller NULL) or a reseller's."""

    DEFAULT_COLOR = "#0d6efd"

    reseller = models.OneToOneField(Reseller, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="brand")
    name = models.CharField(max_length=100)
    primary_color = models.CharField(max_length=7, default=DEFAULT_COLOR, db_default=DEFAULT_COLOR)
    support_email = models.CharField(max_length=254, blank=True, default="", db_default="")
    support_url = models.CharField(max_length=255, blank=True, default="", db_default="")
    terms_url = models.CharField(max_length=255, blank=True, default="", db_default="")
    privacy_url = models.CharField(max_length=255, blank=True, default="", db_default="")
    # The image itself (PNG, JPEG or WebP, checked before it is stored), so every panel host can serve it.
    logo = models.BinaryField(null=True, blank=True)
    logo_content_type = models.CharField(max_length=32, blank=True, default="", db_default="")
    logo_sha256 = models.CharField(max_length=64, blank=True, default="", db_default="")
    managed = models.BooleanField(default=False, db_default=False)
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "panel_brand"
        # At most one row has no reseller (the provider's): NULLs are distinct in a unique index, so the
        # provisioner and the dashboard keep that rule (they update the row they find, never add a second).

    def __str__(self):
        return self.name


class UserToken(models.Model):
    """One-time set-password links handed out by the provisioner. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    token_sha256 = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=32, default="set_password", db_default="set_password")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "panel_user_token"
