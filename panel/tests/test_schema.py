"""The schema contract the provisioner relies on (docs/panel-schema.md)."""
import pytest
from django.db import connection

from reseller_panel.core.models import SCHEMA_VERSION, Setting

CONTRACT_COLUMNS = {
    "panel_setting": {"key", "value"},
    "panel_user": {"id", "username", "email", "password", "is_active", "is_staff", "client_id", "is_reseller"},
    "panel_client": {"id", "name", "email", "currency", "reseller_id", "configuration_id", "created_at"},
    "panel_reseller": {"id", "name", "client_id", "plan_id", "enduser_panel_url", "host", "status", "managed",
                       "created_at", "updated_at"},
    "panel_plan": {"id", "owner_reseller_id", "name", "currency", "is_default", "managed"},
    "panel_pricing_rule": {"id", "plan_id", "name", "resource", "attribute", "time_unit", "priority", "tiers"},
    "panel_pricing_condition": {"id", "rule_id", "attribute", "operator", "value"},
    "panel_pricing_modifier": {"id", "rule_id", "name", "price", "time_unit", "is_percent", "conditions"},
    "panel_configuration": {"id", "owner_reseller_id", "name", "description", "is_default", "managed", "options"},
}


@pytest.mark.django_db
def test_every_contract_table_has_its_columns():
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for table, columns in CONTRACT_COLUMNS.items():
            assert table in tables
            found = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            assert columns <= found, (table, columns - found)


@pytest.mark.django_db
def test_migrations_record_the_schema_version_and_defaults():
    values = dict(Setting.objects.values_list("key", "value"))
    assert values["schema.version"] == SCHEMA_VERSION
    assert values["reseller.enabled"] is False
    assert values["reseller.force_registration"] is False
    assert values["reseller.dashboard_path"] == "/reseller/"


@pytest.mark.django_db
def test_json_and_decimals_are_stored_as_canonical_text():
    Setting.objects.create(key="test.value", value={"b": 1, "a": [1, "x"]})
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM panel_setting WHERE " + connection.ops.quote_name("key") + " = %s",
                       ["test.value"])
        assert cursor.fetchone()[0] == '{"a":[1,"x"],"b":1}'
