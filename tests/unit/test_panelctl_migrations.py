# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""panelctl's check for pending migrations without starting Django agrees with Django, and leaves every case
it cannot tell to Django. Each answer is taken in a process of its own (Django is set up once per process)."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.support import servers

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PANELCTL_DIR = os.path.join(REPO, "roles", "panel", "files")
ANSWER = """
import json, sys
sys.path.insert(0, %r)
import panelctl
config = json.load(sys.stdin)
print(json.dumps({"fast": panelctl.all_migrations_recorded(config),
                  "django": panelctl.pending_migrations(config)}))
""" % PANELCTL_DIR


def answers(path, state_dir):
    env = dict(PANEL_DB_ENGINE="sqlite", PANEL_DB_PATH=path, PANEL_STATE_DIR=state_dir)
    config = dict(panel_dir=os.path.join(REPO, "panel"), env=env)
    proc = subprocess.run([sys.executable, "-c", ANSWER], input=json.dumps(config), capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    base = tmp_path_factory.mktemp("migrated")
    path = str(base / "panel.sqlite3")
    servers.migrate(dict(engine="sqlite", path=path), state_dir=str(base))
    return path


def test_a_migrated_database_needs_no_django_start(migrated, tmp_path):
    assert answers(migrated, str(tmp_path)) == {"fast": True, "django": []}


def test_an_unrecorded_migration_is_left_to_django_which_names_it(migrated, tmp_path):
    copy = str(tmp_path / "panel.sqlite3")
    shutil.copyfile(migrated, copy)
    with contextlib.closing(sqlite3.connect(copy)) as conn:
        conn.execute("DELETE FROM django_migrations WHERE app = 'core' AND name = '0005_api_token'")
        conn.commit()
    assert answers(copy, str(tmp_path)) == {"fast": False, "django": ["core.0005_api_token"]}


def test_a_database_without_the_migrations_table_is_left_to_django(tmp_path):
    empty = str(tmp_path / "panel.sqlite3")
    sqlite3.connect(empty).close()
    result = answers(empty, str(tmp_path))
    assert result["fast"] is False and "core.0001_initial" in result["django"]


def test_apps_found_another_way_are_left_to_django():
    sys.path.insert(0, PANELCTL_DIR)
    try:
        import panelctl
    finally:
        sys.path.remove(PANELCTL_DIR)

    class Settings(object):
        INSTALLED_APPS = ["django.contrib.auth"]
        MIGRATION_MODULES = {}

    assert "0001_initial" in panelctl.migration_files(Settings)["auth"]
    Settings.MIGRATION_MODULES = {"auth": "elsewhere.migrations"}
    assert panelctl.migration_files(Settings) is None
    Settings.MIGRATION_MODULES, Settings.INSTALLED_APPS = {}, ["django.contrib.auth.apps.AuthConfig"]
    assert panelctl.migration_files(Settings) is None
