# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running the seeding modules in-process and reading the panel database back."""
from __future__ import annotations

import contextlib
import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.panelops.reseller.plugins.module_utils._panel_db import connect

WHOLESALE = {"name": "reseller-wholesale", "currency": "EUR", "rules": [
    {"name": "vCPU", "resource": "instance", "attribute": "vcpus", "time_unit": "h",
     "tiers": [{"from": 0, "price": 0.004}, {"from": 64, "price": "0.0035"}],
     "conditions": [{"attribute": "region", "op": "in", "value": ["RegionOne", "RegionTwo"]}],
     "modifiers": [{"name": "Windows licence", "price": "0.01", "time_unit": "h",
                    "when": [{"attribute": "os_type", "op": "eq", "value": "windows"}]}]}]}
RETAIL = {"name": "retail", "currency": "EUR", "is_default": True, "rules": [
    {"name": "RAM", "resource": "instance", "attribute": "memory_mb", "tiers": [{"from": 0, "price": "0.00002"}]}]}


def run(module, args, capsys, check_mode=False, diff=False):
    args = dict(args)
    if check_mode:
        args["_ansible_check_mode"] = True
    if diff:
        args["_ansible_diff"] = True
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


def query(spec, sql, params=()):
    with contextlib.closing(connect(spec)) as db:
        return db.query(sql, params)


def dump(spec):
    with contextlib.closing(connect(spec)) as db:
        return db.dump()


def read_settings(spec):
    with contextlib.closing(connect(spec)) as db:
        return db.read_settings()


def set_frontend_url(spec, url="https://panel.demo.test:8443/"):
    db = connect(spec)
    try:
        with db.transaction():
            db.write_setting("provider.frontend_url", url, exists="provider.frontend_url" in db.read_settings())
    finally:
        db.close()
