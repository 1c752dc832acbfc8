# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_plans directly (the panel_plans module end to end: tests/unit/plugins/modules/test_panel_plans.py): the
normal form compared with the database, rule-level updates, owners, archiving, purge refused while in use."""
from __future__ import annotations

import copy

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _plans
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError, open_panel
from ansible_collections.panelops.reseller.plugins.module_utils._seed_items import Report
from tests.support.seeding import RETAIL, WHOLESALE, query


def sync(spec, wanted, **kwargs):
    with open_panel(spec) as db:
        return _plans.sync_plans(db, wanted, **kwargs)


def test_the_normal_form_is_what_the_database_reads_back(panel_db):
    want = _plans.normalize_plan(WHOLESALE)
    assert want["rules"]["vCPU"]["tiers"] == '[{"from":"0","price":"0.004"},{"from":"64","price":"0.0035"}]'
    assert want["rules"]["vCPU"]["time_unit"] == "h" and want["rules"]["vCPU"]["priority"] == 0
    assert want["rules"]["vCPU"]["conditions"] == [("region", "in", '["RegionOne","RegionTwo"]')]
    sync(panel_db, {None: [WHOLESALE]})
    with open_panel(panel_db, check_mode=True) as db:
        have = _plans.read_plans(db)[(None, "reseller-wholesale")]
    assert have["managed"] is True and have["rules"] == want["rules"]
    assert (have["currency"], have["is_default"], have["archived"]) == ("EUR", False, False)


def test_a_changed_tier_updates_the_rule_in_place(panel_db):
    sync(panel_db, {None: [WHOLESALE]})
    rule_id = query(panel_db, "SELECT id FROM panel_pricing_rule")[0]["id"]
    cheaper = copy.deepcopy(WHOLESALE)
    cheaper["rules"][0]["tiers"][1]["price"] = "0.003"
    report = sync(panel_db, {None: [cheaper]})
    assert report.items == {"reseller-wholesale": "updated"}
    rows = query(panel_db, "SELECT id, tiers FROM panel_pricing_rule")
    assert rows == [{"id": rule_id, "tiers": '[{"from":"0","price":"0.004"},{"from":"64","price":"0.003"}]'}]
    # Conditions and modifiers unchanged: kept as they were.
    assert query(panel_db, "SELECT COUNT(*) AS n FROM panel_pricing_condition")[0]["n"] == 1


def test_an_owners_plans_are_its_own_and_archived_on_offboarding(panel_db):
    sync(panel_db, {None: [WHOLESALE]})
    with open_panel(panel_db) as db:
        client = db.insert("panel_client", dict(name="ACME", email="ops@acme.test", currency="EUR", reseller_id=None))
        plan_id = query(panel_db, "SELECT id FROM panel_plan")[0]["id"]
        owner = db.insert("panel_reseller", dict(name="acme", client_id=client, plan_id=plan_id, host="cloud.acme.test",
                                                 enduser_panel_url="https://cloud.acme.test/", status="active",
                                                 managed=True))
    report = sync(panel_db, {owner: [RETAIL]}, owner_names={owner: "acme"})
    assert report.items == {"acme/retail": "created"}
    # The provider's plans are another owner's: not purged by the reseller's list.
    assert sorted(r["name"] for r in query(panel_db, "SELECT name FROM panel_plan")) == ["reseller-wholesale",
                                                                                         "retail"]
    with open_panel(panel_db) as db:
        archived = Report()
        _plans.archive_owner_plans(db, owner, {owner: "acme"}, _plans.read_plans(db), archived)
    assert archived.items == {"acme/retail": "archived"}
    assert query(panel_db, "SELECT archived FROM panel_plan WHERE owner_reseller_id = ?", (owner,))[0]["archived"]


def test_a_plan_in_use_is_not_purged_and_nothing_is_written(panel_db):
    sync(panel_db, {None: [WHOLESALE, RETAIL]})
    with open_panel(panel_db) as db:
        retail = query(panel_db, "SELECT id FROM panel_plan WHERE name = ?", ("retail",))[0]["id"]
        db.insert("panel_client", dict(name="Foo", email="foo@example.test", currency="EUR", reseller_id=None,
                                       plan_id=retail))
    with pytest.raises(PanelDBError, match=r"plan retail cannot be removed: still used by client \d+ \(Foo\)"):
        sync(panel_db, {None: [dict(WHOLESALE, currency="USD")]})
    assert query(panel_db, "SELECT currency FROM panel_plan WHERE name = ?", ("reseller-wholesale",)) == [
        {"currency": "EUR"}]


def test_an_invalid_price_from_a_direct_caller_is_refused():
    with pytest.raises(PanelDBError, match="invalid price 'cheap'"):
        _plans.normalize_plan({"name": "x", "currency": "EUR", "rules": [
            {"name": "r", "resource": "instance", "tiers": [{"from": 0, "price": "cheap"}]}]})
