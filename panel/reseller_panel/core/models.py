"""The panel's schema: the contract the provisioner seeds (see docs/panel-schema.md).

Every table has an explicit db_table so the contract does not depend on Django's app label. Columns named in
the contract keep their names and meanings; new columns may be added, always with a database default, so the
provisioner's inserts keep working.
"""
import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from . import terms, usernames
from .fields import BinaryKeyField, DecimalTextField, JSONTextField

SCHEMA_VERSION = 3
PROVIDER_NAMESPACE = 0

TIME_UNITS = [(unit, terms.TIME_UNIT_LABELS[unit]) for unit in terms.TIME_UNITS]
OPERATORS = [(op, op) for op in terms.OPERATORS]


class SettingQuerySet(models.QuerySet):
    def as_dict(self):
        """Every setting as {key: value}."""
        return dict(self.values_list("key", "value"))

    def schema_version(self):
        """The schema version the migrations recorded, or None on a database without the panel's schema."""
        row = self.filter(key="schema.version").first()
        return None if row is None else row.value


class Setting(models.Model):
    key = models.CharField(max_length=100, primary_key=True)
    value = JSONTextField()

    objects = SettingQuerySet.as_manager()

    class Meta:
        db_table = "panel_setting"

    def __str__(self):
        return self.key


class ClientQuerySet(models.QuerySet):
    def sign_up(self, owner, username, email, password):
        """A new end user and their client under `owner` (a Reseller, or None for the provider), with the
        owner's default plan and configuration; one transaction. Returns the user."""
        with transaction.atomic():
            plan = Plan.objects.default_for(owner)
            configuration = Configuration.objects.default_for(owner)
            if plan is not None:
                currency = plan.currency
            else:
                currency = owner.client.currency if owner is not None else terms.DEFAULT_CURRENCY
            client = self.create(name=username, email=email, currency=currency, reseller=owner, plan=plan,
                                 configuration=configuration)
            user = User(username=username, email=email, client=client)
            user.set_password(password)
            user.save()
        return user


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

    objects = ClientQuerySet.as_manager()

    class Meta:
        db_table = "panel_client"

    def __str__(self):
        return self.name


class PanelUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Outside a request (createsuperuser, changepassword, fixtures) a username names a provider user.
        return self.get(username_namespace=PROVIDER_NAMESPACE, username_key=usernames.key(username))

    def in_namespace(self, namespace):
        return self.filter(username_namespace=namespace)

    def _sign_up_scope(self, owner):
        """Whose names a sign-up for `owner` (a Reseller or None) must not take or imitate: the users of its
        name space and, for a reseller, its own reseller users (who belong to the provider's name space)."""
        scope = Q(username_namespace=owner.id if owner is not None else PROVIDER_NAMESPACE)
        if owner is not None:
            scope |= Q(client_id=owner.client_id)
        return scope

    def name_conflict(self, owner, username):
        """'taken' when a user of the sign-up's scope has the same name (case and width ignored), 'lookalike'
        when one's name looks the same (Unicode confusables), else None."""
        scope = self.filter(self._sign_up_scope(owner))
        if scope.filter(username_key=usernames.key(username)).exists():
            return "taken"
        # Users written by the provisioner carry no skeleton yet: fill those of this scope first (once).
        unfilled = list(scope.filter(username_skeleton__isnull=True).only("id", "username"))
        for user in unfilled:
            user.username_skeleton = usernames.skeleton(user.username)[:KEY_LENGTH]
        self.bulk_update(unfilled, ["username_skeleton"], batch_size=500)
        if scope.filter(username_skeleton=usernames.skeleton(username)[:KEY_LENGTH]).exists():
            return "lookalike"
        return None


# Keys may be longer than the username they come from (NFKC and the skeleton expand some characters).
KEY_LENGTH = 600


class User(AbstractUser):
    # Unique within a name space, not across them: each reseller's end users have their own (see below).
    username = models.CharField(
        "username", max_length=150, validators=[AbstractUser.username_validator],
        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.")
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    is_reseller = models.BooleanField(default=False, db_default=False)
    managed = models.BooleanField(default=False, db_default=False)
    # The name space a username is unique in: the reseller whose end user this is, or 0 for the provider's
    # (provider end users, reseller users, staff). Sign-ups on one reseller's domain never see another's users.
    username_namespace = models.BigIntegerField(default=PROVIDER_NAMESPACE, db_default=PROVIDER_NAMESPACE,
                                                editable=False)
    # core.usernames.key(username): unique per name space, so "Bob" and "ｂob" are the same user name.
    username_key = BinaryKeyField(max_length=KEY_LENGTH, editable=False)
    # core.usernames.skeleton(username), filled by the panel (NULL when the provisioner wrote the row).
    username_skeleton = BinaryKeyField(max_length=KEY_LENGTH, null=True, blank=True, editable=False)

    objects = PanelUserManager()

    class Meta:
        db_table = "panel_user"
        constraints = [
            models.UniqueConstraint(fields=["username_namespace", "username_key"],
                                    name="panel_user_namespace_username_key_uniq"),
        ]
        indexes = [models.Index(fields=["username_namespace", "username_skeleton"],
                                name="panel_user_namespace_skeleton")]

    def _namespace(self):
        client = self.client if self.client_id else None
        return client.reseller_id if client is not None and client.reseller_id else PROVIDER_NAMESPACE

    def refresh_username_keys(self):
        self.username = usernames.normalize(self.username)
        self.username_key = usernames.key(self.username)[:KEY_LENGTH]
        self.username_skeleton = usernames.skeleton(self.username)[:KEY_LENGTH]
        self.username_namespace = self._namespace()

    def clean(self):
        super().clean()
        self.refresh_username_keys()
        clash = User.objects.filter(username_namespace=self.username_namespace, username_key=self.username_key)
        if clash.exclude(pk=self.pk).exists():
            raise ValidationError({"username": "A user with that username already exists."})

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or {"username", "client", "client_id"} & set(fields):
            self.refresh_username_keys()
            if fields is not None:
                derived = {"username", "username_key", "username_skeleton", "username_namespace"}
                kwargs["update_fields"] = set(fields) | derived
        super().save(*args, **kwargs)

    @property
    def tenant_id(self):
        """The id of the reseller whose end-user pages this user may use; None for the provider's."""
        return self.client.reseller_id if self.client_id else None

    def belongs_to(self, reseller):
        """Whether this user may use the end-user pages of `reseller` (None: the provider's host); sessions
        never cross tenants."""
        return self.tenant_id == (reseller.id if reseller is not None else None)


class ResellerQuerySet(models.QuerySet):
    def for_host(self, host):
        """The reseller whose end-user panel is served on `host` (a normalized host name), or None."""
        return self.filter(host=host).select_related("client").first()

    def managed_by(self, user):
        """The active reseller `user` may manage in the dashboard, or None."""
        if not (user.is_authenticated and user.is_active and user.is_reseller and user.client_id):
            return None
        return self.filter(client_id=user.client_id, status=Reseller.ACTIVE).select_related("plan").first()


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

    objects = ResellerQuerySet.as_manager()

    class Meta:
        db_table = "panel_reseller"

    def __str__(self):
        return self.name


class OwnedQuerySet(models.QuerySet):
    """Plans and configurations: each belongs to a reseller, or to the provider (owner NULL)."""

    def owned_by(self, owner):
        return self.filter(owner_reseller=owner)

    def live(self):
        return self.filter(archived=False)

    def default_for(self, owner):
        """The record new sign-ups under `owner` get: its live default, the inventory's first."""
        return self.owned_by(owner).live().filter(is_default=True).order_by("-managed", "id").first()


class OwnedRecord:
    """Behaviour shared by Plan and Configuration."""

    def make_sole_default(self):
        """Clear the default flag of the owner's other unmanaged records (the inventory's stay as declared)."""
        type(self).objects.owned_by(self.owner_reseller).filter(is_default=True, managed=False).exclude(
            pk=self.pk).update(is_default=False)


class Plan(OwnedRecord, models.Model):
    # NULL owner: a provider plan (wholesale plans are provider plans).
    owner_reseller = models.ForeignKey(
        Reseller, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3)
    is_default = models.BooleanField(default=False, db_default=False)
    managed = models.BooleanField(default=False, db_default=False)
    archived = models.BooleanField(default=False, db_default=False)

    objects = OwnedQuerySet.as_manager()

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

    @property
    def wholesale_plan(self):
        """The provider plan a reseller's plan is bought on (None for a provider plan)."""
        return self.owner_reseller.plan if self.owner_reseller_id is not None else None

    def ordered_rules(self):
        return self.rules.order_by("priority", "id").prefetch_related("conditions", "modifiers")

    def rules_as_data(self):
        """The rules as the plain dicts the quote engine reads (core.pricing), in priority order."""
        return [rule.as_data() for rule in self.ordered_rules()]

    def rules_as_inventory(self):
        """The rules in the inventory's shape (modifiers' conditions under `when`), for editing."""
        return [rule.as_inventory() for rule in self.ordered_rules()]

    def replace_rules(self, rules):
        """Replace every rule of this plan by `rules` (validated dicts in the inventory's shape)."""
        self.rules.all().delete()
        for rule in rules:
            row = PricingRule.objects.create(
                plan=self, name=rule["name"], resource=rule["resource"], attribute=rule["attribute"],
                time_unit=rule["time_unit"], priority=rule["priority"], tiers=rule["tiers"])
            PricingCondition.objects.bulk_create(
                PricingCondition(rule=row, attribute=c["attribute"], operator=c["op"], value=c["value"])
                for c in rule["conditions"])
            PricingModifier.objects.bulk_create(
                PricingModifier(rule=row, name=m["name"], price=m["price"], time_unit=m["time_unit"],
                                is_percent=m["is_percent"], conditions=m["conditions"])
                for m in rule["modifiers"])


class PricingRule(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(max_length=100)
    resource = models.CharField(max_length=100)
    attribute = models.CharField(max_length=100, null=True, blank=True)
    time_unit = models.CharField(max_length=8, choices=TIME_UNITS, default=terms.DEFAULT_TIME_UNIT)
    priority = models.IntegerField(default=terms.DEFAULT_PRIORITY, db_default=terms.DEFAULT_PRIORITY)
    # [{"from": "0", "price": "0.004"}, ...] with decimal strings, ascending from 0.
    tiers = JSONTextField(default=list)

    class Meta:
        db_table = "panel_pricing_rule"
        ordering = ["priority", "id"]

    def __str__(self):
        return self.name

    def _conditions(self):
        return [{"attribute": c.attribute, "op": c.operator, "value": c.value}
                for c in sorted(self.conditions.all(), key=lambda c: c.id)]

    def _modifiers(self):
        return sorted(self.modifiers.all(), key=lambda m: m.id)

    def as_data(self):
        return {"name": self.name, "resource": self.resource, "attribute": self.attribute or None,
                "time_unit": self.time_unit, "tiers": self.tiers or [], "conditions": self._conditions(),
                "modifiers": [{"name": m.name, "price": m.price, "time_unit": m.time_unit,
                               "is_percent": m.is_percent, "conditions": m.conditions or []}
                              for m in self._modifiers()]}

    def as_inventory(self):
        return {"name": self.name, "resource": self.resource, "attribute": self.attribute,
                "time_unit": self.time_unit, "priority": self.priority, "tiers": self.tiers,
                "conditions": self._conditions(),
                "modifiers": [{"name": m.name, "price": str(m.price), "time_unit": m.time_unit,
                               "is_percent": m.is_percent, "when": m.conditions} for m in self._modifiers()]}


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
    time_unit = models.CharField(max_length=8, choices=TIME_UNITS, default=terms.DEFAULT_TIME_UNIT)
    is_percent = models.BooleanField(default=False, db_default=False)
    # [{"attribute": ..., "op": ..., "value": ...}], all of which must hold.
    conditions = JSONTextField(default=list)

    class Meta:
        db_table = "panel_pricing_modifier"


class Configuration(OwnedRecord, models.Model):
    owner_reseller = models.ForeignKey(
        Reseller, null=True, blank=True, on_delete=models.PROTECT, related_name="configurations"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="", db_default="")
    is_default = models.BooleanField(default=False, db_default=False)
    managed = models.BooleanField(default=False, db_default=False)
    archived = models.BooleanField(default=False, db_default=False)
    options = JSONTextField(default=dict)

    objects = OwnedQuerySet.as_manager()

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


class UserTokenQuerySet(models.QuerySet):
    def redeemable(self, token):
        """The unused, unexpired set-password row of `token`, locked for this transaction; None if there is none."""
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        return (self.select_for_update().select_related("user")
                .filter(token_sha256=digest, purpose="set_password", used_at__isnull=True,
                        expires_at__gt=timezone.now()).first())


class UserToken(models.Model):
    """One-time set-password links handed out by the provisioner. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    token_sha256 = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=32, default="set_password", db_default="set_password")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    objects = UserTokenQuerySet.as_manager()

    class Meta:
        db_table = "panel_user_token"

    def redeem(self):
        self.used_at = timezone.now()
        self.save(update_fields=["used_at"])


class ApiTokenQuerySet(models.QuerySet):
    PREFIX = "pnl_"

    @staticmethod
    def digest(secret):
        # Tokens are 256 random bits: a fast hash is enough (nothing to guess), and it is what is looked up.
        return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()

    def issue(self, user, name, scope, expires_days=None):
        """A new token for `user`: (row, secret). The secret is returned once and never stored."""
        secret = self.PREFIX + secrets.token_urlsafe(32)
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        row = self.create(user=user, name=name, scope=scope, token_sha256=self.digest(secret),
                          token_prefix=secret[:len(self.PREFIX) + 6], expires_at=expires_at)
        return row, secret

    def of_reseller(self, reseller):
        """The tokens of every user of `reseller`'s account, newest first."""
        return self.filter(user__client_id=reseller.client_id).select_related("user").order_by("-id")

    def authenticate(self, secret):
        """(token, reseller, None) for a secret that may use the API now, else (None, None, why not).

        A token works while it is unexpired, its user active and a reseller user, and that user's reseller
        active (Reseller.objects.managed_by, the dashboard's own rule); anything else refuses it at once."""
        if not isinstance(secret, str) or not secret.startswith(self.PREFIX) or len(secret) > 200:
            return None, None, "not an API token of this panel"
        token = self.select_related("user").filter(token_sha256=self.digest(secret)).first()
        if token is None:
            return None, None, "unknown or revoked token"
        now = timezone.now()
        if token.expires_at is not None and token.expires_at <= now:
            return None, None, "the token expired at %s" % token.expires_at.isoformat(timespec="seconds")
        if not token.user.is_active:
            return None, None, "the token's user %s is deactivated" % token.user.username
        reseller = Reseller.objects.managed_by(token.user)
        if reseller is None:
            return None, None, "the token's user %s is not a user of an active reseller" % token.user.username
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            # At most one write a minute per token, not one per request.
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        return token, reseller, None


class ApiToken(models.Model):
    """A reseller user's token for the reseller API (reseller_panel.api). Only a SHA-256 of it is stored.

    The panel alone writes this table (the provisioner never does), so it is not part of the schema version."""

    READ, WRITE = "read", "write"
    SCOPES = [(READ, "read only"), (WRITE, "read and write")]

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=8, choices=SCOPES, default=READ)
    token_sha256 = models.CharField(max_length=64, unique=True)
    # The first characters of the token, shown in the dashboard so its owner can tell tokens apart.
    token_prefix = models.CharField(max_length=16)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        db_table = "panel_api_token"

    def __str__(self):
        return "%s (%s…)" % (self.name, self.token_prefix)

    @property
    def can_write(self):
        return self.scope == self.WRITE
