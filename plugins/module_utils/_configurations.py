# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named billing/sign-up configurations per owner, as a batch (one SELECT, writes only for differences)."""

from __future__ import annotations

import json

from ansible_collections.panelops.reseller.plugins.module_utils._canonical import canonical_json
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError
from ansible_collections.panelops.reseller.plugins.module_utils._seed_items import (
    Existing,
    OwnedKind,
    Report,
    archive_owned,
    sync_owned,
)


def normalize(conf):
    return dict(description=conf.get("description") or "", is_default=bool(conf.get("default", False)),
                archived=False, options=canonical_json(conf.get("options") or {}))


def read_configurations(db):
    out = Existing()
    for row in db.query("SELECT id, owner_reseller_id, name, description, is_default, managed, archived, options "
                        "FROM panel_configuration"):
        out[(row["owner_reseller_id"], row["name"])] = dict(
            id=row["id"], owner=row["owner_reseller_id"], name=row["name"], description=row["description"] or "",
            is_default=bool(row["is_default"]), managed=bool(row["managed"]), archived=bool(row["archived"]),
            options=canonical_json(json.loads(row["options"])))
    return out


def _show(label, conf):
    return "configuration %s: %s\n" % (label, json.dumps(dict(
        description=conf["description"], is_default=conf["is_default"], archived=conf["archived"],
        options=json.loads(conf["options"])), sort_keys=True))


class _Configurations(OwnedKind):
    noun = "configuration"
    table = "panel_configuration"

    def normalize(self, item):
        return normalize(item)

    def show(self, label, record):
        return _show(label, record)

    def create(self, db, owner_id, item, want):
        db.insert("panel_configuration", dict(owner_reseller_id=owner_id, name=item["name"], managed=True, **want))

    def update(self, db, have, want):
        changes = dict((k, v) for k, v in want.items() if have[k] != v)
        if changes:
            db.update("panel_configuration", have["id"], changes)
        return bool(changes)

    def users(self, db, ids):
        used = {}
        for row in db.query_in("SELECT configuration_id, id, name FROM panel_client WHERE configuration_id IN (%s)",
                               ids):
            used.setdefault(row["configuration_id"], []).append("client %s (%s)" % (row["id"], row["name"]))
        return used

    def delete(self, db, have):
        db.execute("DELETE FROM panel_configuration WHERE id = ?", (have["id"],))


CONFIGURATIONS = _Configurations()


def sync_configurations(db, wanted, owner_names=None, purge=True, existing=None, report=None):
    """Make each owner's configurations ({owner_id or None: [conf, ...]}) what the inventory says.

    Managed configurations the list no longer names are deleted (with `purge`) unless a client uses one; all
    problems are raised together (PanelDBError).
    """
    existing = read_configurations(db) if existing is None else existing
    report = report if report is not None else Report()
    problems = sync_owned(db, CONFIGURATIONS, wanted, existing, report, owner_names or {}, purge)
    if problems:
        raise PanelDBError("; ".join(problems))
    return report


def archive_owner_configurations(db, owner_id, owner_names, existing, report, archived=True):
    """Mark every managed configuration of a reseller archived (offboarding); nothing is deleted."""
    archive_owned(db, CONFIGURATIONS, owner_id, owner_names, existing, report, archived)
