# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_panel_settings directly: every key's rule, and the batch upsert with per-key results and a diff."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import open_panel
from ansible_collections.panelops.reseller.plugins.module_utils._panel_settings import (
    apply_settings,
    validate_settings,
)


def test_known_settings_are_valid():
    assert validate_settings({"reseller.enabled": True, "reseller.force_registration": False,
                              "provider.frontend_url": "https://panel.provider.test/",
                              "reseller.dashboard_path": "/reseller/"}) == []
    assert validate_settings({"provider.frontend_url": None}) == []


@pytest.mark.parametrize("settings, problem", [
    ({"reseller.enabled": "yes"}, "reseller.enabled: must be a boolean (true/false), got str 'yes'"),
    ({"provider.frontend_url": "http://panel.test/"}, "provider.frontend_url: 'http://panel.test/' must use https://"),
    ({"reseller.dashboard_path": "/Reseller"}, "reseller.dashboard_path: must be a path like /reseller/"),
    ({"reseller.dashboard_path": "/staff/x/"}, "reseller.dashboard_path: /staff/ is reserved for Django admin"),
    ({"schema.version": 2}, "schema.version: is managed by the panel's migrations and cannot be set"),
    ({"reseller.colour": "red"}, "reseller.colour: unknown setting key"),
])
def test_every_bad_setting_names_its_key(settings, problem):
    problems = validate_settings(settings)
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_a_settings_value_that_is_not_a_mapping():
    assert validate_settings(["reseller.enabled"]) == ["settings: must be a mapping of setting key to value"]


def test_apply_reports_each_key_and_diffs_only_changes(panel_db):
    with open_panel(panel_db) as db:
        first = apply_settings(db, {"reseller.enabled": True, "provider.frontend_url": "https://panel.test/"})
    assert first["changed"] is True
    assert first["settings"]["provider.frontend_url"] in ("created", "updated")
    with open_panel(panel_db) as db:
        second = apply_settings(db, {"reseller.enabled": False, "provider.frontend_url": "https://panel.test/"})
        assert db.read_settings()["reseller.enabled"] is False
    assert second["settings"] == {"reseller.enabled": "updated", "provider.frontend_url": "unchanged"}
    assert second["updated"] == ["reseller.enabled"] and second["unchanged"] == ["provider.frontend_url"]
    assert second["diff"] == {"before": "reseller.enabled: true\n", "after": "reseller.enabled: false\n",
                              "before_header": "panel_setting", "after_header": "panel_setting"}
    with open_panel(panel_db) as db:
        assert apply_settings(db, {"reseller.enabled": False})["changed"] is False
