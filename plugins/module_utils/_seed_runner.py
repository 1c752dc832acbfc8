# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The seeding runner: what every panel database module does around its own step, written once.

    1. the database driver of the engine is missing      -> fail with missing_required_lib, nothing opened
    2. the input is invalid                              -> fail listing every problem, nothing opened
    3. connect, take the panel-wide lock, one transaction, check the panel's schema version
    4. the module's step (given the open database)       -> its result: per-item lists, `changed`, a diff
    5. any database problem or lock timeout              -> fail; the transaction is rolled back whole
    6. check mode                                        -> the same transaction runs, then is rolled back
    7. the diff is returned only under --diff and only when something changed

A module is its argument spec plus one call: run_seed() for a step of its own (panel_settings,
panel_resellers), seed_owned() for a list of records of one owner (panel_plans, panel_configurations).
"""

from __future__ import annotations

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.panelops.reseller.plugins.module_utils._locks import LockTimeout
from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import (
    DB_ARGUMENT_SPEC,
    PanelDBError,
    missing_library,
    open_panel,
)

# The options of a module seeding the records of one owner (panel_plans, panel_configurations).
OWNED_OPTIONS = dict(
    owner=dict(type="str"),
    purge=dict(type="bool", default=True),
)


def owned_argument_spec(key):
    """The argument spec of a module seeding a list `key` of one owner's records."""
    spec = dict(db=DB_ARGUMENT_SPEC, **OWNED_OPTIONS)
    spec[key] = dict(type="list", elements="dict", required=True)
    return spec


def run_seed(module, what, validate, step):
    """Run one seeding step as described above and exit the module.

    what: the noun of the input in messages ("plans"); validate(): the problems of the input; step(db): the
    module's result dict, with `changed` and `diff`.
    """
    missing = missing_library(module.params["db"])
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])
    problems = validate()
    if problems:
        module.fail_json(msg="invalid %s: %s" % (what, "; ".join(problems)), problems=problems)
    try:
        with open_panel(module.params["db"], check_mode=module.check_mode) as db:
            result = step(db)
    except (PanelDBError, LockTimeout) as exc:
        module.fail_json(msg=str(exc))
    diff = result.pop("diff")
    if module._diff and result["changed"]:
        result["diff"] = diff
    module.exit_json(**result)


def lookup_owner(db, owner):
    """(owner_id, {owner_id: name}) of the reseller named `owner`, (None, {}) for the provider (None)."""
    if owner is None:
        return None, {}
    rows = db.query("SELECT id FROM panel_reseller WHERE name = ?", (owner,))
    if not rows:
        raise PanelDBError("owner: reseller %r is not in the panel database" % owner)
    return rows[0]["id"], {rows[0]["id"]: owner}


def seed_owned(module, key, header, validate, sync):
    """Seed the list `key` of records of one owner (module option `owner`; the provider when omitted).

    validate(items, owner_label=...) -> problems; sync(db, {owner_id: items}, owner_names, purge=...) -> Report;
    header names the table in the diff.
    """
    items, owner = module.params[key], module.params["owner"]

    def step(db):
        owner_id, owner_names = lookup_owner(db, owner)
        report = sync(db, {owner_id: items}, owner_names, purge=module.params["purge"])
        return report.module_result(key, header)

    label = "provider" if owner is None else "reseller %r" % owner
    run_seed(module, key, lambda: validate(items, owner_label=label), step)
