"""Brands (panel_brand) and a reseller's own mail transport (panel_reseller.smtp): schema version 3."""
import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models

import reseller_panel.core.fields

SCHEMA_VERSION = 3


def record_version(apps, schema_editor):
    apps.get_model("core", "Setting").objects.update_or_create(key="schema.version",
                                                               defaults={"value": SCHEMA_VERSION})


def previous_version(apps, schema_editor):
    # Before this migration the newest recorded version was the one below it.
    apps.get_model("core", "Setting").objects.filter(key="schema.version").update(value=SCHEMA_VERSION - 1)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_username_namespaces")]

    operations = [
        migrations.AddField(
            model_name="reseller",
            name="smtp",
            field=reseller_panel.core.fields.JSONTextField(db_default="{}", default=dict),
        ),
        migrations.CreateModel(
            name="Brand",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("primary_color", models.CharField(db_default="#0d6efd", default="#0d6efd", max_length=7)),
                ("support_email", models.CharField(blank=True, db_default="", default="", max_length=254)),
                ("support_url", models.CharField(blank=True, db_default="", default="", max_length=255)),
                ("terms_url", models.CharField(blank=True, db_default="", default="", max_length=255)),
                ("privacy_url", models.CharField(blank=True, db_default="", default="", max_length=255)),
                ("logo", models.BinaryField(blank=True, null=True)),
                ("logo_content_type", models.CharField(blank=True, db_default="", default="", max_length=32)),
                ("logo_sha256", models.CharField(blank=True, db_default="", default="", max_length=64)),
                ("managed", models.BooleanField(db_default=False, default=False)),
                ("updated_at", models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
                ("reseller", models.OneToOneField(blank=True, null=True,
                                                  on_delete=django.db.models.deletion.CASCADE,
                                                  related_name="brand", to="core.reseller")),
            ],
            options={"db_table": "panel_brand"},
        ),
        migrations.RunPython(record_version, previous_version),
    ]
