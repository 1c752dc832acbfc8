# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Brands in panel_brand, on SQLite, PostgreSQL and MariaDB: written whole, compared by logo digest, released."""
from __future__ import annotations

import pytest

from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import embed_logo
from ansible_collections.panelops.reseller.plugins.module_utils._brands import (
    RELEASE,
    read_brands,
    sync_brands,
    wanted_brand,
)
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError, connect
from ansible_collections.panelops.reseller.plugins.module_utils._seed_items import Report
from tests.support.images import png

BRAND = {"name": "ACME Cloud", "primary_color": "#C1A", "support_email": "help@acme.test",
         "support_url": "https://help.acme.test/", "logo": embed_logo(png(4, 4))}


def sync(spec, wanted):
    db = connect(spec)
    try:
        report = Report()
        with db.transaction():
            sync_brands(db, wanted, {}, report)
        return report
    finally:
        db.close()


def stored(spec):
    db = connect(spec)
    try:
        rows = db.query("SELECT reseller_id, name, primary_color, support_email, terms_url, logo, "
                        "logo_content_type, logo_sha256, managed FROM panel_brand")
    finally:
        db.close()
    for row in rows:
        row["logo"] = bytes(row["logo"]) if row["logo"] is not None else None
        row["managed"] = bool(row["managed"])
    return rows


def test_a_brand_is_written_whole_then_left_alone(panel_db):
    report = sync(panel_db, {None: BRAND})
    assert report.items == {"provider": "created"}
    # The diff names the logo by type, digest and size, never its bytes.
    assert '"logo": "image/png sha256:' in report.after[0] and "bytes)" in report.after[0]
    assert "iVBOR" not in report.after[0]
    [row] = stored(panel_db)
    assert row["reseller_id"] is None and row["name"] == "ACME Cloud" and row["managed"] is True
    assert row["primary_color"] == "#cc11aa" and row["terms_url"] == ""
    assert row["logo"] == png(4, 4) and row["logo_content_type"] == "image/png"
    assert sync(panel_db, {None: BRAND}).items == {"provider": "unchanged"}


def test_a_changed_logo_or_field_updates_and_a_removed_logo_is_cleared(panel_db):
    sync(panel_db, {None: BRAND})
    report = sync(panel_db, {None: dict(BRAND, logo=embed_logo(png(1, 1)))})
    assert report.items == {"provider": "updated"}
    assert stored(panel_db)[0]["logo"] == png(1, 1)
    report = sync(panel_db, {None: dict((k, v) for k, v in BRAND.items() if k != "logo")})
    assert report.items == {"provider": "updated"}
    row = stored(panel_db)[0]
    assert row["logo"] is None and row["logo_sha256"] == ""


def test_release_hands_a_managed_brand_to_its_owner_and_touches_nothing_else(panel_db):
    sync(panel_db, {None: BRAND})
    report = sync(panel_db, {None: RELEASE})
    assert report.items == {"provider": "updated"}
    assert '"managed": false' in report.after[0]
    row = stored(panel_db)[0]
    assert row["managed"] is False and row["name"] == "ACME Cloud"
    # Released already, or never there: nothing to report.
    assert sync(panel_db, {None: RELEASE}).items == {}
    db = connect(panel_db)
    assert list(read_brands(db)) == [None]
    db.close()


def test_a_logo_that_fails_its_check_is_refused_before_writing():
    with pytest.raises(PanelDBError, match="brand X: logo: sha256 does not match"):
        wanted_brand({"name": "X", "logo": dict(embed_logo(png()), sha256="0" * 64)})
