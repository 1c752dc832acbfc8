"""Schema version 2: usernames unique per name space and case-insensitively, with a look-alike skeleton.

`username` loses its global unique index; (`username_namespace`, `username_key`) gets one. Existing users get
their keys here; two users whose names differ only in case or width within one name space stop the migration
with their names (rename one first): the database cannot hold both under the new rule.
"""
from django.db import migrations, models

import reseller_panel.core.fields
import reseller_panel.core.models
from reseller_panel.core import usernames

SCHEMA_VERSION = 2


def fill_keys(apps, schema_editor):
    User = apps.get_model("core", "User")
    seen, clashes, rows = {}, [], []
    for user in User.objects.select_related("client").order_by("id"):
        user.username = usernames.normalize(user.username)
        user.username_key = usernames.key(user.username)[:600]
        user.username_skeleton = usernames.skeleton(user.username)[:600]
        user.username_namespace = (user.client.reseller_id or 0) if user.client_id else 0
        name = (user.username_namespace, user.username_key)
        if name in seen:
            clashes.append("%r and %r" % (seen[name], user.username))
        seen[name] = user.username
        rows.append(user)
    if clashes:
        raise RuntimeError("usernames that differ only in case or width in one name space: %s; rename one of "
                           "each pair, then migrate again" % "; ".join(clashes))
    User.objects.bulk_update(rows, ["username", "username_key", "username_skeleton", "username_namespace"],
                             batch_size=500)


def record_version(apps, schema_editor):
    apps.get_model("core", "Setting").objects.update_or_create(key="schema.version",
                                                               defaults={"value": SCHEMA_VERSION})


def record_version_1(apps, schema_editor):
    apps.get_model("core", "Setting").objects.update_or_create(key="schema.version", defaults={"value": 1})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_schema_version_and_defaults")]

    operations = [
        migrations.AlterModelManagers(name="user", managers=[("objects", reseller_panel.core.models.PanelUserManager())]),
        migrations.AlterField(
            model_name="user", name="username",
            field=models.CharField(help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                                   max_length=150, validators=[reseller_panel.core.models.AbstractUser.username_validator],
                                   verbose_name="username"),
        ),
        migrations.AddField(model_name="user", name="username_namespace",
                            field=models.BigIntegerField(db_default=0, default=0, editable=False)),
        migrations.AddField(model_name="user", name="username_key",
                            field=reseller_panel.core.fields.BinaryKeyField(default="", editable=False, max_length=600),
                            preserve_default=False),
        migrations.AddField(model_name="user", name="username_skeleton",
                            field=reseller_panel.core.fields.BinaryKeyField(blank=True, editable=False, max_length=600,
                                                                            null=True)),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(fields=("username_namespace", "username_key"),
                                               name="panel_user_namespace_username_key_uniq"),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["username_namespace", "username_skeleton"], name="panel_user_namespace_skeleton"),
        ),
        migrations.RunPython(record_version, record_version_1),
    ]
