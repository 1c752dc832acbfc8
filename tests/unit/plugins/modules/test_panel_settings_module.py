# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The panel_settings module end to end (argument spec to database), on all three engines."""
from __future__ import annotations

import json

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect
from ansible_collections.panelops.reseller.plugins.modules import panel_settings
from tests.support.seeding import dump, read_settings, run

WANTED = {
    "reseller.enabled": True,
    "reseller.force_registration": True,
    "provider.frontend_url": "https://panel.demo.test:8443/",
    "reseller.dashboard_path": "/reseller/",
}


def run_module(args, check_mode=False, diff=False, capsys=None):
    return run(panel_settings, args, capsys, check_mode=check_mode, diff=diff)


def test_apply_then_idempotent(panel_db, capsys):
    result = run_module(dict(db=panel_db, settings=WANTED), diff=True, capsys=capsys)
    assert result["changed"] is True
    assert result["settings"] == {
        "provider.frontend_url": "updated", "reseller.dashboard_path": "unchanged",
        "reseller.enabled": "updated", "reseller.force_registration": "updated"}
    assert "reseller.enabled: false" in result["diff"]["before"]
    assert "reseller.enabled: true" in result["diff"]["after"]
    values = read_settings(panel_db)
    assert values["reseller.enabled"] is True and values["reseller.force_registration"] is True

    again = run_module(dict(db=panel_db, settings=WANTED), capsys=capsys)
    assert again["changed"] is False
    assert sorted(again["unchanged"]) == sorted(WANTED)


def test_check_mode_reports_but_writes_nothing(panel_db, capsys):
    before = dump(panel_db)
    result = run_module(dict(db=panel_db, settings=WANTED), check_mode=True, capsys=capsys)
    assert result["changed"] is True
    assert result["updated"] == ["provider.frontend_url", "reseller.enabled", "reseller.force_registration"]
    assert dump(panel_db) == before


@pytest.mark.parametrize("settings, message", [
    ({"reseller.enabeld": True}, "reseller.enabeld: unknown setting key"),
    ({"reseller.enabled": "yes"}, "reseller.enabled: must be a boolean"),
    ({"reseller.force_registration": 1}, "reseller.force_registration: must be a boolean"),
    ({"provider.frontend_url": "http://panel.demo.test/"}, "provider.frontend_url: 'http://panel.demo.test/' must use https://"),
    ({"provider.frontend_url": "https://10.0.0.1/"}, "provider.frontend_url: '10.0.0.1' is an IP address"),
    ({"reseller.dashboard_path": "reseller"}, "reseller.dashboard_path: must be a path like /reseller/"),
    ({"reseller.dashboard_path": "/staff/"}, "reseller.dashboard_path: /staff/ is reserved"),
    ({"schema.version": 2}, "schema.version: is managed by the panel's migrations"),
])
def test_bad_input_fails_before_any_write_naming_the_key(panel_db, capsys, settings, message):
    before = dump(panel_db)
    # A valid key next to the bad one proves nothing at all is written.
    result = run_module(dict(db=panel_db, settings=dict(settings, **{"reseller.enabled": True})
                             if "reseller.enabled" not in settings else settings), capsys=capsys)
    assert result["failed"] is True
    assert message in result["msg"]
    assert dump(panel_db) == before


def test_every_problem_is_listed(panel_db, capsys):
    result = run_module(dict(db=panel_db, settings={"a.b": 1, "reseller.enabled": "on"}), capsys=capsys)
    assert result["failed"] is True
    assert len(result["problems"]) == 2


def test_password_is_not_logged(panel_db, capsys):
    spec = dict(panel_db, password="s3cret-db-password")
    result = run_module(dict(db=spec, settings={"reseller.enabled": True}), capsys=capsys)
    assert "s3cret-db-password" not in json.dumps(result)


def test_the_provider_brand_is_written_with_the_settings(panel_db, capsys):
    from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import embed_logo
    from tests.support.images import png

    brand = {"name": "Provider Cloud", "primary_color": "#1f4e79", "support_email": "support@provider.test",
             "logo": embed_logo(png(2, 3))}
    result = run_module(dict(db=panel_db, settings=WANTED, brand=brand), diff=True, capsys=capsys)
    assert result["brand"] == "created"
    # (the invocation echo is trimmed by the action plugin; the diff never carries the bytes)
    assert "brand provider:" in result["diff"]["after"] and brand["logo"]["data"] not in json.dumps(result["diff"])
    db = connect(panel_db)
    rows = db.query("SELECT reseller_id, name, logo_content_type, managed FROM panel_brand")
    db.close()
    assert [dict(r, managed=bool(r["managed"])) for r in rows] == [
        {"reseller_id": None, "name": "Provider Cloud", "logo_content_type": "image/png", "managed": True}]
    again = run_module(dict(db=panel_db, settings=WANTED, brand=brand), capsys=capsys)
    assert again["changed"] is False and again["brand"] == "unchanged"
    # Without a brand the provider's is left as it is.
    assert run_module(dict(db=panel_db, settings=WANTED), capsys=capsys)["brand"] is None


def test_an_invalid_provider_brand_fails_before_any_write(panel_db, capsys):
    before = dump(panel_db)
    result = run_module(dict(db=panel_db, settings=WANTED, brand={"name": "P", "support_url": "ftp://x.test/"}),
                        capsys=capsys)
    assert result["failed"] is True
    assert "brand.support_url: 'ftp://x.test/' must use https://" in result["problems"]
    assert dump(panel_db) == before
