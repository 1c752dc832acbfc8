# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_configurations directly: normal form, create/update/unchanged, unmanaged ones untouched, purge refused while
a client uses one."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils import _configurations
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError, open_panel
from tests.support.seeding import query

DEFAULT = {"name": "default", "default": True, "options": {"billing": {"credit_limit": 0}}}


def sync(spec, wanted, **kwargs):
    with open_panel(spec) as db:
        return _configurations.sync_configurations(db, wanted, **kwargs)


def test_normal_form():
    assert _configurations.normalize(DEFAULT) == {"description": "", "is_default": True, "archived": False,
                                                  "options": '{"billing":{"credit_limit":0}}'}
    assert _configurations.normalize({"name": "x"})["options"] == "{}"


def test_create_unchanged_update_and_diff(panel_db):
    assert sync(panel_db, {None: [DEFAULT]}).items == {"default": "created"}
    assert sync(panel_db, {None: [dict(DEFAULT, options={"billing": {"credit_limit": 0}})]}).items == {
        "default": "unchanged"}
    report = sync(panel_db, {None: [dict(DEFAULT, description="Provider")]})
    assert report.items == {"default": "updated"}
    assert '"description": ""' in report.before[0] and '"description": "Provider"' in report.after[0]
    assert query(panel_db, "SELECT description, managed FROM panel_configuration")[0]["description"] == "Provider"


def test_an_unmanaged_configuration_is_never_changed(panel_db):
    with open_panel(panel_db) as db:
        db.insert("panel_configuration", dict(owner_reseller_id=None, name="default", description="by hand",
                                              is_default=False, archived=False, options="{}", managed=False))
    with pytest.raises(PanelDBError, match="configuration default exists and is not managed"):
        sync(panel_db, {None: [DEFAULT]})
    assert sync(panel_db, {None: []}).items == {}  # not purged either
    assert query(panel_db, "SELECT description FROM panel_configuration") == [{"description": "by hand"}]


def test_a_configuration_in_use_is_not_purged(panel_db):
    sync(panel_db, {None: [DEFAULT, {"name": "spare"}]})
    with open_panel(panel_db) as db:
        spare = db.query("SELECT id FROM panel_configuration WHERE name = ?", ("spare",))[0]["id"]
        db.insert("panel_client", dict(name="Foo", email="foo@example.test", currency="EUR", reseller_id=None,
                                       configuration_id=spare))
    with pytest.raises(PanelDBError, match=r"configuration spare cannot be removed: still used by client \d+ \(Foo\)"):
        sync(panel_db, {None: [DEFAULT]})
    assert sync(panel_db, {None: [DEFAULT]}, purge=False).items == {"default": "unchanged"}
