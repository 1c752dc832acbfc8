# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection layer, on all three engines (the panel_db fixture is parametrized over them)."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _panel_db
from ansible_collections.panelops.reseller.plugins.module_utils._canonical import canonical_decimal
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import (
    LockTimeout,
    PanelDBError,
    SCHEMA_VERSION,
    connect,
    open_panel,
)
from tests.support.seeding import dump, read_settings


def test_schema_version_is_checked(panel_db):
    with open_panel(panel_db) as db:
        assert db.check_schema() == SCHEMA_VERSION
        assert "panel_reseller" in db.panel_tables()


def test_version_mismatch_is_named(panel_db):
    db = connect(panel_db)
    db.execute("UPDATE panel_setting SET %s = ? WHERE %s = ?" % (db.quote("value"), db.quote("key")),
               ("99", "schema.version"))
    db.close()
    with pytest.raises(PanelDBError, match="panel schema version %d expected, found 99" % SCHEMA_VERSION):
        with open_panel(panel_db):
            pass


def test_missing_schema_says_to_migrate(tmp_path):
    spec = dict(engine="sqlite", path=str(tmp_path / "empty.sqlite3"))
    with pytest.raises(PanelDBError, match="no panel schema: run the panel's migrations"):
        with open_panel(spec):
            pass


def test_error_inside_transaction_rolls_everything_back(panel_db):
    before = dump(panel_db)
    with pytest.raises(PanelDBError):
        with open_panel(panel_db) as db:
            db.write_setting("reseller.enabled", True, exists=True)
            db.insert_setting("x.first", '"kept?"')
            db.insert_setting("x.first", '"duplicate primary key"')
    assert dump(panel_db) == before


def test_check_mode_rolls_back_what_it_did(panel_db):
    before = dump(panel_db)
    with open_panel(panel_db, check_mode=True) as db:
        db.write_setting("reseller.enabled", True, exists=True)
        assert db.read_settings()["reseller.enabled"] is True
    assert dump(panel_db) == before


def test_placeholders_and_percent_signs_are_literal(panel_db):
    hostile = "100% ' OR 1=1; -- ?"
    with open_panel(panel_db) as db:
        db.insert_setting("x.hostile", '"%s"' % hostile.replace("'", "'"))
    assert read_settings(panel_db)["x.hostile"] == hostile
    db = connect(panel_db)
    try:
        rows = db.query("SELECT %s FROM panel_setting WHERE %s LIKE ?" % (db.quote("key"), db.quote("key")), ("x.%",))
    finally:
        db.close()
    assert [r["key"] for r in rows] == ["x.hostile"]


def test_a_second_run_waits_for_the_lock_then_fails_clearly(panel_db):
    spec = dict(panel_db, lock_timeout=1)
    holder_ready, release = threading.Event(), threading.Event()

    def hold():
        with open_panel(panel_db):
            holder_ready.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holder_ready.wait(10)
        started = time.monotonic()
        with pytest.raises(LockTimeout, match="lock"):
            with open_panel(spec):
                pass
        assert time.monotonic() - started < 10
    finally:
        release.set()
        thread.join()
    with open_panel(spec) as db:  # the lock is free again
        assert db.check_schema() == SCHEMA_VERSION


def test_unreachable_server_is_a_readable_error():
    spec = dict(engine="sqlite", path="/nonexistent-dir/panel.sqlite3")
    with pytest.raises(PanelDBError, match="cannot connect to the sqlite panel database at /nonexistent-dir"):
        connect(spec)


@pytest.mark.parametrize("spec, message", [
    ({"engine": "oracle"}, "panel_db.engine: must be one of sqlite, postgresql, mariadb"),
    ({"engine": "sqlite"}, "panel_db.path: required for engine sqlite"),
    ({"engine": "postgresql", "name": "panel"}, "panel_db.user: required for engine postgresql"),
    ("sqlite", "panel_db: must be a mapping"),
])
def test_bad_specs_are_named(spec, message):
    assert any(message in p for p in _panel_db.validate_spec(spec))


@pytest.mark.parametrize("value, text", [("0.0100", "0.01"), (100, "100"), ("1E+2", "100"), ("0.000", "0"),
                                         ("12.5", "12.5")])
def test_canonical_decimal(value, text):
    assert canonical_decimal(value) == text


def test_sqlite_driver_is_the_stdlib():
    assert _panel_db.sqlite3 is sqlite3


def test_a_server_engine_driver_is_imported_only_when_that_engine_is_used():
    import json
    import os
    import subprocess
    import sys
    code = ("import json, sys\n"
            "from ansible_collections.panelops.reseller.plugins.module_utils import _panel_db\n"
            "_panel_db.missing_library({'engine': 'sqlite'})\n"
            "print(json.dumps(sorted({'psycopg', 'pymysql'} & set(sys.modules))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) == []


def test_a_missing_driver_is_named_with_its_import_error(monkeypatch):
    monkeypatch.setitem(_panel_db.DRIVERS, "postgresql", ("panelops_no_such_driver", "psycopg"))
    library, error = _panel_db.missing_library({"engine": "postgresql"})
    assert library == "psycopg" and "panelops_no_such_driver" in error
    assert _panel_db.missing_library({"engine": "mariadb"}) is None
