# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""panel_configurations end to end on SQLite, PostgreSQL and MariaDB."""
from __future__ import annotations

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect
from ansible_collections.panelops.reseller.plugins.modules import panel_configurations
from tests.support.seeding import dump, query, run

DEFAULT = {"name": "default", "default": True, "description": "Standard terms",
           "options": {"billing": {"credit_limit": 0, "currency": "EUR"}, "signup": {"require_phone": False}}}
TRIAL = {"name": "trial", "options": {"billing": {"credit_limit": 10}}}


def test_create_unchanged_update_purge(panel_db, capsys):
    result = run(panel_configurations, dict(db=panel_db, configurations=[DEFAULT, TRIAL]), capsys, diff=True)
    assert result["created"] == ["default", "trial"]
    rows = query(panel_db, "SELECT name, options, is_default, managed FROM panel_configuration WHERE name = ?",
                 ("default",))
    assert rows[0]["options"] == '{"billing":{"credit_limit":0,"currency":"EUR"},"signup":{"require_phone":false}}'
    assert bool(rows[0]["is_default"]) and bool(rows[0]["managed"])
    assert run(panel_configurations, dict(db=panel_db, configurations=[DEFAULT, TRIAL]), capsys)["changed"] is False
    changed = dict(TRIAL, options={"billing": {"credit_limit": 20}})
    result = run(panel_configurations, dict(db=panel_db, configurations=[changed]), capsys, diff=True)
    assert result["updated"] == ["trial"] and result["removed"] == ["default"]
    assert '"credit_limit": 10' in result["diff"]["before"] and '"credit_limit": 20' in result["diff"]["after"]


def test_check_mode_and_in_use(panel_db, capsys):
    run(panel_configurations, dict(db=panel_db, configurations=[DEFAULT, TRIAL]), capsys)
    conf_id = query(panel_db, "SELECT id FROM panel_configuration WHERE name = ?", ("trial",))[0]["id"]
    db = connect(panel_db)
    with db.transaction():
        db.insert("panel_client", dict(name="Dan", email="dan@example.test", currency="EUR", configuration_id=conf_id))
    db.close()
    before = dump(panel_db)
    result = run(panel_configurations, dict(db=panel_db, configurations=[dict(DEFAULT, description="x")]), capsys,
                 check_mode=True)
    assert result["failed"] is True and "configuration trial cannot be removed: still used by client" in result["msg"]
    result = run(panel_configurations, dict(db=panel_db, configurations=[dict(DEFAULT, description="x"), TRIAL]),
                 capsys, check_mode=True)
    assert result["changed"] is True and result["updated"] == ["default"]
    assert dump(panel_db) == before


def test_unknown_section_rejected(panel_db, capsys):
    before = dump(panel_db)
    bad = dict(DEFAULT, options={"billing": {}, "invoices": {}})
    result = run(panel_configurations, dict(db=panel_db, configurations=[bad, dict(TRIAL, default=True)]), capsys)
    assert result["failed"] is True
    assert "configuration 'default': options: unknown section 'invoices'" in result["msg"]
    assert "more than one default configuration" in result["msg"]
    assert dump(panel_db) == before
