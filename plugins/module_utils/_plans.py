# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pricing plans (with rules, conditions, modifiers, tiers) as a batch: read everything in four SELECTs,
compare in Python, write only what differs. Used by panel_plans (provider plans) and panel_resellers
(each reseller's own plans), always inside the caller's transaction.
"""

from __future__ import annotations

import json

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import (
    PanelDBError,
    canonical_json,
)
from ansible_collections.panelops.reseller.plugins.module_utils._validation import parse_price


def _price(value):
    text, problem = parse_price(value)
    if problem:  # validation runs first; this only guards direct callers
        raise PanelDBError("invalid price %r: %s" % (value, problem))
    return text


def _conditions(items):
    return sorted((c["attribute"], c["op"], canonical_json(c.get("value"))) for c in (items or []))


def normalize_plan(plan):
    """The plan as the database would hold it: comparable with `read_plans()` output."""
    rules = {}
    for rule in plan.get("rules") or []:
        rules[rule["name"]] = dict(
            resource=rule["resource"],
            attribute=rule.get("attribute"),
            time_unit=rule.get("time_unit", "h"),
            priority=int(rule.get("priority", 0)),
            tiers=canonical_json([{"from": _price(t["from"]), "price": _price(t["price"])} for t in rule["tiers"]]),
            conditions=_conditions(rule.get("conditions")),
            modifiers=sorted(
                (m["name"], _price(m["price"]), m.get("time_unit", "h"), bool(m.get("is_percent", False)),
                 canonical_json([{"attribute": c["attribute"], "op": c["op"], "value": c.get("value")}
                                 for c in (m.get("when") or [])]))
                for m in (rule.get("modifiers") or [])),
        )
    return dict(currency=plan["currency"], is_default=bool(plan.get("is_default", False)), archived=False,
                rules=rules)


def read_plans(db):
    """{(owner_id, name): plan row with 'rules' like normalize_plan()} for every plan in the panel."""
    plans = Existing()
    by_id = {}
    for row in db.query("SELECT id, owner_reseller_id, name, currency, is_default, managed, archived FROM panel_plan"):
        plan = dict(id=row["id"], owner=row["owner_reseller_id"], name=row["name"], currency=row["currency"],
                    is_default=bool(row["is_default"]), managed=bool(row["managed"]),
                    archived=bool(row["archived"]), rules={}, rule_ids={})
        plans[(plan["owner"], plan["name"])] = plan
        by_id[plan["id"]] = plan
    rules = {}
    for row in db.query("SELECT id, plan_id, name, resource, attribute, time_unit, priority, tiers "
                        "FROM panel_pricing_rule"):
        plan = by_id.get(row["plan_id"])
        if plan is None:
            continue
        rule = dict(resource=row["resource"], attribute=row["attribute"], time_unit=row["time_unit"],
                    priority=int(row["priority"]), tiers=canonical_json(json.loads(row["tiers"])),
                    conditions=[], modifiers=[])
        plan["rules"][row["name"]] = rule
        plan["rule_ids"][row["name"]] = row["id"]
        rules[row["id"]] = rule
    for row in db.query("SELECT rule_id, attribute, operator, value FROM panel_pricing_condition"):
        if row["rule_id"] in rules:
            rules[row["rule_id"]]["conditions"].append(
                (row["attribute"], row["operator"], canonical_json(json.loads(row["value"]))))
    for row in db.query("SELECT rule_id, name, price, time_unit, is_percent, conditions FROM panel_pricing_modifier"):
        if row["rule_id"] in rules:
            rules[row["rule_id"]]["modifiers"].append(
                (row["name"], row["price"], row["time_unit"], bool(row["is_percent"]),
                 canonical_json(json.loads(row["conditions"]))))
    for rule in rules.values():
        rule["conditions"].sort()
        rule["modifiers"].sort()
    return plans


def _show(label, plan):
    """A readable, stable rendering of one plan for --diff."""
    body = dict(currency=plan["currency"], is_default=plan["is_default"], archived=plan["archived"],
                rules=dict((name, dict(rule, tiers=json.loads(rule["tiers"]),
                                       conditions=[[a, op, json.loads(v)] for a, op, v in rule["conditions"]],
                                       modifiers=[[n, p, t, pct, json.loads(w)] for n, p, t, pct, w in rule["modifiers"]]))
                           for name, rule in sorted(plan["rules"].items())))
    return "plan %s: %s\n" % (label, json.dumps(body, sort_keys=True))


def _insert_rule(db, plan_id, name, rule):
    rule_id = db.insert("panel_pricing_rule", dict(
        plan_id=plan_id, name=name, resource=rule["resource"], attribute=rule["attribute"],
        time_unit=rule["time_unit"], priority=rule["priority"], tiers=rule["tiers"]))
    _insert_children(db, rule_id, rule)
    return rule_id


def _insert_children(db, rule_id, rule):
    for attribute, op, value in rule["conditions"]:
        db.insert("panel_pricing_condition", dict(rule_id=rule_id, attribute=attribute, operator=op, value=value))
    for name, price, time_unit, is_percent, conditions in rule["modifiers"]:
        db.insert("panel_pricing_modifier", dict(rule_id=rule_id, name=name, price=price, time_unit=time_unit,
                                                 is_percent=is_percent, conditions=conditions))


def _delete_children(db, rule_ids):
    for start in range(0, len(rule_ids), 500):
        chunk = rule_ids[start:start + 500]
        marks = ", ".join("?" for dummy in chunk)
        db.execute("DELETE FROM panel_pricing_condition WHERE rule_id IN (%s)" % marks, chunk)
        db.execute("DELETE FROM panel_pricing_modifier WHERE rule_id IN (%s)" % marks, chunk)


def _delete_rules(db, rule_ids):
    _delete_children(db, rule_ids)
    for start in range(0, len(rule_ids), 500):
        chunk = rule_ids[start:start + 500]
        db.execute("DELETE FROM panel_pricing_rule WHERE id IN (%s)" % ", ".join("?" for dummy in chunk), chunk)


def _users_of(db, plan_ids):
    """{plan_id: ['reseller acme', 'client 12 (Foo)']} for the given plans."""
    users = {}
    ids = list(plan_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for dummy in chunk)
        for row in db.query("SELECT plan_id, name FROM panel_reseller WHERE plan_id IN (%s)" % marks, chunk):
            users.setdefault(row["plan_id"], []).append("reseller %s" % row["name"])
        for row in db.query("SELECT plan_id, id, name FROM panel_client WHERE plan_id IN (%s)" % marks, chunk):
            users.setdefault(row["plan_id"], []).append("client %s (%s)" % (row["id"], row["name"]))
    return users


def owner_label(owner_id, owner_names):
    return "provider" if owner_id is None else "reseller %s" % owner_names.get(owner_id, owner_id)


def item_name(owner_id, name, owner_names):
    return name if owner_id is None else "%s/%s" % (owner_names.get(owner_id, owner_id), name)


class Report(object):
    """Per-item results and a diff, shared by the seeding modules."""

    def __init__(self):
        self.items = {}
        self.before = []
        self.after = []

    def add(self, name, state, before=None, after=None):
        self.items[name] = state
        if before:
            self.before.append(before)
        if after:
            self.after.append(after)

    def names(self, state):
        return sorted(n for n, s in self.items.items() if s == state)

    @property
    def changed(self):
        return any(s != "unchanged" for s in self.items.values())

    def result(self, key, header):
        return {
            key: dict(self.items),
            "created": self.names("created"),
            "updated": self.names("updated"),
            "unchanged": self.names("unchanged"),
            "removed": self.names("removed"),
            "archived": self.names("archived"),
            "diff": dict(before="".join(self.before), after="".join(self.after),
                         before_header=header, after_header=header),
        }


def sync_plans(db, wanted, owner_names=None, purge=True, existing=None, report=None):
    """Make the plans of each owner in `wanted` ({owner_id or None: [plan, ...]}) what the inventory says.

    Only managed plans are updated or purged; a declared name held by an unmanaged plan is an error, as is
    purging a plan still used by a reseller or a client. All problems are raised together (PanelDBError).
    """
    owner_names = owner_names or {}
    existing = read_plans(db) if existing is None else existing
    report = report if report is not None else Report()
    problems = []
    purge_candidates = []
    for owner_id in sorted(wanted, key=lambda o: (o is not None, o)):
        declared = set()
        for plan in wanted[owner_id]:
            declared.add(plan["name"])
            label = item_name(owner_id, plan["name"], owner_names)
            want = normalize_plan(plan)
            have = existing.get((owner_id, plan["name"]))
            if have is None:
                plan_id = db.insert("panel_plan", dict(
                    owner_reseller_id=owner_id, name=plan["name"], currency=want["currency"],
                    is_default=want["is_default"], managed=True, archived=False))
                for name, rule in sorted(want["rules"].items()):
                    _insert_rule(db, plan_id, name, rule)
                report.add(label, "created", after=_show(label, want))
                continue
            if not have["managed"]:
                problems.append("plan %s exists and is not managed (made in the panel): rename the inventory's "
                                "plan or mark the panel's one as managed" % label)
                continue
            changes = dict((col, want[col]) for col in ("currency", "is_default", "archived") if have[col] != want[col])
            rules_changed = False
            for name in sorted(set(have["rules"]) - set(want["rules"])):
                _delete_rules(db, [have["rule_ids"][name]])
                rules_changed = True
            for name, rule in sorted(want["rules"].items()):
                old = have["rules"].get(name)
                if old is None:
                    _insert_rule(db, have["id"], name, rule)
                    rules_changed = True
                elif old != rule:
                    rule_id = have["rule_ids"][name]
                    cols = dict((c, rule[c]) for c in ("resource", "attribute", "time_unit", "priority", "tiers")
                                if old[c] != rule[c])
                    db.update("panel_pricing_rule", rule_id, cols)
                    if old["conditions"] != rule["conditions"] or old["modifiers"] != rule["modifiers"]:
                        _delete_children(db, [rule_id])
                        _insert_children(db, rule_id, rule)
                    rules_changed = True
            if changes:
                db.update("panel_plan", have["id"], changes)
            if changes or rules_changed:
                report.add(label, "updated", before=_show(label, have), after=_show(label, want))
            else:
                report.add(label, "unchanged")
        if purge:
            purge_candidates.extend(have for have in existing.owned_by(owner_id)
                                    if have["managed"] and have["name"] not in declared)
    if purge_candidates:
        used = _users_of(db, [p["id"] for p in purge_candidates])
        for have in purge_candidates:
            label = item_name(have["owner"], have["name"], owner_names)
            if have["id"] in used:
                problems.append("plan %s cannot be removed: still used by %s" % (label, ", ".join(sorted(used[have["id"]]))))
                continue
            _delete_rules(db, list(have["rule_ids"].values()))
            db.execute("DELETE FROM panel_plan WHERE id = ?", (have["id"],))
            report.add(label, "removed", before=_show(label, have))
    if problems:
        raise PanelDBError("; ".join(problems))
    return report


class Existing(dict):
    """The records read from the database, keyed by (owner_id, name), with an index by owner."""

    _by_owner = None

    def owned_by(self, owner_id):
        if self._by_owner is None:
            self._by_owner = {}
            for (owner, name), have in sorted(self.items(), key=lambda kv: kv[0][1]):
                self._by_owner.setdefault(owner, []).append(have)
        return self._by_owner.get(owner_id, [])


def archive_owner_plans(db, owner_id, owner_names, existing, report, archived=True):
    """Mark every managed plan of a reseller archived (offboarding); nothing is deleted."""
    for have in existing.owned_by(owner_id):
        owner, name = have["owner"], have["name"]
        if have["managed"] and have["archived"] != archived:
            db.update("panel_plan", have["id"], {"archived": archived})
            label = item_name(owner, name, owner_names)
            report.add(label, "archived", before="plan %s: archived=%s\n" % (label, str(have["archived"]).lower()),
                       after="plan %s: archived=%s\n" % (label, str(archived).lower()))
