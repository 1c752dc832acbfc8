# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The seeding runner around a step of its own, on SQLite, PostgreSQL and MariaDB: the order of its checks,
one transaction rolled back in check mode and on error, the diff only under --diff."""
from __future__ import annotations

import json

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from ansible_collections.panelops.reseller.plugins.module_utils import _seed_runner
from ansible_collections.panelops.reseller.plugins.module_utils._locks import LockTimeout
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import (
    DB_ARGUMENT_SPEC,
    SCHEMA_VERSION,
    PanelDBError,
)
from tests.support.seeding import query

KEY = "provider.frontend_url"


def run(capsys, db, validate, step, check_mode=False, diff=False):
    args = {"db": db, "_ansible_check_mode": check_mode, "_ansible_diff": diff}
    with patch_module_args(args):
        module = AnsibleModule(argument_spec=dict(db=DB_ARGUMENT_SPEC), supports_check_mode=True)
        with pytest.raises(SystemExit):
            _seed_runner.run_seed(module, "things", validate, step)
    return json.loads(capsys.readouterr().out)


def stored(db):
    rows = query(db, "SELECT * FROM panel_setting")
    return dict((r["key"], r["value"]) for r in rows).get(KEY)


def writing(value="https://panel.test/"):
    def step(db):
        db.write_setting(KEY, value, exists=KEY in db.read_settings())
        return {"changed": True, "things": {KEY: "updated"}, "diff": {"before": "", "after": "%s\n" % value}}
    return step


def never(db):
    raise AssertionError("the step must not run")


def test_invalid_input_fails_before_the_database_is_opened(capsys):
    result = run(capsys, {"engine": "sqlite", "path": "/nonexistent-dir/panel.sqlite3"}, lambda: ["a: bad", "b: worse"],
                 never)
    assert result["failed"] and result["msg"] == "invalid things: a: bad; b: worse"
    assert result["problems"] == ["a: bad", "b: worse"]


def test_a_missing_driver_fails_first(capsys, monkeypatch):
    monkeypatch.setattr(_seed_runner, "missing_library", lambda spec: ("psycopg", "Traceback: no psycopg"))
    result = run(capsys, {"engine": "postgresql", "name": "panel", "user": "panel"}, lambda: ["never read"], never)
    assert result["failed"] and "psycopg" in result["msg"] and "invalid" not in result["msg"]


def test_the_step_commits_and_the_diff_is_returned_under_diff_only(capsys, panel_db):
    plain = run(capsys, panel_db, lambda: [], writing())
    assert plain["changed"] is True and plain["things"] == {KEY: "updated"} and "diff" not in plain
    assert stored(panel_db) == '"https://panel.test/"'
    shown = run(capsys, panel_db, lambda: [], writing("https://other.test/"), diff=True)
    assert shown["diff"] == {"before": "", "after": "https://other.test/\n"}


def test_check_mode_runs_the_step_and_rolls_it_back(capsys, panel_db):
    before = stored(panel_db)
    result = run(capsys, panel_db, lambda: [], writing("https://dry.test/"), check_mode=True, diff=True)
    assert result["changed"] is True and result["diff"]["after"] == "https://dry.test/\n"
    assert stored(panel_db) == before


@pytest.mark.parametrize("error", [PanelDBError("reseller acme: plan: gone"), LockTimeout("locked (waited 1 s)")])
def test_a_failed_step_is_rolled_back_and_reported(capsys, panel_db, error):
    before = stored(panel_db)

    def step(db):
        writing("https://half.test/")(db)
        raise error

    result = run(capsys, panel_db, lambda: [], step)
    assert result["failed"] and result["msg"] == str(error)
    assert stored(panel_db) == before


def test_a_wrong_schema_version_stops_before_the_step(capsys, panel_db):
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect

    conn = connect(panel_db)
    with conn.transaction():
        conn.update("panel_setting", "schema.version", {"value": "99"}, key_column="key")
    conn.close()
    result = run(capsys, panel_db, lambda: [], never)
    assert result["failed"] and result["msg"] == "panel schema version %d expected, found 99" % SCHEMA_VERSION


def test_owner_lookup(panel_db):
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import open_panel

    with open_panel(panel_db, check_mode=True) as db:
        assert _seed_runner.lookup_owner(db, None) == (None, {})
        with pytest.raises(PanelDBError, match="owner: reseller 'acme' is not in the panel database"):
            _seed_runner.lookup_owner(db, "acme")


def test_owned_argument_spec():
    spec = _seed_runner.owned_argument_spec("plans")
    assert sorted(spec) == ["db", "owner", "plans", "purge"]
    assert spec["plans"] == {"type": "list", "elements": "dict", "required": True}
    assert spec["purge"]["default"] is True
