# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The panel_db mapping: what each engine needs (the connection errors themselves: test_panel_db.py)."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db_spec import ENGINES, validate_spec


@pytest.mark.parametrize("spec", [
    {"engine": "sqlite", "path": "/var/lib/panel.sqlite3"},
    {"path": "/var/lib/panel.sqlite3"},
    {"engine": "postgresql", "name": "panel", "user": "panel"},
    {"engine": "mariadb", "name": "panel", "user": "panel", "host": "192.0.2.5", "port": 3307},
])
def test_usable_specs(spec):
    assert validate_spec(spec) == []


@pytest.mark.parametrize("spec, problems", [
    (None, ["panel_db: must be a mapping with at least `engine`"]),
    ({"engine": "oracle"}, ["panel_db.engine: must be one of sqlite, postgresql, mariadb, not 'oracle'"]),
    ({"engine": "sqlite"}, ["panel_db.path: required for engine sqlite"]),
    ({"engine": "postgresql"}, ["panel_db.name: required for engine postgresql",
                                "panel_db.user: required for engine postgresql"]),
])
def test_every_missing_field_is_named(spec, problems):
    assert validate_spec(spec) == problems
    assert ENGINES == ("sqlite", "postgresql", "mariadb")
