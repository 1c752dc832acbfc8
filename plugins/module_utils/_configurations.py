# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named billing/sign-up configurations per owner, as a batch (one SELECT, writes only for differences)."""

from __future__ import annotations

import json

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError, canonical_json
from ansible_collections.panelops.reseller.plugins.module_utils._plans import Existing, Report, item_name


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


def sync_configurations(db, wanted, owner_names=None, purge=True, existing=None, report=None):
    """Make each owner's configurations ({owner_id or None: [conf, ...]}) what the inventory says."""
    owner_names = owner_names or {}
    existing = read_configurations(db) if existing is None else existing
    report = report if report is not None else Report()
    problems = []
    candidates = []
    for owner_id in sorted(wanted, key=lambda o: (o is not None, o)):
        declared = set()
        for conf in wanted[owner_id]:
            declared.add(conf["name"])
            label = item_name(owner_id, conf["name"], owner_names)
            want = normalize(conf)
            have = existing.get((owner_id, conf["name"]))
            if have is None:
                db.insert("panel_configuration", dict(owner_reseller_id=owner_id, name=conf["name"], managed=True,
                                                      **want))
                report.add(label, "created", after=_show(label, want))
            elif not have["managed"]:
                problems.append("configuration %s exists and is not managed (made in the panel)" % label)
            else:
                changes = dict((k, v) for k, v in want.items() if have[k] != v)
                if changes:
                    db.update("panel_configuration", have["id"], changes)
                    report.add(label, "updated", before=_show(label, have), after=_show(label, want))
                else:
                    report.add(label, "unchanged")
        if purge:
            candidates.extend(have for have in existing.owned_by(owner_id)
                              if have["managed"] and have["name"] not in declared)
    if candidates:
        ids = [c["id"] for c in candidates]
        used = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in db.query("SELECT configuration_id, id, name FROM panel_client WHERE configuration_id IN (%s)"
                                % ", ".join("?" for dummy in chunk), chunk):
                used.setdefault(row["configuration_id"], []).append("client %s (%s)" % (row["id"], row["name"]))
        for have in candidates:
            label = item_name(have["owner"], have["name"], owner_names)
            if have["id"] in used:
                problems.append("configuration %s cannot be removed: still used by %s"
                                % (label, ", ".join(sorted(used[have["id"]]))))
                continue
            db.execute("DELETE FROM panel_configuration WHERE id = ?", (have["id"],))
            report.add(label, "removed", before=_show(label, have))
    if problems:
        raise PanelDBError("; ".join(problems))
    return report


def archive_owner_configurations(db, owner_id, owner_names, existing, report, archived=True):
    for have in existing.owned_by(owner_id):
        owner, name = have["owner"], have["name"]
        if have["managed"] and have["archived"] != archived:
            db.update("panel_configuration", have["id"], {"archived": archived})
            label = item_name(owner, name, owner_names)
            report.add(label, "archived",
                       before="configuration %s: archived=%s\n" % (label, str(have["archived"]).lower()),
                       after="configuration %s: archived=%s\n" % (label, str(archived).lower()))
