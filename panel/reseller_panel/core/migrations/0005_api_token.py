"""Reseller API tokens (panel_api_token) and the shared cache table the API's rate limit counts in.

The provisioner never writes either table, so the schema version (docs/panel-schema.md) stays 3: its inserts
and checks are unchanged. The cache table is made by Django's createcachetable (idempotent: an existing table
is left alone), here rather than as a separate deployment step, so that every way of migrating has it.
"""
import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    for alias in settings.CACHES.values():
        if alias["BACKEND"].endswith("DatabaseCache"):
            schema_editor.execute("DROP TABLE IF EXISTS %s" % schema_editor.quote_name(alias["LOCATION"]))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_brand")]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("scope", models.CharField(choices=[("read", "read only"), ("write", "read and write")],
                                           default="read", max_length=8)),
                ("token_sha256", models.CharField(max_length=64, unique=True)),
                ("token_prefix", models.CharField(max_length=16)),
                ("expires_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens",
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={"db_table": "panel_api_token"},
        ),
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
