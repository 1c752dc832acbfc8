"""Records the schema version the provisioner checks, and the default settings every panel starts with."""

from django.db import migrations

SCHEMA_VERSION = 1
DEFAULTS = {
    "reseller.enabled": False,
    "reseller.force_registration": False,
    "reseller.dashboard_path": "/reseller/",
    "provider.frontend_url": None,
}


def forwards(apps, schema_editor):
    Setting = apps.get_model("core", "Setting")
    Setting.objects.update_or_create(key="schema.version", defaults={"value": SCHEMA_VERSION})
    for key, value in DEFAULTS.items():
        Setting.objects.get_or_create(key=key, defaults={"value": value})


def backwards(apps, schema_editor):
    apps.get_model("core", "Setting").objects.filter(key="schema.version").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
