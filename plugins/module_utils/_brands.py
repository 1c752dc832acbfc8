# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Brands as a batch: the provider's (panel_settings) and the resellers' (panel_resellers), in panel_brand.

A declared brand is written whole and marked managed: the dashboard then shows it read-only. A reseller
whose inventory entry has no `brand:` key gets its managed brand released (managed = false), so the reseller
may edit it; nothing is deleted. Logos are compared by their SHA-256, so an unchanged logo is never re-sent
to the database; the bytes never appear in a diff.
"""

from __future__ import annotations

import json

from ansible_collections.panelops.reseller.plugins.module_utils._brand_logo import decode_embedded_logo
from ansible_collections.panelops.reseller.plugins.module_utils._canonical import normalize_color
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError
from ansible_collections.panelops.reseller.plugins.module_utils._seed_validation import BRAND_TEXT_KEYS
from ansible_collections.panelops.reseller.plugins.module_utils._vocabulary import DEFAULT_BRAND_COLOR

COMPARED = BRAND_TEXT_KEYS + ("logo_sha256", "logo_content_type", "managed")
# What a reseller entry without `brand:` asks for: its brand becomes the reseller's to edit.
RELEASE = "release"


def wanted_brand(brand):
    """The row a declared brand makes (logo bytes under '_logo', None without a logo)."""
    row = dict((key, brand.get(key) or "") for key in BRAND_TEXT_KEYS)
    row["primary_color"] = normalize_color(brand.get("primary_color") or DEFAULT_BRAND_COLOR)
    row["managed"] = True
    row["_logo"], row["logo_content_type"], row["logo_sha256"] = None, "", ""
    if brand.get("logo"):
        data, content_type, problem = decode_embedded_logo(brand["logo"])
        if problem:  # validation runs first; this only guards direct callers
            raise PanelDBError("brand %s: logo: %s" % (row["name"], problem))
        row["_logo"], row["logo_content_type"], row["logo_sha256"] = data, content_type, brand["logo"]["sha256"]
    return row


def read_brands(db):
    """{reseller id or None: brand row without the logo bytes}."""
    brands = {}
    for row in db.query("SELECT id, reseller_id, %s, logo_sha256, logo_content_type, managed FROM panel_brand "
                        "ORDER BY id" % ", ".join(BRAND_TEXT_KEYS)):
        row["managed"] = bool(row["managed"])
        # Should a second provider row ever exist, the first one is the provider's brand (as in the panel).
        brands.setdefault(row["reseller_id"], row)
    return brands


def _shown(row):
    """A diff line's view of a brand row: the logo by type, digest and size, never its bytes."""
    shown = dict((key, row[key]) for key in BRAND_TEXT_KEYS + ("managed",))
    if row.get("logo_sha256"):
        size = " (%d bytes)" % len(row["_logo"]) if row.get("_logo") is not None else ""
        shown["logo"] = "%s sha256:%s%s" % (row["logo_content_type"], row["logo_sha256"][:16], size)
    else:
        shown["logo"] = None
    return shown


def _line(owner_label, row):
    return "brand %s: %s\n" % (owner_label, json.dumps(_shown(row), sort_keys=True))


def _write(db, owner_id, have, want):
    columns = dict((key, want[key]) for key in BRAND_TEXT_KEYS + ("managed",))
    columns["updated_at"] = db.now()
    if have is None or have["logo_sha256"] != want["logo_sha256"]:
        columns.update(logo=want["_logo"], logo_content_type=want["logo_content_type"],
                       logo_sha256=want["logo_sha256"])
    if have is None:
        columns["reseller_id"] = owner_id
        db.insert("panel_brand", columns)
    else:
        db.update("panel_brand", have["id"], columns)


def sync_brands(db, wanted, owner_names, report, existing=None):
    """Make each owner's brand in `wanted` ({reseller id or None: brand mapping or RELEASE}) what it says.

    `owner_names` maps reseller ids to names for the report ('provider' for None); `report` is a
    _seed_items.Report. Runs inside the caller's transaction.
    """
    existing = read_brands(db) if existing is None else existing
    for owner_id in sorted(wanted, key=lambda k: (k is not None, k)):
        label = "provider" if owner_id is None else owner_names.get(owner_id, owner_id)
        have = existing.get(owner_id)
        if wanted[owner_id] == RELEASE:
            if have is not None and have["managed"]:
                db.update("panel_brand", have["id"], {"managed": False, "updated_at": db.now()})
                report.add(label, "updated", before=_line(label, have), after=_line(label, dict(have, managed=False)))
            continue
        want = wanted_brand(wanted[owner_id])
        if have is None:
            _write(db, owner_id, None, want)
            report.add(label, "created", after=_line(label, want))
        elif any(have[key] != want[key] for key in COMPARED):
            _write(db, owner_id, have, want)
            report.add(label, "updated", before=_line(label, have), after=_line(label, want))
        else:
            report.add(label, "unchanged")
    return report
