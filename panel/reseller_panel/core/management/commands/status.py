"""`manage.py status`: where the panel database is and what the provisioner has set in it."""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from reseller_panel.core.models import SCHEMA_VERSION, Client, Configuration, Plan, Reseller, Setting


class Command(BaseCommand):
    help = "Print the panel database's location, schema version, settings and record counts."

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        where = db["NAME"] if connection.vendor == "sqlite" else "%s@%s:%s/%s" % (
            db.get("USER"), db.get("HOST"), db.get("PORT") or "default", db["NAME"])
        out = self.stdout.write
        out("panel database: %s (%s)" % (where, connection.vendor))
        values = Setting.objects.as_dict()
        out("schema version: %s (this panel: %s)" % (values.get("schema.version"), SCHEMA_VERSION))
        for key in sorted(k for k in values if k != "schema.version"):
            out("  %-30s %s" % (key, values[key]))
        out("resellers: %d active, %d suspended, %d archived" % tuple(
            Reseller.objects.filter(status=s).count() for s in ("active", "suspended", "archived")))
        out("plans: %d provider, %d reseller; configurations: %d; clients: %d" % (
            Plan.objects.filter(owner_reseller__isnull=True).count(),
            Plan.objects.filter(owner_reseller__isnull=False).count(),
            Configuration.objects.count(), Client.objects.count()))
