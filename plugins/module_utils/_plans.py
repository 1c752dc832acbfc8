# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pricing plans (with rules, conditions, modifiers, tiers) as a batch: read everything in four SELECTs,
compare in Python, write only what differs. Used by panel_plans (provider plans) and panel_resellers
(each reseller's own plans), always inside the caller's transaction.
"""

from __future__ import annotations

import json

from ansible_collections.panelops.reseller.plugins.module_utils._canonical import canonical_json, parse_price
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import PanelDBError
from ansible_collections.panelops.reseller.plugins.module_utils._seed_items import (
    Existing,
    OwnedKind,
    Report,
    archive_owned,
    sync_owned,
)
from ansible_collections.panelops.reseller.plugins.module_utils._vocabulary import DEFAULT_PRIORITY, DEFAULT_TIME_UNIT


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
            time_unit=rule.get("time_unit", DEFAULT_TIME_UNIT),
            priority=int(rule.get("priority", DEFAULT_PRIORITY)),
            tiers=canonical_json([{"from": _price(t["from"]), "price": _price(t["price"])} for t in rule["tiers"]]),
            conditions=_conditions(rule.get("conditions")),
            modifiers=sorted(
                (m["name"], _price(m["price"]), m.get("time_unit", DEFAULT_TIME_UNIT), bool(m.get("is_percent", False)),
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
    db.execute_in("DELETE FROM panel_pricing_condition WHERE rule_id IN (%s)", rule_ids)
    db.execute_in("DELETE FROM panel_pricing_modifier WHERE rule_id IN (%s)", rule_ids)


def _delete_rules(db, rule_ids):
    _delete_children(db, rule_ids)
    db.execute_in("DELETE FROM panel_pricing_rule WHERE id IN (%s)", rule_ids)


def _users_of(db, plan_ids):
    """{plan_id: ['reseller acme', 'client 12 (Foo)']} for the given plans."""
    users = {}
    for row in db.query_in("SELECT plan_id, name FROM panel_reseller WHERE plan_id IN (%s)", plan_ids):
        users.setdefault(row["plan_id"], []).append("reseller %s" % row["name"])
    for row in db.query_in("SELECT plan_id, id, name FROM panel_client WHERE plan_id IN (%s)", plan_ids):
        users.setdefault(row["plan_id"], []).append("client %s (%s)" % (row["id"], row["name"]))
    return users


class _Plans(OwnedKind):
    noun = "plan"
    table = "panel_plan"
    unmanaged_hint = ": rename the inventory's plan or mark the panel's one as managed"

    def normalize(self, item):
        return normalize_plan(item)

    def show(self, label, record):
        return _show(label, record)

    def create(self, db, owner_id, item, want):
        plan_id = db.insert("panel_plan", dict(
            owner_reseller_id=owner_id, name=item["name"], currency=want["currency"],
            is_default=want["is_default"], managed=True, archived=False))
        for name, rule in sorted(want["rules"].items()):
            _insert_rule(db, plan_id, name, rule)

    def update(self, db, have, want):
        changes = dict((col, want[col]) for col in ("currency", "is_default", "archived") if have[col] != want[col])
        rules_changed = False
        for name in sorted(set(have["rules"]) - set(want["rules"])):
            _delete_rules(db, [have["rule_ids"][name]])
            rules_changed = True
        for name, rule in sorted(want["rules"].items()):
            rules_changed = _update_rule(db, have, name, rule) or rules_changed
        if changes:
            db.update("panel_plan", have["id"], changes)
        return bool(changes or rules_changed)

    def users(self, db, ids):
        return _users_of(db, ids)

    def delete(self, db, have):
        _delete_rules(db, list(have["rule_ids"].values()))
        db.execute("DELETE FROM panel_plan WHERE id = ?", (have["id"],))


PLANS = _Plans()


def _update_rule(db, have, name, rule):
    """Insert or update one declared rule of an existing plan; returns whether it changed."""
    old = have["rules"].get(name)
    if old is None:
        _insert_rule(db, have["id"], name, rule)
        return True
    if old == rule:
        return False
    rule_id = have["rule_ids"][name]
    cols = dict((c, rule[c]) for c in ("resource", "attribute", "time_unit", "priority", "tiers") if old[c] != rule[c])
    db.update("panel_pricing_rule", rule_id, cols)
    if old["conditions"] != rule["conditions"] or old["modifiers"] != rule["modifiers"]:
        _delete_children(db, [rule_id])
        _insert_children(db, rule_id, rule)
    return True


def sync_plans(db, wanted, owner_names=None, purge=True, existing=None, report=None):
    """Make the plans of each owner in `wanted` ({owner_id or None: [plan, ...]}) what the inventory says.

    Only managed plans are updated or purged; a declared name held by an unmanaged plan is an error, as is
    purging a plan still used by a reseller or a client. All problems are raised together (PanelDBError).
    """
    existing = read_plans(db) if existing is None else existing
    report = report if report is not None else Report()
    problems = sync_owned(db, PLANS, wanted, existing, report, owner_names or {}, purge)
    if problems:
        raise PanelDBError("; ".join(problems))
    return report


def archive_owner_plans(db, owner_id, owner_names, existing, report, archived=True):
    """Mark every managed plan of a reseller archived (offboarding); nothing is deleted."""
    archive_owned(db, PLANS, owner_id, owner_names, existing, report, archived)
