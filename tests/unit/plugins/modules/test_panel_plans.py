# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""panel_plans end to end on SQLite, PostgreSQL and MariaDB."""
from __future__ import annotations

import copy
import json

from ansible_collections.panelops.reseller.plugins.modules import panel_plans

from tests.support.seeding import RETAIL, WHOLESALE, dump, query, run


def test_create_unchanged_update_purge(panel_db, capsys):
    args = dict(db=panel_db, plans=[WHOLESALE, RETAIL])
    result = run(panel_plans, args, capsys, diff=True)
    assert result["changed"] is True
    assert result["created"] == ["reseller-wholesale", "retail"]
    assert "plan reseller-wholesale" in result["diff"]["after"]
    rules = query(panel_db, "SELECT r.name, r.tiers, r.time_unit FROM panel_pricing_rule r "
                            "JOIN panel_plan p ON p.id = r.plan_id WHERE p.name = ?", ("reseller-wholesale",))
    assert rules == [{"name": "vCPU", "tiers": '[{"from":"0","price":"0.004"},{"from":"64","price":"0.0035"}]',
                      "time_unit": "h"}]
    cond = query(panel_db, "SELECT attribute, operator, value FROM panel_pricing_condition")
    assert cond == [{"attribute": "region", "operator": "in", "value": '["RegionOne","RegionTwo"]'}]
    mod = query(panel_db, "SELECT name, price, conditions FROM panel_pricing_modifier")
    assert mod == [{"name": "Windows licence", "price": "0.01",
                    "conditions": '[{"attribute":"os_type","op":"eq","value":"windows"}]'}]
    assert [bool(r["managed"]) for r in query(panel_db, "SELECT managed FROM panel_plan")] == [True, True]

    # The same prices spelled differently are the same plan.
    respelled = copy.deepcopy(WHOLESALE)
    respelled["rules"][0]["tiers"][0]["price"] = "0.00400"
    again = run(panel_plans, dict(db=panel_db, plans=[respelled, RETAIL]), capsys)
    assert again["changed"] is False and again["unchanged"] == ["reseller-wholesale", "retail"]

    changed = copy.deepcopy(WHOLESALE)
    changed["rules"][0]["tiers"][1]["price"] = "0.003"
    changed["rules"][0]["modifiers"] = []
    result = run(panel_plans, dict(db=panel_db, plans=[changed]), capsys, diff=True)
    assert result["updated"] == ["reseller-wholesale"] and result["removed"] == ["retail"]
    assert "0.0035" in result["diff"]["before"] and "0.003" in result["diff"]["after"]
    assert query(panel_db, "SELECT name FROM panel_plan") == [{"name": "reseller-wholesale"}]
    assert query(panel_db, "SELECT COUNT(*) AS n FROM panel_pricing_modifier")[0]["n"] == 0


def test_check_mode_leaves_database_identical(panel_db, capsys):
    run(panel_plans, dict(db=panel_db, plans=[WHOLESALE]), capsys)
    before = dump(panel_db)
    changed = copy.deepcopy(WHOLESALE)
    changed["currency"] = "USD"
    result = run(panel_plans, dict(db=panel_db, plans=[changed, RETAIL]), capsys, check_mode=True)
    assert result["changed"] is True and result["created"] == ["retail"] and result["updated"] == ["reseller-wholesale"]
    assert dump(panel_db) == before


def test_unmanaged_plan_is_never_touched(panel_db, capsys):
    run(panel_plans, dict(db=panel_db, plans=[WHOLESALE]), capsys)
    db_rows = query(panel_db, "SELECT id FROM panel_plan")
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect
    db = connect(panel_db)
    with db.transaction():
        db.insert("panel_plan", dict(owner_reseller_id=None, name="hand-made", currency="EUR", is_default=False,
                                     managed=False, archived=False))
    db.close()
    result = run(panel_plans, dict(db=panel_db, plans=[WHOLESALE]), capsys)
    assert result["changed"] is False and result["removed"] == []
    assert len(query(panel_db, "SELECT id FROM panel_plan")) == len(db_rows) + 1
    before = dump(panel_db)
    clash = dict(RETAIL, name="hand-made")
    result = run(panel_plans, dict(db=panel_db, plans=[WHOLESALE, clash]), capsys)
    assert result["failed"] is True and "plan hand-made exists and is not managed" in result["msg"]
    assert dump(panel_db) == before


def test_plan_in_use_cannot_be_purged(panel_db, capsys):
    run(panel_plans, dict(db=panel_db, plans=[WHOLESALE, RETAIL]), capsys)
    plan_id = query(panel_db, "SELECT id FROM panel_plan WHERE name = ?", ("retail",))[0]["id"]
    from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect
    db = connect(panel_db)
    with db.transaction():
        db.insert("panel_client", dict(name="Jane", email="jane@example.test", currency="EUR", plan_id=plan_id))
    db.close()
    before = dump(panel_db)
    result = run(panel_plans, dict(db=panel_db, plans=[WHOLESALE]), capsys)
    assert result["failed"] is True
    assert "plan retail cannot be removed: still used by client" in result["msg"] and "(Jane)" in result["msg"]
    assert dump(panel_db) == before


def test_invalid_plans_fail_before_any_write(panel_db, capsys):
    before = dump(panel_db)
    bad = copy.deepcopy(WHOLESALE)
    bad["rules"][0]["tiers"][0]["from"] = 5
    bad["rules"][0]["time_unit"] = "week"
    result = run(panel_plans, dict(db=panel_db, plans=[RETAIL, bad]), capsys)
    assert result["failed"] is True and len(result["problems"]) == 2
    assert "plan 'reseller-wholesale' rule 'vCPU': time_unit" in json.dumps(result["problems"])
    assert dump(panel_db) == before


def test_unknown_owner_fails(panel_db, capsys):
    result = run(panel_plans, dict(db=panel_db, plans=[RETAIL], owner="nobody"), capsys)
    assert result["failed"] is True and "reseller 'nobody' is not in the panel database" in result["msg"]
